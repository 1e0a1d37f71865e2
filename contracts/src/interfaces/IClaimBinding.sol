// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IClaimBinding
/// @notice Ties a claim's free parameters to the statement it makes about (program or model, input,
///         output). A DisputeGame holds one binding (immutable): `claim` accepts only its
///         `programHash`, and two binding moves (`disputeStart`, `disputeOutput`) let anyone reject a
///         claim whose start root does not follow from the program and the posted input, or whose
///         output is not the one opened from its final root. Bindings are lazy (checked only when
///         disputed) and deterministic: the honest claimer can never lose a binding move, a liar always can.
/// @dev    Implementations (contracts/src/link): `RV32IMClaimBinding` (a guest ELF; start = vm/STATE.md
///         initial state, output = outHash of an exited(0) final state), `GraphClaimBinding` (an ML
///         model's computation graph; start = base graph root + input leaves, output = the output
///         node's leaf), `AlphabetClaimBinding` (the trivial machine of the game tests).
///         Rules every implementation follows:
///          - `startRoot` and `outputOf` are pure functions of their arguments and the binding's
///            immutables: the same (input, aux) always derives the same root, whatever `aux` an
///            honest party or a liar supplies (aux holds only openings checked against committed roots);
///          - malformed `aux` / `opening` (wrong length, non-canonical field element, opening that
///            does not reach the committed root) reverts with a typed error, never returns a value;
///          - `startRoot` returns `NO_START` (= 2^256 - 1, which no claim may post) for an input the
///            program or model cannot take (wrong length, longer than its input tree): the posted
///            input is the claimer's choice, so it must make the claim lose, never make the move revert;
///          - `outputOf` returns `NO_OUTPUT` (= 2^256 - 1, which no claim may post) when the final
///            state is well opened but holds no answer (did not exit with 0, output slot empty).
interface IClaimBinding {
    function programHash() external view returns (bytes32);

    /// @notice The longest input a claim may post or publish (`InputTooLong` otherwise): it bounds the
    ///         calldata and gas of the `disputeStart` that answers such a claim (SECURITY.md).
    function maxInputBytes() external view returns (uint256);

    function startRoot(bytes calldata input, bytes calldata aux) external view returns (bytes32);

    function outputOf(bytes32 finalRoot, bytes calldata opening) external view returns (bytes32);
}

/// @title IBindingMoveCaller
/// @notice What a binding may ask its caller during a binding move: DisputeGame reports the caller of
///         the `disputeStart` under way (zero outside one). GraphClaimBinding keys its partial start
///         roots by that mover, so only whoever paid for the `advance` chunks can finish from them.
interface IBindingMoveCaller {
    function bindingMover() external view returns (address);
}
