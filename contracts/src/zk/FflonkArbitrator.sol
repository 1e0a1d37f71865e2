// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IArbitrator} from "../interfaces/IArbitrator.sol";
import {SpanVerifiers} from "./SpanVerifiers.sol";

/// @notice The snarkjs-generated FFLONK verifier of a circuit with public signals [preRoot, postRoot]
///         (contracts/src/zk/generated/FflonkVerifier_<circuit>_m<m>.sol).
interface IFflonkVerifier2 {
    function verifyProof(bytes32[24] calldata proof, uint256[2] calldata pub) external view returns (bool);
}

/// @title FflonkArbitrator
/// @notice Same relation and the same code path (SpanVerifiers `_arbitrate`) as Groth16Arbitrator with
///         snarkjs FFLONK proofs (universal setup like PLONK, the cheapest verification of the three; the
///         prover is slower and needs a ptau of power cirPower + 3). Twin: zk/prover/snark.ts
///         (`encodeCalldata`), protocol/trace/leaf.ts.
/// @dev    proof = abi.encodePacked(uint256 keyIndex, bytes32[24]) (snarkjs' Solidity calldata order: C1, C2,
///         W1, W2 as (x, y), then the 15 evaluations ql, qr, qm, qo, qc, s1, s2, s3, a, b, c, z, zw, t1w, t2w
///         and the batch inverse), 800 bytes. The verifier returns false (never reverts) for a point off the
///         curve, a coordinate or evaluation >= the scalar field R, or a wrong batch inverse; it does NOT
///         check its public signals against R, so roots >= R are rejected here first (SpanVerifiers).
///         The selector differs from PlonkArbitrator's (bytes32[24] vs uint256[24]): a PLONK or Groth16
///         verifier in this arbitrator, or an FFLONK verifier in theirs, is refused at deployment
///         (VerifierOtherBackend).
contract FflonkArbitrator is IArbitrator, SpanVerifiers {
    /// @notice Bytes of the FFLONK proof after the key index.
    uint256 public constant PROOF_BYTES = 768;

    constructor(uint256[] memory spans_, address[] memory verifiers_)
        SpanVerifiers(spans_, verifiers_, IFflonkVerifier2.verifyProof.selector, PROOF_BYTES)
    {}

    function arbitrate(bytes32 preRoot, bytes32 postRoot, uint256 span, bytes calldata proof)
        external
        view
        returns (bool)
    {
        return _arbitrate(preRoot, postRoot, span, proof, PROOF_BYTES, IFflonkVerifier2.verifyProof.selector);
    }
}
