// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IStepVerifier
/// @notice A one-step verifier of a committed machine: from a pre-state root and a step witness it
///         computes the post-state root of exactly one step, or reverts with a typed error. It never
///         returns a root for a witness that is inconsistent with `preRoot`.
/// @dev    The witness is the flat 165-element step witness of vm/STATE.md, ABI-encoded as a static
///         `uint256[165]` (165 big-endian words, no offset/length header: what vm/witness.ts
///         `witnessToHex` produces). A static array rather than `bytes` because the verifier reads
///         every slot by fixed offset straight from calldata; callers holding `bytes` (e.g. the
///         arbitrator adapter) forward them unchanged, since `bytes` of length 5280 is the same
///         byte string.
///         Implementation: RV32IMStepVerifier (this folder). Twins: vm/verify.ts (TS reference),
///         zk/circuits (circom).
interface IStepVerifier {
    function step(bytes32 preRoot, uint256[165] calldata witness) external view returns (bytes32 postRoot);
}
