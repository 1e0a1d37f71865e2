// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RV32IMBase} from "./RV32IMBase.sol";
import {LibPoseidon} from "../../src/rv32im/LibPoseidon.sol";
import {LibMerkle} from "../../src/rv32im/LibMerkle.sol";

/// Exposes the Merkle paths of a witness so their gas can be measured in isolation.
contract MerkleHarness {
    function memoryRoot(uint256[165] calldata w) external pure returns (uint256) {
        return LibMerkle.root4(w[69] >> 2, w[70], w, 71, 10);
    }

    function codeRoot(uint256[165] calldata w) external pure returns (uint256) {
        return LibMerkle.root4(w[0] >= 0x10000 ? (w[0] - 0x10000) >> 2 : 0, w[12], w, 13, 7);
    }

    function registerRoot(uint256[165] calldata w) external pure returns (uint256) {
        return LibMerkle.root2(w[34], w[35], w, 36, 5);
    }
}

/// @notice Gas benchmarks of the one-step verifier (`_benchmark` tests; committed snapshot:
///         `npx forge snapshot --match-contract StepVerifierBench --snap contracts/rv32im.gas-snapshot`).
///         Each test measures exactly one external call (fixture loading runs with gas metering
///         paused) on a real guest step of the named class from bench.json; Poseidon figures are warm
///         calls through LibPoseidon (linked-library DELEGATECALL, as inside the verifier).
contract StepVerifierBenchTest is RV32IMBase {
    MerkleHarness internal harness;

    function setUp() public override {
        super.setUp();
        harness = new MerkleHarness();
    }

    function _stepGas(string memory cls) internal {
        vm.pauseGasMetering();
        Fixture memory f = _load("bench.json");
        uint256 i = _find(f, cls);
        uint256[165] memory w = _w(f.witnesses[i]);
        bytes32 pre = f.pre[i];
        bytes32 post = f.post[i];
        vm.resumeGasMetering();
        bytes32 got = verifier.step(pre, w);
        vm.pauseGasMetering();
        assertEq(got, post, f.names[i]);
        vm.resumeGasMetering();
    }

    // ALU
    function test_benchmark_step_alu_addi() public {
        _stepGas("addi");
    }

    function test_benchmark_step_alu_add() public {
        _stepGas("add");
    }

    function test_benchmark_step_alu_lui() public {
        _stepGas("lui");
    }

    function test_benchmark_step_muldiv_mul() public {
        _stepGas("mul");
    }

    function test_benchmark_step_muldiv_divu() public {
        _stepGas("divu");
    }

    // loads and stores
    function test_benchmark_step_load_lw() public {
        _stepGas("lw");
    }

    function test_benchmark_step_load_lbu() public {
        _stepGas("lbu");
    }

    function test_benchmark_step_store_sw() public {
        _stepGas("sw");
    }

    function test_benchmark_step_store_sb() public {
        _stepGas("sb");
    }

    // control flow
    function test_benchmark_step_branch_beq() public {
        _stepGas("beq");
    }

    function test_benchmark_step_branch_bne() public {
        _stepGas("bne");
    }

    function test_benchmark_step_jump_jal() public {
        _stepGas("jal");
    }

    function test_benchmark_step_jump_jalr() public {
        _stepGas("jalr");
    }

    // syscalls
    function test_benchmark_step_syscall_readInput() public {
        _stepGas("read0");
    }

    function test_benchmark_step_syscall_readPreimage() public {
        _stepGas("read5");
    }

    function test_benchmark_step_syscall_writeStdout() public {
        _stepGas("write");
    }

    function test_benchmark_step_syscall_writePreimageKey() public {
        _stepGas("write6");
    }

    function test_benchmark_step_syscall_exit() public {
        _stepGas("exit");
    }

    // traps and halted states
    function test_benchmark_step_trap_fetchOutOfCode() public {
        _stepGas("fetchfault");
    }

    function test_benchmark_step_halted() public {
        _stepGas("halted");
    }

    // primitives
    function test_benchmark_poseidonP2() public {
        vm.pauseGasMetering();
        LibPoseidon.p2(1, 2); // warm the library account
        vm.resumeGasMetering();
        LibPoseidon.p2(3, 4);
    }

    function test_benchmark_poseidonP4() public {
        vm.pauseGasMetering();
        LibPoseidon.p4(1, 2, 3, 4);
        vm.resumeGasMetering();
        LibPoseidon.p4(5, 6, 7, 8);
    }

    function _merkleGas(uint8 which) internal {
        vm.pauseGasMetering();
        Fixture memory f = _load("bench.json");
        uint256 i = _find(f, "lw");
        uint256[165] memory w = _w(f.witnesses[i]);
        LibPoseidon.p2(1, 2);
        LibPoseidon.p4(1, 2, 3, 4);
        vm.resumeGasMetering();
        uint256 root;
        if (which == 0) root = harness.memoryRoot(w);
        else if (which == 1) root = harness.codeRoot(w);
        else root = harness.registerRoot(w);
        vm.pauseGasMetering();
        assertEq(root, w[which == 0 ? 4 : which == 1 ? 5 : 3]);
        vm.resumeGasMetering();
    }

    /// One memory proof (4-ary, depth 10: 10 x P4), the code proof (depth 7) and a register proof (binary, depth 5).
    function test_benchmark_merkle_memoryProof() public {
        _merkleGas(0);
    }

    function test_benchmark_merkle_codeProof() public {
        _merkleGas(1);
    }

    function test_benchmark_merkle_registerProof() public {
        _merkleGas(2);
    }
}
