// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IArbitrator} from "../interfaces/IArbitrator.sol";

/// @title AlphabetArbitrator
/// @notice Arbitrator of zkfp's trivial machine (OP's AlphabetVM idea): the state after step i is
///         S(i) = keccak256(abi.encode(uint256(i))), i.e. the machine only counts (n -> n + 1), and a
///         state is a hash so roots look like real commitments. It accepts (pre, post, span, proof)
///         iff proof = abi.encode(uint256 i) with S(i) == pre and S(i + span) == post: the real
///         relation for any span, so the same contract is the one-step (m = 1) and the m-step
///         arbitrator and games over N = 2^40 steps stay playable (the state is O(1) to compute).
///         Twin: protocol/trace/alphabet.ts (`alphabetRoot`).
/// @dev    Pitfall: span 0 would accept pre == post; the game never asks for span 0.
contract AlphabetArbitrator is IArbitrator {
    function arbitrate(bytes32 preRoot, bytes32 postRoot, uint256 span, bytes calldata proof)
        external
        pure
        returns (bool)
    {
        if (proof.length != 32) return false;
        uint256 i = abi.decode(proof, (uint256));
        if (i > type(uint256).max - span) return false;
        return stateAt(i) == preRoot && stateAt(i + span) == postRoot;
    }

    function stateAt(uint256 i) public pure returns (bytes32) {
        return keccak256(abi.encode(i));
    }
}
