pragma circom 2.1.6;
/*
 * RV32IM ALU over u32 field elements: the circom twin of vm/isa.ts `alu` and `branchTaken`.
 *
 * One adder (a + B, or a - B + 2^32 when `subLike`) serves ADD/SUB/SLT(U)/branches and the
 * load/store/JALR address; one 32x32 multiplier serves MUL* and the shifts (SLL: a * 2^s,
 * SRL/SRA: the high word of a * 2^(32-s)); division takes the quotient/remainder as hints and
 * checks |a| = q |B| + r, r < |B| (B != 0), with the RISC-V edge cases (x/0 = -1, x%0 = x,
 * -2^31 / -1 = -2^31 falls out of the |.| formulation).
 *
 * Inputs: a, B (u32 - NOT range-checked here beyond Num2Bits(32), which rejects non-u32),
 * f3 one-hot, isM (OP with funct7 1), aluNonM (OP-IMM or OP without M), f7is20 (SUB/SRA/SRAI),
 * subLike (compute a - B). Outputs: `res` for OP/OP-IMM (selected by f3 and isM), the adder's low
 * word and bits (`lo`, `loBits`: address arithmetic), comparison flags for branches.
 *
 * Unchecked: the flags must be boolean and f3 one-hot (Decode guarantees it); `res` is
 * meaningless unless the instruction is OP/OP-IMM.
 */
include "lib.circom";

template Alu() {
    signal input a;
    signal input B;
    signal input f3[8];
    signal input isM;
    signal input aluNonM;
    signal input f7is20;
    signal input subLike;
    signal output res;
    signal output lo;
    signal output loBits[32];
    signal output eq;
    signal output lts;
    signal output ltu;

    var T32 = 4294967296;
    component aB = Num2Bits(32);
    aB.in <== a;
    component bB = Num2Bits(32);
    bB.in <== B;
    var a31 = aB.out[31];
    var b31 = bB.out[31];

    // adder / subtractor
    signal Bp <== B + subLike * (T32 - 2 * B);
    component sB = Num2Bits(33);
    sB.in <== a + Bp;
    var l = 0;
    for (var i = 0; i < 32; i++) {
        l += sB.out[i] * (1 << i);
        loBits[i] <== sB.out[i];
    }
    lo <== l;
    ltu <== 1 - sB.out[32];
    component zEq = IsZero();
    zEq.in <== a - B;
    eq <== zEq.out;
    signal axb <== a31 + b31 - 2 * a31 * b31;
    lts <== ltu + axb * (a31 - ltu);

    // bitwise
    signal andb[32];
    var xorV = 0;
    var orV = 0;
    var andV = 0;
    for (var i = 0; i < 32; i++) {
        andb[i] <== aB.out[i] * bB.out[i];
        xorV += (aB.out[i] + bB.out[i] - 2 * andb[i]) * (1 << i);
        orV += (aB.out[i] + bB.out[i] - andb[i]) * (1 << i);
        andV += andb[i] * (1 << i);
    }

    // shifts through the multiplier: pL = 2^s, pR = 2^(32-s)
    signal pL[5];
    signal pR[5];
    pL[0] <== 1 + bB.out[0];
    pR[0] <== 2 * (2 - bB.out[0]);
    for (var k = 1; k < 5; k++) {
        var f = (1 << (1 << k)) - 1;
        pL[k] <== pL[k - 1] * (1 + bB.out[k] * f);
        pR[k] <== pR[k - 1] * (1 + (1 - bB.out[k]) * f);
    }
    signal isSL <== aluNonM * f3[1];
    signal isSR <== aluNonM * f3[5];
    signal yL <== isSL * (pL[4] - B);
    signal yR <== isSR * (pR[4] - B);
    signal Y <== B + yL + yR;
    signal prod <== a * Y;
    component pB = Num2Bits(64);
    pB.in <== prod;
    var plo = 0;
    var phi = 0;
    for (var i = 0; i < 32; i++) {
        plo += pB.out[i] * (1 << i);
        phi += pB.out[32 + i] * (1 << i);
    }
    signal sraAdd <== a31 * (T32 - pR[4]);
    signal sraSel <== f7is20 * sraAdd;
    signal srV <== phi + sraSel;

    // MULH / MULHSU high words: phi - a31*B - [mulh] b31*a  (mod 2^32)
    signal isMULH <== isM * f3[1];
    signal x1 <== a31 * B;
    signal x2 <== b31 * a;
    signal x2m <== isMULH * x2;
    component tB = Num2Bits(34);
    tB.in <== phi + 2 * T32 - x1 - x2m;
    var tlo = 0;
    for (var i = 0; i < 32; i++) tlo += tB.out[i] * (1 << i);

    // division (hints q, r)
    signal signedDiv <== isM * (f3[4] + f3[6]);
    signal sa <== signedDiv * a31;
    signal sb <== signedDiv * b31;
    signal absA <== a + sa * (T32 - 2 * a);
    signal absB <== B + sb * (T32 - 2 * B);
    signal q;
    signal r;
    q <-- absB == 0 ? T32 - 1 : absA \ absB;
    r <-- absB == 0 ? absA : absA % absB;
    component qB = Num2Bits(32);
    qB.in <== q;
    component rB = Num2Bits(32);
    rB.in <== r;
    absA === q * absB + r;
    component bz = IsZero();
    bz.in <== absB;
    bz.out * (q - (T32 - 1)) === 0;
    component rlt = LessThan(32);
    rlt.in[0] <== r;
    rlt.in[1] <== absB;
    (1 - bz.out) * (1 - rlt.out) === 0;
    signal qNeg0 <== sa + sb - 2 * sa * sb;
    signal qNeg <== qNeg0 * (1 - bz.out);
    component qz = IsZero();
    qz.in <== q;
    signal qn <== qNeg * (1 - qz.out);
    signal divV <== q + qn * (T32 - 2 * q);
    component rz = IsZero();
    rz.in <== r;
    signal rn <== sa * (1 - rz.out);
    signal remV <== r + rn * (T32 - 2 * r);

    // result by funct3 (base) or funct3 (M)
    var N[8] = [lo, plo, lts, ltu, xorV, srV, orV, andV];
    var Mv[8] = [plo, tlo, tlo, phi, divV, divV, remV, remV];
    signal pick[8];
    signal part[8];
    var acc = 0;
    for (var k = 0; k < 8; k++) {
        pick[k] <== N[k] + isM * (Mv[k] - N[k]);
        part[k] <== f3[k] * pick[k];
        acc += part[k];
    }
    res <== acc;
}
