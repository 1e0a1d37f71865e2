// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IClaimBinding} from "../interfaces/IClaimBinding.sol";
import {BadOpeningLength, OpeningMismatch} from "../link/Errors.sol";

/// @title AlphabetClaimBinding
/// @notice IClaimBinding of zkfp's trivial machine (AlphabetArbitrator: S(i) = keccak(abi.encode(i))):
///         the machine ignores its input and starts at i = 0; its output after n outer steps is n.
///         Phases 0..P-1 with `inners` = (n_1, .., n_{P-1}) phase-(p+1) steps per phase-p step:
///           Root_{P-1}(x) = S(x),  Root_p(x) = keccak(Root_{p+1}(x n_{p+1}) ++ bytes32(x n_{p+1}))
///         (MerklePhaseLink, depth 1; TS twin protocol/trace/alphabet.ts `AlphabetWorld.root`).
///           startRoot(input, aux)      = Root_0(0) (aux must be empty)
///           outputOf(finalRoot, n)     = bytes32(n) iff Root_0(n) = finalRoot (opening = abi.encode(uint256 n)),
///                                        else OpeningMismatch.
///         TS twin: protocol/link/alphabet.ts. Used by the game tests to exercise the binding moves apart
///         from any real VM.
contract AlphabetClaimBinding is IClaimBinding {
    uint256[] internal inners;

    constructor(uint256[] memory inners_) {
        inners = inners_;
    }

    function programHash() external view returns (bytes32) {
        return keccak256(abi.encode("zkfp.alphabet", inners));
    }

    /// @notice the machine ignores its input; claims may still carry up to 1 KiB (DA tests)
    function maxInputBytes() external pure returns (uint256) {
        return 1024;
    }

    function rootAt(uint256 x) public view returns (bytes32) {
        return _root(0, x);
    }

    function _root(uint256 p, uint256 x) internal view returns (bytes32) {
        if (p == inners.length) return keccak256(abi.encode(x));
        uint256 g = x * inners[p];
        return keccak256(abi.encodePacked(_root(p + 1, g), bytes32(g)));
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
