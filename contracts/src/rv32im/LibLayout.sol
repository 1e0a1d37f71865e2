// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title LibLayout
/// @notice Constants of the zkfp machine (normative: vm/STATE.md; TS twin: vm/layout.ts).
/// @dev    Witness offsets (165 field elements):
///           0  pre-state: pc, step, status, regsRoot, memRoot, codeRoot, inputRoot, inputLen,
///              inputPos, outHash, preimageKey, preimageOffset
///          12  insn            13 code proof[21]
///          34  4 x register read (index, value, proof[5])     62 register write (index, old, proof[5])
///          69  memory (word address, old word, proof[30])
///         101  input (word, proof[30])                       132 blob (root, len, word, proof[30])
library LibLayout {
    uint256 internal constant FIELD_MODULUS =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 internal constant U32 = 0xffffffff;
    uint256 internal constant COUNTER_LIMIT = 1 << 53; // TS keeps counters in exact doubles

    uint256 internal constant MEM_SIZE = 0x400000;
    uint256 internal constant CODE_BASE = 0x10000;
    uint256 internal constant CODE_END = 0x20000;
    uint256 internal constant MEM_DEPTH = 10; // 4-ary
    uint256 internal constant CODE_DEPTH = 7; // 4-ary
    uint256 internal constant REG_DEPTH = 5; // binary
    uint256 internal constant INPUT_DEPTH = 10; // 4-ary
    uint256 internal constant BLOB_DEPTH = 10; // 4-ary

    // witness offsets
    uint256 internal constant W_PC = 0;
    uint256 internal constant W_STEP = 1;
    uint256 internal constant W_STATUS = 2;
    uint256 internal constant W_REGS_ROOT = 3;
    uint256 internal constant W_MEM_ROOT = 4;
    uint256 internal constant W_CODE_ROOT = 5;
    uint256 internal constant W_INPUT_ROOT = 6;
    uint256 internal constant W_INPUT_LEN = 7;
    uint256 internal constant W_INPUT_POS = 8;
    uint256 internal constant W_OUT_HASH = 9;
    uint256 internal constant W_PREIMAGE_KEY = 10;
    uint256 internal constant W_PREIMAGE_OFFSET = 11;
    uint256 internal constant W_INSN = 12;
    uint256 internal constant W_CODE_PROOF = 13;
    uint256 internal constant W_REG_READS = 34;
    uint256 internal constant W_REG_WRITE = 62;
    uint256 internal constant W_MEM = 69;
    uint256 internal constant W_INPUT = 101;
    uint256 internal constant W_BLOB = 132;
    uint256 internal constant W_LENGTH = 165;

    // status kinds and trap causes
    uint256 internal constant KIND_EXITED = 1;
    uint256 internal constant KIND_TRAPPED = 2;
    uint256 internal constant TRAP_ILLEGAL = 1;
    uint256 internal constant TRAP_MISALIGNED_FETCH = 2;
    uint256 internal constant TRAP_FETCH_OUT_OF_CODE = 3;
    uint256 internal constant TRAP_MISALIGNED_LOAD = 4;
    uint256 internal constant TRAP_MISALIGNED_STORE = 5;
    uint256 internal constant TRAP_LOAD_FAULT = 6;
    uint256 internal constant TRAP_STORE_FAULT = 7;
    uint256 internal constant TRAP_BREAKPOINT = 8;

    // syscalls, file descriptors, errno results (as u32)
    uint256 internal constant SYS_READ = 63;
    uint256 internal constant SYS_WRITE = 64;
    uint256 internal constant SYS_EXIT = 93;
    uint256 internal constant SYS_EXIT_GROUP = 94;
    uint256 internal constant FD_INPUT = 0;
    uint256 internal constant FD_STDOUT = 1;
    uint256 internal constant FD_STDERR = 2;
    uint256 internal constant FD_PREIMAGE_DATA = 5;
    uint256 internal constant FD_PREIMAGE_KEY = 6;
    uint256 internal constant EBADF = 0xfffffff7; // -9
    uint256 internal constant EFAULT = 0xfffffff2; // -14
    uint256 internal constant EINVAL = 0xffffffea; // -22
    uint256 internal constant ENOSYS = 0xffffffda; // -38
}
