// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// ------------------------------------------------------------ SpanVerifiers (Groth16Arbitrator, PlonkArbitrator)

/// @notice Constructor arrays of spans and verifiers differ in length.
error SpanVerifierLengthMismatch(uint256 spans, uint256 verifiers);
/// @notice A span of 0 steps (the game never asks for it; a verifier for it would prove pre == post).
error ZeroSpan();
/// @notice Two verifiers for the same span.
error DuplicateSpan(uint256 span);
/// @notice A verifier address without code.
error VerifierWithoutCode(uint256 span, address verifier);
