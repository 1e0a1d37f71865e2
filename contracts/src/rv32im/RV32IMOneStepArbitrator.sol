// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IArbitrator} from "../interfaces/IArbitrator.sol";
import {IStepVerifier} from "./IStepVerifier.sol";
import {OneStepWrongSpan, OneStepWrongProofLength} from "./Errors.sol";

/// @title RV32IMOneStepArbitrator
/// @notice The m = 1 arbitrator of the zkfp dispute game for the RV32IM machine: it proves
///         `postRoot = step(preRoot)` with the one-step verifier. `proof` is the 165-element step
///         witness ABI-encoded as `uint256[165]` (5280 bytes, vm/witness.ts `witnessToHex`).
/// @dev    Outcomes (IArbitrator semantics: only `true` proves anything):
///           true                      the witness is valid and its post-root equals `postRoot`;
///           false                     the witness is valid but yields another post-root;
///           revert OneStepWrongSpan / OneStepWrongProofLength   span != 1 / proof is not 5280 bytes;
///           revert (verifier's error) the witness is invalid (inconsistent with preRoot,
///                                     malformed, bad proof, ...), bubbled up unchanged.
///         The witness bytes are forwarded as calldata untouched: `bytes` of length 5280 and a
///         static `uint256[165]` are the same byte string, so no decoding or copying is needed.
contract RV32IMOneStepArbitrator is IArbitrator {
    IStepVerifier public immutable verifier;

    uint256 internal constant WITNESS_BYTES = 165 * 32;

    constructor(IStepVerifier verifier_) {
        verifier = verifier_;
    }

    function arbitrate(bytes32 preRoot, bytes32 postRoot, uint256 span, bytes calldata proof)
        external
        view
        override
        returns (bool)
    {
        if (span != 1) revert OneStepWrongSpan(span);
        if (proof.length != WITNESS_BYTES) revert OneStepWrongProofLength(proof.length, WITNESS_BYTES);
        (bool ok, bytes memory ret) =
            address(verifier).staticcall(abi.encodePacked(IStepVerifier.step.selector, preRoot, proof));
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 0x20), mload(ret))
            }
        }
        return abi.decode(ret, (bytes32)) == postRoot;
    }
}
