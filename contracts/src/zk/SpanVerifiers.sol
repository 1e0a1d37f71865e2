// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import "./Errors.sol";

/// @notice The constants zkfp adds to every generated verifier (zk/setup/ceremony.ts `decorateVerifier`).
interface ISetupTranscript {
    function SETUP_TRANSCRIPT_HASH() external view returns (bytes32);
    function SETUP_INSECURE() external view returns (bool);
}

/// @title SpanVerifiers
/// @notice Immutable table span -> verifier contract shared by the zk arbitrators. One circuit (and so
///         one verifying key) proves exactly m steps, but the game's last leaf may be shorter than m
///         (LibSpacing: the right spine is clamped at N), so an arbitrator carries one verifier per
///         span it supports; a span without one is rejected (the defender then loses on its clock,
///         which is the documented cost of deploying without it).
/// @dev    Fixed at construction; `spans()` lists them for off-chain tooling.
abstract contract SpanVerifiers {
    /// @dev BN254 scalar field: state roots are Poseidon outputs, so a root >= R is never a state.
    uint256 internal constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;

    /// @dev Gas handed to the verifier: an honest check needs ~0.2M (Groth16) / ~0.3M (PLONK); malformed
    ///      points make the pairing precompile consume everything it is given, so without a cap a bad
    ///      proof would burn 63/64 of the caller's gas before returning false.
    uint256 public constant VERIFY_GAS = 1_000_000;

    mapping(uint256 span => address) public verifierFor;
    uint256[] private _spans;

    constructor(uint256[] memory spans_, address[] memory verifiers) {
        if (spans_.length != verifiers.length) revert SpanVerifierLengthMismatch(spans_.length, verifiers.length);
        for (uint256 i; i < spans_.length; ++i) {
            uint256 s = spans_[i];
            if (s == 0) revert ZeroSpan();
            if (verifierFor[s] != address(0)) revert DuplicateSpan(s);
            if (verifiers[i].code.length == 0) revert VerifierWithoutCode(s, verifiers[i]);
            verifierFor[s] = verifiers[i];
        }
        _spans = spans_;
    }

    function spans() external view returns (uint256[] memory) {
        return _spans;
    }

    /// @notice The setup transcript hash of the verifier for `span` (its SETUP_TRANSCRIPT_HASH, the
    ///         sha256 of the zkfp-setup-transcript/1 file the key comes from; zk/setup/ceremony.ts),
    ///         so a user can check which setup a deployment uses: `zkfp setup verify --transcript`.
    function setupTranscriptHash(uint256 span) external view returns (bytes32) {
        return abi.decode(_readVerifier(span, ISetupTranscript.SETUP_TRANSCRIPT_HASH.selector), (bytes32));
    }

    /// @notice Whether the verifier for `span` was generated from a setup zkfp calls INSECURE
    ///         (its SETUP_INSECURE constant: not a verified public ceremony ptau, or phase 2 without
    ///         a verified secret contribution).
    function setupInsecure(uint256 span) external view returns (bool) {
        return abi.decode(_readVerifier(span, ISetupTranscript.SETUP_INSECURE.selector), (bool));
    }

    function _readVerifier(uint256 span, bytes4 selector) private view returns (bytes memory ret) {
        address v = verifierFor[span];
        if (v == address(0)) revert NoVerifierForSpan(span);
        bool ok;
        (ok, ret) = v.staticcall(abi.encodeWithSelector(selector));
        if (!ok || ret.length != 32) revert VerifierWithoutTranscript(span, v);
    }
}
