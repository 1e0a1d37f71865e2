// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IPhaseLink} from "../interfaces/IPhaseLink.sol";
import {LibPoseidon} from "../rv32im/LibPoseidon.sol";
import {LibTree4} from "./LibTree4.sol";
import {MalformedProof} from "./Errors.sol";

/// @title GraphVmLink
/// @notice The phase link between the computation-graph phase (phase 1: one leaf per op node, roots =
///         graph state roots, ml/FORMAT.md "Graph commitment") and the VM phase (phase 2: the steps of
///         `node.elf` running the one disputed node, roots = vm/STATE.md state roots). Twin:
///         protocol/link/graph.ts (`encodeLinkProof`, `checkGraphVmLink`).
///
///         The model is fixed at deployment: `opsRoot` is the keccak Merkle root (LibCheckpoints
///         layout: keccak(left ++ right), padded with zero to a power of two) over the descriptors of
///         the model's op nodes in execution order, descriptor_t = keccak256(abi.encode(node, prev,
///         op, params, inputs, inputLens, outLen)), where `node` is the graph index of op t and `prev`
///         that of op t-1 (type(uint256).max for t = 0). The node program is fixed by its initial
///         state fields `core0` = P4(entry pc, 0, 0, regsRoot0), `mem0`, `code0` (computed from
///         ml/guests/bin/node.elf by the TS twin; the demo prints them).
///
///         `verifyLink(rootBefore, rootAfter, vmStart, vmEnd, vmSteps, proof)` accepts iff all of:
///          1. the descriptor opens at position t under `opsRoot`;
///          2. position: leaf `node` is 0 under rootBefore and (t > 0) leaf `prev` is a NON-ZERO
///             field element under rootBefore. Graph roots of a run are prefix-filled (constants and
///             inputs first, then ops in order), so this pins the disputed node to the first op not
///             yet computed; a defender cannot open a later node whose inputs happen to be available.
///             Canonical: every leaf and sibling is < p (LibPoseidon reverts otherwise), so
///             `prevLeaf = p` (non-zero as an integer, 0 after reduction) cannot pass as filled;
///          3. every input leaf key_j opens at index inputs[j] under rootBefore (4-ary Poseidon proof);
///          4. vmStart = the root of node.elf's initial state with input stream
///             ("ZKN1", 1, op, np, params, ni, {len_j, sel_j[8]}), sel_j = key_j - key_{j-1} 2^256
///             mod p: the input tree (4-ary, depth 10) is hashed here from those words;
///          5. vmEnd = P4(P4(pcEnd, stepEnd, 1, regsRootEnd), memEnd, code0, ioPreEnd): the machine
///             EXITED with code 0 after stepEnd steps, and vmSteps = stepEnd rounded up to a multiple
///             of `m` (the VM phase's leaf size; the halted state is a fixed point, so every leaf is
///             exactly m steps and one verifying key suffices; the rounding makes vmSteps unique);
///          6. memEnd is the memory root obtained from `memSub` (the height-k subtree at word 0x80000
///             = OUT_ADDR / 4, k = smallest with 4^k >= ceil(outLen / 4)) with 3 (10 - k) siblings;
///          7. leaf_node = P2(lift(memSub, k), outLen) (lift = hash up to height 10 with empty siblings:
///             the blob root of the output bytes) is the leaf at `node` under rootAfter with the SAME
///             siblings that prove 0 there under rootBefore (rootAfter = rootBefore + that leaf).
///
///         What is NOT bound here: pcEnd, regsRootEnd and ioPreEnd are free (the output is in memory,
///         not in stdout), and memory outside the output subtree is whatever the run left there;
///         both are harmless since the inner game settles them step by step. The claim's start root
///         (weights + input image) is not checked against the claim's input bytes by the game.
///
///         Proof encoding (flat 32-byte words, decoded by hand: a malformed proof reverts with
///         MalformedProof(offset, length), never with an empty revert):
///           t, node, prev, op, np, params[np], ni, inputs[ni], inputLens[ni], outLen, opsProof[d]
///           (d = ceil(log2 opCount)), inputLeaves[ni], inputProofs[ni][3 graphDepth],
///           (t > 0 only) prevLeaf, prevProof[3 graphDepth], outProof[3 graphDepth],
///           memSub, memProof[3 (10 - k)], pcEnd, stepEnd, regsRootEnd, ioPreEnd.
/// @dev    Gas is dominated by Poseidon (~55k per P4): input tree (~W/3 + 10 hashes for W stream
///         words), 1 + ni + 2 graph paths of depth d, 2 (10 - k) memory/lift hashes. Measured by the
///         demo (`openSubgame` gas in `zkfp demo`).
contract GraphVmLink is IPhaseLink {
    error BadLinkConfig(uint256 opCount, uint256 depth, uint256 m);

    uint256 internal constant P = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 internal constant NODE_MAGIC = 0x314e4b5a;
    uint256 internal constant OUT_WORD = 0x80000;
    uint256 internal constant TREE_DEPTH = 10;
    uint256 internal constant NONE = type(uint256).max;
    uint256 internal constant MAX_PARAMS = 64;
    uint256 internal constant MAX_INPUTS = 16;

    bytes32 public immutable opsRoot;
    uint256 public immutable opCount;
    /// @notice depth of the 4-ary graph tree (ml/FORMAT.md: max(1, ceil(log4(#nodes))))
    uint256 public immutable graphDepth;
    uint256 public immutable m;
    uint256 public immutable core0;
    uint256 public immutable mem0;
    uint256 public immutable code0;
    uint256 internal immutable PRE0;
    uint256 internal immutable OPS_DEPTH;

    struct Proof {
        uint256 t;
        uint256 node;
        uint256 prev;
        uint256 op;
        uint256[] params;
        uint256[] inputs;
        uint256[] inputLens;
        uint256 outLen;
        bytes32[] opsProof;
        uint256[] inputLeaves;
        uint256[][] inputProofs;
        uint256 prevLeaf;
        uint256[] prevProof;
        uint256[] outProof;
        uint256 memSub;
        uint256[] memProof;
        uint256 pcEnd;
        uint256 stepEnd;
        uint256 regsRootEnd;
        uint256 ioPreEnd;
    }

    constructor(
        bytes32 opsRoot_,
        uint256 opCount_,
        uint256 graphDepth_,
        uint256 m_,
        uint256 core0_,
        uint256 mem0_,
        uint256 code0_
    ) {
        if (opCount_ == 0 || graphDepth_ == 0 || graphDepth_ > 16 || m_ == 0) {
            revert BadLinkConfig(opCount_, graphDepth_, m_);
        }
        opsRoot = opsRoot_;
        opCount = opCount_;
        graphDepth = graphDepth_;
        m = m_;
        core0 = core0_;
        mem0 = mem0_;
        code0 = code0_;
        PRE0 = LibPoseidon.p2(0, 0);
        uint256 d;
        while ((uint256(1) << d) < opCount_) ++d;
        OPS_DEPTH = d;
    }

    function verifyLink(
        bytes32 outerPre,
        bytes32 outerPost,
        bytes32 innerStart,
        bytes32 innerEnd,
        uint256 innerSteps,
        bytes calldata proof
    ) external view returns (bool) {
        Proof memory p = decodeProof(proof);
        uint256 ni = p.inputs.length;
        // 1. the node's descriptor
        bytes32 desc = keccak256(abi.encode(p.node, p.prev, p.op, p.params, p.inputs, p.inputLens, p.outLen));
        if (!_openOps(p.t, desc, p.opsProof)) return false;
        uint256 pre = uint256(outerPre);
        // 2. position pinning + the output slot (7: same siblings)
        if (LibTree4.root(p.node, 0, p.outProof) != pre) return false;
        if (p.t == 0) {
            if (p.prev != NONE) return false;
        } else if (p.prevLeaf == 0 || LibTree4.root(p.prev, p.prevLeaf, p.prevProof) != pre) {
            return false;
        }
        // 3. inputs under rootBefore, 4. the VM start root
        for (uint256 j; j < ni; ++j) {
            if (LibTree4.root(p.inputs[j], p.inputLeaves[j], p.inputProofs[j]) != pre) return false;
        }
        if (_startRoot(p) != uint256(innerStart)) return false;
        // 5.-7. the VM end state holds the output committed in rootAfter
        if (p.stepEnd == 0 || innerSteps != ((p.stepEnd + m - 1) / m) * m) return false;
        uint256 k = _subtreeLevel(p.outLen);
        uint256 memEnd = LibTree4.root(OUT_WORD >> (2 * k), p.memSub, p.memProof);
        uint256 lifted = p.memSub;
        for (uint256 l = k; l < TREE_DEPTH; ++l) {
            uint256 z = LibTree4.zero(l);
            lifted = LibPoseidon.p4(lifted, z, z, z);
        }
        uint256 leaf = LibPoseidon.p2(lifted, p.outLen);
        if (LibTree4.root(p.node, leaf, p.outProof) != uint256(outerPost)) return false;
        uint256 coreEnd = LibPoseidon.p4(p.pcEnd, p.stepEnd, 1, p.regsRootEnd);
        return LibPoseidon.p4(coreEnd, memEnd, code0, p.ioPreEnd) == uint256(innerEnd);
    }

    /// @notice Decodes the flat proof (layout in the contract NatSpec); MalformedProof on any length error.
    function decodeProof(bytes calldata b) public view returns (Proof memory p) {
        if (b.length % 32 != 0) revert MalformedProof(b.length, b.length);
        uint256 c;
        p.t = LibTree4.word(b, c++);
        p.node = LibTree4.word(b, c++);
        p.prev = LibTree4.word(b, c++);
        p.op = LibTree4.word(b, c++);
        uint256 np = LibTree4.word(b, c++);
        if (np > MAX_PARAMS) revert MalformedProof(32 * (c - 1), b.length);
        (p.params, c) = _words(b, c, np);
        uint256 ni = LibTree4.word(b, c++);
        if (ni > MAX_INPUTS) revert MalformedProof(32 * (c - 1), b.length);
        (p.inputs, c) = _words(b, c, ni);
        (p.inputLens, c) = _words(b, c, ni);
        p.outLen = LibTree4.word(b, c++);
        uint256[] memory ops;
        (ops, c) = _words(b, c, OPS_DEPTH);
        p.opsProof = new bytes32[](OPS_DEPTH);
        for (uint256 i; i < OPS_DEPTH; ++i) {
            p.opsProof[i] = bytes32(ops[i]);
        }
        uint256 gp = 3 * graphDepth;
        (p.inputLeaves, c) = _words(b, c, ni);
        p.inputProofs = new uint256[][](ni);
        for (uint256 j; j < ni; ++j) {
            (p.inputProofs[j], c) = _words(b, c, gp);
        }
        if (p.t > 0) {
            p.prevLeaf = LibTree4.word(b, c++);
            (p.prevProof, c) = _words(b, c, gp);
        }
        (p.outProof, c) = _words(b, c, gp);
        p.memSub = LibTree4.word(b, c++);
        if (p.outLen > 4 << (2 * TREE_DEPTH)) revert MalformedProof(32 * 7, b.length);
        (p.memProof, c) = _words(b, c, 3 * (TREE_DEPTH - _subtreeLevel(p.outLen)));
        p.pcEnd = LibTree4.word(b, c++);
        p.stepEnd = LibTree4.word(b, c++);
        p.regsRootEnd = LibTree4.word(b, c++);
        p.ioPreEnd = LibTree4.word(b, c++);
        if (32 * c != b.length) revert MalformedProof(32 * c, b.length);
    }

    function _words(bytes calldata b, uint256 c, uint256 n) internal pure returns (uint256[] memory w, uint256 next) {
        if (32 * (c + n) > b.length) revert MalformedProof(32 * c, b.length);
        w = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            w[i] = LibTree4.word(b, c + i);
        }
        next = c + n;
    }

    /// @dev node.elf's initial root for the node's input stream (vm/STATE.md "State and its root").
    function _startRoot(Proof memory p) internal view returns (uint256) {
        uint256 ni = p.inputs.length;
        uint256 np = p.params.length;
        uint256[] memory w = new uint256[](5 + np + 9 * ni);
        w[0] = NODE_MAGIC;
        w[1] = 1;
        w[2] = p.op;
        w[3] = np;
        for (uint256 i; i < np; ++i) {
            w[4 + i] = p.params[i];
        }
        w[4 + np] = ni;
        uint256 o = 5 + np;
        uint256 prevKey;
        uint256 two256 = (type(uint256).max % P) + 1; // 2^256 mod p
        for (uint256 j; j < ni; ++j) {
            uint256 key = p.inputLeaves[j]; // < p: opened under rootBefore (LibPoseidon checks)
            if (p.inputLens[j] > type(uint32).max) return 0;
            uint256 sel = addmod(key, P - mulmod(prevKey, two256, P), P);
            w[o++] = p.inputLens[j];
            for (uint256 b; b < 8; ++b) {
                w[o++] = (sel >> (32 * (7 - b))) & 0xffffffff;
            }
            prevKey = key;
        }
        for (uint256 i; i < 4 + np; ++i) {
            if (w[i] > type(uint32).max) return 0;
        }
        uint256 inputRoot = LibTree4.dense(w, TREE_DEPTH);
        uint256 io = LibPoseidon.p4(inputRoot, 4 * (5 + np + 9 * ni), 0, 0);
        return LibPoseidon.p4(core0, mem0, code0, LibPoseidon.p2(io, PRE0));
    }

    function _subtreeLevel(uint256 bytesLen) internal pure returns (uint256 k) {
        uint256 words = (bytesLen + 3) / 4;
        if (words == 0) words = 1;
        while ((uint256(1) << (2 * k)) < words) ++k;
    }

    function _openOps(uint256 t, bytes32 leaf, bytes32[] memory proof) internal view returns (bool) {
        if (t >= opCount) return false;
        bytes32 h = leaf;
        for (uint256 i; i < proof.length; ++i) {
            h = (t >> i) & 1 == 0 ? keccak256(abi.encodePacked(h, proof[i])) : keccak256(abi.encodePacked(proof[i], h));
        }
        return h == opsRoot;
    }
}
