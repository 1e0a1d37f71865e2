// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IPhaseLink} from "../interfaces/IPhaseLink.sol";
import {MalformedProof} from "./Errors.sol";

/// @title MerklePhaseLink
/// @notice A concrete IPhaseLink: every outer root is the keccak Merkle root of 2^depth leaves whose
///         leaf 0 is the inner state root and leaf 1 the inner step counter (bytes32(uint256)):
///
///                       outer root                     (depth 2 shown; depth >= 1)
///                     /            \
///               pair                 sib[0]            pair = keccak(innerRoot ++ counter)
///             /      \
///      innerRoot    counter                            other leaves: payload (e.g. node outputs)
///
///         `verifyLink` opens leaf 0 and 1 of both outer roots and accepts iff
///         innerStart/innerEnd are their leaf 0 and innerSteps = counterB - counterA > 0.
///         Proof = abi.encode(uint256 counterA, bytes32[] siblingsA, uint256 counterB, bytes32[] siblingsB)
///         with depth - 1 siblings each, bottom-up (the pair is always the leftmost node), in its
///         canonical encoding (anything else reverts MalformedProof before abi.decode).
///         Twin: protocol/trace/alphabet.ts (`merklePhaseLink`). Binding follows from keccak collision resistance: an outer
///         root has one opening of its leftmost pair.
contract MerklePhaseLink is IPhaseLink {
    error BadLinkDepth(uint256 depth);

    uint256 public immutable depth;

    constructor(uint256 depth_) {
        if (depth_ == 0 || depth_ > 32) revert BadLinkDepth(depth_);
        depth = depth_;
    }

    function verifyLink(
        bytes32 outerPre,
        bytes32 outerPost,
        bytes32 innerStart,
        bytes32 innerEnd,
        uint256 innerSteps,
        bytes calldata proof
    ) external view returns (bool) {
        _checkEncoding(proof);
        (uint256 ca, bytes32[] memory sa, uint256 cb, bytes32[] memory sb) =
            abi.decode(proof, (uint256, bytes32[], uint256, bytes32[]));
        if (cb <= ca || cb - ca != innerSteps) return false;
        return _open(innerStart, ca, sa) == outerPre && _open(innerEnd, cb, sb) == outerPost;
    }

    /// @dev The proof must be the canonical ABI encoding with depth - 1 siblings on each side, so
    ///      abi.decode cannot revert untyped: MalformedProof(length or offending word offset, length).
    function _checkEncoding(bytes calldata proof) internal view {
        uint256 s = depth - 1;
        uint256 want = 192 + 64 * s;
        if (proof.length != want) revert MalformedProof(proof.length, want);
        uint256 offB = 160 + 32 * s;
        if (_w(proof, 32) != 128) revert MalformedProof(32, want);
        if (_w(proof, 96) != offB) revert MalformedProof(96, want);
        if (_w(proof, 128) != s) revert MalformedProof(128, want);
        if (_w(proof, offB) != s) revert MalformedProof(offB, want);
    }

    function _w(bytes calldata b, uint256 o) private pure returns (uint256 v) {
        assembly ("memory-safe") {
            v := calldataload(add(b.offset, o))
        }
    }

    function _open(bytes32 innerRoot, uint256 counter, bytes32[] memory sib) internal pure returns (bytes32 h) {
        h = keccak256(abi.encodePacked(innerRoot, bytes32(counter)));
        for (uint256 i; i < sib.length; ++i) {
            h = keccak256(abi.encodePacked(h, sib[i]));
        }
    }
}
