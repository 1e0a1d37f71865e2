// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title LibCheckpoints
/// @notice keccak Merkle commitment to the c checkpoint roots of one round, so the defender posts
///         them once (calldata + event) and the challenger later opens only the two it needs.
///         Twin: protocol/game/merkle.ts.
/// @dev    Leaves are the roots cp_1..cp_c in order, padded with bytes32(0) to the next power of two;
///         node = keccak256(left ++ right). c = 0 gives root 0 (nothing to open), c = 1 gives the
///         leaf itself (depth 0, empty proof). A proof is the siblings bottom-up; its length must be
///         exactly the depth ceil(log2 c), so a proof cannot be replayed against a shorter tree.
///
///                 root
///               /      \
///            h01        h23
///           /   \      /   \
///         cp1   cp2  cp3   0      (c = 3)
library LibCheckpoints {
    function depth(uint256 count) internal pure returns (uint256 d) {
        while ((uint256(1) << d) < count) ++d;
    }

    function root(bytes32[] calldata leaves) internal pure returns (bytes32 r) {
        uint256 c = leaves.length;
        if (c == 0) return bytes32(0);
        if (c == 1) return leaves[0];
        uint256 width = uint256(1) << depth(c);
        // Hash in place in scratch memory past the free pointer (never allocated): node i of the next
        // layer overwrites slot i after slots 2i and 2i+1 were read, so one buffer suffices.
        assembly ("memory-safe") {
            let p := mload(0x40)
            calldatacopy(p, leaves.offset, shl(5, c))
            for { let i := c } lt(i, width) { i := add(i, 1) } { mstore(add(p, shl(5, i)), 0) }
            for {} gt(width, 1) {} {
                width := shr(1, width)
                for { let i := 0 } lt(i, width) { i := add(i, 1) } {
                    mstore(add(p, shl(5, i)), keccak256(add(p, shl(6, i)), 0x40))
                }
            }
            r := mload(p)
        }
    }

    function verify(bytes32 root_, uint256 count, uint256 index, bytes32 leaf, bytes32[] calldata proof)
        internal
        pure
        returns (bool)
    {
        if (index >= count || proof.length != depth(count)) return false;
        bytes32 h = leaf;
        for (uint256 i; i < proof.length; ++i) {
            h = (index >> i) & 1 == 0 ? _hash(h, proof[i]) : _hash(proof[i], h);
        }
        return h == root_;
    }

    function _hash(bytes32 a, bytes32 b) private pure returns (bytes32 h) {
        assembly ("memory-safe") {
            mstore(0x00, a)
            mstore(0x20, b)
            h := keccak256(0x00, 0x40)
        }
    }
}
