// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Vm} from "forge-std/Vm.sol";
import {RV32IMBase} from "./RV32IMBase.sol";

/// @notice Replays the bulk differential set (>= 10^4 distinct steps of guest runs and random
///         instructions) that `npx tsx contracts/test/fixtures/gen.ts --ensure` writes into
///         contracts/test/fixtures/generated/ (gitignored): every post-root must equal the TS
///         machine's. Each test first runs that command through ffi (foundry.toml `ffi = true`), so
///         `forge test` alone generates the set when it is missing or stale (~1-2 min) and finds it
///         up to date otherwise; the generator serialises the parallel calls with a lock.
/// @dev    Sharded into SHARDS test functions (chunk c goes to shard c % SHARDS) so forge runs them
///         on all cores; gas metering is reset after each chunk because 10^4 steps of ~2.3M gas
///         exceed the per-test gas limit (a chunk of <= 250 steps does not). A missing set fails
///         (never a silent skip). Chunk format: records of pre | post | witness[165] (32-byte words).
contract GeneratedStepsTest is RV32IMBase {
    uint256 internal constant SHARDS = 8;
    uint256 internal constant REC = 32 * (2 + 165);
    string internal constant DIR = "contracts/test/fixtures/generated/";

    /// Generates the set unless it is up to date (see the contract's notice).
    function _ensure() internal {
        string[] memory cmd = new string[](4);
        (cmd[0], cmd[1], cmd[2], cmd[3]) = ("npx", "tsx", "contracts/test/fixtures/gen.ts", "--ensure");
        Vm.FfiResult memory r = vm.tryFfi(cmd);
        if (r.exitCode != 0) revert(string.concat("gen.ts --ensure failed: ", string(r.stderr)));
    }

    function _manifest() internal view returns (uint256 count, uint256 chunks, uint256 chunkSize) {
        string memory path = string.concat(DIR, "manifest.json");
        if (!vm.exists(path)) {
            revert("missing generated fixtures: run `npx tsx contracts/test/fixtures/gen.ts --bulk` first");
        }
        string memory m = vm.readFile(path);
        count = vm.parseJsonUint(m, ".count");
        chunks = vm.parseJsonUint(m, ".chunks");
        chunkSize = vm.parseJsonUint(m, ".chunkSize");
        assertEq(vm.parseJsonUint(m, ".recordBytes"), REC, "record size");
        assertEq(chunks, (count + chunkSize - 1) / chunkSize, "chunk count");
    }

    /// The issue's floor: at least 10^4 distinct steps (override: env ZKFP_RV32IM_MIN_STEPS).
    function test_generatedSteps_atLeast10k() public {
        _ensure();
        (uint256 count,,) = _manifest();
        assertGe(count, vm.envOr("ZKFP_RV32IM_MIN_STEPS", uint256(10_000)), "too few generated steps");
    }

    function _shard(uint256 k) internal {
        _ensure();
        (uint256 count, uint256 chunks, uint256 chunkSize) = _manifest();
        for (uint256 c = k; c < chunks; c += SHARDS) {
            string memory path = string.concat(DIR, "steps-", _pad4(c), ".bin");
            uint256 want = c + 1 < chunks ? chunkSize : count - c * chunkSize;
            assertEq(this.replayChunk(path), want, path);
            vm.resetGasMetering();
        }
    }

    function test_replay_generatedSteps_shard0() public {
        _shard(0);
    }

    function test_replay_generatedSteps_shard1() public {
        _shard(1);
    }

    function test_replay_generatedSteps_shard2() public {
        _shard(2);
    }

    function test_replay_generatedSteps_shard3() public {
        _shard(3);
    }

    function test_replay_generatedSteps_shard4() public {
        _shard(4);
    }

    function test_replay_generatedSteps_shard5() public {
        _shard(5);
    }

    function test_replay_generatedSteps_shard6() public {
        _shard(6);
    }

    function test_replay_generatedSteps_shard7() public {
        _shard(7);
    }

    /// Replays one chunk; external so each chunk's memory is released. Returns the record count.
    function replayChunk(string memory path) external view returns (uint256 n) {
        bytes memory data = vm.readFileBinary(path);
        assertEq(data.length % REC, 0, "chunk length");
        n = data.length / REC;
        for (uint256 i = 0; i < n; i++) {
            uint256 base = i * REC;
            bytes32 pre;
            bytes32 post;
            uint256[165] memory w;
            assembly {
                let p := add(add(data, 0x20), base)
                pre := mload(p)
                post := mload(add(p, 0x20))
                mcopy(w, add(p, 0x40), mul(165, 0x20))
            }
            assertEq(verifier.step(pre, w), post, string.concat(path, " record ", vm.toString(i)));
        }
    }

    function _pad4(uint256 x) internal pure returns (string memory) {
        bytes memory s = bytes(vm.toString(x));
        while (s.length < 4) s = bytes.concat("0", s);
        return string(s);
    }
}
