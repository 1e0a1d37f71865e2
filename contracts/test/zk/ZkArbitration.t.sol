// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {stdJson} from "forge-std/StdJson.sol";
import {DisputeGame} from "../../src/game/DisputeGame.sol";
import {ArbitrationRejected} from "../../src/game/Errors.sol";
import {IArbitrator} from "../../src/interfaces/IArbitrator.sol";
import {IPhaseLink} from "../../src/interfaces/IPhaseLink.sol";
import {Groth16Arbitrator} from "../../src/zk/Groth16Arbitrator.sol";
import {PlonkArbitrator} from "../../src/zk/PlonkArbitrator.sol";
import {SpanVerifiers} from "../../src/zk/SpanVerifiers.sol";
import {ZeroSpan, DuplicateSpan, SpanVerifierLengthMismatch, VerifierWithoutCode} from "../../src/zk/Errors.sol";
import {Groth16Verifier_counter_m2} from "../../src/zk/generated/Groth16Verifier_counter_m2.sol";
import {PlonkVerifier_counter_m2} from "../../src/zk/generated/PlonkVerifier_counter_m2.sol";

/// @notice A dispute game whose last phase ends in a zk arbitration with real snarkjs proofs.
///         Fixture: contracts/test/fixtures/zk_counter_m2.json, written by zk/prover/fixtures.ts from
///         the dev circuit CounterChain(2) (roots of the Poseidon counter machine, N = 4 steps; proofs
///         for the leaves [0, 2] and [2, 4]) with the INSECURE dev setup. Game: one phase, k = 1,
///         m = 2, so one round of checkpoints (root 2) and then a leaf of 2 steps.
contract ZkArbitrationTest is Test {
    using stdJson for string;

    uint96 internal constant CLAIM_BOND = 1 ether;
    uint96 internal constant CHALLENGE_BOND = 0.1 ether;
    uint16 internal constant BURN_BPS = 2500;
    uint32 internal constant CLOCK = 1 days;

    bytes32[] internal roots;
    bytes[] internal gProofs;
    bytes[] internal pProofs;
    Groth16Arbitrator internal g16;
    PlonkArbitrator internal plonk;
    address internal claimer = makeAddr("claimer");
    address internal challenger = makeAddr("challenger");

    function setUp() public {
        string memory j = vm.readFile(string.concat(vm.projectRoot(), "/contracts/test/fixtures/zk_counter_m2.json"));
        roots = j.readBytes32Array(".roots");
        gProofs = j.readBytesArray(".groth16.proofs");
        pProofs = j.readBytesArray(".plonk.proofs");
        uint256[] memory spans = new uint256[](1);
        spans[0] = 2;
        address[] memory vs = new address[](1);
        vs[0] = address(new Groth16Verifier_counter_m2());
        g16 = new Groth16Arbitrator(spans, vs);
        vs[0] = address(new PlonkVerifier_counter_m2());
        plonk = new PlonkArbitrator(spans, vs);
    }

    // ------------------------------------------------------------------ arbitrator alone

    function test_arbitrate_honestProof_accepted() public view {
        assertTrue(g16.arbitrate(roots[0], roots[2], 2, gProofs[0]));
        assertTrue(g16.arbitrate(roots[2], roots[4], 2, gProofs[1]));
        assertTrue(plonk.arbitrate(roots[0], roots[2], 2, pProofs[0]));
        assertTrue(plonk.arbitrate(roots[2], roots[4], 2, pProofs[1]));
    }

    function test_arbitrate_wrongPostRoot_rejected() public view {
        assertFalse(g16.arbitrate(roots[0], roots[3], 2, gProofs[0]));
        assertFalse(g16.arbitrate(roots[0], bytes32(uint256(roots[2]) ^ 1), 2, gProofs[0]));
        assertFalse(plonk.arbitrate(roots[0], roots[3], 2, pProofs[0]));
    }

    function test_arbitrate_proofOfAnotherInterval_rejected() public view {
        // the proof of [0, 2] presented for the leaf [2, 4] and vice versa
        assertFalse(g16.arbitrate(roots[2], roots[4], 2, gProofs[0]));
        assertFalse(g16.arbitrate(roots[0], roots[2], 2, gProofs[1]));
        assertFalse(plonk.arbitrate(roots[2], roots[4], 2, pProofs[0]));
        // a 1-step interval inside it
        assertFalse(g16.arbitrate(roots[0], roots[1], 1, gProofs[0]));
    }

    function test_arbitrate_spanWithoutVerifier_rejected() public view {
        assertFalse(g16.arbitrate(roots[0], roots[2], 3, gProofs[0]));
        assertFalse(plonk.arbitrate(roots[0], roots[2], 1, pProofs[0]));
    }

    function test_arbitrate_malformedProof_returnsFalse() public view {
        assertFalse(g16.arbitrate(roots[0], roots[2], 2, ""));
        assertFalse(g16.arbitrate(roots[0], roots[2], 2, bytes.concat(gProofs[0], hex"00")));
        assertFalse(g16.arbitrate(roots[0], roots[2], 2, pProofs[0]));
        assertFalse(plonk.arbitrate(roots[0], roots[2], 2, gProofs[0]));
        bytes memory t = bytes.concat(gProofs[0]);
        t[31] ^= 0x01; // a's x no longer on the curve / another point
        assertFalse(g16.arbitrate(roots[0], roots[2], 2, t));
        bytes memory u = bytes.concat(pProofs[0]);
        u[767] ^= 0x01; // last evaluation
        assertFalse(plonk.arbitrate(roots[0], roots[2], 2, u));
    }

    function testFuzz_arbitrate_tamperedGroth16Proof_rejected(uint256 word, uint256 delta) public view {
        word = bound(word, 0, 7);
        delta = bound(delta, 1, type(uint64).max);
        bytes memory t = bytes.concat(gProofs[1]);
        uint256 v;
        assembly ("memory-safe") {
            v := mload(add(add(t, 0x20), mul(word, 0x20)))
            mstore(add(add(t, 0x20), mul(word, 0x20)), add(v, delta))
        }
        assertFalse(g16.arbitrate(roots[2], roots[4], 2, t));
    }

    function test_arbitrate_rootAboveField_rejected() public view {
        // the same root plus the field modulus would alias to the proven public signal
        uint256 r = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
        uint256 alias_ = uint256(roots[2]) + r;
        if (alias_ > uint256(roots[2])) assertFalse(g16.arbitrate(roots[0], bytes32(alias_), 2, gProofs[0]));
    }

    function test_constructor_badTables_revert() public {
        uint256[] memory s = new uint256[](2);
        address[] memory v = new address[](1);
        vm.expectRevert(abi.encodeWithSelector(SpanVerifierLengthMismatch.selector, 2, 1));
        new Groth16Arbitrator(s, v);
        s = new uint256[](1);
        v[0] = address(g16);
        vm.expectRevert(ZeroSpan.selector);
        new Groth16Arbitrator(s, v);
        s[0] = 2;
        v[0] = address(0xBEEF);
        vm.expectRevert(abi.encodeWithSelector(VerifierWithoutCode.selector, 2, address(0xBEEF)));
        new Groth16Arbitrator(s, v);
        s = new uint256[](2);
        v = new address[](2);
        (s[0], s[1], v[0], v[1]) = (2, 2, address(g16), address(g16));
        vm.expectRevert(abi.encodeWithSelector(DuplicateSpan.selector, 2));
        new Groth16Arbitrator(s, v);
    }

    // ------------------------------------------------------------------ full games

    function _game(IArbitrator arb) internal returns (DisputeGame) {
        DisputeGame.PhaseConfig[] memory ph = new DisputeGame.PhaseConfig[](1);
        ph[0] = DisputeGame.PhaseConfig(1, 2, arb, IPhaseLink(address(0)));
        return new DisputeGame(DisputeGame.Config(CLAIM_BOND, CHALLENGE_BOND, BURN_BPS, CLOCK, 1 hours, 30 minutes), ph);
    }

    /// @dev Claim roots[0] -> final after 4 steps, a challenge, the claimer's checkpoint `mid` and the
    ///      challenger's pick of segment `index` (0 = [0, 2], 1 = [2, 4]). Returns the game id.
    function _playToLeaf(DisputeGame game, bytes32 mid, bytes32 fin, uint256 index) internal returns (uint256 gameId) {
        vm.deal(claimer, CLAIM_BOND);
        vm.prank(claimer);
        uint256 claimId = game.claim{value: CLAIM_BOND}(keccak256("counter"), hex"", bytes32(0), roots[0], fin, 4);
        vm.deal(challenger, CHALLENGE_BOND);
        vm.prank(challenger);
        gameId = game.challenge{value: CHALLENGE_BOND}(claimId);
        bytes32[] memory cps = new bytes32[](1);
        cps[0] = mid;
        vm.prank(claimer);
        game.postCheckpoints(gameId, roots[0], fin, cps);
        DisputeGame.Pick memory p;
        (p.pre, p.post, p.cpRoot, p.index) = (roots[0], fin, mid, index);
        if (index == 0) p.right = mid;
        else p.left = mid;
        vm.prank(challenger);
        game.chooseSegment(gameId, p);
    }

    function _honestClaimerWins(IArbitrator arb, bytes[] storage proofs) internal {
        DisputeGame game = _game(arb);
        // a dishonest challenger disputes the honest second half [2, 4]
        uint256 gameId = _playToLeaf(game, roots[2], roots[4], 1);
        DisputeGame.Game memory g = game.games(gameId);
        assertEq(g.lo, 2);
        assertEq(g.hi, 4);
        assertEq(g.level, 0);

        // wrong post-root and another interval's proof are both rejected by the game
        vm.prank(claimer);
        vm.expectRevert();
        game.proveLeaf(gameId, roots[2], roots[3], proofs[1]);
        vm.prank(claimer);
        vm.expectRevert(abi.encodeWithSelector(ArbitrationRejected.selector, gameId, roots[2], roots[4], 2));
        game.proveLeaf(gameId, roots[2], roots[4], proofs[0]);

        vm.prank(claimer);
        game.proveLeaf(gameId, roots[2], roots[4], proofs[1]);
        assertEq(uint8(game.games(gameId).status), uint8(DisputeGame.GameStatus.ClaimerWon));

        // payout: the challenger's bond minus the burn is credited and withdrawable
        uint256 burn = uint256(CHALLENGE_BOND) * BURN_BPS / 10_000;
        assertEq(game.credit(claimer), CHALLENGE_BOND - burn);
        uint256 before = claimer.balance;
        vm.prank(claimer);
        game.withdraw();
        assertEq(claimer.balance - before, CHALLENGE_BOND - burn);
        assertEq(game.burned(), burn);

        // after the window the claim is accepted and the stake returned
        vm.warp(block.timestamp + 2 hours);
        game.finalizeClaim(1);
        assertEq(game.credit(claimer), CLAIM_BOND);
    }

    function test_game_groth16Leaf_honestClaimerProvesAndIsPaid() public {
        _honestClaimerWins(IArbitrator(address(g16)), gProofs);
    }

    function test_game_plonkLeaf_honestClaimerProvesAndIsPaid() public {
        _honestClaimerWins(IArbitrator(address(plonk)), pProofs);
    }

    function test_game_dishonestClaimer_cannotProve_challengerPaid() public {
        DisputeGame game = _game(IArbitrator(address(g16)));
        // the claimer lies about the final root (roots[3] instead of roots[4]) but posts the true midpoint;
        // the honest challenger picks [2, 4], where the claimer's post-root is false
        uint256 gameId = _playToLeaf(game, roots[2], roots[3], 1);
        vm.prank(claimer);
        vm.expectRevert(abi.encodeWithSelector(ArbitrationRejected.selector, gameId, roots[2], roots[3], 2));
        game.proveLeaf(gameId, roots[2], roots[3], gProofs[1]);
        vm.warp(block.timestamp + CLOCK + 1);
        game.timeout(gameId);
        assertEq(uint8(game.games(gameId).status), uint8(DisputeGame.GameStatus.ChallengerWon));
        uint256 burn = uint256(CLAIM_BOND) * BURN_BPS / 10_000;
        assertEq(game.credit(challenger), CHALLENGE_BOND + CLAIM_BOND - burn);
        assertEq(uint8(game.claims(1).status), uint8(DisputeGame.ClaimStatus.Rejected));
    }

    function test_gas_arbitrate_groth16() public {
        uint256 g0 = gasleft();
        bool ok = g16.arbitrate(roots[2], roots[4], 2, gProofs[1]);
        uint256 used = g0 - gasleft();
        assertTrue(ok);
        emit log_named_uint("groth16 arbitrate gas", used);
    }

    function test_gas_arbitrate_plonk() public {
        uint256 g0 = gasleft();
        bool ok = plonk.arbitrate(roots[2], roots[4], 2, pProofs[1]);
        emit log_named_uint("plonk arbitrate gas", g0 - gasleft());
        assertTrue(ok);
    }
}
