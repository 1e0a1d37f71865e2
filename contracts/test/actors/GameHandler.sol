// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GameBase, AlphabetView} from "../game/GameBase.sol";
import {DisputeGame} from "../../src/game/DisputeGame.sol";

/// @notice Invariant-test handler: random actors (honest, dishonest from a random step, contrarian)
///         make claims, challenge, move, stall, time out, try moves out of turn or after their
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

    uint256 public ghostDeposited;
    uint256 public ghostWithdrawn;
    uint256 public ghostHonestLosses;
    uint256 public ghostBadMovesAccepted;
    uint256 public ghostResolved;
    uint256 public ghostTimeouts;

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

    function challenge(uint256 who, uint256 claimSeed, uint256 mode) external {
        if (claimIds.length == 0 || ctxs.length >= 16) return;
        uint256 id = claimIds[claimSeed % claimIds.length];
        DisputeGame.Claim memory cl = game.claims(id);
        if (cl.status != DisputeGame.ClaimStatus.Pending || block.timestamp > cl.deadline) return;
        // with every slot held `challenge` queues (SlotChurn.t.sol tests the queue); this handler
        // keeps its arrivals to games
        if (cl.slotsUsed >= game.slots()) return;
        address a = actors[who % actors.length];
        uint256 lie = HONEST;
        bool contrarian;
        mode = mode % 3;
        if (mode == 0 && claimLie[id] == HONEST) return; // honest challengers only dispute false claims
        if (mode == 1) lie = bound(uint256(keccak256(abi.encode(who, claimSeed))), 1, cl.steps);
        if (mode == 2) (lie, contrarian) = (1, true);
        uint256 gid = _challenge(game, a, id);
        ghostDeposited += CHALLENGE_BOND;
        ctxs.push(Ctx(game, gid, claimerOf[id], a, claimLie[id], lie, 0, 0, contrarian));
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

    /// Stakes still held for claims (pending, or rejected with slots locked by open games) plus bonds of open games.
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

    function _audit() internal {
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
