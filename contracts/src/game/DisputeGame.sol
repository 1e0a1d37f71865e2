// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IArbitrator} from "../interfaces/IArbitrator.sol";
import {IPhaseLink} from "../interfaces/IPhaseLink.sol";
import {IClaimBinding} from "../interfaces/IClaimBinding.sol";
import {LibSpacing} from "./LibSpacing.sol";
import {LibCheckpoints} from "./LibCheckpoints.sol";
import "./Errors.sol";

/// @title DisputeGame
/// @notice zkfp's k-ary, multi-checkpoint, multi-phase dispute game with bonds and chess clocks.
///         A claimer asserts "program P on input I reaches final root F after N steps from start root
///         S, output O" and stakes `claimBond`. Until the challenge deadline anyone may challenge with
///         `challengeBond`; every challenge is its own game (claimer vs that challenger), so a dishonest
///         challenger can neither block nor settle an honest one's game.
///
///         One round of a game at level l >= 1 (spacing: LibSpacing):
///           1. claimer  `postCheckpoints`: the c(l) roots strictly inside [lo, hi];
///           2. challenger `chooseSegment`: the first segment i whose pre-root it agrees with and whose
///              post-root it disputes, opened from the round's Merkle commitment (LibCheckpoints).
///         At level 0 of the last phase the claimer must `proveLeaf` with the phase's IArbitrator
///         (span = hi - lo in 1..m); at level 0 of an earlier phase it must `openSubgame` of the next
///         phase, whose start/end roots and length the phase's IPhaseLink binds to the two agreed/
///         disputed outer roots. A party whose chess clock runs out loses (`timeout`, anyone may call).
///         The claimer is always the defender, so the honest side wins: an honest claimer can prove
///         every leaf; against an honest challenger the leaf's pre-root is true and its post-root false.
///
///         Binding (IClaimBinding, immutable `binding`): `claim` accepts only `binding.programHash()`.
///         While the claim is pending anyone may `disputeStart` (publish the input; rejects the claim
///         iff binding.startRoot(input, aux) != startRoot) or `disputeOutput` (rejects iff the output
///         opened from finalRoot != output). An input the binding cannot take derives NO_START, which no
///         claim carries, so such a claim is always rejected. A correct start root / output makes the move revert
///         (`StartRootCorrect` / `OutputCorrect`), so an honest claimer never loses one.
///
///         Money, "funded slots" (SECURITY.md derives it; b = burnBps / 10^4, b_c = challengerBurnBps / 10^4,
///         B = challengeBond,
///         S = claimBond, D = S / slots): every challenge, input request and paid binding move takes
///         one of the claim's `slots` slots, which locks D of the stake. With every slot held a
///         request or binding move reverts `NoFreeSlot`, and a challenge is queued first-come (bond
///         locked, `ChallengeQueued`): a slot freed while the claim is pending (a game the claimer
///         wins, a published input) opens the queue head's game in that transaction (clocks start
///         then; O(1), no cancellation), so a liar that ends its own game and re-challenges
///         atomically lands behind a queued honest challenger (attack6). Invariant: while pending, a
///         non-empty queue means every slot is held, hence no finalization with a queue. After a
///         rejection each queued bond is credited back by `refundQueued` (one entry per call).
///          - the claimer loses a game: the challenger gets B + (1 - b) D, b D is burned; the first
///            loss rejects the claim and BURNS the unlocked rest of the stake (any payee could be a
///            sock puppet of the claimer); other open games go on and pay the same way;
///          - the claimer wins a game: it gets (1 - b_c) B, b_c B is burned, the slot goes to the queue's
///            head or is freed, and the
///            challenge deadline moves to at least now + challengeWindow (so games thrown by sock
///            challengers cannot run the window out); after a rejection the freed D is burned;
///          - a winning binding move pays its caller (1 - b) D and burns b D; it needs a free slot
///            (or an open input request, whose slot it takes) and reverts NoFreeSlot otherwise, before
///            deriving anything (no bond: the move is decided on chain at once);
///          - withheld input: the requester gets B + (1 - b) D, b D is burned, the claim is rejected;
///          - unchallenged claims get the whole stake back at `finalizeClaim`.
///         All payouts are credits withdrawn with `withdraw` (pull, reentrancy-guarded).
///         Accounting invariant: balance == locked stakes and bonds (queued ones included) +
///         outstanding credits + burned.
///
///         Input availability: `claim` posts the input in calldata (keccak stored, bytes in the
///         event); neither `claim` nor `publishInput` accepts more than `binding.maxInputBytes()` bytes. `claimCommitted` posts only its keccak; anyone may `requestInput` (with a challenge
///         bond, taking a slot) and the claimer must `publishInput` within `daWindow`, else
///         `resolveWithheld` rejects the claim. Publishing refunds the requester, frees its slot
///         (or opens the queue head's game on it) and reopens the challenge window for
///         `challengeWindow` seconds.
/// @dev    Storage per game is three slots; every move writes slot 1 and slot 2 only:
///
///           slot 0  | challenger (160) | claimId (96) |                                   set once
///           slot 1  | lo (64) | hi (64) | clockClaimer (32) | clockChallenger (32) | lastMove (40)
///                   | phase (8) | level (8) | status (8) |
///           slot 2  | commit = keccak(pre, post)           when the claimer moves
///                   |          keccak(pre, post, cpRoot)   when the challenger moves
///
///         The roots are not stored: each move passes them in calldata and the contract checks them
///         against `commit` (cheaper than two SSTOREs a round). Twin: protocol/game/model.ts (the
///         in-memory model), compared move by move in protocol/chain/chain.test.ts (differential test).
///         Phases: up to 4, packed in immutables | k (8) | m (64) | arbitrator or link (160) |.
///         Pitfall: N, m and inner steps are uint64; k <= 255.
contract DisputeGame {
    enum ClaimStatus {
        None,
        Pending,
        Rejected,
        Accepted
    }
    enum GameStatus {
        None,
        ClaimerToMove,
        ChallengerToMove,
        ClaimerWon,
        ChallengerWon
    }
    enum Availability {
        Published,
        Committed,
        Requested
    }
    enum Reason {
        LeafProven,
        Timeout
    }
    enum BindingMove {
        Start,
        Output
    }

    struct Config {
        uint96 claimBond;
        uint96 challengeBond;
        uint16 burnBps;
        uint32 clockBudget;
        uint32 challengeWindow;
        uint32 daWindow;
        uint16 slots;
        /// burn share of a losing challenger's bond (b_c); the claimer that wins gets (1 - b_c) B
        uint16 challengerBurnBps;
    }

    struct PhaseConfig {
        uint8 k;
        uint64 m;
        IArbitrator arbitrator; // last phase only
        IPhaseLink link; // all phases but the last
    }

    struct Claim {
        address claimer;
        uint40 deadline;
        uint32 openGames;
        ClaimStatus status;
        Availability availability;
        uint64 steps;
        uint96 stake;
        uint16 slotsUsed;
        /// first-come queue of challengers refused a slot: positions [queueHead, queueTail) of `_queue`
        uint32 queueHead;
        uint32 queueTail;
        address inputRequester;
        uint40 inputDeadline;
        bytes32 programHash;
        bytes32 inputHash;
        bytes32 output;
        bytes32 startRoot;
        bytes32 finalRoot;
    }

    struct Game {
        address challenger;
        uint96 claimId;
        uint64 lo;
        uint64 hi;
        uint32 clockClaimer;
        uint32 clockChallenger;
        uint40 lastMove;
        uint8 phase;
        uint8 level;
        GameStatus status;
        bytes32 commit;
    }

    /// @notice Calldata of `chooseSegment`: the round's roots and commitment, the chosen segment and
    ///         the Merkle openings of its two inner boundaries (`left` = cp_index unless index = 0,
    ///         `right` = cp_(index+1) unless index = c).
    struct Pick {
        bytes32 pre;
        bytes32 post;
        bytes32 cpRoot;
        uint256 index;
        bytes32 left;
        bytes32 right;
        bytes32[] leftProof;
        bytes32[] rightProof;
    }

    event ClaimCreated(
        uint256 indexed claimId,
        address indexed claimer,
        bytes32 programHash,
        bytes32 inputHash,
        bytes32 output,
        bytes32 startRoot,
        bytes32 finalRoot,
        uint64 steps,
        uint40 deadline
    );
    event InputPublished(uint256 indexed claimId, bytes input, uint40 deadline);
    event InputRequested(uint256 indexed claimId, address indexed requester, uint40 deadline);
    event Challenged(
        uint256 indexed gameId, uint256 indexed claimId, address indexed challenger, uint8 level, uint64 steps
    );
    event CheckpointsPosted(uint256 indexed gameId, uint8 phase, uint8 level, uint64 lo, uint64 hi, bytes32[] roots);
    event SegmentChosen(
        uint256 indexed gameId, uint256 index, uint64 lo, uint64 hi, uint8 level, bytes32 preRoot, bytes32 postRoot
    );
    event SubgameOpened(
        uint256 indexed gameId, uint8 phase, uint64 steps, uint8 level, bytes32 innerStart, bytes32 innerEnd
    );
    event GameResolved(uint256 indexed gameId, uint256 indexed claimId, bool claimerWon, Reason reason);
    event ClaimResolved(uint256 indexed claimId, ClaimStatus status);
    /// @notice `challenge` found every slot held: the bond is locked and `challenger` waits at `position`
    event ChallengeQueued(uint256 indexed claimId, address indexed challenger, uint256 position);
    /// @notice the bond of a queued challenger of a rejected claim, credited back (`refundQueued`)
    event QueueRefunded(uint256 indexed claimId, address indexed challenger, uint256 position);
    event ChallengeWindowReopened(uint256 indexed claimId, uint40 deadline);
    event BindingDisputed(uint256 indexed claimId, address indexed by, BindingMove move, bool paid);
    event Credited(address indexed account, uint256 amount);
    event Burned(uint256 amount);
    event Withdrawn(address indexed account, uint256 amount);

    uint256 public constant MAX_PHASES = 4;
    uint256 internal constant BPS = 10_000;
    /// @notice What IClaimBinding.outputOf returns for a final state without an answer; no claim may post it.
    bytes32 public constant NO_OUTPUT = bytes32(type(uint256).max);
    /// @notice What IClaimBinding.startRoot returns for an input the program/model cannot take (wrong
    ///         length, too long); no claim may post it, so `disputeStart` rejects such a claim.
    bytes32 public constant NO_START = bytes32(type(uint256).max);

    uint96 public immutable claimBond;
    uint96 public immutable challengeBond;
    uint16 public immutable burnBps;
    uint32 public immutable clockBudget;
    uint32 public immutable challengeWindow;
    uint32 public immutable daWindow;
    uint16 public immutable slots;
    uint16 public immutable challengerBurnBps;
    /// @notice the stake each slot locks: claimBond / slots
    uint96 public immutable slotCollateral;
    IClaimBinding public immutable binding;
    uint256 public immutable phaseCount;
    uint256 private immutable PHASE0;
    uint256 private immutable PHASE1;
    uint256 private immutable PHASE2;
    uint256 private immutable PHASE3;

    uint256 public claimCount;
    uint256 public gameCount;
    uint256 public burned;
    mapping(uint256 => Claim) internal _claims;
    mapping(uint256 => Game) internal _games;
    mapping(address => uint256) public credit;
    /// @dev claimId => position => queued challenger (zero once its game opened or its bond was refunded)
    mapping(uint256 => mapping(uint256 => address)) internal _queue;
    bool private transient _locked;
    /// @dev the caller of the `disputeStart` under way (zero outside one), read by `bindingMover`
    address private transient _mover;

    modifier nonReentrant() {
        if (_locked) revert Reentrancy();
        _locked = true;
        _;
        _locked = false;
    }

    constructor(Config memory cfg, PhaseConfig[] memory phases, IClaimBinding binding_) {
        uint256 n = phases.length;
        if (n == 0 || n > MAX_PHASES) revert BadPhaseCount(n);
        if (cfg.burnBps > BPS) revert BadBurnShare(cfg.burnBps);
        if (cfg.challengerBurnBps > BPS) revert BadBurnShare(cfg.challengerBurnBps);
        if (cfg.clockBudget == 0) revert BadClock(cfg.clockBudget);
        if (cfg.slots == 0 || cfg.claimBond / cfg.slots == 0) revert BadSlots(cfg.slots, cfg.claimBond);
        if (address(binding_) == address(0)) revert MissingBinding();
        uint256[4] memory packed;
        for (uint256 p; p < n; ++p) {
            PhaseConfig memory ph = phases[p];
            if (ph.k == 0 || ph.m == 0) revert BadPhase(p, ph.k, ph.m);
            address target;
            if (p + 1 == n) {
                if (address(ph.arbitrator) == address(0)) revert MissingArbitrator(p);
                target = address(ph.arbitrator);
            } else {
                if (address(ph.link) == address(0)) revert MissingLink(p);
                target = address(ph.link);
            }
            packed[p] = uint256(ph.k) | (uint256(ph.m) << 8) | (uint256(uint160(target)) << 72);
        }
        (PHASE0, PHASE1, PHASE2, PHASE3) = (packed[0], packed[1], packed[2], packed[3]);
        phaseCount = n;
        claimBond = cfg.claimBond;
        challengeBond = cfg.challengeBond;
        burnBps = cfg.burnBps;
        clockBudget = cfg.clockBudget;
        challengeWindow = cfg.challengeWindow;
        daWindow = cfg.daWindow;
        slots = cfg.slots;
        challengerBurnBps = cfg.challengerBurnBps;
        slotCollateral = cfg.claimBond / cfg.slots;
        binding = binding_;
    }

    // ------------------------------------------------------------------ claims

    /// @notice Claim with the input published in calldata (and in `InputPublished`).
    function claim(
        bytes32 programHash,
        bytes calldata input,
        bytes32 output,
        bytes32 startRoot,
        bytes32 finalRoot,
        uint64 steps
    ) external payable nonReentrant returns (uint256 claimId) {
        _checkInputLength(input.length);
        claimId = _newClaim(programHash, keccak256(input), output, startRoot, finalRoot, steps, Availability.Published);
        emit InputPublished(claimId, input, _claims[claimId].deadline);
    }

    /// @notice Claim with only the input's keccak; the input must be published if anyone asks.
    function claimCommitted(
        bytes32 programHash,
        bytes32 inputHash,
        bytes32 output,
        bytes32 startRoot,
        bytes32 finalRoot,
        uint64 steps
    ) external payable nonReentrant returns (uint256 claimId) {
        claimId = _newClaim(programHash, inputHash, output, startRoot, finalRoot, steps, Availability.Committed);
    }

    function requestInput(uint256 claimId) external payable nonReentrant {
        Claim storage c = _pending(claimId);
        if (c.availability == Availability.Published) revert InputAlreadyPublished(claimId);
        if (c.availability == Availability.Requested) revert InputAlreadyRequested(claimId);
        if (block.timestamp > c.deadline) revert ChallengeWindowClosed(claimId, c.deadline);
        if (msg.value != challengeBond) revert WrongBond(challengeBond, msg.value);
        _takeSlot(c, claimId);
        uint40 dl = uint40(block.timestamp + daWindow);
        c.availability = Availability.Requested;
        c.inputRequester = msg.sender;
        c.inputDeadline = dl;
        emit InputRequested(claimId, msg.sender, dl);
    }

    function publishInput(uint256 claimId, bytes calldata input) external nonReentrant {
        Claim storage c = _pending(claimId);
        if (c.availability == Availability.Published) revert InputAlreadyPublished(claimId);
        bytes32 h = keccak256(input);
        if (h != c.inputHash) revert InputMismatch(claimId, c.inputHash, h);
        _checkInputLength(input.length);
        if (c.availability == Availability.Requested) {
            if (block.timestamp > c.inputDeadline) revert InputWithheld(claimId, c.inputDeadline);
            _credit(c.inputRequester, challengeBond);
            _releaseSlot(c, claimId);
        }
        c.availability = Availability.Published;
        uint40 reopened = uint40(block.timestamp + challengeWindow);
        if (reopened > c.deadline) c.deadline = reopened;
        emit InputPublished(claimId, input, c.deadline);
    }

    function resolveWithheld(uint256 claimId) external nonReentrant {
        Claim storage c = _pending(claimId);
        if (c.availability != Availability.Requested) revert InputNotRequested(claimId);
        if (block.timestamp <= c.inputDeadline) revert DataDeadlineNotPassed(claimId, c.inputDeadline);
        address requester = c.inputRequester;
        c.availability = Availability.Committed; // the request is settled here, not by _reject
        _reject(claimId, c);
        _credit(requester, challengeBond);
        _paySlot(c, requester);
    }

    function finalizeClaim(uint256 claimId) external nonReentrant {
        Claim storage c = _pending(claimId);
        if (block.timestamp <= c.deadline) revert ChallengeWindowOpen(claimId, c.deadline);
        if (c.openGames != 0) revert GamesOpen(claimId, c.openGames);
        if (c.availability == Availability.Requested) revert InputWithheld(claimId, c.inputDeadline);
        // unreachable while the invariant holds (a queue is non-empty only while every slot is held,
        // and no game open and no request means no slot held), checked anyway: a queued bond must
        // never be stranded behind an Accepted claim
        if (c.queueTail != c.queueHead) revert QueueNotEmpty(claimId, c.queueTail - c.queueHead);
        c.status = ClaimStatus.Accepted;
        uint256 stake = c.stake;
        c.stake = 0;
        _credit(c.claimer, stake);
        emit ClaimResolved(claimId, ClaimStatus.Accepted);
    }

    // ------------------------------------------------------------------ binding moves

    /// @notice Rejects a claim whose start root is not the one its program and input derive.
    ///         `input` must be the claim's input (keccak); `aux` is whatever opening the binding needs.
    function disputeStart(uint256 claimId, bytes calldata input, bytes calldata aux) external nonReentrant {
        Claim storage c = _pending(claimId);
        _checkBindingSlot(c, claimId);
        bytes32 h = keccak256(input);
        if (h != c.inputHash) revert InputMismatch(claimId, c.inputHash, h);
        _mover = msg.sender;
        bytes32 r = binding.startRoot(input, aux);
        _mover = address(0);
        if (r == c.startRoot) revert StartRootCorrect(claimId, r);
        _bindingWon(claimId, c, BindingMove.Start);
    }

    /// @notice Rejects a claim whose output is not the one opened from its final root.
    function disputeOutput(uint256 claimId, bytes calldata opening) external nonReentrant {
        Claim storage c = _pending(claimId);
        _checkBindingSlot(c, claimId);
        bytes32 o = binding.outputOf(c.finalRoot, opening);
        if (o == c.output) revert OutputCorrect(claimId, o);
        _bindingWon(claimId, c, BindingMove.Output);
    }

    // ------------------------------------------------------------------ games

    /// @notice Opens a game against the claim, or, with every slot held, locks the bond and appends
    ///         the caller to the claim's first-come queue (returns 0, `ChallengeQueued`): the next slot
    ///         freed while the claim is pending opens the queue head's game in that transaction.
    function challenge(uint256 claimId) external payable nonReentrant returns (uint256 gameId) {
        Claim storage c = _pending(claimId);
        if (block.timestamp > c.deadline) revert ChallengeWindowClosed(claimId, c.deadline);
        if (msg.value != challengeBond) revert WrongBond(challengeBond, msg.value);
        if (c.slotsUsed >= slots) {
            uint32 pos = c.queueTail;
            _queue[claimId][pos] = msg.sender;
            c.queueTail = pos + 1;
            emit ChallengeQueued(claimId, msg.sender, pos);
            return 0;
        }
        c.slotsUsed += 1;
        gameId = _openGame(c, claimId, msg.sender);
    }

    /// @notice Credits back the bond of the challenger queued at `position` of a claim that was
    ///         rejected before its game opened (anyone may call; pull payment, one entry per call).
    function refundQueued(uint256 claimId, uint256 position) external nonReentrant {
        Claim storage c = _claims[claimId];
        if (c.status != ClaimStatus.Rejected) revert ClaimNotRejected(claimId, uint8(c.status));
        address who = _queue[claimId][position];
        if (who == address(0)) revert NotQueued(claimId, position);
        delete _queue[claimId][position];
        _credit(who, challengeBond);
        emit QueueRefunded(claimId, who, position);
    }

    /// @notice The challenger queued at `position` (zero: none, its game opened or it was refunded).
    function queued(uint256 claimId, uint256 position) external view returns (address) {
        return _queue[claimId][position];
    }

    /// @notice Claimer's half of a round: the c(level) checkpoint roots strictly inside [lo, hi].
    function postCheckpoints(uint256 gameId, bytes32 pre, bytes32 post, bytes32[] calldata roots)
        external
        nonReentrant
    {
        Game storage g = _games[gameId];
        Game memory s = _tick(gameId, g, true);
        if (s.level == 0) revert AtLeaf(gameId);
        if (g.commit != _commit(pre, post)) revert RootsMismatch(gameId, g.commit);
        (uint256 k, uint256 m,) = _phase(s.phase);
        uint256 c = LibSpacing.checkpointCount(s.hi - s.lo, LibSpacing.width(s.level, k, m), k);
        if (roots.length != c) revert WrongCheckpointCount(gameId, c, roots.length);
        s.status = GameStatus.ChallengerToMove;
        _store(g, s);
        g.commit = _commit3(pre, post, LibCheckpoints.root(roots));
        emit CheckpointsPosted(gameId, s.phase, s.level, s.lo, s.hi, roots);
    }

    /// @notice Challenger's half of a round: the first segment whose post-root it disputes.
    function chooseSegment(uint256 gameId, Pick calldata p) external nonReentrant {
        Game storage g = _games[gameId];
        Game memory s = _tick(gameId, g, false);
        if (g.commit != _commit3(p.pre, p.post, p.cpRoot)) revert RootsMismatch(gameId, g.commit);
        (uint256 k, uint256 m,) = _phase(s.phase);
        uint256 w = LibSpacing.width(s.level, k, m);
        uint256 c = LibSpacing.checkpointCount(s.hi - s.lo, w, k);
        if (p.index > c) revert SegmentOutOfRange(gameId, p.index, c);
        bytes32 newPre = p.pre;
        bytes32 newPost = p.post;
        if (p.index > 0) {
            if (!LibCheckpoints.verify(p.cpRoot, c, p.index - 1, p.left, p.leftProof)) {
                revert BadCheckpointProof(gameId, p.index - 1);
            }
            newPre = p.left;
        }
        if (p.index < c) {
            if (!LibCheckpoints.verify(p.cpRoot, c, p.index, p.right, p.rightProof)) {
                revert BadCheckpointProof(gameId, p.index);
            }
            newPost = p.right;
        }
        uint256 lo = s.lo + p.index * w;
        uint256 hi = lo + w;
        s.lo = uint64(lo);
        if (hi < s.hi) s.hi = uint64(hi);
        s.level -= 1;
        s.status = GameStatus.ClaimerToMove;
        _store(g, s);
        g.commit = _commit(newPre, newPost);
        emit SegmentChosen(gameId, p.index, s.lo, s.hi, s.level, newPre, newPost);
    }

    /// @notice Claimer settles a leaf of the last phase through the phase's arbitrator.
    function proveLeaf(uint256 gameId, bytes32 pre, bytes32 post, bytes calldata proof) external nonReentrant {
        Game storage g = _games[gameId];
        Game memory s = _tick(gameId, g, true);
        if (s.level != 0) revert NotAtLeaf(gameId, s.level);
        if (s.phase + 1 != phaseCount) revert NotLastPhase(gameId, s.phase);
        if (g.commit != _commit(pre, post)) revert RootsMismatch(gameId, g.commit);
        (,, address arb) = _phase(s.phase);
        uint256 span = s.hi - s.lo;
        if (!IArbitrator(arb).arbitrate(pre, post, span, proof)) revert ArbitrationRejected(gameId, pre, post, span);
        _store(g, s);
        _resolve(gameId, g, true, Reason.LeafProven);
    }

    /// @notice Claimer opens the next phase's sub-game for the disputed leaf of this phase.
    function openSubgame(
        uint256 gameId,
        bytes32 pre,
        bytes32 post,
        bytes32 innerStart,
        bytes32 innerEnd,
        uint64 innerSteps,
        bytes calldata linkProof
    ) external nonReentrant {
        Game storage g = _games[gameId];
        Game memory s = _tick(gameId, g, true);
        if (s.level != 0) revert NotAtLeaf(gameId, s.level);
        if (s.phase + 1 >= phaseCount) revert LastPhase(gameId, s.phase);
        if (g.commit != _commit(pre, post)) revert RootsMismatch(gameId, g.commit);
        if (innerSteps == 0) revert BadSteps(innerSteps);
        (,, address link) = _phase(s.phase);
        if (!IPhaseLink(link).verifyLink(pre, post, innerStart, innerEnd, innerSteps, linkProof)) {
            revert LinkRejected(gameId, innerStart, innerEnd, innerSteps);
        }
        s.phase += 1;
        (uint256 k, uint256 m,) = _phase(s.phase);
        s.lo = 0;
        s.hi = innerSteps;
        s.level = uint8(LibSpacing.rounds(innerSteps, k, m));
        _store(g, s);
        g.commit = _commit(innerStart, innerEnd);
        emit SubgameOpened(gameId, s.phase, innerSteps, s.level, innerStart, innerEnd);
    }

    /// @notice Ends a game whose party to move has used up its clock; anyone may call.
    function timeout(uint256 gameId) external nonReentrant {
        Game storage g = _games[gameId];
        Game memory s = g;
        if (s.status != GameStatus.ClaimerToMove && s.status != GameStatus.ChallengerToMove) {
            revert NotYourTurn(gameId, msg.sender, uint8(s.status));
        }
        bool claimerMoves = s.status == GameStatus.ClaimerToMove;
        uint256 elapsed = block.timestamp - s.lastMove;
        uint256 remaining = claimerMoves ? s.clockClaimer : s.clockChallenger;
        if (elapsed <= remaining) revert ClockNotExpired(gameId, elapsed, remaining);
        if (claimerMoves) s.clockClaimer = 0;
        else s.clockChallenger = 0;
        s.lastMove = uint40(block.timestamp);
        _store(g, s);
        _resolve(gameId, g, !claimerMoves, Reason.Timeout);
    }

    // ------------------------------------------------------------------ payments

    function withdraw() external nonReentrant {
        uint256 amount = credit[msg.sender];
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        credit[msg.sender] = 0;
        emit Withdrawn(msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert TransferFailed(msg.sender, amount);
    }

    // ------------------------------------------------------------------ views

    function games(uint256 gameId) external view returns (Game memory) {
        return _games[gameId];
    }

    function claims(uint256 claimId) external view returns (Claim memory) {
        return _claims[claimId];
    }

    /// @notice The caller of the `disputeStart` under way (zero outside one): a binding that keeps
    ///         per-mover state (GraphClaimBinding's partial start roots) reads the mover here, since
    ///         it sees the game as msg.sender and the mover may be a contract (smart wallet, relayed).
    function bindingMover() external view returns (address) {
        return _mover;
    }

    function phaseConfig(uint256 p) external view returns (uint256 k, uint256 m, address arbitratorOrLink) {
        return _phase(p);
    }

    /// @notice Segment width and checkpoint count of the game's current round (0, 0 at a leaf).
    function roundLayout(uint256 gameId) external view returns (uint256 width, uint256 count) {
        Game memory s = _games[gameId];
        if (s.level == 0) return (0, 0);
        (uint256 k, uint256 m,) = _phase(s.phase);
        width = LibSpacing.width(s.level, k, m);
        count = LibSpacing.checkpointCount(s.hi - s.lo, width, k);
    }

    function rounds(uint256 phase, uint256 steps) external view returns (uint256) {
        (uint256 k, uint256 m,) = _phase(phase);
        return LibSpacing.rounds(steps, k, m);
    }

    // ------------------------------------------------------------------ internals

    function _newClaim(
        bytes32 programHash,
        bytes32 inputHash,
        bytes32 output,
        bytes32 startRoot,
        bytes32 finalRoot,
        uint64 steps,
        Availability availability
    ) internal returns (uint256 claimId) {
        if (msg.value != claimBond) revert WrongBond(claimBond, msg.value);
        if (steps == 0) revert BadSteps(steps);
        bytes32 ph = binding.programHash();
        if (programHash != ph) revert WrongProgram(ph, programHash);
        if (output == NO_OUTPUT) revert BadOutput(output);
        if (startRoot == NO_START) revert BadStartRoot(startRoot);
        claimId = ++claimCount;
        uint40 dl = uint40(block.timestamp + challengeWindow);
        Claim storage c = _claims[claimId];
        c.claimer = msg.sender;
        c.deadline = dl;
        c.status = ClaimStatus.Pending;
        c.availability = availability;
        c.steps = steps;
        c.stake = uint96(msg.value);
        c.programHash = programHash;
        c.inputHash = inputHash;
        c.output = output;
        c.startRoot = startRoot;
        c.finalRoot = finalRoot;
        emit ClaimCreated(claimId, msg.sender, programHash, inputHash, output, startRoot, finalRoot, steps, dl);
    }

    /// @dev An input longer than the binding takes can neither be posted nor published (a committed
    ///      claim over one is then rejected as withheld once requested).
    function _checkInputLength(uint256 len) internal view {
        uint256 max = binding.maxInputBytes();
        if (len > max) revert InputTooLong(len, max);
    }

    function _pending(uint256 claimId) internal view returns (Claim storage c) {
        c = _claims[claimId];
        if (c.status != ClaimStatus.Pending) revert ClaimNotPending(claimId, uint8(c.status));
    }

    /// @dev Checks turn, caller and clock; charges the mover's clock; returns the updated slot-1 copy.
    function _tick(uint256 gameId, Game storage g, bool claimerMoves) internal view returns (Game memory s) {
        s = g;
        if (s.status == GameStatus.None) revert NoSuchGame(gameId);
        address mover = claimerMoves ? _claims[s.claimId].claimer : s.challenger;
        if (s.status != (claimerMoves ? GameStatus.ClaimerToMove : GameStatus.ChallengerToMove) || msg.sender != mover)
        {
            revert NotYourTurn(gameId, msg.sender, uint8(s.status));
        }
        uint256 elapsed = block.timestamp - s.lastMove;
        uint256 remaining = claimerMoves ? s.clockClaimer : s.clockChallenger;
        if (elapsed > remaining) revert ClockExpired(gameId, elapsed, remaining);
        if (claimerMoves) s.clockClaimer = uint32(remaining - elapsed);
        else s.clockChallenger = uint32(remaining - elapsed);
        s.lastMove = uint40(block.timestamp);
    }

    /// @dev Writes slot 1 (lo, hi, clocks, lastMove, phase, level, status) with one SSTORE; the
    ///      offsets follow the struct layout drawn in the contract NatSpec (0, 64, 128, 160, 192,
    ///      232, 240, 248). test_storeLayout_matchesStructFields checks it against the getter.
    function _store(Game storage g, Game memory s) internal {
        uint256 packed = uint256(s.lo) | (uint256(s.hi) << 64) | (uint256(s.clockClaimer) << 128)
            | (uint256(s.clockChallenger) << 160) | (uint256(s.lastMove) << 192) | (uint256(s.phase) << 232)
            | (uint256(s.level) << 240) | (uint256(uint8(s.status)) << 248);
        assembly ("memory-safe") {
            sstore(add(g.slot, 1), packed)
        }
    }

    function _resolve(uint256 gameId, Game storage g, bool claimerWon, Reason reason) internal {
        uint256 claimId = g.claimId;
        Claim storage c = _claims[claimId];
        c.openGames -= 1;
        if (claimerWon) {
            g.status = GameStatus.ClaimerWon;
            uint256 burn = (uint256(challengeBond) * challengerBurnBps) / BPS;
            _burn(burn);
            _credit(c.claimer, challengeBond - burn);
            if (c.status == ClaimStatus.Pending) {
                uint40 dl = uint40(block.timestamp + challengeWindow);
                if (dl > c.deadline) {
                    c.deadline = dl;
                    emit ChallengeWindowReopened(claimId, dl);
                }
                emit GameResolved(gameId, claimId, claimerWon, reason);
                _releaseSlot(c, claimId);
                return;
            }
            // rejected meanwhile: the freed collateral is unlocked stake of a rejected claim
            c.slotsUsed -= 1;
            c.stake -= slotCollateral;
            _burn(slotCollateral);
        } else {
            g.status = GameStatus.ChallengerWon;
            if (c.status == ClaimStatus.Pending) _reject(claimId, c);
            _credit(g.challenger, challengeBond);
            _paySlot(c, g.challenger);
        }
        emit GameResolved(gameId, claimId, claimerWon, reason);
    }

    /// @dev A slot freed while the claim is pending goes to the queue's head, whose game opens now
    ///      (O(1): one pop, one game written); only with an empty queue does it become free.
    ///      Invariant: while pending, a non-empty queue means every slot is held.
    function _releaseSlot(Claim storage c, uint256 claimId) internal {
        uint32 head = c.queueHead;
        if (head == c.queueTail) {
            c.slotsUsed -= 1;
            return;
        }
        address next = _queue[claimId][head];
        delete _queue[claimId][head];
        c.queueHead = head + 1;
        _openGame(c, claimId, next);
    }

    /// @dev Writes a fresh game (clocks start now) on a slot already counted in `slotsUsed`.
    function _openGame(Claim storage c, uint256 claimId, address challenger) internal returns (uint256 gameId) {
        (uint256 k, uint256 m,) = _phase(0);
        uint64 steps = c.steps;
        uint8 level = uint8(LibSpacing.rounds(steps, k, m));
        gameId = ++gameCount;
        c.openGames += 1;
        _games[gameId] = Game({
            challenger: challenger,
            claimId: uint96(claimId),
            lo: 0,
            hi: steps,
            clockClaimer: clockBudget,
            clockChallenger: clockBudget,
            lastMove: uint40(block.timestamp),
            phase: 0,
            level: level,
            status: GameStatus.ClaimerToMove,
            commit: _commit(c.startRoot, c.finalRoot)
        });
        emit Challenged(gameId, claimId, challenger, level, steps);
    }

    function _takeSlot(Claim storage c, uint256 claimId) internal {
        if (c.slotsUsed >= slots) revert NoFreeSlot(claimId);
        c.slotsUsed += 1;
    }

    /// @dev Rejects a pending claim and burns the stake no slot locks. An input request still open
    ///      is moot now: the requester gets its bond back and its slot is released (and burned).
    function _reject(uint256 claimId, Claim storage c) internal {
        c.status = ClaimStatus.Rejected;
        _settleRequest(c);
        uint96 locked = uint96(uint256(c.slotsUsed) * slotCollateral);
        _burn(c.stake - locked);
        c.stake = locked;
        emit ClaimResolved(claimId, ClaimStatus.Rejected);
    }

    /// @dev Pays one won slot: (1 - b) D to `to`, b D burned, the slot released.
    function _paySlot(Claim storage c, address to) internal {
        uint256 d = slotCollateral;
        uint256 burn = (d * burnBps) / BPS;
        c.slotsUsed -= 1;
        c.stake -= uint96(d);
        _burn(burn);
        _credit(to, d - burn);
    }

    /// @dev A still-open input request is moot once the claim is decided: refund it, release its slot.
    function _settleRequest(Claim storage c) internal {
        if (c.availability != Availability.Requested) return;
        c.availability = Availability.Committed;
        c.slotsUsed -= 1;
        _credit(c.inputRequester, challengeBond);
    }

    /// @dev A binding move is paid from a slot: one free, or the open request's (released first by
    ///      `_bindingWon`). With every slot held by games it reverts NoFreeSlot BEFORE deriving anything,
    ///      so a move that a sock's last-slot challenge front-ran costs its sender a cheap revert, never a
    ///      full unpaid derivation (attack6). Safety is kept: a claim can be finalized only with no game
    ///      open and no request, i.e. with every slot free, and a game's end reopens the window.
    function _checkBindingSlot(Claim storage c, uint256 claimId) internal view {
        if (c.slotsUsed >= slots && c.availability != Availability.Requested) revert NoFreeSlot(claimId);
    }

    /// @dev The request's slot is released before `paid` is decided, so the move can take it.
    function _bindingWon(uint256 claimId, Claim storage c, BindingMove move) internal {
        _settleRequest(c);
        bool paid = c.slotsUsed < slots;
        if (paid) c.slotsUsed += 1;
        _reject(claimId, c);
        if (paid) _paySlot(c, msg.sender);
        emit BindingDisputed(claimId, msg.sender, move, paid);
    }

    function _credit(address to, uint256 amount) internal {
        if (amount == 0) return;
        credit[to] += amount;
        emit Credited(to, amount);
    }

    function _burn(uint256 amount) internal {
        if (amount == 0) return;
        burned += amount;
        emit Burned(amount);
    }

    function _phase(uint256 p) internal view returns (uint256 k, uint256 m, address target) {
        uint256 w = p == 0 ? PHASE0 : p == 1 ? PHASE1 : p == 2 ? PHASE2 : PHASE3;
        k = w & 0xff;
        m = (w >> 8) & type(uint64).max;
        target = address(uint160(w >> 72));
    }

    function _commit(bytes32 a, bytes32 b) internal pure returns (bytes32 h) {
        assembly ("memory-safe") {
            mstore(0x00, a)
            mstore(0x20, b)
            h := keccak256(0x00, 0x40)
        }
    }

    function _commit3(bytes32 a, bytes32 b, bytes32 c) internal pure returns (bytes32 h) {
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, a)
            mstore(add(p, 0x20), b)
            mstore(add(p, 0x40), c)
            h := keccak256(p, 0x60)
        }
    }
}
