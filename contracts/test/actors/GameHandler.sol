// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GameBase, AlphabetView} from "../game/GameBase.sol";
import {DisputeGame} from "../../src/game/DisputeGame.sol";

/// @notice Invariant-test handler: random actors (honest, dishonest from a random step, contrarian)
///         make claims, challenge (queued when every slot is held; `crowd` fills a claim's slots and
///         queues one more; games opened from a queue join in FIFO order), refund queued bonds,
///         move, stall, time out, try moves out of turn or after their
///         clock, finalize and withdraw on one DisputeGame (k = 3, m = 2, N <= 2000).
///         Honest parties are "watching": before time is warped they answer every game where it
///         is their turn, so they can only lose if the protocol is wrong. Ghost counters record
///         any honest loss and any move accepted when it must not be.
contract GameHandler is GameBase {
    uint256 internal constant HONEST = AlphabetView.HONEST;
    DisputeGame public game;
    address[] public actors;
    uint256[] public claimIds;
    mapping(uint256 => uint256) public claimLie; // claimId -> claimer's lieFrom
    mapping(uint256 => address) public claimerOf;
    Ctx[] internal ctxs;

    /// challenges the contract queued (every slot held), in the order they were queued
    struct Queued {
        uint256 claimId;
        uint256 position;
        Ctx ctx;
        bool done; // its game opened (now in ctxs) or its bond was refunded
    }
    Queued[] internal waiting;
    uint256 internal seenGames; // games up to this id are in ctxs

    uint256 public ghostDeposited;
    uint256 public ghostWithdrawn;
    uint256 public ghostHonestLosses;
    uint256 public ghostBadMovesAccepted;
    uint256 public ghostResolved;
    uint256 public ghostTimeouts;
    uint256 public ghostQueueOrderBroken;
    uint256 public ghostQueued; // challenges queued / games opened from a queue / queued bonds refunded
    uint256 public ghostDequeued;
    uint256 public ghostRefunded;

    constructor() {
        game = _single(3, 2);
        for (uint256 i; i < 5; ++i) {
            actors.push(makeAddr(string(abi.encodePacked("actor", i))));
        }
    }

    function gameCountLocal() external view returns (uint256) {
        return ctxs.length;
    }

    function ctxAt(uint256 i) external view returns (uint256 gameId, address challenger, uint256 claimId) {
        Ctx memory c = ctxs[i];
        return (c.gameId, c.challenger, game.games(c.gameId).claimId);
    }

    // ------------------------------------------------------------------ actions

    function newClaim(uint256 who, uint256 n, uint256 lieSeed) external {
        if (claimIds.length >= 8) return;
        address a = actors[who % actors.length];
        n = bound(n, 1, 2000);
        uint256 lie = lieSeed % 2 == 0 ? HONEST : bound(lieSeed, 1, n);
        uint256 id = _claim(game, a, n, 0, lie);
        ghostDeposited += CLAIM_BOND;
        claimIds.push(id);
        claimLie[id] = lie;
        claimerOf[id] = a;
    }

    /// Fills every free slot of a claim with challengers of random kinds, then one more is queued.
    function crowd(uint256 who, uint256 claimSeed, uint256 mode) external {
        if (claimIds.length == 0) return;
        uint256 id = claimIds[claimSeed % claimIds.length];
        for (uint256 i; i <= game.slots(); ++i) {
            this.challenge(who + i, claimSeed, mode + i);
            if (game.claims(id).slotsUsed < game.slots()) continue;
            this.challenge(who + i + 1, claimSeed, mode + i + 1);
            return;
        }
    }

    function challenge(uint256 who, uint256 claimSeed, uint256 mode) public {
        if (claimIds.length == 0 || ctxs.length + waiting.length >= 24) return;
        uint256 id = claimIds[claimSeed % claimIds.length];
        DisputeGame.Claim memory cl = game.claims(id);
        if (cl.status != DisputeGame.ClaimStatus.Pending || block.timestamp > cl.deadline) return;
        address a = actors[who % actors.length];
        uint256 lie = HONEST;
        bool contrarian;
        mode = mode % 3;
        if (mode == 0 && claimLie[id] == HONEST) return; // honest challengers only dispute false claims
        if (mode == 1) lie = bound(uint256(keccak256(abi.encode(who, claimSeed))), 1, cl.steps);
        if (mode == 2) (lie, contrarian) = (1, true);
        _adopt();
        uint256 gid = _challenge(game, a, id);
        ghostDeposited += CHALLENGE_BOND;
        Ctx memory c = Ctx(game, gid, claimerOf[id], a, claimLie[id], lie, 0, 0, contrarian);
        if (gid == 0) {
            // every slot held: queued at the claim's tail
            if (cl.slotsUsed < game.slots()) ghostBadMovesAccepted++;
            waiting.push(Queued(id, cl.queueTail, c, false));
            ghostQueued++;
        } else {
            if (cl.slotsUsed >= game.slots()) ghostBadMovesAccepted++;
            ctxs.push(c);
            seenGames = gid;
        }
    }

    /// Anyone refunds a queued bond: only of a rejected claim, exactly B to the queued address, once.
    function refundQueued(uint256 seed) external {
        if (waiting.length == 0) return;
        Queued storage q = waiting[seed % waiting.length];
        bool rejected = game.claims(q.claimId).status == DisputeGame.ClaimStatus.Rejected;
        address to = q.ctx.challenger;
        uint256 before = game.credit(to);
        try game.refundQueued(q.claimId, q.position) {
            if (!rejected || q.done || game.credit(to) - before != CHALLENGE_BOND) ghostBadMovesAccepted++;
            q.done = true;
            ghostRefunded++;
        } catch {
            if (rejected && !q.done) ghostBadMovesAccepted++; // a due refund must not be refused
        }
    }

    function step(uint256 gameSeed) external {
        if (ctxs.length == 0) return;
        uint256 i = gameSeed % ctxs.length;
        uint256[2] memory r;
        _step(ctxs[i], r);
        _audit();
    }

    function warp(uint256 dt) external {
        _respondHonest();
        vm.warp(block.timestamp + bound(dt, 1, 2 days));
    }

    function timeout(uint256 gameSeed) external {
        if (ctxs.length == 0) return;
        Ctx memory c = ctxs[gameSeed % ctxs.length];
        DisputeGame.Game memory g = game.games(c.gameId);
        bool claimerMoves = g.status == DisputeGame.GameStatus.ClaimerToMove;
        uint256 remaining = claimerMoves ? g.clockClaimer : g.clockChallenger;
        try game.timeout(c.gameId) {
            ghostTimeouts++;
            if (block.timestamp - g.lastMove <= remaining) ghostBadMovesAccepted++;
        } catch {}
        _audit();
    }

    /// Time runs to within two seconds of a dishonest mover's clock edge, then someone calls timeout:
    /// it must succeed exactly when elapsed > remaining.
    function timeoutNearEdge(uint256 gameSeed, uint256 deltaSeed) external {
        if (ctxs.length == 0) return;
        Ctx memory c = ctxs[gameSeed % ctxs.length];
        DisputeGame.Game memory g = game.games(c.gameId);
        bool claimerMoves = g.status == DisputeGame.GameStatus.ClaimerToMove;
        if (!claimerMoves && g.status != DisputeGame.GameStatus.ChallengerToMove) return;
        if (_honestMover(c, claimerMoves)) return;
        _respondHonest();
        g = game.games(c.gameId);
        if (g.status != (claimerMoves ? DisputeGame.GameStatus.ClaimerToMove : DisputeGame.GameStatus.ChallengerToMove))
        {
            return;
        }
        uint256 remaining = claimerMoves ? g.clockClaimer : g.clockChallenger;
        uint256 target = g.lastMove + remaining + (deltaSeed % 5) - 2; // edge - 2 .. edge + 2
        if (target < block.timestamp) return;
        vm.warp(target);
        bool expired = block.timestamp - g.lastMove > remaining;
        try game.timeout(c.gameId) {
            ghostTimeouts++;
            if (!expired) ghostBadMovesAccepted++;
        } catch {
            if (expired) ghostBadMovesAccepted++; // a due timeout must not be refused
        }
        _audit();
    }

    /// A party that is not to move tries the move of the party that is: must revert.
    function rogueMove(uint256 gameSeed, uint256 who) external {
        if (ctxs.length == 0) return;
        Ctx memory c = ctxs[gameSeed % ctxs.length];
        DisputeGame.Game memory g = game.games(c.gameId);
        address a = actors[who % actors.length];
        if (g.status == DisputeGame.GameStatus.ClaimerToMove && g.level > 0) {
            if (a == c.claimer) return;
            c.claimer = a;
            if (_tryPost(c)) ghostBadMovesAccepted++;
        } else if (g.status == DisputeGame.GameStatus.ChallengerToMove) {
            if (a == c.challenger) return;
            DisputeGame.Pick memory p = _pick(c, _chooseIndex(c));
            vm.prank(a);
            try game.chooseSegment(c.gameId, p) {
                ghostBadMovesAccepted++;
            } catch {}
        }
    }

    /// A dishonest mover comes back after its clock ran out: its move must revert.
    function lateMove(uint256 gameSeed) external {
        if (ctxs.length == 0) return;
        Ctx memory c = ctxs[gameSeed % ctxs.length];
        DisputeGame.Game memory g = game.games(c.gameId);
        bool claimerMoves = g.status == DisputeGame.GameStatus.ClaimerToMove;
        if (!claimerMoves && g.status != DisputeGame.GameStatus.ChallengerToMove) return;
        if (_honestMover(c, claimerMoves)) return;
        _respondHonest();
        g = game.games(c.gameId);
        if (g.status != (claimerMoves ? DisputeGame.GameStatus.ClaimerToMove : DisputeGame.GameStatus.ChallengerToMove))
        {
            return;
        }
        uint256 remaining = claimerMoves ? g.clockClaimer : g.clockChallenger;
        if (g.lastMove + remaining + 1 > block.timestamp) vm.warp(g.lastMove + remaining + 1);
        if (claimerMoves && g.level > 0) {
            if (_tryPost(c)) ghostBadMovesAccepted++;
        } else if (!claimerMoves) {
            DisputeGame.Pick memory p = _pick(c, _chooseIndex(c));
            vm.prank(c.challenger);
            try game.chooseSegment(c.gameId, p) {
                ghostBadMovesAccepted++;
            } catch {}
        }
    }

    /// Binding moves against the handler's claims: their start roots and outputs are true (a liar
    /// lies about its final root, which no output opening reaches), so every move must revert.
    function bindingMove(uint256 claimSeed, bool start, uint256 n) external {
        if (claimIds.length == 0) return;
        uint256 id = claimIds[claimSeed % claimIds.length];
        if (start) {
            try game.disputeStart(id, hex"c0ffee", "") {
                ghostBadMovesAccepted++;
            } catch {}
        } else {
            try game.disputeOutput(id, abi.encode(bound(n, 0, 2000))) {
                ghostBadMovesAccepted++;
            } catch {}
        }
    }

    function finalize(uint256 claimSeed) external {
        if (claimIds.length == 0) return;
        try game.finalizeClaim(claimIds[claimSeed % claimIds.length]) {} catch {}
    }

    function withdraw(uint256 who) external {
        address a = actors[who % actors.length];
        uint256 owed = game.credit(a);
        uint256 before = a.balance;
        vm.prank(a);
        try game.withdraw() {
            ghostWithdrawn += owed;
            if (a.balance - before != owed) ghostBadMovesAccepted++;
        } catch {}
    }

    // ------------------------------------------------------------------ views for invariants

    /// Stakes still held for claims (pending, or rejected with slots locked by open games) plus bonds
    /// of open games and of queued challengers.
    function locked() external view returns (uint256 sum) {
        for (uint256 i; i < claimIds.length; ++i) {
            sum += game.claims(claimIds[i]).stake;
        }
        for (uint256 i; i < ctxs.length; ++i) {
            DisputeGame.GameStatus s = game.games(ctxs[i].gameId).status;
            if (s == DisputeGame.GameStatus.ClaimerToMove || s == DisputeGame.GameStatus.ChallengerToMove) {
                sum += CHALLENGE_BOND;
            }
        }
        for (uint256 i; i < waiting.length; ++i) {
            if (!waiting[i].done) sum += CHALLENGE_BOND; // still queued
        }
    }

    function credits() external view returns (uint256 sum) {
        for (uint256 i; i < actors.length; ++i) {
            sum += game.credit(actors[i]);
        }
    }

    // ------------------------------------------------------------------ internals

    function _tryPost(Ctx memory c) internal returns (bool) {
        DisputeGame.Game memory g = game.games(c.gameId);
        bytes32[] memory roots = _checkpoints(c);
        bytes32 pre = _root(c, c.claimerLie, g.lo);
        bytes32 post = _root(c, c.claimerLie, g.hi);
        vm.prank(c.claimer);
        try game.postCheckpoints(c.gameId, pre, post, roots) {
            return true;
        } catch {
            return false;
        }
    }

    function _honestMover(Ctx memory c, bool claimerMoves) internal pure returns (bool) {
        return claimerMoves ? c.claimerLie == HONEST : (c.challengerLie == HONEST && !c.contrarian);
    }

    function _respondHonest() internal {
        for (uint256 i; i < ctxs.length; ++i) {
            _adopt(); // a move here may open a queued challenger's game: it is answered in this loop
            for (uint256 guard; guard < 200; ++guard) {
                DisputeGame.Game memory g = game.games(ctxs[i].gameId);
                bool claimerMoves = g.status == DisputeGame.GameStatus.ClaimerToMove;
                if (!claimerMoves && g.status != DisputeGame.GameStatus.ChallengerToMove) break;
                if (!_honestMover(ctxs[i], claimerMoves)) break;
                uint256[2] memory r;
                if (_step(ctxs[i], r) != 0) break;
            }
        }
        _audit();
    }

    /// @dev Games opened from a queue (inside a timeout or a leaf proof) join `ctxs`; each must be the
    ///      oldest waiting entry of its claim (first come, first served).
    function _adopt() internal {
        uint256 n = game.gameCount();
        for (uint256 gid = seenGames + 1; gid <= n; ++gid) {
            DisputeGame.Game memory g = game.games(gid);
            bool found;
            for (uint256 j; j < waiting.length; ++j) {
                Queued storage q = waiting[j];
                if (q.done || q.claimId != g.claimId) continue;
                if (q.ctx.challenger != g.challenger || game.queued(q.claimId, q.position) != address(0)) {
                    ghostQueueOrderBroken++;
                }
                Ctx memory c = q.ctx;
                c.gameId = gid;
                ctxs.push(c);
                q.done = true;
                found = true;
                ghostDequeued++;
                break;
            }
            if (!found) ghostQueueOrderBroken++;
        }
        seenGames = n;
    }

    function _audit() internal {
        _adopt();
        uint256 resolved;
        uint256 losses;
        for (uint256 i; i < ctxs.length; ++i) {
            DisputeGame.GameStatus s = game.games(ctxs[i].gameId).status;
            if (s == DisputeGame.GameStatus.ChallengerWon && ctxs[i].claimerLie == HONEST) losses++;
            if (s == DisputeGame.GameStatus.ClaimerWon && _honestMover(ctxs[i], false)) losses++;
            if (s == DisputeGame.GameStatus.ChallengerWon || s == DisputeGame.GameStatus.ClaimerWon) resolved++;
        }
        ghostHonestLosses = losses;
        ghostResolved = resolved;
    }
}
