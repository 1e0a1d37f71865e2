// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IClaimBinding, IBindingMoveCaller} from "../interfaces/IClaimBinding.sol";
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
///         startRoot(input, aux): NO_START if input.length != the sum of inputLens (checked before aux);
///           else from baseRoot, for each input node j in order, checks that its slot
///           is empty under the running root with the 3 * depth siblings in aux (flat 32-byte words,
///           n * 3 * depth of them) and sets leaf_j = P2(blobRoot(bytes_j), len_j) with the same
///           siblings: the graph root before the first op.
///         outputOf(finalRoot, opening): opening = leaf ++ 3 * depth siblings of outputNode; the leaf
///           must open under finalRoot (else OpeningMismatch); output = that leaf, or NO_OUTPUT if the
///           slot is empty. A consumer checks an answer A with `answerLeaf(A) == output`.
///         Long inputs (many input nodes) exceed a block: anyone may `advance` the derivation over
///           input nodes [from, to) in its own transaction; the contract stores the partial root
///           under (keccak(input), msg.sender, to), checked like the one-shot path (slot empty under
///           the running root, same siblings), so no caller can store a wrong one. startRoot then
///           resumes with aux = uint256 from ++ the siblings of nodes [from, n) (length = 32 mod
///           96 depth) from a partial root of the move's MOVER: under a DisputeGame `disputeStart`
///           the game's `bindingMover()` (the move's caller), for any other caller the caller
///           itself. So whoever paid for the chunks is the only one who can finish the move from
///           them and be paid for it (a sock that resumed from an honest challenger's chunks would
///           take the binding reward for free; attack3, protocol/actors/attack/long-prompt.test.ts),
///           whatever sends its transactions: keyed by tx.origin, smart wallets sent by one bundler
///           or relayer shared their chunks and a wallet sent by two could not finish (attack6,
///           contracts/test/attack/RelayedAdvance.t.sol). Pitfall: a shared forwarder contract
///           (Multicall3) is itself the mover of whatever it forwards: chunks and reward are its.
///         TS twin: protocol/link/graph-claim.ts.
/// @dev    Gas: per input node a blob tree (ceil(len/4)/3 + 10 P4) and 2 * depth P4 (SECURITY.md).
contract GraphClaimBinding is IClaimBinding {
    bytes32 internal constant NO_OUTPUT = bytes32(type(uint256).max);
    bytes32 internal constant NO_START = bytes32(type(uint256).max);

    error BadGraphBinding(uint256 depth, uint256 inputs);
    /// `advance` over an empty or out-of-range span of input nodes.
    error BadInputRange(uint256 from, uint256 to, uint256 inputs);
    /// No partial start root is stored for this input up to `from` (advance first).
    error NoPartialRoot(bytes32 inputHash, uint256 from);

    event PartialStartRoot(bytes32 indexed inputHash, uint256 upTo, bytes32 root);

    uint256 public immutable baseRoot;
    uint256 public immutable depth;
    uint256 public immutable firstInput;
    uint256 public immutable outputNode;
    uint256 public immutable inputBytes;
    bytes32 public immutable programHash;
    uint256[] internal inputLens;
    /// @notice partial start roots: keccak256(input) => mover (`advance`'s caller) => input nodes
    ///         applied => graph root (0 = none)
    mapping(bytes32 => mapping(address => mapping(uint256 => uint256))) public partialRoot;

    constructor(
        uint256 baseRoot_,
        uint256 depth_,
        uint256 firstInput_,
        uint256[] memory inputLens_,
        uint256 outputNode_,
        bytes32 opsRoot,
        bytes32 nodeProgram
    ) {
        if (depth_ == 0 || depth_ > 16 || inputLens_.length == 0) {
            revert BadGraphBinding(depth_, inputLens_.length);
        }
        baseRoot = baseRoot_;
        depth = depth_;
        firstInput = firstInput_;
        outputNode = outputNode_;
        inputLens = inputLens_;
        uint256 total;
        for (uint256 j; j < inputLens_.length; ++j) {
            total += inputLens_[j];
        }
        inputBytes = total;
        programHash = keccak256(
            abi.encode("zkfp.graph", baseRoot_, depth_, firstInput_, inputLens_, outputNode_, opsRoot, nodeProgram)
        );
    }

    /// @notice A graph takes exactly `inputBytes`; a shorter input derives NO_START.
    function maxInputBytes() external view returns (uint256) {
        return inputBytes;
    }

    function inputLengths() external view returns (uint256[] memory) {
        return inputLens;
    }

    function startRoot(bytes calldata input, bytes calldata aux) external view returns (bytes32) {
        // an input the model cannot take: the claim is false whatever its start root (NO_START)
        if (input.length != inputBytes) return NO_START;
        uint256 n = inputLens.length;
        uint256 per = 96 * depth;
        if (aux.length % per == 32) {
            // resume from a stored partial root: aux = from ++ siblings of nodes [from, n)
            uint256 from = LibTree4.word(aux, 0);
            bytes32 h = keccak256(input);
            uint256 r0 = from == 0 || from > n ? 0 : partialRoot[h][_mover()][from];
            if (r0 == 0) revert NoPartialRoot(h, from);
            if (aux.length != 32 + (n - from) * per) revert BadOpeningLength(aux.length, 32 + (n - from) * per);
            return bytes32(_apply(input, r0, from, n, aux, 32));
        }
        if (aux.length != n * per) revert BadOpeningLength(aux.length, n * per);
        return bytes32(_apply(input, baseRoot, 0, n, aux, 0));
    }

    /// @notice Applies input nodes [from, to) to the caller's stored partial root at `from` (the
    ///         base root for from = 0) and stores the result at `to` for the caller; aux = their
    ///         siblings. Anyone may call it.
    function advance(bytes calldata input, uint256 from, uint256 to, bytes calldata aux) external returns (bytes32) {
        if (input.length != inputBytes) revert BadInputLength(input.length, inputBytes);
        uint256 n = inputLens.length;
        if (from >= to || to > n) revert BadInputRange(from, to, n);
        bytes32 h = keccak256(input);
        uint256 r = from == 0 ? baseRoot : partialRoot[h][msg.sender][from];
        if (r == 0) revert NoPartialRoot(h, from);
        uint256 per = 96 * depth;
        if (aux.length != (to - from) * per) revert BadOpeningLength(aux.length, (to - from) * per);
        r = _apply(input, r, from, to, aux, 0);
        partialRoot[h][msg.sender][to] = r;
        emit PartialStartRoot(h, to, bytes32(r));
        return bytes32(r);
    }

    /// @dev Whose partial roots a resumed startRoot reads: a caller with code that reports a non-zero
    ///      `bindingMover()` (a DisputeGame during `disputeStart`) names the mover; otherwise the caller.
    ///      A contract that names another mover only reads a root anyone can derive in one shot: the
    ///      chunks are worth something only to a real game's move, and a game names its own caller.
    function _mover() internal view returns (address) {
        (bool ok, bytes memory r) = msg.sender.staticcall(abi.encodeCall(IBindingMoveCaller.bindingMover, ()));
        if (ok && r.length == 32) {
            uint256 m = abi.decode(r, (uint256));
            if (m != 0 && m <= type(uint160).max) return address(uint160(m));
        }
        return msg.sender;
    }

    /// @dev From root `r`, sets the leaves of input nodes [from, to), each after checking its slot is
    ///      empty with the 3 * depth siblings read from aux at byte `off` (consecutive per node).
    function _apply(bytes calldata input, uint256 r, uint256 from, uint256 to, bytes calldata aux, uint256 off)
        internal
        view
        returns (uint256)
    {
        uint256 at;
        for (uint256 j; j < from; ++j) {
            at += inputLens[j];
        }
        for (uint256 j = from; j < to; ++j) {
            uint256 leaf = _leaf(input, at, inputLens[j]);
            at += inputLens[j];
            r = _set(r, firstInput + j, leaf, aux, off + (j - from) * 96 * depth);
        }
        return r;
    }

    function _leaf(bytes calldata input, uint256 at, uint256 len) internal pure returns (uint256) {
        return LibPoseidon.p2(LibTree4.bytesRoot(input, at, len), len);
    }

    /// @dev Checks slot `idx` is empty under `r` with the siblings at aux[o:] and sets `leaf` there.
    function _set(uint256 r, uint256 idx, uint256 leaf, bytes calldata aux, uint256 o) internal view returns (uint256) {
        uint256 empty = LibTree4.rootCd(idx, 0, aux, o, depth);
        if (empty != r) revert OpeningMismatch(bytes32(r), bytes32(empty));
        return LibTree4.rootCd(idx, leaf, aux, o, depth);
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
