// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IArbitrator} from "../interfaces/IArbitrator.sol";
import {SpanVerifiers} from "./SpanVerifiers.sol";

/// @notice The snarkjs-generated Groth16 verifier of a circuit with public signals [preRoot, postRoot]
///         (contracts/src/zk/generated/Groth16Verifier_<circuit>_m<m>.sol).
interface IGroth16Verifier2 {
    function verifyProof(
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[2] calldata pub
    ) external view returns (bool);
}

/// @title Groth16Arbitrator
/// @notice zkfp's multi-step arbitrator: accepts (preRoot, postRoot, span, proof) iff `proof` names a
///         verifier of `span`'s set (SpanVerifiers) and is a Groth16 proof for it of the m-step circuit
///         with public signals exactly [preRoot, postRoot]. Every registered circuit (zk/circuits RvSteps(m),
///         the table circuit RvStepsMem(m), or the dev CounterChain(m)) proves that postRoot is the state
///         m steps after preRoot; the step index is inside the root, so a proof for another interval has
///         other public signals and fails. Twin: zk/prover/snark.ts (`encodeCalldata`), protocol/trace/leaf.ts
///         (`SnarkLeaf`, which prepends the key index).
/// @dev    proof = abi.encodePacked(uint256 keyIndex, uint256[2] a, uint256[2][2] b, uint256[2] c), 288 bytes,
///         b's G2 coordinates in EVM order (c1, c0). Malformed input returns false (never reverts), as
///         IArbitrator asks: a rejection only means THIS proof does not prove the transition.
///         Roots >= the BN254 scalar modulus are rejected before the verifier (they are not states,
///         and a reduced alias must not be accepted for them).
contract Groth16Arbitrator is IArbitrator, SpanVerifiers {
    /// @notice Bytes of the Groth16 proof after the key index.
    uint256 public constant PROOF_BYTES = 256;

    constructor(uint256[] memory spans_, address[] memory verifiers_)
        SpanVerifiers(spans_, verifiers_, IGroth16Verifier2.verifyProof.selector, PROOF_BYTES)
    {}

    function arbitrate(bytes32 preRoot, bytes32 postRoot, uint256 span, bytes calldata proof)
        external
        view
        returns (bool)
    {
        return _arbitrate(preRoot, postRoot, span, proof, PROOF_BYTES, IGroth16Verifier2.verifyProof.selector);
    }
}
