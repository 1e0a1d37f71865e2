// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IArbitrator
/// @notice Settles the leaf of the last phase of a zkfp dispute game: the defender (claimer) asserts
///         that `postRoot` is the state `span` steps after `preRoot`; `proof` is opaque to the game.
/// @dev    Implementations: `AlphabetArbitrator` (contracts/src/alphabet, any span, proof = the start
///         index), the RV32IM one-step verifier wrapped for span = 1 (contracts/src/rv32im, proof = the
///         165-element step witness), a Groth16 m-step arbitrator (zk/, proof = Groth16 proof plus
///         whatever binding its circuit needs, e.g. the start step).
///         Semantics the game relies on: `true` means the transition is proven; `false` (or a revert)
///         means only that THIS proof does not prove it, so the game never lets a rejection decide
///         against the defender: a defender that cannot prove loses on its clock.
///         `span` is 1..m of the last phase (never 0).
interface IArbitrator {
    function arbitrate(bytes32 preRoot, bytes32 postRoot, uint256 span, bytes calldata proof) external returns (bool);
}
