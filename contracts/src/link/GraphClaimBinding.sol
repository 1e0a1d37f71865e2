// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IClaimBinding} from "../interfaces/IClaimBinding.sol";
import {LibPoseidon} from "../rv32im/LibPoseidon.sol";
import {LibTree4} from "./LibTree4.sol";
import {BadOpeningLength, BadInputLength, OpeningMismatch} from "./Errors.sol";

/// @title GraphClaimBinding
/// @notice IClaimBinding for a claim "model M on input I answers A" played over M's computation graph
///         (ml/FORMAT.md "Graph commitment": a 4-ary Poseidon tree of depth `depth` whose leaf i is
///         P2(blobRoot(output bytes of node i), byteLen), empty = 0). Fixed at deployment:
///           baseRoot    the graph tree with every const node's leaf set and every other slot empty
///                       (the weights);
///           firstInput, inputLens   the input nodes are firstInput .. firstInput + n - 1, with these
///                       byte lengths (MNIST: one u8/i8 image node; stories260K: one i32 node per
///                       prompt token); the claim's input is their bytes concatenated;
///           outputNode  the node holding the answer (MNIST: the class i32[1]; stories: the next token);
///           opsRoot, nodeProgram   what the phase link (GraphVmLink) holds, folded into programHash.
///         startRoot(input, aux): from baseRoot, for each input node j in order, checks that its slot
///           is empty under the running root with the 3 * depth siblings in aux (flat 32-byte words,
///           n * 3 * depth of them) and sets leaf_j = P2(blobRoot(bytes_j), len_j) with the same
///           siblings: the graph root before the first op.
///         outputOf(finalRoot, opening): opening = leaf ++ 3 * depth siblings of outputNode; the leaf
///           must open under finalRoot (else OpeningMismatch); output = that leaf, or NO_OUTPUT if the
///           slot is empty. A consumer checks an answer A with `answerLeaf(A) == output`.
///         TS twin: protocol/link/graph.ts.
/// @dev    Gas: per input node a blob tree (ceil(len/4)/3 + 10 P4) and 2 * depth P4 (SECURITY.md).
contract GraphClaimBinding is IClaimBinding {
    bytes32 internal constant NO_OUTPUT = bytes32(type(uint256).max);

    error BadGraphBinding(uint256 depth, uint256 inputs);

    uint256 public immutable baseRoot;
    uint256 public immutable depth;
    uint256 public immutable firstInput;
    uint256 public immutable outputNode;
    uint256 public immutable inputBytes;
    bytes32 public immutable programHash;
    uint256[] internal inputLens;

    constructor(
        uint256 baseRoot_,
        uint256 depth_,
        uint256 firstInput_,
        uint256[] memory inputLens_,
        uint256 outputNode_,
        bytes32 opsRoot,
        bytes32 nodeProgram
    ) {
        if (depth_ == 0 || depth_ > 16 || inputLens_.length == 0) revert BadGraphBinding(depth_, inputLens_.length);
        baseRoot = baseRoot_;
        depth = depth_;
        firstInput = firstInput_;
        outputNode = outputNode_;
        inputLens = inputLens_;
        uint256 total;
        for (uint256 j; j < inputLens_.length; ++j) total += inputLens_[j];
        inputBytes = total;
        programHash = keccak256(
            abi.encode("zkfp.graph", baseRoot_, depth_, firstInput_, inputLens_, outputNode_, opsRoot, nodeProgram)
        );
    }

    function inputLengths() external view returns (uint256[] memory) {
        return inputLens;
    }

    function startRoot(bytes calldata input, bytes calldata aux) external view returns (bytes32) {
        if (input.length != inputBytes) revert BadInputLength(input.length, inputBytes);
        uint256 n = inputLens.length;
        uint256 per = 96 * depth;
        if (aux.length != n * per) revert BadOpeningLength(aux.length, n * per);
        uint256 r = baseRoot;
        uint256 off;
        for (uint256 j; j < n; ++j) {
            uint256 len = inputLens[j];
            uint256 idx = firstInput + j;
            uint256 empty = LibTree4.rootCd(idx, 0, aux, j * per, depth);
            if (empty != r) revert OpeningMismatch(bytes32(r), bytes32(empty));
            uint256 leaf = LibPoseidon.p2(LibTree4.bytesRoot(input, off, len), len);
            r = LibTree4.rootCd(idx, leaf, aux, j * per, depth);
            off += len;
        }
        return bytes32(r);
    }

    function outputOf(bytes32 finalRoot, bytes calldata opening) external view returns (bytes32) {
        uint256 want = 32 + 96 * depth;
        if (opening.length != want) revert BadOpeningLength(opening.length, want);
        uint256 leaf = LibTree4.word(opening, 0);
        uint256 r = LibTree4.rootCd(outputNode, leaf, opening, 32, depth);
        if (bytes32(r) != finalRoot) revert OpeningMismatch(finalRoot, bytes32(r));
        return leaf == 0 ? NO_OUTPUT : bytes32(leaf);
    }

    /// @notice The leaf an answer's bytes commit to (compare with a claim's output).
    function answerLeaf(bytes calldata answer) external pure returns (bytes32) {
        return bytes32(LibPoseidon.p2(LibTree4.bytesRoot(answer, 0, answer.length), answer.length));
    }
}
