// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {stdJson} from "forge-std/StdJson.sol";
import {IArbitrator} from "../../src/interfaces/IArbitrator.sol";
import {DisputeGame} from "../../src/game/DisputeGame.sol";
import {ArbitrationRejected} from "../../src/game/Errors.sol";
import {ZkGameBase} from "./ZkGameBase.sol";
import {Groth16Arbitrator} from "../../src/zk/Groth16Arbitrator.sol";
import {NoCompleteVerifier, VerifierSpanMismatch} from "../../src/zk/Errors.sol";
import {Groth16Verifier_rv32im_m2} from "../../src/zk/generated/Groth16Verifier_rv32im_m2.sol";
import {Groth16Verifier_rv32im_mem_m2} from "../../src/zk/generated/Groth16Verifier_rv32im_mem_m2.sol";
import {Groth16Verifier_rv32im_mem_m4} from "../../src/zk/generated/Groth16Verifier_rv32im_mem_m4.sol";
import {Groth16Verifier_counter_m4} from "../../src/zk/generated/Groth16Verifier_counter_m4.sol";

/// @notice Several verifying keys per span (SpanVerifiers). Fixture contracts/test/fixtures/zk_keyset.json
///         (zk/prover/fixtures.ts keyset; INSECURE dev setups): guest echo_input; span 2 holds
///         [RvSteps(2) (complete), RvStepsMem(2) `mem` table (no input slots)], span 4 holds
///         [CounterChain(4) (complete, dev), RvStepsMem(4)]. Windows: `fit` (fits the m = 2 tables: a proof
///         under each span-2 key), `read` (a running read(fd 0): the table circuit has no witness, only the
///         complete key proves it), `fit4` (a table proof of 4 steps).
///         The red team's steering (zk/circuits/attack/incomplete-key.test.ts): with ONLY the table key for
///         span 2, a lying challenger picks the `read` leaf and the honest claimer cannot prove it; the
///         constructor now refuses such a set, and with the complete key beside it the claimer wins.
contract ZkKeySetTest is ZkGameBase {
    using stdJson for string;

    string internal j;
    Groth16Arbitrator internal arb;
    address internal full2;
    address internal mem2;
    address internal counter4;
    address internal mem4;

    function setUp() public {
        j = vm.readFile(string.concat(vm.projectRoot(), "/contracts/test/fixtures/zk_keyset.json"));
        full2 = address(new Groth16Verifier_rv32im_m2());
        mem2 = address(new Groth16Verifier_rv32im_mem_m2());
        counter4 = address(new Groth16Verifier_counter_m4());
        mem4 = address(new Groth16Verifier_rv32im_mem_m4());
        arb = _arb4([uint256(2), 2, 4, 4], [full2, mem2, counter4, mem4]);
    }

    function _arb4(uint256[4] memory s, address[4] memory v) internal returns (Groth16Arbitrator) {
        uint256[] memory spans_ = new uint256[](4);
        address[] memory vs = new address[](4);
        for (uint256 i; i < 4; ++i) {
            (spans_[i], vs[i]) = (s[i], v[i]);
        }
        return new Groth16Arbitrator(spans_, vs);
    }

    function _k(uint256 index, string memory key) internal view returns (bytes memory) {
        return bytes.concat(bytes32(index), j.readBytes(key));
    }

    function _r(string memory key) internal view returns (bytes32) {
        return j.readBytes32(key);
    }

    // ------------------------------------------------------------------ the set on chain

    function test_keySet_listedOnChain_withLabels() public view {
        uint256[] memory s = arb.spans();
        assertEq(s.length, 2);
        (uint256 a, uint256 b) = (s[0], s[1]);
        assertEq(a, 2);
        assertEq(b, 4);
        address[] memory v2 = arb.verifiers(2);
        assertEq(v2.length, 2);
        assertEq(v2[0], full2);
        assertEq(v2[1], mem2);
        assertEq(arb.circuitId(2, 0), bytes32("rv32im"));
        assertEq(arb.circuitId(2, 1), bytes32("rv32im_mem"));
        assertTrue(arb.circuitComplete(2, 0));
        assertFalse(arb.circuitComplete(2, 1));
        assertEq(arb.circuitId(4, 0), bytes32("counter"));
        assertFalse(arb.circuitComplete(4, 1));
        // every key of the fixture comes from an INSECURE dev setup, and its transcript hash is the record's
        assertEq(arb.setupTranscriptHash(2, 0), _r(".verifiers[0].transcriptHash"));
        assertEq(arb.setupTranscriptHash(2, 1), _r(".verifiers[1].transcriptHash"));
        assertEq(arb.setupTranscriptHash(4, 1), _r(".verifiers[3].transcriptHash"));
        for (uint256 i; i < 2; ++i) {
            assertTrue(arb.setupInsecure(2, i));
            assertTrue(arb.setupInsecure(4, i));
        }
    }

    // ------------------------------------------------------------------ proofs and key indices

    function test_fitWindow_provenUnderEitherKey() public view {
        assertTrue(arb.arbitrate(_r(".fit.preRoot"), _r(".fit.postRoot"), 2, _k(0, ".fit.full")));
        assertTrue(arb.arbitrate(_r(".fit.preRoot"), _r(".fit.postRoot"), 2, _k(1, ".fit.mem")));
    }

    /// @dev a valid proof presented under a registered but wrong key index
    function test_proofUnderWrongKeyIndex_rejected() public view {
        assertFalse(arb.arbitrate(_r(".fit.preRoot"), _r(".fit.postRoot"), 2, _k(1, ".fit.full")));
        assertFalse(arb.arbitrate(_r(".fit.preRoot"), _r(".fit.postRoot"), 2, _k(0, ".fit.mem")));
        assertFalse(arb.arbitrate(_r(".fit.preRoot"), _r(".fit.postRoot"), 2, _k(2, ".fit.mem")));
    }

    /// @dev a table proof valid for span 4's key presented for span 2 (any index), and span 2's for span 4
    function test_tableProofOfAnotherSpan_rejected() public view {
        bytes32 pre4 = _r(".fit4.preRoot");
        bytes32 post4 = _r(".fit4.postRoot");
        assertTrue(arb.arbitrate(pre4, post4, 4, _k(1, ".fit4.mem")));
        assertFalse(arb.arbitrate(pre4, post4, 2, _k(1, ".fit4.mem")));
        assertFalse(arb.arbitrate(pre4, post4, 2, _k(0, ".fit4.mem")));
        assertFalse(arb.arbitrate(_r(".fit.preRoot"), _r(".fit.postRoot"), 4, _k(1, ".fit.mem")));
        assertFalse(arb.arbitrate(_r(".fit.preRoot"), _r(".fit.postRoot"), 4, _k(0, ".fit.mem")));
    }

    /// @dev a proof replayed for another interval (the read leaf) under each key
    function test_replayForAnotherInterval_rejected() public view {
        bytes32 pre = _r(".read.preRoot");
        bytes32 post = _r(".read.postRoot");
        assertFalse(arb.arbitrate(pre, post, 2, _k(1, ".fit.mem")));
        assertFalse(arb.arbitrate(pre, post, 2, _k(0, ".fit.full")));
        assertTrue(arb.arbitrate(pre, post, 2, _k(0, ".read.full")));
        assertFalse(arb.arbitrate(pre, post, 2, _k(1, ".read.full")));
    }

    // ------------------------------------------------------------------ completeness at deployment

    function test_constructor_setWithoutCompleteKey_reverts() public {
        uint256[] memory s = new uint256[](1);
        address[] memory v = new address[](1);
        (s[0], v[0]) = (2, mem2);
        vm.expectRevert(abi.encodeWithSelector(NoCompleteVerifier.selector, 2));
        new Groth16Arbitrator(s, v);
        // span 2 complete, span 4 only its table key
        s = new uint256[](3);
        v = new address[](3);
        (s[0], s[1], s[2], v[0], v[1], v[2]) = (2, 2, 4, full2, mem2, mem4);
        vm.expectRevert(abi.encodeWithSelector(NoCompleteVerifier.selector, 4));
        new Groth16Arbitrator(s, v);
        // the span-4 table key registered for span 2
        (s[2], v[2]) = (2, mem4);
        vm.expectRevert(abi.encodeWithSelector(VerifierSpanMismatch.selector, 2, mem4, 4));
        new Groth16Arbitrator(s, v);
    }

    function test_constructor_completeKeyAnywhereInTheSet_accepted() public {
        Groth16Arbitrator a = _arb4([uint256(2), 2, 4, 4], [mem2, full2, mem4, counter4]);
        assertEq(a.circuitId(2, 0), bytes32("rv32im_mem"));
        assertTrue(a.arbitrate(_r(".fit.preRoot"), _r(".fit.postRoot"), 2, _k(0, ".fit.mem")));
        assertTrue(a.arbitrate(_r(".read.preRoot"), _r(".read.postRoot"), 2, _k(1, ".read.full")));
    }

    // ------------------------------------------------------------------ the steering attack in a game

    /// @dev The lying challenger disputes the honest claim [read - 2, read + 2] and picks the leaf with the
    ///      input read. No table proof exists for it; the claimer proves it under the complete key and wins.
    function test_game_challengerSteersToReadLeaf_claimerProvesUnderCompleteKey() public {
        DisputeGame game = _game(IArbitrator(address(arb)), 2);
        bytes32 start = _r(".read.startRoot");
        bytes32 pre = _r(".read.preRoot");
        bytes32 post = _r(".read.postRoot");
        uint256 gameId = _playToLeaf(game, start, pre, post, 2, 1);
        // the table key's slot cannot carry the complete circuit's proof
        vm.prank(claimer);
        vm.expectRevert(abi.encodeWithSelector(ArbitrationRejected.selector, gameId, pre, post, 2));
        game.proveLeaf(gameId, pre, post, _k(1, ".read.full"));
        vm.prank(claimer);
        game.proveLeaf(gameId, pre, post, _k(0, ".read.full"));
        assertEq(uint8(game.games(gameId).status), uint8(DisputeGame.GameStatus.ClaimerWon));
    }

    function test_gas_arbitrate_groth16_keySet() public {
        bytes memory p1 = _k(1, ".fit.mem");
        bytes memory p0 = _k(0, ".fit.full");
        bytes32 pre = _r(".fit.preRoot");
        bytes32 post = _r(".fit.postRoot");
        uint256 g0 = gasleft();
        bool ok = arb.arbitrate(pre, post, 2, p1);
        uint256 g1 = gasleft();
        assertTrue(ok);
        emit log_named_uint("groth16 arbitrate gas, key 1 of 2 (table)", g0 - g1);
        g0 = gasleft();
        ok = arb.arbitrate(pre, post, 2, p0);
        emit log_named_uint("groth16 arbitrate gas, key 0 of 2 (full, warm set)", g0 - gasleft());
        assertTrue(ok);
    }
}
