// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RV32IMBase} from "./RV32IMBase.sol";
import {LibPoseidon} from "../../src/rv32im/LibPoseidon.sol";
import "../../src/rv32im/Errors.sol";

/// @notice Differential and adversarial tests of RV32IMStepVerifier against the TS machine (vm/):
///         fixture replay (committed sets and the generated bulk set), typed rejections and ignored
///         slots. Fuzzing: StepVerifierFuzz.t.sol.
contract StepVerifierTest is RV32IMBase {
    // ---- differential replay ----------------------------------------------------------------

    function _replay(string memory file) internal view returns (uint256 n) {
        Fixture memory f = _load(file);
        n = f.pre.length;
        for (uint256 i = 0; i < n; i++) {
            bytes32 got = verifier.step(f.pre[i], _w(f.witnesses[i]));
            assertEq(got, f.post[i], f.names[i]);
        }
    }

    function test_replay_guestSteps_matchTsMachine() public view {
        assertGt(_replay("guests.json"), 150);
    }

    function test_replay_randomInstructions_matchTsMachine() public view {
        assertGt(_replay("random.json"), 200);
    }

    // ---- ignored slots ------------------------------------------------------------------------

    /// Changing any element of a slot the step does not read (kept < p) leaves the post-root
    /// unchanged, exactly as in the TS twin; ignored = blob slot / after the code proof / after the
    /// pre-state.
    function test_ignoredSlots_doNotChangeThePostRoot() public view {
        Fixture memory f = _load("bench.json");
        for (uint256 i = 0; i < f.pre.length; i++) {
            (uint256 lo, uint256 hi) = _ignoredRange(f.ignored[i]);
            uint256[165] memory w = _w(f.witnesses[i]);
            for (uint256 j = lo; j < hi; j++) {
                w[j] = uint256(keccak256(abi.encode(i, j))) % P;
            }
            assertEq(verifier.step(f.pre[i], w), f.post[i], f.names[i]);
        }
    }

    // ---- typed rejections -----------------------------------------------------------------------

    function _bench(string memory cls) internal view returns (bytes32 pre, uint256[165] memory w) {
        Fixture memory f = _load("bench.json");
        uint256 i = _find(f, cls);
        return (f.pre[i], _w(f.witnesses[i]));
    }

    function test_step_elementNotInField_reverts() public {
        (bytes32 pre, uint256[165] memory w) = _bench("lw");
        w[150] = P;
        vm.expectRevert(abi.encodeWithSelector(WitnessNotAFieldElement.selector, 150, P));
        verifier.step(pre, w);
    }

    function test_step_counterBeyond2pow53_reverts() public {
        (bytes32 pre, uint256[165] memory w) = _bench("lw");
        w[8] = 1 << 53;
        vm.expectRevert(abi.encodeWithSelector(WitnessCounterOutOfRange.selector, 8, 1 << 53));
        verifier.step(pre, w);
    }

    function test_step_pcNotAWord_reverts() public {
        (bytes32 pre, uint256[165] memory w) = _bench("lw");
        w[0] = 1 << 32;
        vm.expectRevert(abi.encodeWithSelector(WitnessNotAWord.selector, 0, 1 << 32));
        verifier.step(pre, w);
    }

    function test_step_wrongPreRoot_reverts() public {
        (bytes32 pre, uint256[165] memory w) = _bench("add");
        bytes32 other = bytes32(uint256(pre) ^ 1);
        vm.expectRevert(abi.encodeWithSelector(PreRootMismatch.selector, other, pre));
        verifier.step(other, w);
    }

    function test_step_tamperedInstruction_reverts() public {
        (bytes32 pre, uint256[165] memory w) = _bench("add");
        w[12] ^= 1 << 20;
        vm.expectRevert(abi.encodeWithSelector(CodeProofMismatch.selector, w[0], w[12]));
        verifier.step(pre, w);
    }

    function test_step_insnNotAWord_reverts() public {
        (bytes32 pre, uint256[165] memory w) = _bench("add");
        w[12] |= 1 << 40;
        vm.expectRevert(abi.encodeWithSelector(WitnessNotAWord.selector, 12, w[12]));
        verifier.step(pre, w);
    }

    function test_step_wrongRegisterIndex_reverts() public {
        (bytes32 pre, uint256[165] memory w) = _bench("add");
        uint256 idx = w[34 + 7];
        w[34 + 7] = (idx + 1) % 32;
        vm.expectRevert(abi.encodeWithSelector(WrongRegisterIndex.selector, 1, (idx + 1) % 32, idx));
        verifier.step(pre, w);
    }

    function test_step_tamperedRegisterValue_reverts() public {
        (bytes32 pre, uint256[165] memory w) = _bench("add");
        w[34 + 1] ^= 1;
        vm.expectRevert(abi.encodeWithSelector(RegisterProofMismatch.selector, 0, w[34]));
        verifier.step(pre, w);
    }

    function test_step_tamperedWriteSlot_reverts() public {
        (bytes32 pre, uint256[165] memory w) = _bench("add");
        w[62 + 3] = (w[62 + 3] + 1) % P;
        vm.expectRevert(abi.encodeWithSelector(RegisterProofMismatch.selector, 4, w[62]));
        verifier.step(pre, w);
    }

    /// A register file whose x0 leaf is non-zero can be committed to, but no step may read it.
    function test_step_nonZeroX0_reverts() public {
        Fixture memory f = _load("random.json");
        uint256 i = _find(f, "random:nop:00000013");
        uint256[165] memory w = _w(f.witnesses[i]);
        // x0 := 5 in a register tree otherwise equal to the pre-state's (all five slots read x0)
        uint256 h = 5;
        for (uint256 l = 0; l < 5; l++) {
            h = LibPoseidon.p2(h, w[36 + l]);
        }
        w[3] = h;
        for (uint256 k = 0; k < 5; k++) {
            w[34 + 7 * k + 1] = 5;
        }
        bytes32 pre = _stateRoot(w); // before expectRevert: it would catch the Poseidon library calls
        vm.expectRevert(abi.encodeWithSelector(NonZeroX0.selector, 0, 5));
        verifier.step(pre, w);
    }

    function test_step_wrongMemoryAddress_reverts() public {
        (bytes32 pre, uint256[165] memory w) = _bench("lw");
        uint256 want = w[69];
        w[69] = want ^ 4;
        vm.expectRevert(abi.encodeWithSelector(WrongMemoryAddress.selector, want ^ 4, want));
        verifier.step(pre, w);
    }

    function test_step_tamperedMemoryWord_reverts() public {
        (bytes32 pre, uint256[165] memory w) = _bench("sw");
        w[70] ^= 0x80;
        vm.expectRevert(abi.encodeWithSelector(MemoryProofMismatch.selector, w[69]));
        verifier.step(pre, w);
    }

    function test_step_tamperedInputWord_reverts() public {
        (bytes32 pre, uint256[165] memory w) = _bench("read0");
        w[101] ^= 1;
        vm.expectRevert(abi.encodeWithSelector(InputProofMismatch.selector, (w[8] & 0xffffffff) >> 2));
        verifier.step(pre, w);
    }

    function test_step_blobOfAnotherKey_reverts() public {
        (bytes32 pre, uint256[165] memory w) = _bench("read5");
        w[133] += 1;
        vm.expectRevert(abi.encodeWithSelector(BlobKeyMismatch.selector, w[10], LibPoseidon.p2(w[132], w[133])));
        verifier.step(pre, w);
    }

    function test_step_tamperedBlobWord_reverts() public {
        (bytes32 pre, uint256[165] memory w) = _bench("read5");
        w[134] ^= 1;
        vm.expectRevert(abi.encodeWithSelector(BlobProofMismatch.selector, w[11]));
        verifier.step(pre, w);
    }

    function test_step_haltedState_isAFixedPoint() public view {
        (bytes32 pre, uint256[165] memory w) = _bench("halted");
        assertEq(verifier.step(pre, w), pre);
    }
}
