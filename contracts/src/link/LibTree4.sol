// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {LibPoseidon} from "../rv32im/LibPoseidon.sol";
import {MalformedProof, NotAWord} from "./Errors.sol";

/// @title LibTree4
/// @notice zkfp's 4-ary Poseidon word trees (vm/STATE.md "Trees": memory, input and blob trees of
///         depth 10; ml/FORMAT.md "Graph commitment": the graph tree) for the links and bindings,
///         over memory arrays and flat calldata words. TS twins: vm/merkle.ts, ml/graph/commit.ts.
///
///                      root                         node = P4(c0, c1, c2, c3)
///              /     |      |     \                 child position of leaf i at level l: (i >> 2l) & 3
///            c0     c1     c2     c3                proof: per level the 3 siblings in increasing
///           ...                                     position (own position skipped), bottom-up
///
///         Every hash goes through LibPoseidon, so a non-canonical leaf or sibling (>= p) reverts
///         with NotAFieldElement instead of aliasing its reduction mod p.
/// @dev    `zero(l)` = root of an empty subtree of height l (0 <= l <= 10), precomputed with
///         circomlibjs and checked against LibPoseidon in contracts/test/link/LibTree4.t.sol.
library LibTree4 {
    uint256 internal constant DEPTH = 10;

    function zero(uint256 l) internal pure returns (uint256) {
        if (l == 0) return 0;
        if (l == 1) return 0x0532fd436e19c70e51209694d9c215250937921b8b79060488c1206db73e9946;
        if (l == 2) return 0x1ea8dbbca1ca3a574b1b871aad1e8bc47571c7e11a99a6fb25f3f19d4bfad32c;
        if (l == 3) return 0x1b98ec5a992cd3688e655aef8674386f4e84f0a442eaab4840427e359c214dd2;
        if (l == 4) return 0x0fd83a3939005974d559c13c652a31942ffd61cab9a038e04239af96cafaee14;
        if (l == 5) return 0x11eb54967ae25ce42205223461cda9dbb1a1811db38b71e404d1fd94c9627777;
        if (l == 6) return 0x1c682a99981cf10a215d2788721e0ca060ddc0932cbb04c903eee3bd899dcfc0;
        if (l == 7) return 0x2b3de1ae8e72d64a5cb03934061e3fd03789273f370e32d576ae54b4cbeca719;
        if (l == 8) return 0x1b64ed0dc55f80f1f3da256b451baf16110fc268311a13fe903f87945b734861;
        if (l == 9) return 0x06efb4c4a55b0225fd1088d357b2432f422b0593015c57980e373ecef9029c72;
        return 0x262138dff44f5352d2d7ec48461c771444a6c00c761a3263735d0a99143a51f1;
    }

    /// @dev Root from a leaf and its proof (3 siblings per level, length a multiple of 3).
    function root(uint256 index, uint256 leaf, uint256[] memory proof) internal pure returns (uint256 h) {
        h = leaf;
        uint256 levels = proof.length / 3;
        for (uint256 l; l < levels; ++l) {
            h = _node(index & 3, h, proof[3 * l], proof[3 * l + 1], proof[3 * l + 2]);
            index >>= 2;
        }
    }

    /// @dev Same, with the `levels` * 3 siblings read as 32-byte words from `data` at byte `off`.
    function rootCd(uint256 index, uint256 leaf, bytes calldata data, uint256 off, uint256 levels)
        internal
        pure
        returns (uint256 h)
    {
        if (off + 96 * levels > data.length) revert MalformedProof(off, data.length);
        h = leaf;
        for (uint256 l; l < levels; ++l) {
            uint256 o = off + 96 * l;
            h = _node(index & 3, h, _word(data, o), _word(data, o + 32), _word(data, o + 64));
            index >>= 2;
        }
    }

    function _node(uint256 pos, uint256 h, uint256 a, uint256 b, uint256 c) private pure returns (uint256) {
        if (pos == 0) return LibPoseidon.p4(h, a, b, c);
        if (pos == 1) return LibPoseidon.p4(a, h, b, c);
        if (pos == 2) return LibPoseidon.p4(a, b, h, c);
        return LibPoseidon.p4(a, b, c, h);
    }

    /// @dev Root of the height-`height` tree whose first leaves are `lvl` (the rest zero); overwrites `lvl`.
    function dense(uint256[] memory lvl, uint256 height) internal pure returns (uint256) {
        uint256 n = lvl.length;
        if (n == 0) return zero(height);
        for (uint256 l; l < height; ++l) {
            uint256 z = zero(l);
            uint256 nn = (n + 3) / 4;
            for (uint256 j; j < nn; ++j) {
                uint256 b = 4 * j;
                lvl[j] = LibPoseidon.p4(
                    lvl[b], b + 1 < n ? lvl[b + 1] : z, b + 2 < n ? lvl[b + 2] : z, b + 3 < n ? lvl[b + 3] : z
                );
            }
            n = nn;
        }
        return lvl[0];
    }

    /// @dev The bytes [off, off + len) of `data` as little-endian 32-bit words (last one zero-padded).
    function words(bytes calldata data, uint256 off, uint256 len) internal pure returns (uint256[] memory w) {
        w = new uint256[]((len + 3) / 4);
        for (uint256 i; i < len; ++i) {
            w[i >> 2] |= uint256(uint8(data[off + i])) << (8 * (i & 3));
        }
    }

    /// @dev Root of a depth-10 byte tree (input tree, blob tree) over `len` bytes of `data` at `off`.
    function bytesRoot(bytes calldata data, uint256 off, uint256 len) internal pure returns (uint256) {
        if (len > 4 << (2 * DEPTH)) revert NotAWord(len);
        return dense(words(data, off, len), DEPTH);
    }

    function _word(bytes calldata data, uint256 o) private pure returns (uint256 v) {
        assembly ("memory-safe") {
            v := calldataload(add(data.offset, o))
        }
    }

    /// @dev Word `i` (32 bytes) of flat calldata `data`; reverts MalformedProof past the end.
    function word(bytes calldata data, uint256 i) internal pure returns (uint256) {
        uint256 o = 32 * i;
        if (o + 32 > data.length) revert MalformedProof(o, data.length);
        return _word(data, o);
    }
}
