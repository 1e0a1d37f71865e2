pragma circom 2.1.6;
/*
 * zkfp RV32IM m-step circuit with window tables ("mem" variant). Same statement as
 * zk/circuits/rv32im.circom RvSteps(m, io): public [preRoot, postRoot], postRoot = the state root
 * after exactly m steps (vm/STATE.md, twin of vm/verify.ts). The step logic (decode, ALU, traps,
 * syscalls) is a copy of RvStep(0) ("lite": no running read(fd 0/5) in the window); what differs is
 * how the step reaches the code, memory and output hash:
 *
 *  - CODE TABLE: C slots (codeIdx[c], codeWord[c]), each opened ONCE against codeRoot (4-ary
 *    depth-7 inclusion). Each step selects one slot with a one-hot selC (booleans, sum 1) and
 *    checks  sum_c selC[c] * (codeIdx[c] * 2^32 + codeWord[c]) == idx * 2^32 + insn,
 *    idx = the step's fetch index (0 when the fetch traps, as in vm/witness.ts).
 *  - MEMORY TABLE: KR read-only slots (rAddr, rWord), each opened against the PRE memRoot, and KW
 *    writable slots (wAddr, wInit) whose Merkle updates are chained: root_0 = memRoot,
 *    wInit[k] is opened under root_k and root_{k+1} = the root with wFinal[k] at wAddr[k] (same
 *    siblings); the post memRoot is root_KW. The W addresses are pairwise distinct and distinct
 *    from every R address (one product of all differences, with an inverse). Each step that has
 *    a memory slot (vm/witness.ts memorySlot; flag `slot`) selects exactly one table slot (selM
 *    booleans, sum = slot) and checks  sum_k selM[k] * (addr_k * 2^32 + cur_k) == wordIdx * 2^32
 *    + memWord, where cur_k is rWord (R) or the W slot's current value; a W slot's value becomes
 *    memNew after the step, an R slot must not change ((sum_R selM) * (memNew - memWord) == 0).
 *  - OUTPUT SLOTS: H slots (oFd, oCnt, oVal) hashed in order into outHash after the window
 *    (outHash' = P4(outHash, fd, v, c) per used slot). The j-th output write of the window
 *    (doOut) selects slot number (writes before it) with a one-hot selO and checks
 *    sum_s selO[s] * (oFd + 4 oCnt + 32 oVal)_s == doOut * (a0 + 4 cEff + 32 v).
 *
 * Soundness (Poseidon collision resistance assumed, as in rv32im.circom):
 *  - Packing: every packed term is an integer < 2^52 < p with range-checked parts (addresses
 *    Num2Bits(20)/(14), words Num2Bits(32), fd 2 bits, count 3 bits), so equal packed values mean
 *    equal (address, word) pairs: a step can only use a slot for its own address, and reads that
 *    slot's value.
 *  - Memory: root_k commits to M_k = M_0 with W slots 0..k-1 set to their final values; the W
 *    addresses are distinct, so wInit[k] = M_0[wAddr[k]], every R word = M_0[rAddr], and the post
 *    root commits to M_0 with each W address set to its final value. A word the window touches
 *    lives in at most one W slot and in no R slot, or only in R slots (which all hold M_0 of it and
 *    never change): so every read returns the value of the last write before it (W slot values
 *    evolve in step order) or M_0, and the post memory has exactly the last writes. A window whose
 *    touched words do not fit the table has NO witness (completeness only).
 *  - Code: codeRoot is constant over a run; every slot is a code leaf at its index, duplicates
 *    are harmless (read-only).
 *  - Output: step j's write uses slot count_j = sum_{i<j} doOut_i; the counts of writing steps are
 *    distinct, so each slot is used at most once, used slots are 0..(writes - 1), hashed in step
 *    order. More than H writes: no witness.
 *  - No challenge: the lookups are deterministic one-hot selections (cost O(slots) per step),
 *    so nothing is derived by Fiat-Shamir and there is no challenge to forge.
 *  - Not proven here (the caller's job, as for RvSteps): m is fixed by the verifying key; the
 *    window must not contain a running read(fd 0/5) ECALL (no witness then: the prover uses the
 *    full rv32im circuit, zk/witness-input.ts `memVariantFits` / `variantFor`).
 *
 * Public signals: [preRoot, postRoot]. Inputs: zk/circuits/mem/input.ts.
 * Costs and the per-part split: zk/CONSTRAINTS.md (table variant). Tests: zk/circuits/mem/mem.test.ts.
 */
include "lib.circom";
include "decode.circom";
include "alu.circom";

/**
 * The input/blob side of a read(fd 0/5) step (RvStep(1) of rv32im.circom without the aux Merkle
 * path and blob-key hash, which live in the window's aux table): the byte count cR = min(n-part,
 * 4 - buf % 4, 4 - pos % 4, len - pos) and the aux position bits. `aEn` = a running read(fd 0/5)
 * at a valid fetch: the step must then find (fd 5?, word index, word) in the aux table.
 */
template AuxLen() {
    signal input running;
    signal input ecOk;
    signal input R;
    signal input R5;
    signal input inCodeA;
    signal input inputPos;
    signal input inputLen;
    signal input preimageOffset;
    signal input blobLen;
    signal input cW;
    signal output cE2;
    signal output rInCode;
    signal output aEn;
    signal output sel5;
    signal output apBits[22];
    var T32 = 4294967296;
    signal ecR5 <== ecOk * R5;
    sel5 <== ecR5 * running;
    signal ecR <== ecOk * R;
    aEn <== ecR * running;
    signal auxPos <== inputPos + sel5 * (preimageOffset - inputPos);
    signal auxLen <== inputLen + sel5 * (blobLen - inputLen);
    component apB = Num2Bits(32);
    apB.in <== auxPos;
    component alB = Num2Bits(32);
    alB.in <== auxLen;
    for (var i = 0; i < 22; i++) apBits[i] <== apB.out[i];
    component dB = Num2Bits(33);
    dB.in <== auxLen - auxPos + T32;
    var nonneg = dB.out[32];
    var dHi = 0;
    for (var i = 2; i < 32; i++) dHi += dB.out[i];
    component dHiZ = IsZero();
    dHiZ.in <== dHi;
    signal dge4 <== nonneg * (1 - dHiZ.out);
    var dl = dB.out[0] + 2 * dB.out[1];
    signal llA <== nonneg * dl;
    signal llB <== dge4 * (4 - dl);
    component cR1 = Min4();
    cR1.x <== cW;
    cR1.y <== 4 - apB.out[0] - 2 * apB.out[1];
    component cR2 = Min4();
    cR2.x <== cR1.out;
    cR2.y <== llA + llB;
    cE2 <== R * cR2.out;
    rInCode <== R * inCodeA;
}

/** cEff bytes of the aux word from byte auxPos % 4 (the read's source segment), minus the store segment. */
template AuxSeg() {
    signal input auxWord;
    signal input ap0;
    signal input ap1;
    signal input ge[4];
    signal input isECALL;
    signal input stSeg;
    signal output newSegE;
    component xB = Num2Bits(32);
    xB.in <== auxWord;
    var xb[4];
    for (var j = 0; j < 4; j++) {
        xb[j] = 0;
        for (var i = 0; i < 8; i++) xb[j] += xB.out[8 * j + i] * (1 << i);
    }
    component po = Sel4();
    po.b0 <== ap0;
    po.b1 <== ap1;
    signal srp[10];
    var srcB[4];
    var t = 0;
    for (var k = 0; k < 4; k++) {
        srcB[k] = 0;
        for (var p = 0; p + k < 4; p++) {
            srp[t] <== po.e[p] * xb[p + k];
            srcB[k] += srp[t];
            t++;
        }
    }
    signal srcSegP[4];
    var srcSeg = 0;
    for (var k = 0; k < 4; k++) {
        srcSegP[k] <== ge[k] * srcB[k];
        srcSeg += srcSegP[k] * (1 << (8 * k));
    }
    newSegE <== isECALL * (srcSeg - stSeg);
}

/**
 * One step over carried state signals (RvStep(io) of rv32im.circom minus its Merkle paths).
 * Outputs the next state plus what the tables need: the fetch index, the memory slot flag, word
 * index, pre/post word, and the output record (doOut, packed record).
 * Caller enforces: regs u32 with regs[0] = 0; running boolean = (status & 3 == 0); insn and
 * memWord are the table words for codeIdx / memIdx (the lookup).
 */
template MemStep(io) {
    signal input pc;
    signal input step;
    signal input status;
    signal input running;
    signal input regs[32];
    signal input preimageKey;
    signal input preimageOffset;
    signal input inputPos;
    signal input inputLen;
    signal input insn;
    signal input memWord;
    signal input auxWord;
    signal input blobLen;

    signal output pcOut;
    signal output stepOut;
    signal output statusOut;
    signal output runningOut;
    signal output regsOut[32];
    signal output preimageKeyOut;
    signal output preimageOffsetOut;
    signal output inputPosOut;
    signal output aEn;
    signal output sel5;
    signal output auxIdx;
    signal output codeIdx;
    signal output slot;
    signal output memIdx;
    signal output memNew;
    signal output doOut;
    signal output outRec;

    var T32 = 4294967296;
    var MEM_SIZE_BITS = 22;
    var EFAULT = T32 - 14;
    var EINVAL = T32 - 22;
    var EBADF = T32 - 9;
    var ENOSYS = T32 - 38;

    // ---------------- fetch ----------------
    component pcB = Num2Bits(32);
    pcB.in <== pc;
    signal misF <== pcB.out[0] + pcB.out[1] - pcB.out[0] * pcB.out[1];
    var pcHi = 0;
    for (var i = 17; i < 32; i++) pcHi += pcB.out[i];
    component pcHiZ = IsZero();
    pcHiZ.in <== pcHi;
    signal pcInCode <== pcHiZ.out * pcB.out[16];
    signal fetchOk <== (1 - misF) * pcInCode;
    var tOobF = 1 - misF - fetchOk;
    signal codeBits[14];
    var ci = 0;
    for (var i = 0; i < 14; i++) {
        codeBits[i] <== pcB.out[2 + i] * fetchOk;
        ci += codeBits[i] * (1 << i);
    }
    codeIdx <== ci;

    // ---------------- decode ----------------
    component d = Decode();
    d.insn <== insn;

    // ---------------- register reads ----------------
    component rs1 = Mux32();
    component rs2 = Mux32();
    for (var i = 0; i < 32; i++) {
        rs1.vals[i] <== regs[i];
        rs2.vals[i] <== regs[i];
    }
    for (var i = 0; i < 5; i++) {
        rs1.sel[i] <== d.ib[15 + i];
        rs2.sel[i] <== d.ib[20 + i];
    }
    signal ecA <== d.isECALL * regs[11];
    signal a <== rs1.out + ecA;
    signal bR <== (d.isOP + d.isBr) * rs2.out;
    signal bI <== (d.isOPI + d.isLd + d.isJALR) * d.immI;
    signal bS <== d.isSt * d.immS;
    signal B <== bR + bI + bS;

    // ---------------- ALU ----------------
    signal cmpF <== (d.isOPI + d.isOP) * (d.f3[2] + d.f3[3]);
    signal subOp <== d.isOP * d.f7is20;
    signal subF <== subOp * d.f3[0];
    component alu = Alu();
    alu.a <== a;
    alu.B <== B;
    for (var i = 0; i < 8; i++) alu.f3[i] <== d.f3[i];
    alu.isM <== d.isM;
    alu.aluNonM <== d.isOPI + d.isOP - d.isM;
    alu.f7is20 <== d.f7is20;
    alu.subLike <== d.isBr + cmpF + subF;

    signal m1 <== alu.lts + d.ib[13] * (alu.ltu - alu.lts);
    signal cond <== alu.eq + d.ib[14] * (m1 - alu.eq);
    signal taken <== cond + d.ib[12] * (1 - 2 * cond);

    // ---------------- next pc ----------------
    signal pu <== d.isAUIPC * d.immU;
    signal pj <== d.isJAL * d.immJ;
    signal pb <== d.isBr * d.immB;
    component pcS = Num2Bits(33);
    pcS.in <== pc + pu + pj + pb;
    var pcSum = 0;
    for (var i = 0; i < 32; i++) pcSum += pcS.out[i] * (1 << i);
    var pc4 = pc + 4;
    var jalrT = alu.lo - alu.loBits[0];
    signal brT <== d.isBr * taken;
    signal nj <== (d.isJAL + brT) * (pcSum - pc4);
    signal nr <== d.isJALR * (jalrT - pc4);
    signal nextPc <== pc4 + nj + nr;

    // ---------------- memory address checks ----------------
    var addrB0 = alu.loBits[0];
    var addrB1 = alu.loBits[1];
    component off = Sel4();
    off.b0 <== addrB0;
    off.b1 <== addrB1;
    var size1 = d.f3[0] + d.f3[4];
    var size2 = d.f3[1] + d.f3[5];
    var size4 = d.f3[2];
    signal mis2 <== size2 * addrB0;
    signal mis4 <== size4 * (1 - off.e[0]);
    var mis = mis2 + mis4;
    var aHi = 0;
    for (var i = MEM_SIZE_BITS; i < 32; i++) aHi += alu.loBits[i];
    component aHiZ = IsZero();
    aHiZ.in <== aHi;
    var oobA = 1 - aHiZ.out;
    var aHi17 = 0;
    for (var i = 17; i < 32; i++) aHi17 += alu.loBits[i];
    component aHi17Z = IsZero();
    aHi17Z.in <== aHi17;
    signal inCodeA <== aHi17Z.out * alu.loBits[16];
    signal tMisL <== d.isLd * mis;
    signal tMisS <== d.isSt * mis;
    signal ldNm <== d.isLd * (1 - mis);
    signal stNm <== d.isSt * (1 - mis);
    signal tOobL <== ldNm * oobA;
    signal tOobS <== stNm * (oobA + inCodeA);

    // ---------------- traps and halting ----------------
    var decTrap = d.illegal + d.isEBREAK;
    var decCause = d.illegal + 8 * d.isEBREAK;
    signal tInsn <== fetchOk * (decTrap + tMisL + tMisS + tOobL + tOobS);
    signal cInsn <== fetchOk * (decCause + 4 * tMisL + 5 * tMisS + 6 * tOobL + 7 * tOobS);
    var trap = misF + tOobF + tInsn;
    var cause = 2 * misF + 3 * tOobF + cInsn;

    // ---------------- ECALL ----------------
    component nrZ[4];
    var NRS[4] = [93, 94, 64, 63];
    for (var i = 0; i < 4; i++) {
        nrZ[i] = IsZero();
        nrZ[i].in <== regs[17] - NRS[i];
    }
    var isExitNr = nrZ[0].out + nrZ[1].out;
    var isWrite = nrZ[2].out;
    var isRead = nrZ[3].out;
    component fdZ[5];
    var FDS[5] = [0, 1, 2, 5, 6];
    for (var i = 0; i < 5; i++) {
        fdZ[i] = IsZero();
        fdZ[i].in <== regs[10] - FDS[i];
    }
    signal ecOk <== fetchOk * d.isECALL;
    signal exitF <== ecOk * isExitNr;
    component nB = Num2Bits(32);
    nB.in <== regs[12];
    var nHi = 0;
    for (var i = 2; i < 32; i++) nHi += nB.out[i];
    component nHiZ = IsZero();
    nHiZ.in <== nHi;
    var nge4 = 1 - nHiZ.out;
    var nlow = nB.out[0] + 2 * nB.out[1];
    signal nn <== nlow + nge4 * (4 - nlow);
    component cWm = Min4();
    cWm.x <== nn;
    cWm.y <== 4 - addrB0 - 2 * addrB1;
    signal W12 <== isWrite * (fdZ[1].out + fdZ[2].out);
    signal W6 <== isWrite * fdZ[4].out;
    var Wbad = isWrite - W12 - W6;
    signal R <== isRead * (fdZ[0].out + fdZ[3].out);
    signal R5 <== isRead * fdZ[3].out;
    var Rbad = isRead - R;
    var nosys = 1 - isExitNr - isWrite - isRead;

    // io = 0: no input/blob side: a running read(fd 0/5) step has no witness (every R step below
    // is then a halted step, which commits nothing). io = 1: AuxLen/AuxSeg as in RvStep(1); the
    // aux word is checked by the caller's aux table lookup when aEn = 1.
    var cE2 = 0;
    var rInCode = 0;
    component al;
    if (io == 1) {
        al = AuxLen();
        al.running <== running;
        al.ecOk <== ecOk;
        al.R <== R;
        al.R5 <== R5;
        al.inCodeA <== inCodeA;
        al.inputPos <== inputPos;
        al.inputLen <== inputLen;
        al.preimageOffset <== preimageOffset;
        al.blobLen <== blobLen;
        al.cW <== cWm.out;
        cE2 = al.cE2;
        rInCode = al.rInCode;
        aEn <== al.aEn;
        sel5 <== al.sel5;
        var ai = 0;
        for (var i = 0; i < 20; i++) ai += al.apBits[2 + i] * (1 << i);
        auxIdx <== ai;
    } else {
        signal ecR <== ecOk * R;
        ecR * running === 0;
        aEn <== 0;
        sel5 <== 0;
        auxIdx <== 0;
    }

    // bytes moved by this step: loads/stores: size; write(fd 1/2): cW; read(fd 0/5): cR
    signal cE1 <== W12 * cWm.out;
    signal cEc <== d.isECALL * (cE1 + cE2);
    signal cLS <== (d.isLd + d.isSt) * (size1 + 2 * size2 + 4 * size4);
    signal cEff <== cLS + cEc;
    signal ce[5];
    var ceSum = 0;
    var ceIdx = 0;
    for (var k = 0; k < 5; k++) {
        ce[k] <-- cEff == k ? 1 : 0;
        ce[k] * (ce[k] - 1) === 0;
        ceSum += ce[k];
        ceIdx += k * ce[k];
    }
    ceSum === 1;
    ceIdx === cEff;
    var ge[4] = [1 - ce[0], ce[2] + ce[3] + ce[4], ce[3] + ce[4], ce[4]];
    var czero = ce[0];

    // ---------------- memory word: bytes, load extraction, merges ----------------
    component mB = Num2Bits(32);
    mB.in <== memWord;
    var ob[4];
    for (var j = 0; j < 4; j++) {
        ob[j] = 0;
        for (var i = 0; i < 8; i++) ob[j] += mB.out[8 * j + i] * (1 << i);
    }
    signal sbp[10];
    var sb[4];
    var t = 0;
    for (var k = 0; k < 4; k++) {
        sb[k] = 0;
        for (var p = 0; p + k < 4; p++) {
            sbp[t] <== off.e[p] * ob[p + k];
            sb[k] += sbp[t];
            t++;
        }
    }
    signal oldSegP[4];
    var oldSeg = 0;
    for (var k = 0; k < 4; k++) {
        oldSegP[k] <== ge[k] * sb[k];
        oldSeg += oldSegP[k] * (1 << (8 * k));
    }
    signal sg0p[4];
    signal sg1p[3];
    var sg0 = 0;
    var sg1 = 0;
    for (var p = 0; p < 4; p++) {
        sg0p[p] <== off.e[p] * mB.out[8 * p + 7];
        sg0 += sg0p[p];
    }
    for (var p = 0; p < 3; p++) {
        sg1p[p] <== off.e[p] * mB.out[8 * (p + 1) + 7];
        sg1 += sg1p[p];
    }
    signal ext1 <== size1 * sg0;
    signal ext2 <== size2 * sg1;
    signal extS <== (1 - d.ib[14]) * (ext1 * (T32 - 256) + ext2 * (T32 - 65536));
    signal loadRes <== oldSeg + extS;

    // store segment: low cEff bytes of rs2
    component r2B = Num2Bits(32);
    r2B.in <== rs2.out;
    signal stSegP[4];
    var stSeg = 0;
    for (var k = 0; k < 4; k++) {
        var byte = 0;
        for (var i = 0; i < 8; i++) byte += r2B.out[8 * k + i] * (1 << i);
        stSegP[k] <== ge[k] * byte;
        stSeg += stSegP[k] * (1 << (8 * k));
    }
    var newSeg = stSeg;
    component as;
    if (io == 1) {
        as = AuxSeg();
        as.auxWord <== auxWord;
        as.ap0 <== al.apBits[0];
        as.ap1 <== al.apBits[1];
        for (var k = 0; k < 4; k++) as.ge[k] <== ge[k];
        as.isECALL <== d.isECALL;
        as.stSeg <== stSeg;
        newSeg = stSeg + as.newSegE;
    }
    var pow256 = off.e[0] + off.e[1] * 256 + off.e[2] * 65536 + off.e[3] * 16777216;
    signal delta <== (newSeg - oldSeg) * pow256;

    // ---------------- syscall results (write fd 1/2/6; reads only when halted) ----------------
    var bufBad = oobA + rInCode;
    signal okIO <== (1 - czero) * (1 - bufBad);
    signal rOk <== io * R * okIO;
    signal wOk <== W12 * okIO;
    signal ioV <== cEff + bufBad * (EFAULT - cEff);
    signal ioRet <== (1 - czero) * ioV;
    signal part1 <== (W12 + io * R) * ioRet;
    signal einval <== 1 - nge4 * off.e[0];
    var k6in = 4 + oobA * (EFAULT - 4);
    signal k6V <== k6in + einval * (EINVAL - k6in);
    signal part2 <== W6 * k6V;
    var sysRet = part1 + part2 + (Wbad + Rbad) * EBADF + nosys * ENOSYS;
    signal k6ok <== W6 * (1 - einval);
    signal k6ok2 <== k6ok * (1 - oobA);

    // ---------------- commit ----------------
    signal trapR <== running * trap;
    signal exitR <== running * exitF;
    var commit = running - trapR - exitR;
    signal commitEc <== commit * d.isECALL;
    doOut <== commitEc * wOk;
    signal doR <== commitEc * rOk;
    signal doR5 <== doR * fdZ[3].out;
    var doR0 = doR - doR5;
    signal doKey <== commitEc * k6ok2;
    signal doSt <== commit * d.isSt;
    signal doMem <== doSt + doR;
    signal memNewD <== doMem * delta;
    memNew <== memWord + memNewD;

    // memory slot (vm/witness.ts memorySlot): loads/stores, ECALL read/write: addr & ~3 if < MEM_SIZE
    signal ecRW <== d.isECALL * (isRead + isWrite);
    signal slotF <== fetchOk * (d.isLd + d.isSt + ecRW);
    slot <== slotF * (1 - oobA);
    signal memBits[20];
    var mi = 0;
    for (var i = 0; i < 20; i++) {
        memBits[i] <== alu.loBits[2 + i] * slot;
        mi += memBits[i] * (1 << i);
    }
    memIdx <== mi;

    // output record for the window's output slots: fd (1 or 2) + 4 * c + 32 * v
    outRec <== doOut * (regs[10] + 4 * cEff + 32 * oldSeg);
    preimageKeyOut <== preimageKey + doKey * (preimageKey * (T32 - 1) + memWord);
    signal offR5 <== doR5 * cEff;
    preimageOffsetOut <== preimageOffset - doKey * preimageOffset + offR5;
    signal offR0 <== doR0 * cEff;
    inputPosOut <== inputPos + offR0;

    // ---------------- register write ----------------
    signal wv[6];
    wv[0] <== d.isLUI * d.immU;
    wv[1] <== d.isAUIPC * pcSum;
    wv[2] <== (d.isJAL + d.isJALR) * pc4;
    wv[3] <== d.isLd * loadRes;
    wv[4] <== (d.isOPI + d.isOP) * alu.res;
    wv[5] <== d.isECALL * sysRet;
    signal rdVal <== wv[0] + wv[1] + wv[2] + wv[3] + wv[4] + wv[5];
    var wen = d.isLUI + d.isAUIPC + d.isJAL + d.isJALR + d.isLd + d.isOPI + d.isOP + d.isECALL;
    signal we <== commit * wen;
    var rdIdx = 0;
    for (var i = 0; i < 5; i++) rdIdx += d.ib[7 + i] * (1 << i);
    rdIdx += 10 * d.isECALL;
    signal wIdx <== rdIdx * we;
    signal f[32];
    var fSum = 0;
    var fIdx = 0;
    for (var i = 0; i < 32; i++) {
        f[i] <-- (we == 1 && rdIdx == i) ? 1 : 0;
        f[i] * (f[i] - 1) === 0;
        fSum += f[i];
        fIdx += i * f[i];
    }
    fSum === we;
    fIdx === wIdx;
    regsOut[0] <== regs[0];
    for (var i = 1; i < 32; i++) regsOut[i] <== regs[i] + f[i] * (rdVal - regs[i]);

    // ---------------- pc, status, step ----------------
    pcOut <== pc + commit * (nextPc - pc);
    signal stT <== trapR * (2 + 4 * cause - status);
    signal stE <== exitR * (1 + 4 * regs[10] - status);
    statusOut <== status + stT + stE;
    runningOut <== commit;
    stepOut <== step + running;
}

/** sel[] boolean with sum(sel) == en; returns sum(sel[i] * vals[i]) (n constraints + n products). */
template OneHotDot(n) {
    signal input sel[n];
    signal input vals[n];
    signal input en;
    signal output out;
    signal p[n];
    var s = 0;
    var acc = 0;
    for (var i = 0; i < n; i++) {
        sel[i] * (sel[i] - 1) === 0;
        s += sel[i];
        p[i] <== sel[i] * vals[i];
        acc += p[i];
    }
    s === en;
    out <== acc;
}

/**
 * m chained steps with a code table of C slots, KR read-only + KW writable memory slots and H
 * output slots (file header). Public: preRoot, postRoot.
 */
template RvStepsMem(m, C, KR, KW, H, A) {
    var T32 = 4294967296;
    var T33 = 8589934592;
    var K = KR + KW;
    var io = A > 0 ? 1 : 0;
    signal input preRoot;
    signal input postRoot;
    signal input pc;
    signal input step;
    signal input status;
    signal input regs[32];
    signal input memRoot;
    signal input codeRoot;
    signal input inputRoot;
    signal input inputLen;
    signal input inputPos;
    signal input outHash;
    signal input preimageKey;
    signal input preimageOffset;
    // tables
    signal input codeIdx[C];
    signal input codeWord[C];
    signal input codeProof[C][21];
    signal input rAddr[KR];
    signal input rWord[KR];
    signal input rProof[KR][30];
    signal input wAddr[KW];
    signal input wInit[KW];
    signal input wProof[KW][30];
    signal input oFd[H];
    signal input oCnt[H];
    signal input oVal[H];
    signal input aKind[A];
    signal input aRoot[A];
    signal input aLen[A];
    signal input aIdx[A];
    signal input aWord[A];
    signal input aProof[A][30];
    // per step
    signal input insn[m];
    signal input memWord[m];
    signal input selC[m][C];
    signal input selM[m][K];
    signal input selO[m][H];
    signal input auxWord[io * m];
    signal input blobLen[io * m];
    signal input selA[m][A];

    // ---- pre-state ----
    regs[0] === 0;
    component rB[31];
    for (var i = 1; i < 32; i++) {
        rB[i - 1] = Num2Bits(32);
        rB[i - 1].in <== regs[i];
    }
    component ilB = Num2Bits(32);
    ilB.in <== inputLen;
    component stB = Num2Bits(53);
    stB.in <== status;
    signal running0 <== (1 - stB.out[0]) * (1 - stB.out[1]);

    component preRegs = RegsRoot();
    for (var i = 0; i < 32; i++) preRegs.regs[i] <== regs[i];
    component pre = StateRoot();
    pre.pc <== pc;
    pre.step <== step;
    pre.status <== status;
    pre.regsRoot <== preRegs.root;
    pre.memRoot <== memRoot;
    pre.codeRoot <== codeRoot;
    pre.inputRoot <== inputRoot;
    pre.inputLen <== inputLen;
    pre.inputPos <== inputPos;
    pre.outHash <== outHash;
    pre.preimageKey <== preimageKey;
    pre.preimageOffset <== preimageOffset;
    pre.root === preRoot;

    // ---- code table: each slot a leaf of codeRoot; packed = idx * 2^32 + word ----
    component cIB[C];
    component cWB[C];
    component cM[C];
    signal cPacked[C];
    for (var c = 0; c < C; c++) {
        cIB[c] = Num2Bits(14);
        cIB[c].in <== codeIdx[c];
        cWB[c] = Num2Bits(32);
        cWB[c].in <== codeWord[c];
        cM[c] = Merkle4Root(7);
        cM[c].leaf <== codeWord[c];
        for (var i = 0; i < 14; i++) cM[c].bits[i] <== cIB[c].out[i];
        for (var i = 0; i < 21; i++) cM[c].sib[i] <== codeProof[c][i];
        cM[c].root === codeRoot;
        cPacked[c] <== codeIdx[c] * T32 + codeWord[c];
    }

    // ---- memory table: R slots under the pre memRoot ----
    component rAB[KR];
    component rWB[KR];
    component rM[KR];
    for (var k = 0; k < KR; k++) {
        rAB[k] = Num2Bits(20);
        rAB[k].in <== rAddr[k];
        rWB[k] = Num2Bits(32);
        rWB[k].in <== rWord[k];
        rM[k] = Merkle4Root(10);
        rM[k].leaf <== rWord[k];
        for (var i = 0; i < 20; i++) rM[k].bits[i] <== rAB[k].out[i];
        for (var i = 0; i < 30; i++) rM[k].sib[i] <== rProof[k][i];
        rM[k].root === memRoot;
    }
    component wAB[KW];
    component wWB[KW];
    for (var k = 0; k < KW; k++) {
        wAB[k] = Num2Bits(20);
        wAB[k].in <== wAddr[k];
        wWB[k] = Num2Bits(32);
        wWB[k].in <== wInit[k];
    }
    // distinct W addresses, and no R address equals a W address: one product, nonzero
    var nD = KW * (KW - 1) \ 2 + KR * KW;
    signal dp[nD + 1];
    dp[0] <== 1;
    var q = 0;
    for (var i = 0; i < KW; i++) {
        for (var j = i + 1; j < KW; j++) {
            dp[q + 1] <== dp[q] * (wAddr[i] - wAddr[j]);
            q++;
        }
        for (var r = 0; r < KR; r++) {
            dp[q + 1] <== dp[q] * (rAddr[r] - wAddr[i]);
            q++;
        }
    }
    signal dInv;
    dInv <-- dp[nD] != 0 ? 1 / dp[nD] : 0;
    dInv * dp[nD] === 1;

    // ---- output slots: fd 2 bits, count 3 bits, value 32 bits ----
    component oFB[H];
    component oCB[H];
    component oVB[H];
    signal oPacked[H];
    for (var s = 0; s < H; s++) {
        oFB[s] = Num2Bits(2);
        oFB[s].in <== oFd[s];
        oCB[s] = Num2Bits(3);
        oCB[s].in <== oCnt[s];
        oVB[s] = Num2Bits(32);
        oVB[s].in <== oVal[s];
        oPacked[s] <== oFd[s] + 4 * oCnt[s] + 32 * oVal[s];
    }

    // ---- aux table (io): input words (kind 0, under inputRoot) and blob words (kind 1, under
    // aRoot, whose key P2(aRoot, aLen) the step matches to its preimageKey) ----
    component aIB[A];
    component aWB[A];
    component aM[A];
    component aKey[A];
    signal aRootSel[A];
    signal keyK[A];
    signal lenK[A];
    signal aPacked[A];
    for (var s = 0; s < A; s++) {
        aKind[s] * (aKind[s] - 1) === 0;
        aIB[s] = Num2Bits(20);
        aIB[s].in <== aIdx[s];
        aWB[s] = Num2Bits(32);
        aWB[s].in <== aWord[s];
        aRootSel[s] <== inputRoot + aKind[s] * (aRoot[s] - inputRoot);
        aM[s] = Merkle4Root(10);
        aM[s].leaf <== aWord[s];
        for (var i = 0; i < 20; i++) aM[s].bits[i] <== aIB[s].out[i];
        for (var i = 0; i < 30; i++) aM[s].sib[i] <== aProof[s][i];
        aM[s].root === aRootSel[s];
        aKey[s] = Poseidon(2);
        aKey[s].inputs[0] <== aRoot[s];
        aKey[s].inputs[1] <== aLen[s];
        keyK[s] <== aKind[s] * aKey[s].out;
        lenK[s] <== aKind[s] * aLen[s];
        aPacked[s] <== aIdx[s] * T33 + aWord[s] * 2 + aKind[s];
    }

    // ---- steps ----
    component st[m];
    component lc[m];
    component lm[m];
    component lo[m];
    component la[m];
    signal aStep[io * m];
    signal aKeyS[io * m];
    signal aLenS[io * m];
    signal kDot[m][A];
    signal lDot[m][A];
    signal cur[m + 1][KW];
    signal rSel[m];
    signal rNoW[m];
    signal curD[m][KW];
    signal mPacked[m][K];
    var outCount = 0;
    for (var k = 0; k < KW; k++) cur[0][k] <== wInit[k];
    for (var j = 0; j < m; j++) {
        st[j] = MemStep(io);
        if (j == 0) {
            st[j].pc <== pc;
            st[j].step <== step;
            st[j].status <== status;
            st[j].running <== running0;
            for (var i = 0; i < 32; i++) st[j].regs[i] <== regs[i];
            st[j].preimageKey <== preimageKey;
            st[j].preimageOffset <== preimageOffset;
            st[j].inputPos <== inputPos;
        } else {
            st[j].pc <== st[j - 1].pcOut;
            st[j].step <== st[j - 1].stepOut;
            st[j].status <== st[j - 1].statusOut;
            st[j].running <== st[j - 1].runningOut;
            for (var i = 0; i < 32; i++) st[j].regs[i] <== st[j - 1].regsOut[i];
            st[j].preimageKey <== st[j - 1].preimageKeyOut;
            st[j].preimageOffset <== st[j - 1].preimageOffsetOut;
            st[j].inputPos <== st[j - 1].inputPosOut;
        }
        st[j].inputLen <== inputLen;
        if (io == 1) {
            st[j].auxWord <== auxWord[j];
            st[j].blobLen <== blobLen[j];
        } else {
            st[j].auxWord <== 0;
            st[j].blobLen <== 0;
        }
        st[j].insn <== insn[j];
        st[j].memWord <== memWord[j];

        // fetch: insn is the code table word at the step's fetch index
        lc[j] = OneHotDot(C);
        for (var c = 0; c < C; c++) {
            lc[j].sel[c] <== selC[j][c];
            lc[j].vals[c] <== cPacked[c];
        }
        lc[j].en <== 1;
        lc[j].out === st[j].codeIdx * T32 + insn[j];

        // memory: memWord is the current value of the table slot at the step's word index
        lm[j] = OneHotDot(K);
        for (var k = 0; k < KR; k++) {
            lm[j].sel[k] <== selM[j][k];
            lm[j].vals[k] <== rAddr[k] * T32 + rWord[k];
        }
        for (var k = 0; k < KW; k++) {
            lm[j].sel[KR + k] <== selM[j][KR + k];
            lm[j].vals[KR + k] <== wAddr[k] * T32 + cur[j][k];
        }
        lm[j].en <== st[j].slot;
        lm[j].out === st[j].memIdx * T32 + memWord[j];
        var rs = 0;
        for (var k = 0; k < KR; k++) rs += selM[j][k];
        rSel[j] <== rs;
        rSel[j] * (st[j].memNew - memWord[j]) === 0;
        for (var k = 0; k < KW; k++) {
            curD[j][k] <== selM[j][KR + k] * (st[j].memNew - memWord[j]);
            cur[j + 1][k] <== cur[j][k] + curD[j][k];
        }

        // output: the step's write record is output slot number outCount
        lo[j] = OneHotDot(H);
        var idx = 0;
        for (var s = 0; s < H; s++) {
            lo[j].sel[s] <== selO[j][s];
            lo[j].vals[s] <== oPacked[s];
            idx += s * selO[j][s];
        }
        lo[j].en <== st[j].doOut;
        lo[j].out === st[j].outRec;
        idx === outCount * st[j].doOut;
        outCount += st[j].doOut;

        // aux (io): a running read(fd 0/5) finds (word index, word, fd 5?) in the aux table; for
        // fd 5 also the blob's key (= preimageKey) and length (= the step's blobLen)
        if (io == 1) {
            la[j] = OneHotDot(A);
            var kd = 0;
            var ld = 0;
            for (var s = 0; s < A; s++) {
                la[j].sel[s] <== selA[j][s];
                la[j].vals[s] <== aPacked[s];
                kDot[j][s] <== selA[j][s] * keyK[s];
                lDot[j][s] <== selA[j][s] * lenK[s];
                kd += kDot[j][s];
                ld += lDot[j][s];
            }
            la[j].en <== st[j].aEn;
            aStep[j] <== st[j].aEn * (st[j].auxIdx * T33 + auxWord[j] * 2);
            la[j].out === aStep[j] + st[j].sel5;
            aKeyS[j] <== st[j].sel5 * st[j].preimageKey;
            kd === aKeyS[j];
            aLenS[j] <== st[j].sel5 * blobLen[j];
            ld === aLenS[j];
        }
    }

    // ---- W slots: chained Merkle updates from the pre memRoot ----
    component wOld[KW];
    component wNew[KW];
    signal mroot[KW + 1];
    mroot[0] <== memRoot;
    for (var k = 0; k < KW; k++) {
        wOld[k] = Merkle4Root(10);
        wNew[k] = Merkle4Root(10);
        wOld[k].leaf <== wInit[k];
        wNew[k].leaf <== cur[m][k];
        for (var i = 0; i < 20; i++) {
            wOld[k].bits[i] <== wAB[k].out[i];
            wNew[k].bits[i] <== wAB[k].out[i];
        }
        for (var i = 0; i < 30; i++) {
            wOld[k].sib[i] <== wProof[k][i];
            wNew[k].sib[i] <== wProof[k][i];
        }
        wOld[k].root === mroot[k];
        mroot[k + 1] <== wNew[k].root;
    }

    // ---- output hash chain over the used slots (used[s] = some step selected slot s) ----
    component oh[H];
    signal hs[H + 1];
    signal hd[H];
    hs[0] <== outHash;
    for (var s = 0; s < H; s++) {
        var used = 0;
        for (var j = 0; j < m; j++) used += selO[j][s];
        oh[s] = Poseidon(4);
        oh[s].inputs[0] <== hs[s];
        oh[s].inputs[1] <== oFd[s];
        oh[s].inputs[2] <== oVal[s];
        oh[s].inputs[3] <== oCnt[s];
        hd[s] <== used * (oh[s].out - hs[s]);
        hs[s + 1] <== hs[s] + hd[s];
    }

    // ---- post-state ----
    component postRegs = RegsRoot();
    for (var i = 0; i < 32; i++) postRegs.regs[i] <== st[m - 1].regsOut[i];
    component post = StateRoot();
    post.pc <== st[m - 1].pcOut;
    post.step <== st[m - 1].stepOut;
    post.status <== st[m - 1].statusOut;
    post.regsRoot <== postRegs.root;
    post.memRoot <== mroot[KW];
    post.codeRoot <== codeRoot;
    post.inputRoot <== inputRoot;
    post.inputLen <== inputLen;
    post.inputPos <== st[m - 1].inputPosOut;
    post.outHash <== hs[H];
    post.preimageKey <== st[m - 1].preimageKeyOut;
    post.preimageOffset <== st[m - 1].preimageOffsetOut;
    post.root === postRoot;
}
