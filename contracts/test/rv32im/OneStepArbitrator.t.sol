// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RV32IMBase} from "./RV32IMBase.sol";
import {RV32IMOneStepArbitrator} from "../../src/rv32im/RV32IMOneStepArbitrator.sol";
import {IArbitrator} from "../../src/interfaces/IArbitrator.sol";
import "../../src/rv32im/Errors.sol";

/// @notice The IArbitrator adapter over the one-step verifier: span 1, proof = the witness bytes
///         (`abi.encode(uint256[165])`, the encoding protocol/trace/rv32im.ts produces).
contract OneStepArbitratorTest is RV32IMBase {
    IArbitrator internal arb;
    bytes32 internal pre;
    bytes32 internal post;
    bytes internal proof;

    function setUp() public override {
        super.setUp();
        arb = new RV32IMOneStepArbitrator(verifier);
        Fixture memory f = _load("bench.json");
        uint256 i = _find(f, "write");
        (pre, post, proof) = (f.pre[i], f.post[i], f.witnesses[i]);
    }

    function test_arbitrate_validStep_returnsTrue() public {
        assertEq(proof, abi.encode(_w(proof)));
        assertTrue(arb.arbitrate(pre, post, 1, proof));
    }

    function test_arbitrate_otherPostRoot_returnsFalse() public {
        assertFalse(arb.arbitrate(pre, bytes32(uint256(post) ^ 1), 1, proof));
        assertFalse(arb.arbitrate(pre, pre, 1, proof));
    }

    function test_arbitrate_spanNotOne_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(OneStepWrongSpan.selector, 2));
        arb.arbitrate(pre, post, 2, proof);
        vm.expectRevert(abi.encodeWithSelector(OneStepWrongSpan.selector, 0));
        arb.arbitrate(pre, post, 0, proof);
    }

    function test_arbitrate_truncatedProof_reverts() public {
        bytes memory shortProof = new bytes(proof.length - 32);
        vm.expectRevert(abi.encodeWithSelector(OneStepWrongProofLength.selector, proof.length - 32, proof.length));
        arb.arbitrate(pre, post, 1, shortProof);
    }

    function test_arbitrate_invalidWitness_bubblesTheVerifierError() public {
        bytes32 other = bytes32(uint256(pre) ^ 2);
        vm.expectRevert(abi.encodeWithSelector(PreRootMismatch.selector, other, pre));
        arb.arbitrate(other, post, 1, proof);
    }
}
