// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IArbitrator} from "../interfaces/IArbitrator.sol";
import {SpanVerifiers} from "./SpanVerifiers.sol";

/// @notice The snarkjs-generated PLONK verifier of a circuit with public signals [preRoot, postRoot].
interface IPlonkVerifier2 {
    function verifyProof(uint256[24] calldata proof, uint256[2] calldata pub) external view returns (bool);
}

/// @title PlonkArbitrator
/// @notice Same relation as Groth16Arbitrator with snarkjs PLONK proofs (universal setup: no
///         circuit-specific ceremony, larger proof and higher verification gas).
///         Twin: zk/prover/snark.ts (`encodeCalldata`).
/// @dev    proof = abi.encode(uint256[24]) (snarkjs' Solidity calldata order: 9 G1 points as (x, y),
///         then 6 evaluations), 768 bytes. Malformed input returns false; roots >= R are rejected.
contract PlonkArbitrator is IArbitrator, SpanVerifiers {
    uint256 public constant PROOF_BYTES = 768;

    constructor(uint256[] memory spans_, address[] memory verifiers) SpanVerifiers(spans_, verifiers) {}

    function arbitrate(bytes32 preRoot, bytes32 postRoot, uint256 span, bytes calldata proof)
        external
        view
        returns (bool)
    {
        address v = verifierFor[span];
        if (v == address(0) || proof.length != PROOF_BYTES) return false;
        if (uint256(preRoot) >= R || uint256(postRoot) >= R) return false;
        // the static arrays' ABI encoding is their words in order, so the proof bytes are forwarded
        // as they are: verifyProof(proof words..., preRoot, postRoot)
        (bool ok, bytes memory ret) = v.staticcall{gas: VERIFY_GAS}(
            abi.encodePacked(IPlonkVerifier2.verifyProof.selector, proof, preRoot, postRoot)
        );
        return ok && ret.length == 32 && abi.decode(ret, (bool));
    }
}
