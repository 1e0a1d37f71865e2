// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {LibPoseidon} from "./LibPoseidon.sol";

/// @title LibMerkle
/// @notice Roots implied by a leaf and its proof in zkfp's fixed-depth word trees (vm/STATE.md
///         "Trees"; TS twin: vm/merkle.ts `rootFromProof`), reading the proof in place from a
///         calldata step witness.
/// @dev    4-ary (P4 nodes; memory, code, input, blob trees) and binary (P2 nodes; registers):
///
///                       root                      level = depth
///               /     |      |     \
///             n0     n1     n2     n3             node = P4(n0, n1, n2, n3)
///            ...                                  level 0: leaves (32-bit words)
///
///         Child position of leaf i at level l is (i >> 2l) & 3 (binary: (i >> l) & 1). A proof
///         lists siblings bottom-up, each level's siblings in increasing child position with the
///         node's own position skipped (3 per 4-ary level, 1 per binary level).
///         Pitfall: only the low 2*depth (binary: depth) bits of `index` are used, exactly as in the
///         TS twin; callers that need a range check on an index do it themselves.
///         The same function serves verification (compare with the pre-state root) and update (the
///         siblings are unchanged by a write to the leaf, so the new root is the same path with the
///         new leaf).
library LibMerkle {
    function root4(uint256 index, uint256 leaf, uint256[165] calldata w, uint256 off, uint256 depth)
        internal
        pure
        returns (uint256 h)
    {
        h = leaf;
        for (uint256 l = 0; l < depth; l++) {
            uint256 o = off + 3 * l;
            uint256 pos = index & 3;
            if (pos == 0) h = LibPoseidon.p4(h, w[o], w[o + 1], w[o + 2]);
            else if (pos == 1) h = LibPoseidon.p4(w[o], h, w[o + 1], w[o + 2]);
            else if (pos == 2) h = LibPoseidon.p4(w[o], w[o + 1], h, w[o + 2]);
            else h = LibPoseidon.p4(w[o], w[o + 1], w[o + 2], h);
            index >>= 2;
        }
    }

    function root2(uint256 index, uint256 leaf, uint256[165] calldata w, uint256 off, uint256 depth)
        internal
        pure
        returns (uint256 h)
    {
        h = leaf;
        for (uint256 l = 0; l < depth; l++) {
            h = (index >> l) & 1 == 0 ? LibPoseidon.p2(h, w[off + l]) : LibPoseidon.p2(w[off + l], h);
        }
    }
}
