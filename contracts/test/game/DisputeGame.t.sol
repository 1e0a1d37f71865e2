// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GameBase, AlphabetView, MerkleTestLib} from "./GameBase.sol";
import {DisputeGame} from "../../src/game/DisputeGame.sol";
import {LibSpacing} from "../../src/game/LibSpacing.sol";
import {LibCheckpoints} from "../../src/game/LibCheckpoints.sol";
import {IArbitrator} from "../../src/interfaces/IArbitrator.sol";
import {AlphabetClaimBinding} from "../../src/alphabet/AlphabetClaimBinding.sol";
import "../../src/game/Errors.sol";
import {MalformedProof} from "../../src/link/Errors.sol";

contract CheckpointsHarness {
    function root(bytes32[] calldata leaves) external pure returns (bytes32) {
        return LibCheckpoints.root(leaves);
    }

    function verify(bytes32 r, uint256 count, uint256 index, bytes32 leaf, bytes32[] calldata proof)
        external
        pure
        returns (bool)
    {
        return LibCheckpoints.verify(r, count, index, leaf, proof);
    }
}

contract Reenterer {
    DisputeGame internal immutable game;
    uint256 public reentered;

    constructor(DisputeGame g) {
        game = g;
    }

    function challenge(uint256 claimId) external payable returns (uint256) {
        return game.challenge{value: msg.value}(claimId);
    }

    function withdraw() external {
        game.withdraw();
    }

    receive() external payable {
        // A second withdraw inside the first must fail; swallowing the failure keeps the outer one going.
        try game.withdraw() {
            reentered++;
        } catch {}
    }
}

contract DisputeGameTest is GameBase {
    address internal claimer = makeAddr("claimer");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    uint256 internal constant HONEST = AlphabetView.HONEST;

    function _ctx(
        DisputeGame game,
        uint256 gameId,
        address ch,
        uint256 claimerLie,
        uint256 challengerLie,
        uint256 inner
    ) internal view returns (Ctx memory c) {
        c = Ctx(game, gameId, claimer, ch, claimerLie, challengerLie, inner, 0, false);
    }

    // ------------------------------------------------------------------ full games

    function test_honestClaimer_beatsLyingChallenger() public {
        DisputeGame game = _single(7, 16);
        uint256 id = _claim(game, claimer, 1 << 20, 0, HONEST);
        uint256 gid = _challenge(game, alice, id);
        Ctx memory c = _ctx(game, gid, alice, HONEST, 12_345, 0);
        uint256[2] memory r = _playOut(c);
        assertEq(uint8(game.games(gid).status), uint8(DisputeGame.GameStatus.ClaimerWon));
        assertEq(r[0], LibSpacing.rounds(1 << 20, 7, 16));
        assertEq(game.credit(claimer), CHALLENGE_BOND - CHALLENGE_BOND * CHALLENGER_BURN_BPS / 10_000);
    }

    function test_honestChallenger_beatsLyingClaimer_andTakesStake() public {
        DisputeGame game = _single(3, 1);
        uint256 id = _claim(game, claimer, 1000, 0, 777);
        uint256 gid = _challenge(game, alice, id);
        _playOut(_ctx(game, gid, alice, 777, HONEST, 0));
        assertEq(uint8(game.games(gid).status), uint8(DisputeGame.GameStatus.ChallengerWon));
        assertEq(uint8(game.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
        // funded slots: the winner gets its bond + (1 - b) D; the unlocked 3 D and b D are burned
        assertEq(game.credit(alice), CHALLENGE_BOND + SLOT - SLOT * BURN_BPS / 10_000);
        assertEq(game.burned(), CLAIM_BOND - SLOT + SLOT * BURN_BPS / 10_000);
    }

    function test_twoChallengers_dishonestOneDoesNotBlockHonestOne() public {
        DisputeGame game = _single(1, 1);
        uint256 id = _claim(game, claimer, 300, 0, 100);
        uint256 g1 = _challenge(game, bob, id); // bob disputes everything (colluding or confused)
        uint256 g2 = _challenge(game, alice, id);
        Ctx[] memory cs = new Ctx[](2);
        cs[0] = _ctx(game, g1, bob, 100, 1, 0);
        cs[0].contrarian = true;
        cs[1] = _ctx(game, g2, alice, 100, HONEST, 0);
        _playAll(cs);
        assertEq(uint8(game.games(g1).status), uint8(DisputeGame.GameStatus.ClaimerWon));
        assertEq(uint8(game.games(g2).status), uint8(DisputeGame.GameStatus.ChallengerWon));
        assertEq(uint8(game.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
        assertGt(game.credit(alice), CHALLENGE_BOND);
    }

    function test_twoPhase_honestSideWins_andRoundsPerPhaseAreExact() public {
        DisputeGame game = _twoPhase(3, 1, 7, 4, 777);
        uint256 inner = 777;
        // lying claimer vs honest challenger
        uint256 id = _claim(game, claimer, 1000, inner, 500_000);
        uint256 gid = _challenge(game, alice, id);
        uint256[2] memory r = _playOut(_ctx(game, gid, alice, 500_000, HONEST, inner));
        assertEq(uint8(game.games(gid).status), uint8(DisputeGame.GameStatus.ChallengerWon));
        assertEq(r[0], LibSpacing.rounds(1000, 3, 1));
        assertEq(r[1], LibSpacing.rounds(inner, 7, 4));
        // honest claimer vs lying challenger
        id = _claim(game, claimer, 1000, inner, HONEST);
        gid = _challenge(game, bob, id);
        _playOut(_ctx(game, gid, bob, HONEST, 123_456, inner));
        assertEq(uint8(game.games(gid).status), uint8(DisputeGame.GameStatus.ClaimerWon));
    }

    struct Open {
        bytes32 pre;
        bytes32 post;
        bytes32 start;
        bytes32 end;
        uint64 steps;
        bytes proof;
    }

    function _tryOpen(DisputeGame game, uint256 gid, address who, Open memory o) internal returns (bool ok) {
        vm.prank(who);
        try game.openSubgame(gid, o.pre, o.post, o.start, o.end, o.steps, o.proof) {
            return true;
        } catch {
            return false;
        }
    }

    function test_openSubgame_withUnrelatedInnerRoots_reverts() public {
        DisputeGame game = _twoPhase(3, 1, 7, 4, 50);
        uint256 inner = 50;
        uint256 id = _claim(game, claimer, 16, inner, 100); // lies from inner step 100 = outer step 2
        uint256 gid = _challenge(game, alice, id);
        Ctx memory c = _ctx(game, gid, alice, 100, HONEST, inner);
        while (game.games(gid).level > 0) {
            _post(c);
            _choose(c);
        }
        DisputeGame.Game memory g = game.games(gid);
        uint256 a = g.lo * inner;
        uint256 b = g.hi * inner;
        Open memory o = Open(
            AlphabetView.root(0, g.lo, inner, 100),
            AlphabetView.root(0, g.hi, inner, 100),
            AlphabetView.root(1, a, inner, 100),
            AlphabetView.root(1, b, inner, 100),
            uint64(b - a),
            abi.encode(a, new bytes32[](0), b, new bytes32[](0))
        );
        // Unrelated end root: the honest one, which the lying outer root does not commit to.
        bytes32 committed = o.end;
        o.end = AlphabetView.state(b);
        assertFalse(_tryOpen(game, gid, claimer, o));
        o.end = committed;
        // Wrong step count.
        o.steps += 1;
        assertFalse(_tryOpen(game, gid, claimer, o));
        o.steps -= 1;
        // A third party may not open it even with the right data.
        assertFalse(_tryOpen(game, gid, bob, o));
        // The claimer with its committed roots may; then it loses the inner game.
        assertTrue(_tryOpen(game, gid, claimer, o));
        c.off = a;
        _playOut(c);
        assertEq(uint8(game.games(gid).status), uint8(DisputeGame.GameStatus.ChallengerWon));
    }

    /// A malformed link proof is a typed revert that leaves the game unchanged (the claimer may retry).
    function test_openSubgame_malformedLinkProof_revertsTyped_stateUnchanged() public {
        DisputeGame game = _twoPhase(3, 1, 7, 4, 50);
        uint256 id = _claim(game, claimer, 16, 50, HONEST);
        uint256 gid = _challenge(game, alice, id);
        Ctx memory c = _ctx(game, gid, alice, HONEST, 100, 50);
        while (game.games(gid).level > 0) {
            _post(c);
            _choose(c);
        }
        DisputeGame.Game memory g = game.games(gid);
        (uint256 a, uint256 b) = (uint256(g.lo) * 50, uint256(g.hi) * 50);
        bytes32 pre = AlphabetView.root(0, g.lo, 50, HONEST);
        bytes32 post = AlphabetView.root(0, g.hi, 50, HONEST);
        bytes32 s0 = AlphabetView.root(1, a, 50, HONEST);
        bytes32 s1 = AlphabetView.root(1, b, 50, HONEST);
        bytes memory good = abi.encode(a, new bytes32[](0), b, new bytes32[](0));
        bytes memory cut = abi.encodePacked(a, uint256(128));
        vm.prank(claimer);
        vm.expectRevert(abi.encodeWithSelector(MalformedProof.selector, cut.length, good.length));
        game.openSubgame(gid, pre, post, s0, s1, uint64(b - a), cut);
        bytes memory badOffset = bytes.concat(good);
        badOffset[63] = bytes1(uint8(0x81));
        vm.prank(claimer);
        vm.expectRevert(abi.encodeWithSelector(MalformedProof.selector, 32, good.length));
        game.openSubgame(gid, pre, post, s0, s1, uint64(b - a), badOffset);
        assertEq(keccak256(abi.encode(game.games(gid))), keccak256(abi.encode(g)), "state unchanged");
        vm.prank(claimer);
        game.openSubgame(gid, pre, post, s0, s1, uint64(b - a), good);
        assertEq(game.games(gid).phase, 1);
    }

    // ------------------------------------------------------------------ turns and clocks

    function test_postCheckpoints_byChallenger_reverts() public {
        DisputeGame game = _single(3, 1);
        uint256 gid = _challenge(game, alice, _claim(game, claimer, 100, 0, HONEST));
        Ctx memory c = _ctx(game, gid, alice, HONEST, 5, 0);
        bytes32[] memory roots = _checkpoints(c);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(NotYourTurn.selector, gid, alice, uint8(1)));
        game.postCheckpoints(gid, AlphabetView.state(0), AlphabetView.state(100), roots);
    }

    function test_chooseSegment_outOfTurn_reverts() public {
        DisputeGame game = _single(3, 1);
        uint256 gid = _challenge(game, alice, _claim(game, claimer, 100, 0, HONEST));
        Ctx memory c = _ctx(game, gid, alice, HONEST, 5, 0);
        DisputeGame.Pick memory p = _pick(c, 0);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(NotYourTurn.selector, gid, alice, uint8(1)));
        game.chooseSegment(gid, p);
    }

    function test_move_atClockEdge_succeeds_andOneSecondLater_reverts() public {
        DisputeGame game = _single(3, 1);
        uint256 gid = _challenge(game, alice, _claim(game, claimer, 100, 0, HONEST));
        Ctx memory c = _ctx(game, gid, alice, HONEST, 5, 0);
        uint256 t0 = block.timestamp;
        bytes32[] memory roots = _checkpoints(c);
        vm.warp(t0 + CLOCK + 1);
        vm.prank(claimer);
        vm.expectRevert(abi.encodeWithSelector(ClockExpired.selector, gid, CLOCK + 1, CLOCK));
        game.postCheckpoints(gid, AlphabetView.state(0), AlphabetView.state(100), roots);
        vm.warp(t0 + CLOCK);
        vm.prank(claimer);
        game.postCheckpoints(gid, AlphabetView.state(0), AlphabetView.state(100), roots);
        assertEq(game.games(gid).clockClaimer, 0);
        // Timeout against the challenger needs its own clock to run out, not the claimer's.
        vm.expectRevert(abi.encodeWithSelector(ClockNotExpired.selector, gid, 0, CLOCK));
        game.timeout(gid);
    }

    function test_timeout_lazyClaimer_losesStake() public {
        DisputeGame game = _single(3, 1);
        uint256 id = _claim(game, claimer, 100, 0, HONEST);
        uint256 gid = _challenge(game, alice, id);
        vm.warp(block.timestamp + CLOCK);
        vm.expectRevert(abi.encodeWithSelector(ClockNotExpired.selector, gid, CLOCK, CLOCK));
        game.timeout(gid);
        vm.warp(block.timestamp + 1);
        game.timeout(gid);
        assertEq(uint8(game.games(gid).status), uint8(DisputeGame.GameStatus.ChallengerWon));
        assertEq(uint8(game.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
        vm.expectRevert(abi.encodeWithSelector(NotYourTurn.selector, gid, address(this), uint8(4)));
        game.timeout(gid);
    }

    // ------------------------------------------------------------------ calldata checks

    function test_postCheckpoints_wrongCount_reverts() public {
        DisputeGame game = _single(3, 1);
        uint256 gid = _challenge(game, alice, _claim(game, claimer, 100, 0, HONEST));
        bytes32[] memory roots = new bytes32[](2); // N = 100, k = 3: R = 4, s = 64, so c = 1
        vm.prank(claimer);
        vm.expectRevert(abi.encodeWithSelector(WrongCheckpointCount.selector, gid, 1, 2));
        game.postCheckpoints(gid, AlphabetView.state(0), AlphabetView.state(100), roots);
    }

    function test_postCheckpoints_rootsNotTheGames_reverts() public {
        DisputeGame game = _single(3, 1);
        uint256 gid = _challenge(game, alice, _claim(game, claimer, 100, 0, HONEST));
        Ctx memory c = _ctx(game, gid, alice, HONEST, 5, 0);
        bytes32[] memory roots = _checkpoints(c);
        bytes32 commit = game.games(gid).commit;
        vm.prank(claimer);
        vm.expectRevert(abi.encodeWithSelector(RootsMismatch.selector, gid, commit));
        game.postCheckpoints(gid, AlphabetView.state(0), AlphabetView.state(99), roots);
    }

    function test_chooseSegment_badOpening_reverts() public {
        DisputeGame game = _single(7, 1);
        uint256 gid = _challenge(game, alice, _claim(game, claimer, 4096, 0, HONEST)); // R = 4, c = 7
        Ctx memory c = _ctx(game, gid, alice, HONEST, 5, 0);
        _post(c);
        DisputeGame.Pick memory p = _pick(c, 3);
        p.left = bytes32(uint256(1)); // not cp_3
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(BadCheckpointProof.selector, gid, 2));
        game.chooseSegment(gid, p);
        p = _pick(c, 8);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(SegmentOutOfRange.selector, gid, 8, 7));
        game.chooseSegment(gid, p);
    }

    function test_proveLeaf_beforeLeaf_reverts_andFalseTransition_reverts() public {
        DisputeGame game = _single(1, 1);
        uint256 gid = _challenge(game, alice, _claim(game, claimer, 2, 0, 2));
        vm.prank(claimer);
        vm.expectRevert(abi.encodeWithSelector(NotAtLeaf.selector, gid, 1));
        game.proveLeaf(gid, AlphabetView.state(0), AlphabetView.lie(AlphabetView.state(2)), abi.encode(0));
        Ctx memory c = _ctx(game, gid, alice, 2, HONEST, 0);
        _post(c);
        _choose(c); // segment [1, 2]: claimer's post is a lie
        bytes32 pre = AlphabetView.state(1);
        bytes32 post = AlphabetView.lie(AlphabetView.state(2));
        vm.prank(claimer);
        vm.expectRevert(abi.encodeWithSelector(ArbitrationRejected.selector, gid, pre, post, 1));
        game.proveLeaf(gid, pre, post, abi.encode(1));
    }

    function test_storeLayout_matchesStructFields() public {
        DisputeGame game = _twoPhase(3, 1, 7, 4, 777);
        uint256 gid = _challenge(game, alice, _claim(game, claimer, 1000, 777, 300_000));
        Ctx memory c = _ctx(game, gid, alice, 300_000, HONEST, 777);
        vm.warp(block.timestamp + 17);
        _post(c);
        vm.warp(block.timestamp + 5);
        _choose(c);
        DisputeGame.Game memory g = game.games(gid);
        assertEq(g.challenger, alice);
        assertEq(g.claimId, 1);
        assertEq(g.clockClaimer, CLOCK - 17);
        assertEq(g.clockChallenger, CLOCK - 5);
        assertEq(g.lastMove, block.timestamp);
        assertEq(g.level, 4);
        assertEq(g.phase, 0);
        assertEq(g.lo, 256);
        assertEq(g.hi, 512);
        assertEq(uint8(g.status), 1);
    }

    // ------------------------------------------------------------------ bonds, DA, payments

    function test_claim_wrongBond_reverts() public {
        DisputeGame game = _single(1, 1);
        vm.deal(claimer, 2 ether);
        vm.prank(claimer);
        vm.expectRevert(abi.encodeWithSelector(WrongBond.selector, CLAIM_BOND, 0.5 ether));
        game.claim{value: 0.5 ether}(0, "", 0, 0, 0, 1);
    }

    function test_challenge_afterWindow_reverts() public {
        DisputeGame game = _single(1, 1);
        uint256 id = _claim(game, claimer, 10, 0, HONEST);
        vm.warp(block.timestamp + WINDOW + 1);
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ChallengeWindowClosed.selector, id, game.claims(id).deadline));
        game.challenge{value: CHALLENGE_BOND}(id);
    }

    function test_selfChallenge_costsTheBurn() public {
        DisputeGame game = _single(1, 1);
        uint256 id = _claim(game, claimer, 10, 0, 5);
        uint256 gid = _challenge(game, claimer, id);
        vm.warp(block.timestamp + CLOCK + 1);
        game.timeout(gid);
        uint256 paid = CLAIM_BOND + CHALLENGE_BOND;
        assertEq(game.credit(claimer), CHALLENGE_BOND + SLOT - SLOT * BURN_BPS / 10_000);
        assertLe(game.credit(claimer), paid / 2);
    }

    function test_finalize_unchallenged_returnsStake_andNothingIsStuck() public {
        DisputeGame game = _single(1, 1);
        uint256 id = _claim(game, claimer, 10, 0, HONEST);
        vm.expectRevert(abi.encodeWithSelector(ChallengeWindowOpen.selector, id, game.claims(id).deadline));
        game.finalizeClaim(id);
        vm.warp(block.timestamp + WINDOW + 1);
        game.finalizeClaim(id);
        uint256 before = claimer.balance;
        vm.prank(claimer);
        game.withdraw();
        assertEq(claimer.balance - before, CLAIM_BOND);
        assertEq(address(game).balance, 0);
        vm.prank(claimer);
        vm.expectRevert(abi.encodeWithSelector(NothingToWithdraw.selector, claimer));
        game.withdraw();
    }

    function test_finalize_withOpenGame_reverts() public {
        DisputeGame game = _single(1, 1);
        uint256 id = _claim(game, claimer, 10, 0, HONEST);
        _challenge(game, alice, id);
        vm.warp(block.timestamp + WINDOW + 1);
        vm.expectRevert(abi.encodeWithSelector(GamesOpen.selector, id, 1));
        game.finalizeClaim(id);
    }

    function _committed(DisputeGame game) internal returns (uint256) {
        vm.deal(claimer, CLAIM_BOND);
        bytes32 ph = game.binding().programHash();
        vm.prank(claimer);
        return game.claimCommitted{value: CLAIM_BOND}(
            ph, keccak256(hex"c0ffee"), 0, AlphabetView.state(0), AlphabetView.state(10), 10
        );
    }

    function test_committedClaim_withheldInput_loses() public {
        DisputeGame game = _single(1, 1);
        uint256 id = _committed(game);
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        game.requestInput{value: CHALLENGE_BOND}(id);
        vm.warp(block.timestamp + WINDOW + 1);
        vm.expectRevert(abi.encodeWithSelector(InputWithheld.selector, id, game.claims(id).inputDeadline));
        game.finalizeClaim(id);
        game.resolveWithheld(id);
        assertEq(uint8(game.claims(id).status), uint8(DisputeGame.ClaimStatus.Rejected));
        assertEq(game.credit(alice), CHALLENGE_BOND + SLOT - SLOT * BURN_BPS / 10_000);
    }

    function test_publishInput_refundsRequester_andReopensWindow() public {
        DisputeGame game = _single(1, 1);
        uint256 id = _committed(game);
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        game.requestInput{value: CHALLENGE_BOND}(id);
        vm.warp(block.timestamp + 10 minutes);
        vm.expectRevert(abi.encodeWithSelector(DataDeadlineNotPassed.selector, id, game.claims(id).inputDeadline));
        game.resolveWithheld(id);
        vm.expectRevert(
            abi.encodeWithSelector(InputMismatch.selector, id, keccak256(hex"c0ffee"), keccak256(hex"beef"))
        );
        game.publishInput(id, hex"beef");
        game.publishInput(id, hex"c0ffee");
        assertEq(game.credit(alice), CHALLENGE_BOND);
        assertEq(game.claims(id).deadline, block.timestamp + WINDOW);
        vm.expectRevert(abi.encodeWithSelector(InputAlreadyPublished.selector, id));
        game.publishInput(id, hex"c0ffee");
    }

    function test_withdraw_reentrancy_paysOnce() public {
        DisputeGame game = _single(1, 1);
        uint256 id = _claim(game, claimer, 10, 0, 5);
        Reenterer r = new Reenterer(game);
        vm.deal(address(r), CHALLENGE_BOND);
        uint256 gid = r.challenge{value: CHALLENGE_BOND}(id);
        vm.warp(block.timestamp + CLOCK + 1);
        game.timeout(gid);
        uint256 owed = game.credit(address(r));
        uint256 before = address(r).balance;
        r.withdraw();
        assertEq(address(r).balance - before, owed);
        assertEq(r.reentered(), 0);
        assertEq(address(game).balance, game.burned());
    }

    function test_constructor_rejectsBadPhases() public {
        AlphabetClaimBinding binding0 = new AlphabetClaimBinding(new uint256[](0));
        DisputeGame.PhaseConfig[] memory ph = new DisputeGame.PhaseConfig[](1);
        ph[0] = DisputeGame.PhaseConfig(0, 1, arbitrator, link);
        vm.expectRevert(abi.encodeWithSelector(BadPhase.selector, 0, 0, 1));
        new DisputeGame(_config(), ph, binding0);
        ph[0] = DisputeGame.PhaseConfig(1, 1, IArbitrator(address(0)), link);
        vm.expectRevert(abi.encodeWithSelector(MissingArbitrator.selector, 0));
        new DisputeGame(_config(), ph, binding0);
        vm.expectRevert(abi.encodeWithSelector(BadPhaseCount.selector, 0));
        new DisputeGame(_config(), new DisputeGame.PhaseConfig[](0), binding0);
    }

    // ------------------------------------------------------------------ fuzz

    /// Rounds per phase are exactly ceil(log_(k+1)(N/m)) on every path, and the honest side wins.
    function testFuzz_honestSideWins_inExactlyRRounds(uint64 n, uint8 k, uint64 m, uint256 lieAt, bool liarClaims)
        public
    {
        n = uint64(bound(n, 1, 1 << 40));
        k = uint8(bound(k, 1, 63));
        m = uint64(bound(m, 1, 1 << 12));
        uint256 lie = bound(lieAt, 1, n);
        DisputeGame game = _single(k, m);
        uint256 id = _claim(game, claimer, n, 0, liarClaims ? lie : HONEST);
        uint256 gid = _challenge(game, alice, id);
        uint256[2] memory r = _playOut(_ctx(game, gid, alice, liarClaims ? lie : HONEST, liarClaims ? HONEST : lie, 0));
        uint256 rr = LibSpacing.rounds(n, k, m);
        // independent statement of R: m (k+1)^(R-1) < n <= m (k+1)^R
        assertGe(uint256(m) * (uint256(k) + 1) ** rr, n);
        if (rr > 0) assertLt(uint256(m) * (uint256(k) + 1) ** (rr - 1), n);
        if (liarClaims) {
            assertEq(uint8(game.games(gid).status), uint8(DisputeGame.GameStatus.ChallengerWon));
        } else {
            assertEq(uint8(game.games(gid).status), uint8(DisputeGame.GameStatus.ClaimerWon));
        }
        assertEq(r[0], rr);
    }

    function testFuzz_checkpointOpenings_verifyOnlyTheirLeaf(uint8 count, uint256 seed, uint8 idx) public {
        uint256 c = bound(count, 1, 70);
        uint256 i = bound(idx, 0, c - 1);
        bytes32[] memory leaves = new bytes32[](c);
        for (uint256 j; j < c; ++j) {
            leaves[j] = keccak256(abi.encode(seed, j));
        }
        CheckpointsHarness h = new CheckpointsHarness();
        bytes32 root = h.root(leaves);
        assertEq(root, MerkleTestLib.root(leaves));
        bytes32[] memory proof = MerkleTestLib.proof(leaves, i);
        assertTrue(h.verify(root, c, i, leaves[i], proof));
        assertFalse(h.verify(root, c, i, keccak256("x"), proof));
        if (c > 1) assertFalse(h.verify(root, c, (i + 1) % c, leaves[i], proof));
        assertFalse(h.verify(root, c + 1 == 1 ? 2 : c * 2 + 1, i, leaves[i], proof)); // wrong depth
    }
}

