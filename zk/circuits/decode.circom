pragma circom 2.1.6;
/*
 * RV32IM decoder: the circom twin of vm/isa.ts `decode` (legal encodings listed in its header).
 * Exactly one of the class flags (isLUI .. isEBREAK, illegal) is 1. Immediates are the
 * sign-extended values as u32 field elements (linear in the instruction bits, so free).
 *
 * Unchecked: nothing about `insn` except that it is a 32-bit word (Num2Bits(32) rejects any
 * other field element). Which instruction is executed is the caller's business (fetch proof).
 */
include "lib.circom";

template Decode() {
    signal input insn;
    signal output ib[32];
    signal output isLUI;
    signal output isAUIPC;
    signal output isJAL;
    signal output isJALR;
    signal output isBr;
    signal output isLd;
    signal output isSt;
    signal output isOPI;
    signal output isOP;
    signal output isM;
    signal output isFENCE;
    signal output isECALL;
    signal output isEBREAK;
    signal output illegal;
    signal output f3[8];
    signal output f7is0;
    signal output f7is20;
    signal output immI;
    signal output immS;
    signal output immB;
    signal output immU;
    signal output immJ;

    component bits = Num2Bits(32);
    bits.in <== insn;
    for (var i = 0; i < 32; i++) ib[i] <== bits.out[i];

    var opcode = 0;
    for (var i = 0; i < 7; i++) opcode += ib[i] * (1 << i);
    var f7 = 0;
    for (var i = 0; i < 7; i++) f7 += ib[25 + i] * (1 << i);

    // opcodes: LUI AUIPC JAL JALR BRANCH LOAD STORE OP-IMM OP MISC-MEM
    var OPC[10] = [0x37, 0x17, 0x6f, 0x67, 0x63, 0x03, 0x23, 0x13, 0x33, 0x0f];
    component oc[10];
    for (var i = 0; i < 10; i++) {
        oc[i] = IsZero();
        oc[i].in <== opcode - OPC[i];
    }

    // funct3 one-hot
    component s01 = Sel4();
    s01.b0 <== ib[12];
    s01.b1 <== ib[13];
    signal hi3[4];
    for (var k = 0; k < 4; k++) {
        hi3[k] <== s01.e[k] * ib[14];
        f3[k + 4] <== hi3[k];
        f3[k] <== s01.e[k] - hi3[k];
    }

    component z7a = IsZero();
    z7a.in <== f7;
    component z7b = IsZero();
    z7b.in <== f7 - 1;
    component z7c = IsZero();
    z7c.in <== f7 - 0x20;
    f7is0 <== z7a.out;
    signal f7is1 <== z7b.out;
    f7is20 <== z7c.out;

    component zEc = IsZero();
    zEc.in <== insn - 0x73;
    component zEb = IsZero();
    zEb.in <== insn - 0x100073;

    isLUI <== oc[0].out;
    isAUIPC <== oc[1].out;
    isJAL <== oc[2].out;
    isJALR <== oc[3].out * f3[0];
    isBr <== oc[4].out * (1 - f3[2] - f3[3]);
    isLd <== oc[5].out * (1 - f3[3] - f3[6] - f3[7]);
    isSt <== oc[6].out * (f3[0] + f3[1] + f3[2]);
    // OP-IMM: SLLI needs funct7 0; SRLI/SRAI funct7 0 or 0x20
    signal badSll <== f3[1] * (1 - f7is0);
    signal badSr <== f3[5] * (1 - f7is0 - f7is20);
    isOPI <== oc[7].out * (1 - badSll - badSr);
    // OP: funct7 0 (base), 1 (M), 0x20 only for SUB (f3 0) / SRA (f3 5)
    signal opAlt <== f7is20 * (f3[0] + f3[5]);
    isOP <== oc[8].out * (f7is0 + f7is1 + opAlt);
    isM <== oc[8].out * f7is1;
    isFENCE <== oc[9].out * f3[0];
    isECALL <== zEc.out;
    isEBREAK <== zEb.out;
    illegal <== 1 - (isLUI + isAUIPC + isJAL + isJALR + isBr + isLd + isSt + isOPI + isOP + isFENCE + isECALL + isEBREAK);

    var sign = ib[31];
    var iI = 0;
    for (var k = 0; k < 12; k++) iI += ib[20 + k] * (1 << k);
    immI <== iI + sign * (4294967296 - 4096);
    var iS = 0;
    for (var k = 0; k < 5; k++) iS += ib[7 + k] * (1 << k);
    for (var k = 0; k < 7; k++) iS += ib[25 + k] * (1 << (5 + k));
    immS <== iS + sign * (4294967296 - 4096);
    var iB = ib[7] * 2048;
    for (var k = 0; k < 4; k++) iB += ib[8 + k] * (1 << (1 + k));
    for (var k = 0; k < 6; k++) iB += ib[25 + k] * (1 << (5 + k));
    immB <== iB + sign * (4294967296 - 4096);
    var iU = 0;
    for (var k = 12; k < 32; k++) iU += ib[k] * (1 << k);
    immU <== iU;
    var iJ = ib[20] * 2048;
    for (var k = 0; k < 10; k++) iJ += ib[21 + k] * (1 << (1 + k));
    for (var k = 0; k < 8; k++) iJ += ib[12 + k] * (1 << (12 + k));
    immJ <== iJ + sign * (4294967296 - 1048576);
}
