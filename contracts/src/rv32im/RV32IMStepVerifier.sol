// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IStepVerifier} from "./IStepVerifier.sol";
import {LibLayout as L} from "./LibLayout.sol";
import {LibMerkle} from "./LibMerkle.sol";
import {LibPoseidon} from "./LibPoseidon.sol";
import {LibRV32IM as I} from "./LibRV32IM.sol";
import "./Errors.sol";

/// @title RV32IMStepVerifier
/// @notice The on-chain one-step verifier of the zkfp RV32IM machine: from a pre-state root and a
///         165-element step witness (vm/STATE.md, normative) it computes the post-state root of
///         exactly one step. Twins: vm/verify.ts `verifyStep` (TS reference: same checks in the same
///         order, same result bit for bit) and zk/circuits (circom m-step circuit); differential
///         fixtures from the TS machine: contracts/test/fixtures/gen.ts.
/// @dev    Algorithm (all against the PRE-state roots):
///           1. every element < p; counters < 2^53; pc < 2^32;
///           2. the 12 pre-state fields hash to preRoot (else PreRootMismatch); halted -> preRoot;
///           3. fetch: insn + code proof; misaligned / out-of-code pc trap (2 / 3);
///           4. the 4 register reads and the write slot: index as the instruction dictates, value
///              a word, proof against regsRoot, x0 = 0;
///           5. the memory slot: the address the instruction dictates, proof against memRoot;
///           6. the input slot: word inputPos >> 2, proof against inputRoot;
///           7. execute; fd 5 reads also check the blob slot (P2(blobRoot, blobLen) == preimageKey
///              and the word's proof);
///           8. post-root: changed leaves re-hashed along their (unchanged) proof paths.
///         Slots a step does not use still carry valid proofs and are checked (as in the TS twin):
///         only the blob slot (except for fd 5 reads), everything after the code proof of a
///         faulting fetch, and everything after the pre-state of a halted state are ignored.
///         Gas: each Poseidon call is a linked-library DELEGATECALL (LibPoseidon); two
///         equivalences cut hashing without changing any result: register slots identical to an
///         already verified slot are not re-hashed (x0 slots 2/3, rd == rs1, ...), and unchanged
///         parts of the state root (io, preimage, a write of the same value) are reused.
///         Pitfall: the witness is a static `uint256[165]` in calldata (see IStepVerifier).
contract RV32IMStepVerifier is IStepVerifier {
    /// The pre-state's intermediate hashes, reused for the post-root when unchanged.
    struct PreHashes {
        uint256 io;
        uint256 pre;
        uint256 ioPre;
    }

    /// Mutable copy of the state fields (witness order 0..11).
    struct State {
        uint256 pc;
        uint256 step;
        uint256 status;
        uint256 regsRoot;
        uint256 memRoot;
        uint256 codeRoot;
        uint256 inputRoot;
        uint256 inputLen;
        uint256 inputPos;
        uint256 outHash;
        uint256 preimageKey;
        uint256 preimageOffset;
    }

    /// What the step read: register slot values (rs1, rs2, 0, 0 or a7, a0, a1, a2) and the
    /// memory and input words; then what it writes: rd (if `writes`) and the memory word.
    struct Reads {
        uint256[4] r;
        uint256 memAddr;
        uint256 memOld;
        uint256 inWord;
        // effects
        bool writes;
        uint256 rdVal;
        uint256 memNew;
    }

    function step(bytes32 preRoot, uint256[165] calldata w) external pure override returns (bytes32) {
        for (uint256 i = 0; i < L.W_LENGTH; i++) {
            if (w[i] >= L.FIELD_MODULUS) revert WitnessNotAFieldElement(i, w[i]);
        }
        _counter(w, L.W_PC);
        _counter(w, L.W_STEP);
        _counter(w, L.W_STATUS);
        _counter(w, L.W_INPUT_LEN);
        _counter(w, L.W_INPUT_POS);
        _counter(w, L.W_PREIMAGE_OFFSET);
        _word(w, L.W_PC);

        State memory s = _load(w);
        PreHashes memory h;
        h.io = LibPoseidon.p4(s.inputRoot, s.inputLen, s.inputPos, s.outHash);
        h.pre = LibPoseidon.p2(s.preimageKey, s.preimageOffset);
        h.ioPre = LibPoseidon.p2(h.io, h.pre);
        uint256 root =
            LibPoseidon.p4(LibPoseidon.p4(s.pc, s.step, s.status, s.regsRoot), s.memRoot, s.codeRoot, h.ioPre);
        if (bytes32(root) != preRoot) revert PreRootMismatch(preRoot, bytes32(root));
        if (s.status & 3 != 0) return preRoot; // halted states are fixed points

        s.step += 1;
        uint256 halt = _execute(w, s);
        if (halt != 0) s.status = halt; // pc, registers, memory, io unchanged
        return bytes32(_postRoot(w, s, h));
    }

    // ---- execution ---------------------------------------------------------------------------

    /// Executes the step on `s` (already step + 1). Returns the new status if the step halts
    /// (trap or exit; then `s` is otherwise untouched), else 0.
    function _execute(uint256[165] calldata w, State memory s) private pure returns (uint256) {
        uint256 pc = s.pc;
        bool fetchOk = pc & 3 == 0 && pc >= L.CODE_BASE && pc < L.CODE_END;
        uint256 insn = _word(w, L.W_INSN);
        uint256 codeIdx = fetchOk ? (pc - L.CODE_BASE) >> 2 : 0;
        if (LibMerkle.root4(codeIdx, insn, w, L.W_CODE_PROOF, L.CODE_DEPTH) != s.codeRoot) {
            revert CodeProofMismatch(pc, insn);
        }
        if (pc & 3 != 0) return _trap(L.TRAP_MISALIGNED_FETCH);
        if (!fetchOk) return _trap(L.TRAP_FETCH_OUT_OF_CODE);

        I.Decoded memory d = I.decode(insn);
        Reads memory rd;
        _readRegisters(w, s.regsRoot, d, rd);
        _readMemory(w, s.memRoot, d, rd);
        _readInput(w, s, rd);

        uint256 halt = _run(w, s, d, rd);
        if (halt != 0) return halt;
        uint256 wIdx = w[L.W_REG_WRITE];
        // a write of the register's old value leaves the root unchanged: skip the re-hash
        if (rd.writes && wIdx != 0 && rd.rdVal != w[L.W_REG_WRITE + 1]) {
            s.regsRoot = LibMerkle.root2(wIdx, rd.rdVal, w, L.W_REG_WRITE + 2, L.REG_DEPTH);
        }
        if (rd.memNew != rd.memOld) {
            s.memRoot = LibMerkle.root4(rd.memAddr >> 2, rd.memNew, w, L.W_MEM + 2, L.MEM_DEPTH);
        }
        return 0;
    }

    /// The instruction's semantics given its verified reads: sets s.pc and the effects in `rd`
    /// (register write, new memory word, io/preimage fields of `s`), or returns a halting status.
    function _run(uint256[165] calldata w, State memory s, I.Decoded memory d, Reads memory rd)
        private
        pure
        returns (uint256)
    {
        uint256 op = d.op;
        if (op == I.ILLEGAL) return _trap(L.TRAP_ILLEGAL);
        if (op == I.EBREAK) return _trap(L.TRAP_BREAKPOINT);
        uint256 pc = s.pc;
        uint256 next;
        rd.memNew = rd.memOld;
        unchecked {
            next = (pc + 4) & L.U32;
            if (op == I.LUI) {
                (rd.writes, rd.rdVal) = (true, d.imm);
            } else if (op == I.AUIPC) {
                (rd.writes, rd.rdVal) = (true, (pc + d.imm) & L.U32);
            } else if (op == I.JAL) {
                (rd.writes, rd.rdVal) = (true, next);
                next = (pc + d.imm) & L.U32;
            } else if (op == I.JALR) {
                (rd.writes, rd.rdVal) = (true, next);
                next = (rd.r[0] + d.imm) & 0xfffffffe;
            } else if (I.isBranch(op)) {
                if (I.branchTaken(op, rd.r[0], rd.r[1])) next = (pc + d.imm) & L.U32;
            } else if (I.isAlu(op)) {
                (rd.writes, rd.rdVal) = (true, I.alu(op, rd.r[0], op < I.ADD ? d.imm : rd.r[1]));
            } else if (I.isLoad(op) || I.isStore(op)) {
                uint256 addr = (rd.r[0] + d.imm) & L.U32;
                uint256 size = I.accessSize(op);
                bool load = I.isLoad(op);
                if (addr % size != 0) return _trap(load ? L.TRAP_MISALIGNED_LOAD : L.TRAP_MISALIGNED_STORE);
                if (addr >= L.MEM_SIZE) return _trap(load ? L.TRAP_LOAD_FAULT : L.TRAP_STORE_FAULT);
                if (load) {
                    (rd.writes, rd.rdVal) = (true, I.extractLoad(op, rd.memOld, addr & 3));
                } else {
                    if (addr >= L.CODE_BASE && addr < L.CODE_END) return _trap(L.TRAP_STORE_FAULT);
                    rd.memNew = I.mergeStore(rd.memOld, rd.r[1], addr & 3, size);
                }
            } else if (op == I.ECALL) {
                uint256 nr = rd.r[0];
                if (nr == L.SYS_EXIT || nr == L.SYS_EXIT_GROUP) return L.KIND_EXITED + 4 * rd.r[1];
                (rd.rdVal, rd.memNew) = _syscall(w, s, rd);
                rd.writes = true;
            } // FENCE: nothing
        }
        s.pc = next;
        return 0;
    }

    /// read / write / unknown syscalls (exit is handled by the caller). Returns (a0, new memory word).
    function _syscall(uint256[165] calldata w, State memory s, Reads memory rd)
        private
        pure
        returns (uint256 a0, uint256 memNew)
    {
        (uint256 nr, uint256 fd, uint256 buf, uint256 n) = (rd.r[0], rd.r[1], rd.r[2], rd.r[3]);
        memNew = rd.memOld;
        unchecked {
            if (nr == L.SYS_WRITE) {
                if (fd == L.FD_STDOUT || fd == L.FD_STDERR) {
                    uint256 c = _min(n, 4 - (buf & 3));
                    if (c == 0) return (0, memNew);
                    if (buf >= L.MEM_SIZE) return (L.EFAULT, memNew);
                    uint256 v = (rd.memOld >> (8 * (buf & 3))) & ((uint256(1) << (8 * c)) - 1);
                    s.outHash = LibPoseidon.p4(s.outHash, fd, v, c);
                    return (c, memNew);
                }
                if (fd == L.FD_PREIMAGE_KEY) {
                    if (n < 4 || buf & 3 != 0) return (L.EINVAL, memNew);
                    if (buf >= L.MEM_SIZE) return (L.EFAULT, memNew);
                    s.preimageKey = addmod(mulmod(s.preimageKey, 1 << 32, L.FIELD_MODULUS), rd.memOld, L.FIELD_MODULUS);
                    s.preimageOffset = 0;
                    return (4, memNew);
                }
                return (L.EBADF, memNew);
            }
            if (nr == L.SYS_READ) {
                uint256 word;
                uint256 pos;
                uint256 len;
                if (fd == L.FD_INPUT) {
                    (word, pos, len) = (rd.inWord, s.inputPos, s.inputLen);
                } else if (fd == L.FD_PREIMAGE_DATA) {
                    (word, pos, len) = (_readBlob(w, s), s.preimageOffset, w[L.W_BLOB + 1]);
                } else {
                    return (L.EBADF, memNew);
                }
                uint256 c = _min(_min(n, 4 - (buf & 3)), _min(4 - (pos & 3), len > pos ? len - pos : 0));
                if (c == 0) return (0, memNew);
                if (buf >= L.MEM_SIZE || (buf >= L.CODE_BASE && buf < L.CODE_END)) return (L.EFAULT, memNew);
                for (uint256 k = 0; k < c; k++) {
                    uint256 b = (word >> (8 * ((pos & 3) + k))) & 0xff;
                    memNew = I.mergeStore(memNew, b, (buf & 3) + k, 1);
                }
                if (fd == L.FD_INPUT) s.inputPos = pos + c;
                else s.preimageOffset = pos + c;
                return (c, memNew);
            }
            return (L.ENOSYS, memNew);
        }
    }

    /// The blob slot, checked for fd 5 reads only: returns the blob word at preimageOffset >> 2.
    function _readBlob(uint256[165] calldata w, State memory s) private pure returns (uint256 word) {
        uint256 broot = w[L.W_BLOB];
        uint256 blen = _word(w, L.W_BLOB + 1);
        word = _word(w, L.W_BLOB + 2);
        uint256 key = LibPoseidon.p2(broot, blen);
        if (key != s.preimageKey) revert BlobKeyMismatch(s.preimageKey, key);
        if (LibMerkle.root4((s.preimageOffset & L.U32) >> 2, word, w, L.W_BLOB + 3, L.BLOB_DEPTH) != broot) {
            revert BlobProofMismatch(s.preimageOffset);
        }
    }

    // ---- witness slots -----------------------------------------------------------------------

    function _readRegisters(uint256[165] calldata w, uint256 regsRoot, I.Decoded memory d, Reads memory rd)
        private
        pure
    {
        bool ecall = d.op == I.ECALL;
        for (uint256 k = 0; k < 5; k++) {
            uint256 want;
            if (ecall) want = k == 0 ? 17 : k == 1 ? 10 : k == 2 ? 11 : k == 3 ? 12 : 10;
            else want = k == 0 ? d.rs1 : k == 1 ? d.rs2 : k == 4 && I.writesRd(d.op) ? d.rd : 0;
            uint256 o = L.W_REG_READS + 7 * k;
            uint256 idx = w[o];
            if (idx != want) revert WrongRegisterIndex(k, idx, want);
            uint256 v = _word(w, o + 1);
            if (!_sameAsEarlierSlot(w, k)) {
                if (LibMerkle.root2(idx, v, w, o + 2, L.REG_DEPTH) != regsRoot) revert RegisterProofMismatch(k, idx);
            }
            if (idx == 0 && v != 0) revert NonZeroX0(k, v);
            if (k < 4) rd.r[k] = v;
        }
    }

    /// True if register slot k (index, value, proof) equals an earlier, already verified slot:
    /// its proof then verifies too, so hashing it again cannot change the outcome.
    function _sameAsEarlierSlot(uint256[165] calldata w, uint256 k) private pure returns (bool) {
        uint256 o = L.W_REG_READS + 7 * k;
        for (uint256 j = 0; j < k; j++) {
            uint256 p = L.W_REG_READS + 7 * j;
            bool same = true;
            for (uint256 i = 0; i < 7; i++) {
                if (w[o + i] != w[p + i]) {
                    same = false;
                    break;
                }
            }
            if (same) return true;
        }
        return false;
    }

    function _readMemory(uint256[165] calldata w, uint256 memRoot, I.Decoded memory d, Reads memory rd) private pure {
        uint256 want;
        unchecked {
            uint256 a = L.MEM_SIZE; // "no access": maps to word 0
            if (I.isLoad(d.op) || I.isStore(d.op)) a = (rd.r[0] + d.imm) & L.U32;
            else if (d.op == I.ECALL && (rd.r[0] == L.SYS_READ || rd.r[0] == L.SYS_WRITE)) a = rd.r[2];
            want = a < L.MEM_SIZE ? a & ~uint256(3) : 0;
        }
        uint256 addr = _word(w, L.W_MEM);
        if (addr != want) revert WrongMemoryAddress(addr, want);
        rd.memAddr = addr;
        rd.memOld = _word(w, L.W_MEM + 1);
        if (LibMerkle.root4(addr >> 2, rd.memOld, w, L.W_MEM + 2, L.MEM_DEPTH) != memRoot) {
            revert MemoryProofMismatch(addr);
        }
    }

    function _readInput(uint256[165] calldata w, State memory s, Reads memory rd) private pure {
        uint256 idx = (s.inputPos & L.U32) >> 2;
        rd.inWord = _word(w, L.W_INPUT);
        if (LibMerkle.root4(idx, rd.inWord, w, L.W_INPUT + 1, L.INPUT_DEPTH) != s.inputRoot) {
            revert InputProofMismatch(idx);
        }
    }

    // ---- state root --------------------------------------------------------------------------

    function _postRoot(uint256[165] calldata w, State memory s, PreHashes memory h) private pure returns (uint256) {
        uint256 io = s.inputPos == w[L.W_INPUT_POS] && s.outHash == w[L.W_OUT_HASH]
            ? h.io
            : LibPoseidon.p4(s.inputRoot, s.inputLen, s.inputPos, s.outHash);
        uint256 pre = s.preimageKey == w[L.W_PREIMAGE_KEY] && s.preimageOffset == w[L.W_PREIMAGE_OFFSET]
            ? h.pre
            : LibPoseidon.p2(s.preimageKey, s.preimageOffset);
        uint256 ioPre = io == h.io && pre == h.pre ? h.ioPre : LibPoseidon.p2(io, pre);
        return LibPoseidon.p4(LibPoseidon.p4(s.pc, s.step, s.status, s.regsRoot), s.memRoot, s.codeRoot, ioPre);
    }

    function _load(uint256[165] calldata w) private pure returns (State memory s) {
        s.pc = w[0];
        s.step = w[1];
        s.status = w[2];
        s.regsRoot = w[3];
        s.memRoot = w[4];
        s.codeRoot = w[5];
        s.inputRoot = w[6];
        s.inputLen = w[7];
        s.inputPos = w[8];
        s.outHash = w[9];
        s.preimageKey = w[10];
        s.preimageOffset = w[11];
    }

    // ---- small helpers -----------------------------------------------------------------------

    function _trap(uint256 cause) private pure returns (uint256) {
        return L.KIND_TRAPPED + 4 * cause;
    }

    function _word(uint256[165] calldata w, uint256 i) private pure returns (uint256) {
        if (w[i] > L.U32) revert WitnessNotAWord(i, w[i]);
        return w[i];
    }

    function _counter(uint256[165] calldata w, uint256 i) private pure {
        if (w[i] >= L.COUNTER_LIMIT) revert WitnessCounterOutOfRange(i, w[i]);
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }
}
