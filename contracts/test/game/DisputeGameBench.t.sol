// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {GameBase, AlphabetView} from "./GameBase.sol";
import {DisputeGame} from "../../src/game/DisputeGame.sol";

/// @notice Gas benchmarks of DisputeGame's calls (`_benchmark` tests; committed snapshot, checked
///         by `npm test`: `npx forge snapshot --match-contract DisputeGameBench --check`, rewritten
///         by `npm run snapshot`). Each test measures exactly one external call: setting the game up
///         and computing the calldata run with gas metering paused. Games use the alphabet
///         arbitrator (the game's own cost, not a step verifier's): one phase k = 7, m = 16 over
///         2^20 steps, or two phases (k = 3, m = 1 over 64 outer steps, each 16 inner steps).
contract DisputeGameBenchTest is GameBase {
    uint256 internal constant HONEST = AlphabetView.HONEST;
    uint256 internal constant N = 1 << 20;
    address internal claimer = makeAddr("claimer");
    address internal alice = makeAddr("alice");

    /// A one-phase game with a lying challenger, challenged, claimer to move first.
    function _challenged() internal returns (Ctx memory c) {
        DisputeGame game = _single(7, 16);
        uint256 id = _claim(game, claimer, N, 0, HONEST);
        uint256 gid = _challenge(game, alice, id);
        c = Ctx(game, gid, claimer, alice, HONEST, 12_345, 0, 0, false);
    }

    /// Plays (unmetered) until the claimer is to make its leaf move.
    function _toLeaf(Ctx memory c) internal {
        uint256[2] memory rounds;
        for (uint256 i; i < 100; ++i) {
            DisputeGame.Game memory g = c.game.games(c.gameId);
            if (g.status == DisputeGame.GameStatus.ClaimerToMove && g.level == 0) return;
            _step(c, rounds);
        }
        revert("no leaf reached");
    }

    function test_benchmark_claim() public {
        vm.pauseGasMetering();
        DisputeGame game = _single(7, 16);
        bytes32 start = AlphabetView.root(0, 0, 0, HONEST);
        bytes32 fin = AlphabetView.root(0, N, 0, HONEST);
        bytes32 programHash = game.binding().programHash();
        vm.deal(claimer, CLAIM_BOND);
        vm.prank(claimer);
        vm.resumeGasMetering();
        game.claim{value: CLAIM_BOND}(programHash, hex"c0ffee", bytes32(N), start, fin, uint64(N));
    }

    function test_benchmark_challenge() public {
        vm.pauseGasMetering();
        DisputeGame game = _single(7, 16);
        uint256 id = _claim(game, claimer, N, 0, HONEST);
        vm.deal(alice, CHALLENGE_BOND);
        vm.prank(alice);
        vm.resumeGasMetering();
        game.challenge{value: CHALLENGE_BOND}(id);
    }

    function test_benchmark_postCheckpoints() public {
        vm.pauseGasMetering();
        Ctx memory c = _challenged();
        DisputeGame.Game memory g = c.game.games(c.gameId);
        bytes32[] memory roots = _checkpoints(c);
        bytes32 pre = _root(c, HONEST, g.lo);
        bytes32 post = _root(c, HONEST, g.hi);
        vm.warp(block.timestamp + 1);
        vm.prank(claimer);
        vm.resumeGasMetering();
        c.game.postCheckpoints(c.gameId, pre, post, roots);
    }

    function test_benchmark_chooseSegment() public {
        vm.pauseGasMetering();
        Ctx memory c = _challenged();
        _post(c);
        DisputeGame.Pick memory p = _pick(c, _chooseIndex(c));
        vm.warp(block.timestamp + 1);
        vm.prank(alice);
        vm.resumeGasMetering();
        c.game.chooseSegment(c.gameId, p);
    }

    function test_benchmark_proveLeaf() public {
        vm.pauseGasMetering();
        Ctx memory c = _challenged();
        _toLeaf(c);
        DisputeGame.Game memory g = c.game.games(c.gameId);
        bytes32 pre = _root(c, HONEST, g.lo);
        bytes32 post = _root(c, HONEST, g.hi);
        bytes memory proof = abi.encode(g.lo);
        vm.warp(block.timestamp + 1);
        vm.prank(claimer);
        vm.resumeGasMetering();
        c.game.proveLeaf(c.gameId, pre, post, proof);
        vm.pauseGasMetering();
        assertEq(uint8(c.game.games(c.gameId).status), uint8(DisputeGame.GameStatus.ClaimerWon));
        vm.resumeGasMetering();
    }

    function test_benchmark_openSubgame() public {
        vm.pauseGasMetering();
        uint256 inner = 16;
        DisputeGame game = _twoPhase(3, 1, 3, 1, inner);
        uint256 id = _claim(game, claimer, 64, inner, HONEST);
        uint256 gid = _challenge(game, alice, id);
        Ctx memory c = Ctx(game, gid, claimer, alice, HONEST, 500, inner, 0, false);
        _toLeaf(c);
        DisputeGame.Game memory g = game.games(gid);
        (uint256 a, uint256 b) = (g.lo * inner, g.hi * inner);
        bytes32 pre = _root(c, HONEST, g.lo);
        bytes32 post = _root(c, HONEST, g.hi);
        bytes32 start = AlphabetView.root(1, a, inner, HONEST);
        bytes32 end = AlphabetView.root(1, b, inner, HONEST);
        bytes memory proof = abi.encode(a, new bytes32[](0), b, new bytes32[](0));
        vm.warp(block.timestamp + 1);
        vm.prank(claimer);
        vm.resumeGasMetering();
        game.openSubgame(gid, pre, post, start, end, uint64(b - a), proof);
    }

    function test_benchmark_timeout() public {
        vm.pauseGasMetering();
        Ctx memory c = _challenged();
        vm.warp(block.timestamp + CLOCK + 1);
        vm.resumeGasMetering();
        c.game.timeout(c.gameId);
    }

    /// The claimer posted; the challenger's clock runs out: the claimer wins, `queue` challengers
    /// wait behind a full set of slots (the first of them gets the freed slot in the timeout).
    function _claimerWinsByTimeout(uint256 queue) internal returns (Ctx memory c) {
        c = _challenged();
        uint256 id = c.game.games(c.gameId).claimId;
        for (uint256 i = 1; i < SLOTS; ++i) {
            _challenge(c.game, address(uint160(0x50c0 + i)), id);
        }
        for (uint256 i; i < queue; ++i) {
            _challenge(c.game, address(uint160(0xb0b0 + i)), id);
        }
        _post(c);
        vm.warp(block.timestamp + CLOCK + 1);
    }

    function test_benchmark_timeout_claimerWins() public {
        vm.pauseGasMetering();
        Ctx memory c = _claimerWinsByTimeout(0);
        vm.resumeGasMetering();
        c.game.timeout(c.gameId);
    }

    /// The same timeout when the freed slot opens the queue head's game (the O(1) pop + a fresh game).
    function test_benchmark_timeout_claimerWins_opensQueuedGame() public {
        vm.pauseGasMetering();
        Ctx memory c = _claimerWinsByTimeout(2);
        vm.resumeGasMetering();
        c.game.timeout(c.gameId);
    }

    /// A challenge with every slot held: bond locked, caller queued.
    function test_benchmark_challenge_queued() public {
        vm.pauseGasMetering();
        Ctx memory c = _challenged();
        uint256 id = c.game.games(c.gameId).claimId;
        for (uint256 i = 1; i < SLOTS; ++i) {
            _challenge(c.game, address(uint160(0x50c0 + i)), id);
        }
        address bob = makeAddr("bob");
        vm.deal(bob, CHALLENGE_BOND);
        vm.prank(bob);
        vm.resumeGasMetering();
        c.game.challenge{value: CHALLENGE_BOND}(id);
    }

    /// A queued bond credited back after the claim's rejection.
    function test_benchmark_refundQueued() public {
        vm.pauseGasMetering();
        Ctx memory c = _challenged();
        uint256 id = c.game.games(c.gameId).claimId;
        for (uint256 i = 1; i < SLOTS; ++i) {
            _challenge(c.game, address(uint160(0x50c0 + i)), id);
        }
        _challenge(c.game, makeAddr("bob"), id);
        vm.warp(block.timestamp + CLOCK + 1);
        c.game.timeout(c.gameId); // the claimer never moved: rejected
        vm.resumeGasMetering();
        c.game.refundQueued(id, 0);
    }

    function test_benchmark_finalizeClaim() public {
        vm.pauseGasMetering();
        DisputeGame game = _single(7, 16);
        uint256 id = _claim(game, claimer, N, 0, HONEST);
        vm.warp(block.timestamp + WINDOW + 1);
        vm.resumeGasMetering();
        game.finalizeClaim(id);
    }

    function test_benchmark_withdraw() public {
        vm.pauseGasMetering();
        DisputeGame game = _single(7, 16);
        uint256 id = _claim(game, claimer, N, 0, HONEST);
        vm.warp(block.timestamp + WINDOW + 1);
        game.finalizeClaim(id);
        vm.prank(claimer);
        vm.resumeGasMetering();
        game.withdraw();
    }
}
