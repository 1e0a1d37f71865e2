// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PoseidonT3} from "poseidon-solidity/PoseidonT3.sol";
import {PoseidonT5} from "poseidon-solidity/PoseidonT5.sol";

/// @title LibPoseidon
/// @notice The two Poseidon hashes of zkfp's state commitment (vm/STATE.md): P2 = Poseidon t = 3 and
///         P4 = Poseidon t = 5 over BN254 with circomlib's parameters (equal to circomlibjs
///         `poseidon([..])` and circomlib `Poseidon(n)`; checked against circomlibjs vectors in
///         contracts/test/rv32im/Poseidon.t.sol).
/// @dev    Implementation choice, measured in contracts/test/rv32im/Poseidon.t.sol (`npx forge test
///         --match-contract PoseidonTest -vv`; warm STATICCALL with the same ABI-encoded input from
///         the same call site, solc 0.8.37, optimizer runs 1e6, 2026-11-25):
///
///           implementation                                   P2 (t=3)   P4 (t=5)
///           npm poseidon-solidity 0.0.5 (source, linked)      18,605     51,668   <- used
///           circomlibjs 0.1.7 poseidonContract.createCode     29,381     70,445
///           as called here (LibPoseidon, DELEGATECALL)        18,931     52,219
///
///         poseidon-solidity's libraries have `public` functions, so they are deployed once and
///         linked (DELEGATECALL); forge links them automatically, contracts/test/ts/deploy.ts links
///         them for anvil. poseidon-solidity mixes with the full t x t matrix in every partial round;
///         a sparse-matrix form (neptune / circomlibjs poseidon_opt) needs 2t - 1 instead of t^2
///         mulmods there, but fully unrolled in Yul it compiled to 36 KB (t = 3) / > 24 KiB per half
///         (t = 5) with solc 0.8.37 legacy codegen, i.e. beyond EIP-170 without a 2-3 way split
///         (tried 2026-11-25, not shipped).
///         Canonical inputs: poseidon-solidity reduces its inputs mod p silently, so x and x + p
///         would hash alike and any check made on the raw value before hashing (x != 0, x < 2^32)
///         could be bypassed. Every zkfp hash goes through p2/p4 below, which revert with
///         `NotAFieldElement(value)` on any input >= p (4 comparisons, ~100 gas per P4): the one
///         place that makes every Poseidon site of the contracts canonical (PROPERTIES.md P17 lists
///         them). Measured cost (contracts/rv32im.gas-snapshot): +46 gas per P2, +92 per P4, +0.2 % per
///         one-step verification.
library LibPoseidon {
    uint256 internal constant P = 21888242871839275222246405745257275088548364400416034343698204186575808495617;

    /// A value hashed as a field element is >= p (the hash would reduce it mod p).
    error NotAFieldElement(uint256 value);

    function p2(uint256 a, uint256 b) internal pure returns (uint256) {
        if (a >= P) revert NotAFieldElement(a);
        if (b >= P) revert NotAFieldElement(b);
        return PoseidonT3.hash([a, b]);
    }

    function p4(uint256 a, uint256 b, uint256 c, uint256 d) internal pure returns (uint256) {
        if (a >= P) revert NotAFieldElement(a);
        if (b >= P) revert NotAFieldElement(b);
        if (c >= P) revert NotAFieldElement(c);
        if (d >= P) revert NotAFieldElement(d);
        return PoseidonT5.hash([a, b, c, d]);
    }
}
