// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title LibRV32IM
/// @notice RV32IM decoding and pure instruction semantics of the zkfp machine, the Solidity twin of
///         vm/isa.ts (same opcode numbering, same legal encodings, same results).
/// @dev    Words are uint256 values < 2^32 (two's complement for signed quantities); immediates are
///         returned sign-extended to 32 bits. Legal encodings (anything else is ILLEGAL, trap 1):
///         LUI 0x37, AUIPC 0x17, JAL 0x6f, JALR 0x67 (funct3 0), BRANCH 0x63 (funct3 0,1,4,5,6,7),
///         LOAD 0x03 (funct3 0,1,2,4,5), STORE 0x23 (funct3 0,1,2), OP-IMM 0x13 (SLLI funct7 0;
///         SRLI/SRAI funct7 0x00/0x20), OP 0x33 (funct7 0x00, 0x20 for SUB/SRA, 0x01 for M),
///         MISC-MEM 0x0f funct3 0 (FENCE), and the exact words ECALL 0x73 and EBREAK 0x00100073.
///         Pitfalls: shift amounts are masked to 5 bits; DIV/REM follow the RISC-V rules for x/0
///         and INT_MIN/-1 (no trap); Solidity's signed `/` and `%` truncate toward zero like RISC-V.
library LibRV32IM {
    // opcode numbering = vm/isa.ts `Op`
    uint256 internal constant ILLEGAL = 0;
    uint256 internal constant LUI = 1;
    uint256 internal constant AUIPC = 2;
    uint256 internal constant JAL = 3;
    uint256 internal constant JALR = 4;
    uint256 internal constant BEQ = 5;
    uint256 internal constant BNE = 6;
    uint256 internal constant BLT = 7;
    uint256 internal constant BGE = 8;
    uint256 internal constant BLTU = 9;
    uint256 internal constant BGEU = 10;
    uint256 internal constant LB = 11;
    uint256 internal constant LH = 12;
    uint256 internal constant LW = 13;
    uint256 internal constant LBU = 14;
    uint256 internal constant LHU = 15;
    uint256 internal constant SB = 16;
    uint256 internal constant SH = 17;
    uint256 internal constant SW = 18;
    uint256 internal constant ADDI = 19;
    uint256 internal constant SLTI = 20;
    uint256 internal constant SLTIU = 21;
    uint256 internal constant XORI = 22;
    uint256 internal constant ORI = 23;
    uint256 internal constant ANDI = 24;
    uint256 internal constant SLLI = 25;
    uint256 internal constant SRLI = 26;
    uint256 internal constant SRAI = 27;
    uint256 internal constant ADD = 28;
    uint256 internal constant SUB = 29;
    uint256 internal constant SLL = 30;
    uint256 internal constant SLT = 31;
    uint256 internal constant SLTU = 32;
    uint256 internal constant XOR = 33;
    uint256 internal constant SRL = 34;
    uint256 internal constant SRA = 35;
    uint256 internal constant OR = 36;
    uint256 internal constant AND = 37;
    uint256 internal constant MUL = 38;
    uint256 internal constant MULH = 39;
    uint256 internal constant MULHSU = 40;
    uint256 internal constant MULHU = 41;
    uint256 internal constant DIV = 42;
    uint256 internal constant DIVU = 43;
    uint256 internal constant REM = 44;
    uint256 internal constant REMU = 45;
    uint256 internal constant FENCE = 46;
    uint256 internal constant ECALL = 47;
    uint256 internal constant EBREAK = 48;

    uint256 internal constant U32 = 0xffffffff;

    struct Decoded {
        uint256 op;
        uint256 rd;
        uint256 rs1;
        uint256 rs2;
        uint256 imm; // sign-extended to 32 bits
    }

    /// Sign-extend the low `bits` bits of x to a 32-bit word.
    function sext(uint256 x, uint256 bits) internal pure returns (uint256) {
        x &= (uint256(1) << bits) - 1;
        return (x >> (bits - 1)) & 1 == 1 ? (x | (U32 << bits)) & U32 : x;
    }

    function toSigned(uint256 x) internal pure returns (int256) {
        return int256(int32(uint32(x)));
    }

    function decode(uint256 insn) internal pure returns (Decoded memory d) {
        uint256 opcode = insn & 0x7f;
        uint256 f3 = (insn >> 12) & 7;
        uint256 f7 = insn >> 25;
        d.rd = (insn >> 7) & 31;
        d.rs1 = (insn >> 15) & 31;
        d.rs2 = (insn >> 20) & 31;
        if (opcode == 0x37) {
            d.op = LUI;
            d.imm = insn & 0xfffff000;
        } else if (opcode == 0x17) {
            d.op = AUIPC;
            d.imm = insn & 0xfffff000;
        } else if (opcode == 0x6f) {
            d.op = JAL;
            d.imm = sext(
                ((insn >> 31) << 20) | (((insn >> 12) & 255) << 12) | (((insn >> 20) & 1) << 11)
                    | (((insn >> 21) & 1023) << 1),
                21
            );
        } else if (opcode == 0x67) {
            if (f3 == 0) {
                d.op = JALR;
                d.imm = sext(insn >> 20, 12);
            }
        } else if (opcode == 0x63) {
            if (f3 != 2 && f3 != 3) {
                // BEQ BNE - - BLT BGE BLTU BGEU
                d.op = f3 < 2 ? BEQ + f3 : BLT + (f3 - 4);
                d.imm = sext(
                    ((insn >> 31) << 12) | (((insn >> 7) & 1) << 11) | (((insn >> 25) & 63) << 5)
                        | (((insn >> 8) & 15) << 1),
                    13
                );
            }
        } else if (opcode == 0x03) {
            // LB LH LW - LBU LHU - -
            if (f3 < 3 || f3 == 4 || f3 == 5) {
                d.op = f3 < 3 ? LB + f3 : LBU + (f3 - 4);
                d.imm = sext(insn >> 20, 12);
            }
        } else if (opcode == 0x23) {
            if (f3 < 3) {
                d.op = SB + f3;
                d.imm = sext(((insn >> 25) << 5) | ((insn >> 7) & 31), 12);
            }
        } else if (opcode == 0x13) {
            if (f3 == 1) {
                if (f7 == 0) (d.op, d.imm) = (SLLI, d.rs2);
            } else if (f3 == 5) {
                if (f7 == 0) (d.op, d.imm) = (SRLI, d.rs2);
                else if (f7 == 0x20) (d.op, d.imm) = (SRAI, d.rs2);
            } else {
                // f3: 0 ADDI, 2 SLTI, 3 SLTIU, 4 XORI, 6 ORI, 7 ANDI
                d.op = f3 == 0 ? ADDI : f3 < 5 ? SLTI + (f3 - 2) : ORI + (f3 - 6);
                d.imm = sext(insn >> 20, 12);
            }
        } else if (opcode == 0x33) {
            if (f7 == 0) {
                // ADD SLL SLT SLTU XOR SRL OR AND
                d.op = f3 == 0 ? ADD : f3 < 6 ? SLL + (f3 - 1) : OR + (f3 - 6);
            } else if (f7 == 1) {
                d.op = MUL + f3;
            } else if (f7 == 0x20 && f3 == 0) {
                d.op = SUB;
            } else if (f7 == 0x20 && f3 == 5) {
                d.op = SRA;
            }
        } else if (opcode == 0x0f) {
            if (f3 == 0) d.op = FENCE;
        } else if (opcode == 0x73) {
            if (insn == 0x00000073) d.op = ECALL;
            else if (insn == 0x00100073) d.op = EBREAK;
        }
        if (d.op == ILLEGAL) d.imm = 0;
    }

    function isBranch(uint256 op) internal pure returns (bool) {
        return op >= BEQ && op <= BGEU;
    }

    function isLoad(uint256 op) internal pure returns (bool) {
        return op >= LB && op <= LHU;
    }

    function isStore(uint256 op) internal pure returns (bool) {
        return op >= SB && op <= SW;
    }

    function isAlu(uint256 op) internal pure returns (bool) {
        return op >= ADDI && op <= REMU;
    }

    /// Instructions that write rd (the witness write slot holds rd for these).
    function writesRd(uint256 op) internal pure returns (bool) {
        return (op >= LUI && op <= JALR) || isLoad(op) || isAlu(op);
    }

    function accessSize(uint256 op) internal pure returns (uint256) {
        if (op == LB || op == LBU || op == SB) return 1;
        if (op == LH || op == LHU || op == SH) return 2;
        return 4;
    }

    /// Result of OP / OP-IMM instructions (b = rs2 value or the immediate), as a 32-bit word.
    function alu(uint256 op, uint256 a, uint256 b) internal pure returns (uint256) {
        unchecked {
            if (op < ADD) {
                // OP-IMM onto its OP twin: ADDI SLTI SLTIU XORI ORI ANDI SLLI SRLI SRAI
                if (op == ADDI) op = ADD;
                else if (op == SLTI) op = SLT;
                else if (op == SLTIU) op = SLTU;
                else if (op == XORI) op = XOR;
                else if (op == ORI) op = OR;
                else if (op == ANDI) op = AND;
                else if (op == SLLI) op = SLL;
                else if (op == SRLI) op = SRL;
                else op = SRA;
            }
            if (op == ADD) return (a + b) & U32;
            if (op == SUB) return (a - b) & U32;
            if (op == SLL) return (a << (b & 31)) & U32;
            if (op == SLT) return toSigned(a) < toSigned(b) ? 1 : 0;
            if (op == SLTU) return a < b ? 1 : 0;
            if (op == XOR) return a ^ b;
            if (op == SRL) return a >> (b & 31);
            if (op == SRA) return uint256(toSigned(a) >> (b & 31)) & U32;
            if (op == OR) return a | b;
            if (op == AND) return a & b;
            if (op == MUL) return (a * b) & U32;
            if (op == MULH) return uint256((toSigned(a) * toSigned(b)) >> 32) & U32;
            if (op == MULHSU) return uint256((toSigned(a) * int256(b)) >> 32) & U32;
            if (op == MULHU) return (a * b) >> 32;
            if (op == DIV) {
                if (b == 0) return U32;
                if (a == 0x80000000 && b == U32) return a;
                return uint256(toSigned(a) / toSigned(b)) & U32;
            }
            if (op == DIVU) return b == 0 ? U32 : a / b;
            if (op == REM) {
                if (b == 0) return a;
                if (b == U32) return 0;
                return uint256(toSigned(a) % toSigned(b)) & U32;
            }
            return b == 0 ? a : a % b; // REMU
        }
    }

    function branchTaken(uint256 op, uint256 a, uint256 b) internal pure returns (bool) {
        if (op == BEQ) return a == b;
        if (op == BNE) return a != b;
        if (op == BLT) return toSigned(a) < toSigned(b);
        if (op == BGE) return toSigned(a) >= toSigned(b);
        if (op == BLTU) return a < b;
        return a >= b; // BGEU
    }

    /// Value of a load at byte offset `off` within the little-endian `word`.
    function extractLoad(uint256 op, uint256 word, uint256 off) internal pure returns (uint256) {
        uint256 v = word >> (8 * off);
        if (op == LB) return sext(v, 8);
        if (op == LBU) return v & 0xff;
        if (op == LH) return sext(v, 16);
        if (op == LHU) return v & 0xffff;
        return word;
    }

    /// `word` with `size` bytes at byte offset `off` replaced by the low bytes of `value`.
    function mergeStore(uint256 word, uint256 value, uint256 off, uint256 size) internal pure returns (uint256) {
        if (size == 4) return value;
        uint256 mask = (size == 1 ? uint256(0xff) : uint256(0xffff)) << (8 * off);
        return ((word & ~mask) | ((value << (8 * off)) & mask)) & U32;
    }
}
