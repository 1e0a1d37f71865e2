// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {PoseidonT3} from "poseidon-solidity/PoseidonT3.sol";
import {PoseidonT5} from "poseidon-solidity/PoseidonT5.sol";

/// @title LibPoseidon
/// @notice The two Poseidon hashes of zkfp's state commitment (vm/STATE.md): P2 = Poseidon t = 3 and
///         P4 = Poseidon t = 5 over BN254 with circomlib's parameters (equal to circomlibjs
///         `poseidon([..])` and circomlib `Poseidon(n)`; checked against circomlibjs vectors in
///         contracts/test/rv32im/Poseidon.t.sol).
/// @dev    Implementation choice, measured in Poseidon.t.sol (`forge test --match-contract
///         PoseidonTest -vv`, gas per hash of a warm call incl. the call site, optimizer runs 1e6):
///
///           implementation                                  P2        P4
///           npm poseidon-solidity 0.0.5 (source, linked)    ~21.6k    ~54.6k   <- used
///           circomlibjs 0.1.7 poseidonContract.createCode   ~34.5k    ~75.6k
///
///         (exact figures of the last run: see the report / the test log). poseidon-solidity's
///         libraries have `public` functions, so they are deployed once and linked (DELEGATECALL);
///         forge links them automatically, contracts/test/ts/deploy.ts links them for anvil.
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
