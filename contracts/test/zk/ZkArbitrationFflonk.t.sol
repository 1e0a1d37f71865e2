// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {stdJson} from "forge-std/StdJson.sol";
import {IArbitrator} from "../../src/interfaces/IArbitrator.sol";
import {ZkGameBase} from "./ZkGameBase.sol";
import {Groth16Arbitrator} from "../../src/zk/Groth16Arbitrator.sol";
import {PlonkArbitrator} from "../../src/zk/PlonkArbitrator.sol";
import {FflonkArbitrator} from "../../src/zk/FflonkArbitrator.sol";
import {
    VerifierOtherBackend,
    VerifierSpanMismatch,
    VerifierWithoutCircuitId,
    MixedStatements,
    NoCompleteVerifier
} from "../../src/zk/Errors.sol";
import {Groth16Verifier_counter_m2} from "../../src/zk/generated/Groth16Verifier_counter_m2.sol";
import {Groth16Verifier_rv32im_mem_m2} from "../../src/zk/generated/Groth16Verifier_rv32im_mem_m2.sol";
import {PlonkVerifier_counter_m2} from "../../src/zk/generated/PlonkVerifier_counter_m2.sol";
import {FflonkVerifier_counter_m2} from "../../src/zk/generated/FflonkVerifier_counter_m2.sol";

/// @dev A verifier that claims zkfp's labels (a table circuit of the rv32im family, m = 2) and answers the
///      FFLONK call: used to show that FflonkArbitrator's constructor applies SpanVerifiers' set checks.
contract LabelledFflonkVerifier {
    bytes32 public constant CIRCUIT_ID = "rv32im_mem";
    uint256 public constant CIRCUIT_STEPS = 2;
    bool public constant CIRCUIT_COMPLETE = false;

    function verifyProof(bytes32[24] calldata, uint256[2] calldata) external pure returns (bool) {
        return false;
    }
}

/// @notice FflonkArbitrator with real snarkjs FFLONK proofs. Fixture: contracts/test/fixtures/
///         zk_counter_m2_fflonk.json (zk/prover/fixtures.ts `fflonk`: CounterChain(2), N = 4, proofs for
///         [0, 2] and [2, 4], INSECURE dev ptau 2^16) and the committed FflonkVerifier_counter_m2; the PLONK
///         proofs of zk_counter_m2.json are the same length (768 bytes) and must not pass. Calldata = key
///         index ++ fixture proof, as ZkArbitration.t.sol.
contract ZkArbitrationFflonkTest is ZkGameBase {
    using stdJson for string;

    uint256 internal constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;

    bytes32[] internal roots;
    bytes[] internal fProofs;
    bytes[] internal pProofs;
    FflonkArbitrator internal fflonk;
    address internal fv;

    function setUp() public {
        string memory root = vm.projectRoot();
        string memory j = vm.readFile(string.concat(root, "/contracts/test/fixtures/zk_counter_m2_fflonk.json"));
        string memory p = vm.readFile(string.concat(root, "/contracts/test/fixtures/zk_counter_m2.json"));
        roots = j.readBytes32Array(".roots");
        assertEq(keccak256(abi.encode(roots)), keccak256(abi.encode(p.readBytes32Array(".roots"))));
        fProofs = _keyed(0, j.readBytesArray(".fflonk.proofs"));
        pProofs = _keyed(0, p.readBytesArray(".plonk.proofs"));
        fv = address(new FflonkVerifier_counter_m2());
        fflonk = new FflonkArbitrator(_one(2), _oneV(fv));
    }

    function _one(uint256 s) internal pure returns (uint256[] memory a) {
        a = new uint256[](1);
        a[0] = s;
    }

    function _oneV(address v) internal pure returns (address[] memory a) {
        a = new address[](1);
        a[0] = v;
    }

    function _keyed(uint256 index, bytes[] memory ps) internal pure returns (bytes[] memory out) {
        out = new bytes[](ps.length);
        for (uint256 i; i < ps.length; ++i) {
            out[i] = bytes.concat(bytes32(index), ps[i]);
        }
    }

    /// @dev `p` with proof word `word` (0-based, after the key index) replaced by `v`.
    function _setWord(bytes memory p, uint256 word, uint256 v) internal pure returns (bytes memory t) {
        t = bytes.concat(p);
        assembly ("memory-safe") {
            mstore(add(add(t, 0x40), mul(word, 0x20)), v)
        }
    }

    function _word(bytes memory p, uint256 word) internal pure returns (uint256 v) {
        assembly ("memory-safe") {
            v := mload(add(add(p, 0x40), mul(word, 0x20)))
        }
    }

    // ------------------------------------------------------------------ arbitrator alone

    function test_fflonk_honestProof_accepted() public view {
        assertEq(fProofs[0].length, 32 + 768);
        assertTrue(fflonk.arbitrate(roots[0], roots[2], 2, fProofs[0]));
        assertTrue(fflonk.arbitrate(roots[2], roots[4], 2, fProofs[1]));
    }

    function test_fflonk_wrongPostRoot_rejected() public view {
        assertFalse(fflonk.arbitrate(roots[0], roots[3], 2, fProofs[0]));
        assertFalse(fflonk.arbitrate(roots[0], roots[1], 2, fProofs[0]));
        assertFalse(fflonk.arbitrate(roots[0], bytes32(uint256(roots[2]) ^ 1), 2, fProofs[0]));
        // the proof of [0, 2] for [2, 4] and the reverse; the wrong pre-root
        assertFalse(fflonk.arbitrate(roots[2], roots[4], 2, fProofs[0]));
        assertFalse(fflonk.arbitrate(roots[0], roots[2], 2, fProofs[1]));
        assertFalse(fflonk.arbitrate(roots[1], roots[2], 2, fProofs[0]));
    }

    /// @dev the FFLONK verifier hashes its public signals raw but uses them mod R: a root + R is an alias the
    ///      verifier itself does not refuse; the arbitrator does before calling it
    function test_fflonk_rootAboveField_rejected() public view {
        uint256 post = uint256(roots[2]);
        if (post + R > post) assertFalse(fflonk.arbitrate(roots[0], bytes32(post + R), 2, fProofs[0]));
        uint256 pre = uint256(roots[0]);
        if (pre + R > pre) assertFalse(fflonk.arbitrate(bytes32(pre + R), roots[2], 2, fProofs[0]));
        assertFalse(fflonk.arbitrate(roots[0], bytes32(type(uint256).max), 2, fProofs[0]));
        assertFalse(fflonk.arbitrate(roots[0], bytes32(R), 2, fProofs[0]));
    }

    function test_fflonk_flippedByte_rejected() public view {
        // a byte of every proof word: points leave the curve, evaluations change the transcript / the check
        for (uint256 w; w < 24; ++w) {
            bytes memory t = bytes.concat(fProofs[0]);
            t[32 + 32 * w + 31] ^= 0x01;
            assertFalse(fflonk.arbitrate(roots[0], roots[2], 2, t));
        }
    }

    function testFuzz_fflonk_tamperedWord_rejected(uint256 word, uint256 delta) public view {
        word = bound(word, 0, 23);
        delta = bound(delta, 1, type(uint256).max);
        uint256 v;
        unchecked {
            v = _word(fProofs[1], word) + delta; // any other 256-bit value
        }
        bytes memory t = _setWord(fProofs[1], word, v);
        assertFalse(fflonk.arbitrate(roots[2], roots[4], 2, t));
    }

    /// @dev non-canonical encodings of the true proof's values: a coordinate or evaluation + R (the verifier
    ///      reduces mod R / mod the base field in its arithmetic, so an alias would otherwise verify)
    function test_fflonk_nonCanonicalWords_rejected() public view {
        for (uint256 w; w < 24; ++w) {
            uint256 v = _word(fProofs[0], w);
            if (v + R > v) {
                assertFalse(fflonk.arbitrate(roots[0], roots[2], 2, _setWord(fProofs[0], w, v + R)), "word + R");
            }
        }
        // a point's y replaced by its negation's alias: -y = Q - y is on the curve; y + Q is not canonical
        uint256 q = 21888242871839275222246405745257275088696311157297823662689037894645226208583;
        for (uint256 pt; pt < 4; ++pt) {
            uint256 y = _word(fProofs[0], 2 * pt + 1);
            assertFalse(fflonk.arbitrate(roots[0], roots[2], 2, _setWord(fProofs[0], 2 * pt + 1, y + q)), "y + Q");
            assertFalse(fflonk.arbitrate(roots[0], roots[2], 2, _setWord(fProofs[0], 2 * pt + 1, q - y)), "-P");
        }
    }

    /// @dev malformed proofs must return false cheaply (far below VERIFY_GAS), not burn the caller's gas
    function test_fflonk_malformedPoints_returnFalseCheaply() public view {
        bytes memory zero = bytes.concat(bytes32(0), new bytes(768));
        uint256 g0 = gasleft();
        assertFalse(fflonk.arbitrate(roots[0], roots[2], 2, zero));
        assertLt(g0 - gasleft(), 100_000); // far below VERIFY_GAS: no pairing on bad input
        // the generator (1, 2) for every point: on the curve, in the field, a wrong proof
        bytes memory gen = bytes.concat(fProofs[0]);
        for (uint256 pt; pt < 4; ++pt) {
            gen = _setWord(_setWord(gen, 2 * pt, 1), 2 * pt + 1, 2);
        }
        g0 = gasleft();
        assertFalse(fflonk.arbitrate(roots[0], roots[2], 2, gen));
        assertLt(g0 - gasleft(), 100_000); // far below VERIFY_GAS: no pairing on bad input
        // every word all ones
        bytes memory ones = bytes.concat(bytes32(0));
        for (uint256 w; w < 24; ++w) {
            ones = bytes.concat(ones, bytes32(type(uint256).max));
        }
        g0 = gasleft();
        assertFalse(fflonk.arbitrate(roots[0], roots[2], 2, ones));
        assertLt(g0 - gasleft(), 100_000); // far below VERIFY_GAS: no pairing on bad input
    }

    function test_fflonk_wrongKeyIndex_rejected() public view {
        assertFalse(fflonk.arbitrate(roots[0], roots[2], 2, _keyed(1, _bare())[0]));
        bytes memory t = bytes.concat(fProofs[0]);
        t[0] = 0x80; // key index 2^255
        assertFalse(fflonk.arbitrate(roots[0], roots[2], 2, t));
    }

    function testFuzz_fflonk_anyOtherKeyIndex_rejected(uint256 index) public view {
        vm.assume(index != 0);
        bytes memory t = bytes.concat(fProofs[1]);
        assembly ("memory-safe") {
            mstore(add(t, 0x20), index)
        }
        assertFalse(fflonk.arbitrate(roots[2], roots[4], 2, t));
    }

    function test_fflonk_wrongLengths_rejected() public view {
        assertFalse(fflonk.arbitrate(roots[0], roots[2], 2, ""));
        assertFalse(fflonk.arbitrate(roots[0], roots[2], 2, bytes.concat(fProofs[0], hex"00")));
        assertFalse(fflonk.arbitrate(roots[0], roots[2], 2, bytes.concat(fProofs[0], bytes32(0))));
        // without its key index (768 bytes) and one byte short
        bytes[] memory bare = _bare();
        assertFalse(fflonk.arbitrate(roots[0], roots[2], 2, bare[0]));
        bytes memory short = new bytes(fProofs[0].length - 1);
        for (uint256 i; i < short.length; ++i) {
            short[i] = fProofs[0][i];
        }
        assertFalse(fflonk.arbitrate(roots[0], roots[2], 2, short));
        // a span without verifier
        assertFalse(fflonk.arbitrate(roots[0], roots[2], 1, fProofs[0]));
        assertFalse(fflonk.arbitrate(roots[0], roots[4], 4, fProofs[0]));
    }

    /// @dev a PLONK proof of the same statement is 768 bytes too: the FFLONK verifier refuses it, and the
    ///      FFLONK proof does not pass the PLONK arbitrator
    function test_fflonk_plonkProofOfSameLength_rejected() public {
        assertEq(pProofs[0].length, fProofs[0].length);
        assertFalse(fflonk.arbitrate(roots[0], roots[2], 2, pProofs[0]));
        assertFalse(fflonk.arbitrate(roots[2], roots[4], 2, pProofs[1]));
        PlonkArbitrator plonk = new PlonkArbitrator(_one(2), _oneV(address(new PlonkVerifier_counter_m2())));
        assertTrue(plonk.arbitrate(roots[0], roots[2], 2, pProofs[0]));
        assertFalse(plonk.arbitrate(roots[0], roots[2], 2, fProofs[0]));
    }

    function _bare() internal view returns (bytes[] memory out) {
        out = new bytes[](1);
        out[0] = new bytes(768);
        for (uint256 i; i < 768; ++i) {
            out[0][i] = fProofs[0][32 + i];
        }
    }

    // ------------------------------------------------------------------ constructor checks

    /// @dev a verifier of another proof system is refused both ways: its proofs could never pass `_arbitrate`
    function test_fflonk_otherBackendVerifiers_refused() public {
        address g = address(new Groth16Verifier_counter_m2());
        address p = address(new PlonkVerifier_counter_m2());
        vm.expectRevert(abi.encodeWithSelector(VerifierOtherBackend.selector, 2, g));
        new FflonkArbitrator(_one(2), _oneV(g));
        vm.expectRevert(abi.encodeWithSelector(VerifierOtherBackend.selector, 2, p));
        new FflonkArbitrator(_one(2), _oneV(p));
        vm.expectRevert(abi.encodeWithSelector(VerifierOtherBackend.selector, 2, fv));
        new PlonkArbitrator(_one(2), _oneV(fv));
        vm.expectRevert(abi.encodeWithSelector(VerifierOtherBackend.selector, 2, fv));
        new Groth16Arbitrator(_one(2), _oneV(fv));
    }

    function test_fflonk_setChecks_apply() public {
        // span mismatch: the m = 2 key for span 4
        vm.expectRevert(abi.encodeWithSelector(VerifierSpanMismatch.selector, 4, fv, 2));
        new FflonkArbitrator(_one(4), _oneV(fv));
        // a contract without the circuit constants
        vm.expectRevert(abi.encodeWithSelector(VerifierWithoutCircuitId.selector, 2, address(fflonk)));
        new FflonkArbitrator(_one(2), _oneV(address(fflonk)));
        // a table key alone: no complete verifier
        address t = address(new LabelledFflonkVerifier());
        vm.expectRevert(abi.encodeWithSelector(NoCompleteVerifier.selector, 2));
        new FflonkArbitrator(_one(2), _oneV(t));
        // the counter key beside an rv32im table key: two statement families in one span
        uint256[] memory s = new uint256[](2);
        address[] memory v = new address[](2);
        (s[0], s[1], v[0], v[1]) = (2, 2, fv, t);
        vm.expectRevert(abi.encodeWithSelector(MixedStatements.selector, 2, bytes32("counter"), bytes32("rv32im_mem")));
        new FflonkArbitrator(s, v);
        // a Groth16 table key in an FFLONK set
        address mem2 = address(new Groth16Verifier_rv32im_mem_m2());
        v[1] = mem2;
        vm.expectRevert(abi.encodeWithSelector(VerifierOtherBackend.selector, 2, mem2));
        new FflonkArbitrator(s, v);
    }

    function test_fflonk_labelsOnChain() public view {
        assertEq(fflonk.circuitId(2, 0), bytes32("counter"));
        assertTrue(fflonk.circuitComplete(2, 0));
        assertTrue(fflonk.setupInsecure(2, 0));
        string memory rec = vm.readFile(
            string.concat(vm.projectRoot(), "/contracts/src/zk/generated/FflonkVerifier_counter_m2.setup.json")
        );
        assertEq(fflonk.setupTranscriptHash(2, 0), rec.readBytes32(".transcriptHash"));
        string memory j =
            vm.readFile(string.concat(vm.projectRoot(), "/contracts/test/fixtures/zk_counter_m2_fflonk.json"));
        assertEq(fflonk.setupTranscriptHash(2, 0), j.readBytes32(".fflonk.transcriptHash"));
    }

    // ------------------------------------------------------------------ full games

    function test_game_fflonkLeaf_honestClaimerProvesAndIsPaid() public {
        _honestClaimerWins(IArbitrator(address(fflonk)), roots, fProofs, 2);
    }

    function test_game_fflonkLeaf_dishonestClaimer_cannotProve_challengerPaid() public {
        _dishonestClaimerLoses(IArbitrator(address(fflonk)), roots, fProofs, 2);
    }

    function test_gas_arbitrate_fflonk() public {
        uint256 g0 = gasleft();
        bool ok = fflonk.arbitrate(roots[2], roots[4], 2, fProofs[1]);
        emit log_named_uint("fflonk arbitrate gas", g0 - gasleft());
        assertTrue(ok);
    }
}
