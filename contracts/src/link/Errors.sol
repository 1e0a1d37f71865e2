// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// Custom errors of the phase links and claim bindings (contracts/src/link, contracts/src/alphabet).
// Malformed calldata (link proofs, binding openings) reverts with one of these and the offending
// value; a well-formed opening that does not reach the committed root reverts with *Mismatch.
// TS twins (protocol/link) throw LinkError / BindingError carrying the same name.

/// A flat word-encoded proof ended early, ran past `length` bytes, or has trailing bytes.
error MalformedProof(uint256 offset, uint256 length);
/// `aux` / `opening` has the wrong byte length for this binding.
error BadOpeningLength(uint256 length, uint256 expected);
/// An opening does not reach the committed root.
error OpeningMismatch(bytes32 root, bytes32 computed);
/// The posted input does not have the byte length the program/model takes.
error BadInputLength(uint256 length, uint256 expected);
/// A value that must be a u32 word (or byte count) is out of range.
error NotAWord(uint256 value);
