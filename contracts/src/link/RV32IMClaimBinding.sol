// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IClaimBinding} from "../interfaces/IClaimBinding.sol";
import {LibPoseidon} from "../rv32im/LibPoseidon.sol";
import {LibTree4} from "./LibTree4.sol";
import {BadOpeningLength, OpeningMismatch} from "./Errors.sol";

/// @title RV32IMClaimBinding
/// @notice IClaimBinding for a claim "guest ELF P on input I exits with 0 and writes outHash O"
///         (vm/STATE.md). P is fixed at deployment by the input-independent fields of its initial
///         state, computed from the ELF by the TS twin (protocol/link/rv32im.ts `rv32imProgram`):
///           core0 = P4(entry pc, 0, 0, regsRoot0), mem0 = memRoot of the loaded image, code0 = codeRoot.
///         startRoot(input, aux = "") = P4(core0, mem0, code0, P2(P4(inputRoot, len, 0, 0), P2(0, 0)))
///           with inputRoot the depth-10 4-ary tree of the input bytes as little-endian words;
///           NO_START for an input longer than MAX_INPUT = 2 KiB (also `maxInputBytes`, enforced at
///           claim / publishInput: a longer input would make the winning disputeStart exceed what
///           one transaction and the slot's payout can carry).
///         outputOf(finalRoot, opening) with opening = the 12 state fields as 32-byte words (pc, step,
///           status, regsRoot, memRoot, codeRoot, inputRoot, inputLen, inputPos, outHash, preimageKey,
///           preimageOffset): they must hash to finalRoot (else OpeningMismatch); the output is
///           outHash if status = exited(0) (= 1), else NO_OUTPUT.
///         programHash = keccak256(abi.encode("zkfp.rv32im", core0, mem0, code0)).
/// @dev    Gas: the input tree is ~W/3 + 10 P4 hashes for W input words (measured in SECURITY.md).
contract RV32IMClaimBinding is IClaimBinding {
    uint256 internal constant EXITED_0 = 1;
    bytes32 internal constant NO_OUTPUT = bytes32(type(uint256).max);
    bytes32 internal constant NO_START = bytes32(type(uint256).max);
    /// @notice the longest input a claim may carry: 2 KiB, so the winning `disputeStart` (one call,
    ///         ~W/3 + 10 P4 for W words: 10.4M gas with calldata at 2 KiB) stays under the 2^24
    ///         per-transaction cap and within the (1 - b) D it is paid (SECURITY.md); the depth-10
    ///         input tree itself would hold 4 MiB
    uint256 public constant MAX_INPUT = 2048;

    uint256 public immutable core0;
    uint256 public immutable mem0;
    uint256 public immutable code0;
    uint256 internal immutable PRE0;

    constructor(uint256 core0_, uint256 mem0_, uint256 code0_) {
        core0 = core0_;
        mem0 = mem0_;
        code0 = code0_;
        PRE0 = LibPoseidon.p2(0, 0);
        // the image fields are hashed on every startRoot: reject a non-canonical image at deployment
        LibPoseidon.p4(core0_, mem0_, code0_, 0);
    }

    function programHash() external view returns (bytes32) {
        return keccak256(abi.encode("zkfp.rv32im", core0, mem0, code0));
    }

    function maxInputBytes() external pure returns (uint256) {
        return MAX_INPUT;
    }

    function startRoot(bytes calldata input, bytes calldata aux) external view returns (bytes32) {
        if (aux.length != 0) revert BadOpeningLength(aux.length, 0);
        // an input longer than the program takes: the claim is false
        if (input.length > MAX_INPUT) return NO_START;
        uint256 inputRoot = LibTree4.bytesRoot(input, 0, input.length);
        uint256 io = LibPoseidon.p4(inputRoot, input.length, 0, 0);
        return bytes32(LibPoseidon.p4(core0, mem0, code0, LibPoseidon.p2(io, PRE0)));
    }

    function outputOf(bytes32 finalRoot, bytes calldata opening) external pure returns (bytes32) {
        if (opening.length != 12 * 32) revert BadOpeningLength(opening.length, 12 * 32);
        uint256[12] memory f = abi.decode(opening, (uint256[12]));
        uint256 core = LibPoseidon.p4(f[0], f[1], f[2], f[3]);
        uint256 io = LibPoseidon.p4(f[6], f[7], f[8], f[9]);
        uint256 r = LibPoseidon.p4(core, f[4], f[5], LibPoseidon.p2(io, LibPoseidon.p2(f[10], f[11])));
        if (bytes32(r) != finalRoot) revert OpeningMismatch(finalRoot, bytes32(r));
        return f[2] == EXITED_0 ? bytes32(f[9]) : NO_OUTPUT;
    }
}
