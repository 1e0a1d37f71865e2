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
///         Pitfall: the libraries reduce inputs mod p silently; callers must reject non-canonical
///         inputs themselves (the verifier checks every witness element < p first).
library LibPoseidon {
    function p2(uint256 a, uint256 b) internal pure returns (uint256) {
        return PoseidonT3.hash([a, b]);
    }

    function p4(uint256 a, uint256 b, uint256 c, uint256 d) internal pure returns (uint256) {
        return PoseidonT5.hash([a, b, c, d]);
    }
}
