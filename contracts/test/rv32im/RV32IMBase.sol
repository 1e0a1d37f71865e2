// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {RV32IMStepVerifier} from "../../src/rv32im/RV32IMStepVerifier.sol";
import {LibPoseidon} from "../../src/rv32im/LibPoseidon.sol";

/// @notice Shared fixture access for the RV32IM verifier tests. Fixtures are written by
///         contracts/test/fixtures/gen.ts (columnar JSON: names, classes, ignored, preRoots,
///         postRoots, witnesses); see that file for what each set contains.
abstract contract RV32IMBase is Test {
    uint256 internal constant P = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    string internal constant FIX = "contracts/test/fixtures/";

    RV32IMStepVerifier internal verifier;

    struct Fixture {
        string[] names;
        string[] classes;
        string[] ignored;
        bytes32[] pre;
        bytes32[] post;
        bytes[] witnesses;
    }

    function setUp() public virtual {
        verifier = new RV32IMStepVerifier();
    }

    function _load(string memory file) internal view returns (Fixture memory f) {
        string memory json = vm.readFile(string.concat(FIX, file));
        f.names = vm.parseJsonStringArray(json, ".names");
        f.classes = vm.parseJsonStringArray(json, ".classes");
        f.ignored = vm.parseJsonStringArray(json, ".ignored");
        f.pre = vm.parseJsonBytes32Array(json, ".preRoots");
        f.post = vm.parseJsonBytes32Array(json, ".postRoots");
        f.witnesses = vm.parseJsonBytesArray(json, ".witnesses");
    }

    function _w(bytes memory b) internal pure returns (uint256[165] memory) {
        return abi.decode(b, (uint256[165]));
    }

    /// Index of the record whose class (or, failing that, name) equals `key`.
    function _find(Fixture memory f, string memory key) internal pure returns (uint256) {
        for (uint256 i = 0; i < f.classes.length; i++) {
            if (keccak256(bytes(f.classes[i])) == keccak256(bytes(key))) return i;
        }
        for (uint256 i = 0; i < f.names.length; i++) {
            if (keccak256(bytes(f.names[i])) == keccak256(bytes(key))) return i;
        }
        revert(string.concat("no fixture ", key));
    }

    /// Witness offsets [lo, hi) that the step does not read (gen.ts `ignoredRange`).
    function _ignoredRange(string memory ig) internal pure returns (uint256 lo, uint256 hi) {
        bytes32 h = keccak256(bytes(ig));
        if (h == keccak256("afterPre")) return (12, 165);
        if (h == keccak256("afterCode")) return (34, 165);
        if (h == keccak256("blob")) return (132, 165);
        return (165, 165);
    }

    /// State root of the 12 pre-state fields (vm/STATE.md), computed independently of the verifier.
    function _stateRoot(uint256[165] memory w) internal pure returns (bytes32) {
        uint256 core = LibPoseidon.p4(w[0], w[1], w[2], w[3]);
        uint256 io = LibPoseidon.p4(w[6], w[7], w[8], w[9]);
        uint256 pre = LibPoseidon.p2(w[10], w[11]);
        return bytes32(LibPoseidon.p4(core, w[4], w[5], LibPoseidon.p2(io, pre)));
    }
}
