// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IArbitrator} from "../interfaces/IArbitrator.sol";
import {SpanVerifiers} from "./SpanVerifiers.sol";

/// @notice The snarkjs-generated PLONK verifier of a circuit with public signals [preRoot, postRoot].
interface IPlonkVerifier2 {
    function verifyProof(uint256[24] calldata proof, uint256[2] calldata pub) external view returns (bool);
}

/// @title PlonkArbitrator
/// @notice Same relation and the same code path (SpanVerifiers `_arbitrate`) as Groth16Arbitrator with
///         snarkjs PLONK proofs (universal setup: no circuit-specific ceremony, larger proof and higher
///         verification gas). Twin: zk/prover/snark.ts (`encodeCalldata`), protocol/trace/leaf.ts.
/// @dev    proof = abi.encodePacked(uint256 keyIndex, uint256[24]) (snarkjs' Solidity calldata order: 9 G1
///         points as (x, y), then 6 evaluations), 800 bytes. Malformed input returns false; roots >= R
///         are rejected.
contract PlonkArbitrator is IArbitrator, SpanVerifiers {
    /// @notice Bytes of the PLONK proof after the key index.
    uint256 public constant PROOF_BYTES = 768;

    constructor(uint256[] memory spans_, address[] memory verifiers_)
        SpanVerifiers(spans_, verifiers_, IPlonkVerifier2.verifyProof.selector, PROOF_BYTES)
    {}

    function arbitrate(bytes32 preRoot, bytes32 postRoot, uint256 span, bytes calldata proof)
        external
        view
        returns (bool)
    {
        return _arbitrate(preRoot, postRoot, span, proof, PROOF_BYTES, IPlonkVerifier2.verifyProof.selector);
    }
}
