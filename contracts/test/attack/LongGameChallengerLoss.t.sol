// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test, console} from "forge-std/Test.sol";
import {DisputeGame} from "../../src/game/DisputeGame.sol";
import {MerklePhaseLink} from "../../src/link/MerklePhaseLink.sol";
import {AlphabetArbitrator} from "../../src/alphabet/AlphabetArbitrator.sol";
import {AlphabetClaimBinding} from "../../src/alphabet/AlphabetClaimBinding.sol";
import {IArbitrator} from "../../src/interfaces/IArbitrator.sol";
import {IPhaseLink} from "../../src/interfaces/IPhaseLink.sol";
import {MerkleTestLib} from "../game/GameBase.sol";

/// @notice Red-team attack (issue 11 follow-up), now a test the liar LOSES.
///         Attack: a lying claimer makes the honest challenger that defeats it spend more gas than it is
///         paid. The claimer chooses the game's length: its claim's `steps` (uint64) and, at the phase
///         link, the inner step count (uint64). With k = 1 and steps = innerSteps = 2^64 - 1 each phase
///         takes 64 rounds; the liar posts true roots everywhere but its final one, so the challenger
///         goes down the right spine to the last leaf of the inner phase: 128 segment choices +
///         challenge + timeout + withdraw, counted per transaction (execution + 21,000 + calldata).
///         The old rule budgeted 4 x a measured demo game (3.2M gas) against (1 - b) D = 0.25 ETH.
///         Fix (protocol/economics/payout.ts): the challenger's budget is the worst case over every
///         claim, `worstCaseChallengerGas(phases)` = 300,000 + sum over phases of rounds(2^64 - 1, k, m)
///         x choiceGasBound(k) (two k = 1 phases: 7,852,000), and the defaults pay (1 - b) D = 0.625 ETH
///         (S = 10 ETH, 4 slots, b = 75 %), which covers 10M gas at 50 gwei. This test plays that
///         longest game and checks the measured gas is within the bound and paid.
contract LongGameChallengerLossTest is Test {
    uint96 internal constant S = 10 ether; // protocol/economics/payout.ts PAYOUT
    uint96 internal constant B = 1 ether;
    uint16 internal constant BURN_BPS = 7500;
    uint16 internal constant SLOTS = 4;
    uint32 internal constant CLOCK = 1 days;
    uint256 internal constant GAS_PRICE = 50 gwei;
    uint8 internal constant K = 1;
    uint64 internal constant N = type(uint64).max;
    uint64 internal constant INNER = type(uint64).max;

    DisputeGame internal game;
    address internal liar = makeAddr("liar");
    address internal honest = makeAddr("honest");
    uint256 internal gid;
    uint256 internal honestGas; // execution + intrinsic + calldata, summed over its transactions
    uint256 internal honestTxs;
    uint256 internal lastChoice; // gas of the last segment choice (compare protocol/GAS.md, k = 1: 44,557)
    bytes32 internal pre;
    bytes32 internal post;
    bytes32 internal constant LIE = keccak256("lie");

    function setUp() public {
        DisputeGame.PhaseConfig[] memory ph = new DisputeGame.PhaseConfig[](2);
        ph[0] = DisputeGame.PhaseConfig(K, 1, IArbitrator(address(0)), IPhaseLink(address(new MerklePhaseLink(1))));
        ph[1] = DisputeGame.PhaseConfig(K, 1, IArbitrator(address(new AlphabetArbitrator())), IPhaseLink(address(0)));
        uint256[] memory inners = new uint256[](1);
        inners[0] = 1;
        game = new DisputeGame(
            DisputeGame.Config(S, B, BURN_BPS, CLOCK, 1 hours, 30 minutes, SLOTS, 5000),
            ph,
            new AlphabetClaimBinding(inners)
        );
    }

    function _s(uint256 g) internal pure returns (bytes32) {
        return keccak256(abi.encode(g)); // AlphabetArbitrator.stateAt
    }

    function _outer(uint256 x) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(_s(x), bytes32(x))); // MerklePhaseLink depth 1, inner = 1
    }

    function _calldataGas(bytes memory cd) internal pure returns (uint256 g) {
        for (uint256 i; i < cd.length; ++i) {
            g += cd[i] == 0 ? 4 : 16;
        }
    }

    /// one honest transaction: execution gas measured, intrinsic and calldata gas added
    function _honestCall(bytes memory cd, uint256 value) internal {
        vm.cool(address(game)); // every honest move is its own transaction: the game's storage starts cold
        vm.prank(honest);
        uint256 g0 = gasleft();
        (bool ok,) = address(game).call{value: value}(cd);
        uint256 used = g0 - gasleft();
        require(ok, "honest move reverted");
        honestGas += used + 21_000 + _calldataGas(cd);
        honestTxs += 1;
        if (bytes4(cd) == DisputeGame.chooseSegment.selector) lastChoice = used + 21_000 + _calldataGas(cd);
    }

    /// the claimer's round (true roots at every checkpoint), then the honest pick: the last segment
    function _round(uint256 base, bool outer) internal {
        (uint256 w, uint256 c) = game.roundLayout(gid);
        DisputeGame.Game memory g = game.games(gid);
        bytes32[] memory cps = new bytes32[](c);
        for (uint256 j; j < c; ++j) {
            uint256 idx = uint256(g.lo) + (j + 1) * w;
            cps[j] = outer ? _outer(idx) : _s(base + idx);
        }
        vm.prank(liar);
        game.postCheckpoints(gid, pre, post, cps);
        DisputeGame.Pick memory p;
        (p.pre, p.post, p.cpRoot, p.index) = (pre, post, MerkleTestLib.root(cps), c);
        if (c > 0) (p.left, p.leftProof) = (cps[c - 1], MerkleTestLib.proof(cps, c - 1));
        _honestCall(abi.encodeCall(DisputeGame.chooseSegment, (gid, p)), 0);
        if (c > 0) pre = cps[c - 1];
    }

    function test_maxLengthGame_honestChallengerWins_andIsPaidItsGas() public {
        // the liar's claim: true start, false final root committing to (LIE, counter N - 1 + INNER)
        uint256 ca = N - 1;
        uint256 cb = ca + INNER;
        bytes32 fin = keccak256(abi.encodePacked(LIE, bytes32(cb)));
        bytes32 ph = game.binding().programHash();
        vm.deal(liar, S);
        vm.prank(liar);
        uint256 claimId = game.claim{value: S}(ph, "", bytes32(0), _outer(0), fin, N);
        vm.deal(honest, B);
        uint256 before = honest.balance;
        _honestCall(abi.encodeCall(DisputeGame.challenge, (claimId)), B);
        gid = game.gameCount();
        (pre, post) = (_outer(0), fin);
        uint256 r0 = game.games(gid).level;
        for (uint256 i; i < r0; ++i) {
            _round(0, true);
        }
        assertEq(game.games(gid).lo, N - 1, "right spine: the last outer leaf");
        vm.prank(liar);
        game.openSubgame(gid, pre, post, _s(ca), LIE, INNER, abi.encode(ca, new bytes32[](0), cb, new bytes32[](0)));
        (pre, post) = (_s(ca), LIE);
        uint256 r1 = game.games(gid).level;
        for (uint256 i; i < r1; ++i) {
            _round(ca, false);
        }
        // the liar cannot prove its last step; the honest challenger calls timeout and wins
        vm.warp(block.timestamp + CLOCK + 1);
        _honestCall(abi.encodeCall(DisputeGame.timeout, (gid)), 0);
        assertEq(uint8(game.games(gid).status), uint8(DisputeGame.GameStatus.ChallengerWon));
        assertEq(uint8(game.claims(claimId).status), uint8(DisputeGame.ClaimStatus.Rejected));
        _honestCall(abi.encodeCall(DisputeGame.withdraw, ()), 0);

        uint256 gain = honest.balance - before; // credit withdrawn minus the bond = (1 - b) D
        uint256 cost = honestGas * GAS_PRICE;
        console.log("rounds per phase", r0, r1);
        console.log("honest challenger txs", honestTxs);
        console.log("last segment choice gas", lastChoice);
        console.log("honest challenger gas (exec + intrinsic + calldata)", honestGas);
        console.log("cost at 50 gwei (wei)", cost);
        console.log("net payout (wei)     ", gain);
        assertEq(r0 + r1, 128);
        assertEq(gain, (uint256(S) / SLOTS) * (10_000 - BURN_BPS) / 10_000, "(1 - b) D");
        assertLe(honestGas, 300_000 + 2 * 64 * 59_000, "within payout.ts worstCaseChallengerGas(two k = 1 phases)");
        assertLe(cost, gain, "the honest challenger's whole game is paid at 50 gwei");
    }
}
