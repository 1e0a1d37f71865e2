// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IPhaseLink
/// @notice Binds a sub-game of phase p+1 to the disputed leaf of phase p. At a leaf of a phase that
///         is not the last one, the defender opens the sub-game with `innerStart`, `innerEnd` and
///         `innerSteps`; the game calls `verifyLink` and accepts only if the outer agreed checkpoint
///         `outerPre` commits to `innerStart`, the disputed checkpoint `outerPost` commits to
///         `innerEnd`, and the two commit to `innerSteps` inner steps between them.
/// @dev    A link must be binding: for a given (outerPre, outerPost) at most one
///         (innerStart, innerEnd, innerSteps) may be accepted, otherwise a lying defender could open a
///         sub-game with roots unrelated to the outer ones. Implementations:
///         `MerklePhaseLink` (contracts/src/game, keccak Merkle openings; used by the alphabet tests)
///         and, later, the computation-graph link of the ML phase (graph root -> node VM start/end).
interface IPhaseLink {
    function verifyLink(
        bytes32 outerPre,
        bytes32 outerPost,
        bytes32 innerStart,
        bytes32 innerEnd,
        uint256 innerSteps,
        bytes calldata proof
    ) external view returns (bool);
}
