// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IClaimBinding} from "../interfaces/IClaimBinding.sol";
import {BadOpeningLength, OpeningMismatch} from "../link/Errors.sol";

/// @title AlphabetClaimBinding
/// @notice IClaimBinding of zkfp's trivial machine (AlphabetArbitrator: S(i) = keccak(abi.encode(i))):
///         the machine ignores its input and starts at i = 0; its output after n steps is n.
///         With `inner` > 0 the game has two phases and the outer root at outer step x is
///         keccak(S(x inner) ++ bytes32(x inner)) (MerklePhaseLink, depth 1); `inner` = 0: one phase.
///           startRoot(input, aux)      = outer root at 0 (aux must be empty)
///           outputOf(finalRoot, n)     = bytes32(n) iff the outer root at n is finalRoot (opening =
///                                        abi.encode(uint256 n)), else OpeningMismatch.
///         Twin: protocol/trace/alphabet.ts. Used by the game tests to exercise the binding moves apart
///         from any real VM.
contract AlphabetClaimBinding is IClaimBinding {
    uint256 public immutable inner;

    constructor(uint256 inner_) {
        inner = inner_;
    }

    function programHash() external view returns (bytes32) {
        return keccak256(abi.encode("zkfp.alphabet", inner));
    }

    function rootAt(uint256 x) public view returns (bytes32) {
        if (inner == 0) return keccak256(abi.encode(x));
        uint256 g = x * inner;
        return keccak256(abi.encodePacked(keccak256(abi.encode(g)), bytes32(g)));
    }

    function startRoot(bytes calldata, bytes calldata aux) external view returns (bytes32) {
        if (aux.length != 0) revert BadOpeningLength(aux.length, 0);
        return rootAt(0);
    }

    function outputOf(bytes32 finalRoot, bytes calldata opening) external view returns (bytes32) {
        if (opening.length != 32) revert BadOpeningLength(opening.length, 32);
        uint256 n = uint256(bytes32(opening));
        bytes32 r = rootAt(n);
        if (r != finalRoot) revert OpeningMismatch(finalRoot, r);
        return bytes32(n);
    }
}
