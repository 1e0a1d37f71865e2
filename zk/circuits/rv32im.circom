pragma circom 2.1.6;
/*
 * zkfp RV32IM m-step circuit. Twins: vm/verify.ts (`verifyStep`, the reference this mirrors
 * bit for bit), vm/machine.ts (interpreter), contracts/src/rv32im/ (Solidity one-step verifier).
 * Normative spec: vm/STATE.md (state layout, trees, traps, syscalls).
 *
 * RvSteps(m) proves  preRoot --m steps--> postRoot. Inside, the state is carried as signals:
 * pc, step, status, a `running` flag, the 32 register VALUES, memRoot, inputPos, outHash,
 * preimageKey, preimageOffset (codeRoot, inputRoot, inputLen never change). The register file is
 * hashed into regsRoot (31 x P2) and the full state root (5 hashes) only at the two ends.
 * Per step there are exactly three Merkle paths:
 *   - instruction fetch: code tree (4-ary, depth 7) inclusion of `insn` at (pc - 0x10000) / 4
 *     (code word 0 when the fetch traps);
 *   - ONE memory access: memory tree (4-ary, depth 10) update old leaf -> memRoot, new leaf ->
 *     new memRoot, same siblings (word 0, new = old, for steps that touch no memory);
 *   - the "aux" word: input tree word inputPos >> 2, or, on a read(fd 5) step, blob word
 *     preimageOffset >> 2 with P2(blobRoot, blobLen) == preimageKey. The lite variant
 *     (RvSteps(m, 0)) drops this path and cannot prove windows with input/blob reads.
 * The memory slot follows vm/witness.ts `memorySlot` exactly (so the TS step witness supplies it).
 *
 * Public signals: [preRoot, postRoot] (inputs, no outputs).
 *
 * What the circuit does NOT check / the caller must enforce:
 *  - m is fixed by the verifying key: the caller must check that the claimed interval is exactly
 *    m steps and that preRoot is the agreed root at its start. The start step index is bound only
 *    through the `step` field inside preRoot (a halted state no longer counts steps).
 *  - `step` is not range-checked (vm/verify.ts rejects step >= 2^53; a state root with such a step
 *    is unreachable from any initial state, whose step is 0).
 *  - `status` is range-checked to 53 bits and `inputLen`, register values and the fields used in
 *    arithmetic to 32 bits; a pre-state that violates an invariant the machine keeps (e.g.
 *    inputPos > inputLen) is handled by the same formulas as vm/verify.ts.
 *  - Poseidon collision resistance is assumed for every tree and the state root.
 */
include "lib.circom";
include "decode.circom";
include "alu.circom";

/**
 * One step (vm/verify.ts `verifyStep`) over carried state signals; outputs the next state.
 * Checks: code inclusion of insn under codeRoot, memory old word under memRoot (new root is an
 * output), aux word under the input/blob root (io = 1), the blob key on read(fd 5), all hints.
 * The caller (RvSteps) must enforce: regs[i] are u32 and regs[0] = 0; `running` is boolean and
 * equals (status & 3 == 0); codeRoot, inputRoot, inputLen are the state's; inputLen is u32. The
 * outputs keep these invariants (register writes are u32 results; x0 is never written).
 */
template RvStep(io) {
    // carried state
    signal input pc;
    signal input step;
    signal input status;
    signal input running;
    signal input regs[32];
    signal input memRoot;
    signal input inputPos;
    signal input outHash;
    signal input preimageKey;
    signal input preimageOffset;
    // constant across the run
    signal input codeRoot;
    signal input inputRoot;
    signal input inputLen;
    // step witness
    signal input insn;
    signal input codeProof[21];
    signal input memWord;
    signal input memProof[30];
    signal input auxWord;
    signal input auxProof[30];
    signal input blobRoot;
    signal input blobLen;

    signal output pcOut;
    signal output stepOut;
    signal output statusOut;
    signal output runningOut;
    signal output regsOut[32];
    signal output memRootOut;
    signal output inputPosOut;
    signal output outHashOut;
    signal output preimageKeyOut;
    signal output preimageOffsetOut;

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
    for (var i = 0; i < 14; i++) codeBits[i] <== pcB.out[2 + i] * fetchOk;
    component fetch = Merkle4Root(7);
    fetch.leaf <== insn;
    for (var i = 0; i < 14; i++) fetch.bits[i] <== codeBits[i];
    for (var i = 0; i < 21; i++) fetch.sib[i] <== codeProof[i];
    fetch.root === codeRoot;

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
    // ECALL's rs1 field is 0 (x0 = 0), so `a` becomes a1 = buf: the adder then yields buf + 0.
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

    // branches: f3 bit2 picks eq vs lt, bit1 signed vs unsigned, bit0 inverts
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

    // aux word: input tree at inputPos, or the blob at preimageOffset on a read(fd 5) step
    signal ecR5 <== ecOk * R5;
    signal sel5 <== ecR5 * running;
    signal auxRoot <== inputRoot + sel5 * (blobRoot - inputRoot);
    signal auxPos <== inputPos + sel5 * (preimageOffset - inputPos);
    signal auxLen <== inputLen + sel5 * (blobLen - inputLen);
    component apB = Num2Bits(32);
    apB.in <== auxPos;
    component alB = Num2Bits(32);
    alB.in <== auxLen;
    if (io == 1) {
        component auxM = Merkle4Root(10);
        auxM.leaf <== auxWord;
        for (var i = 0; i < 20; i++) auxM.bits[i] <== apB.out[2 + i];
        for (var i = 0; i < 30; i++) auxM.sib[i] <== auxProof[i];
        auxM.root === auxRoot;
        component bkey = Poseidon(2);
        bkey.inputs[0] <== blobRoot;
        bkey.inputs[1] <== blobLen;
        sel5 * (bkey.out - preimageKey) === 0;
    } else {
        // lite variant: no aux path, so a running read(fd 0/5) step has no witness at all
        signal ecR <== ecOk * R;
        ecR * running === 0;
    }
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
    cR1.x <== cWm.out;
    cR1.y <== 4 - apB.out[0] - 2 * apB.out[1];
    component cR2 = Min4();
    cR2.x <== cR1.out;
    cR2.y <== llA + llB;

    // bytes moved by this step: loads/stores: size; write(fd 1/2): cW; read(fd 0/5): cR
    signal cE1 <== W12 * cWm.out;
    signal cE2 <== R * cR2.out;
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
    // sb[k] = byte (off + k) of the old word (0 past the end)
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
    // read segment: cEff bytes of the aux word from byte auxPos % 4
    component xB = Num2Bits(32);
    xB.in <== auxWord;
    var xb[4];
    for (var j = 0; j < 4; j++) {
        xb[j] = 0;
        for (var i = 0; i < 8; i++) xb[j] += xB.out[8 * j + i] * (1 << i);
    }
    component po = Sel4();
    po.b0 <== apB.out[0];
    po.b1 <== apB.out[1];
    signal srp[10];
    var srcB[4];
    t = 0;
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
    signal newSegE <== d.isECALL * (srcSeg - stSeg);
    var newSeg = stSeg + newSegE;
    var pow256 = off.e[0] + off.e[1] * 256 + off.e[2] * 65536 + off.e[3] * 16777216;
    signal delta <== (newSeg - oldSeg) * pow256;

    // ---------------- syscall results ----------------
    signal rInCode <== R * inCodeA;
    var bufBad = oobA + rInCode;
    signal okIO <== (1 - czero) * (1 - bufBad);
    signal rOk <== R * okIO;
    signal wOk <== W12 * okIO;
    signal ioV <== cEff + bufBad * (EFAULT - cEff);
    signal ioRet <== (1 - czero) * ioV;
    signal part1 <== (W12 + R) * ioRet;
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
    signal doOut <== commitEc * wOk;
    signal doR <== commitEc * rOk;
    signal doR5 <== doR * fdZ[3].out;
    var doR0 = doR - doR5;
    signal doKey <== commitEc * k6ok2;
    signal doSt <== commit * d.isSt;
    signal doMem <== doSt + doR;
    signal memNewD <== doMem * delta;
    signal memNew <== memWord + memNewD;

    // memory slot (vm/witness.ts memorySlot): loads/stores, ECALL read/write: addr & ~3 if < MEM_SIZE
    signal ecRW <== d.isECALL * (isRead + isWrite);
    signal slotF <== fetchOk * (d.isLd + d.isSt + ecRW);
    signal slot <== slotF * (1 - oobA);
    signal memBits[20];
    for (var i = 0; i < 20; i++) memBits[i] <== alu.loBits[2 + i] * slot;
    component memOldM = Merkle4Root(10);
    component memNewM = Merkle4Root(10);
    memOldM.leaf <== memWord;
    memNewM.leaf <== memNew;
    for (var i = 0; i < 20; i++) {
        memOldM.bits[i] <== memBits[i];
        memNewM.bits[i] <== memBits[i];
    }
    for (var i = 0; i < 30; i++) {
        memOldM.sib[i] <== memProof[i];
        memNewM.sib[i] <== memProof[i];
    }
    memOldM.root === memRoot;
    memRootOut <== memNewM.root;

    // output hash, preimage key, positions
    component oh = Poseidon(4);
    oh.inputs[0] <== outHash;
    oh.inputs[1] <== regs[10];
    oh.inputs[2] <== oldSeg;
    oh.inputs[3] <== cEff;
    outHashOut <== outHash + doOut * (oh.out - outHash);
    preimageKeyOut <== preimageKey + doKey * (preimageKey * (T32 - 1) + memWord);
    signal offR5 <== doR5 * cEff;
    preimageOffsetOut <== preimageOffset - doKey * preimageOffset + offR5;
    inputPosOut <== inputPos + doR0 * cEff;

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
    rdIdx += 10 * d.isECALL; // ECALL's rd field is 0; it writes a0
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

/**
 * m chained steps. Public: preRoot, postRoot. See the file header for what the caller enforces.
 * io = 1: full circuit. io = 0: "lite" circuit without the aux path (~3.3k constraints less per
 * step): it has no satisfying assignment for a window that contains a running read(fd 0 or 5)
 * ECALL; every other window gets exactly the post-root of the full circuit. A verifier may accept
 * proofs of either variant for the same (preRoot, postRoot) statement.
 */
template RvSteps(m, io) {
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
    signal input insn[m];
    signal input codeProof[m][21];
    signal input memWord[m];
    signal input memProof[m][30];
    signal input auxWord[m];
    signal input auxProof[m][30];
    signal input blobRoot[m];
    signal input blobLen[m];

    // register values are u32 and x0 is 0; later values are produced in-circuit as u32
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

    component s[m];
    for (var j = 0; j < m; j++) {
        s[j] = RvStep(io);
        if (j == 0) {
            s[j].pc <== pc;
            s[j].step <== step;
            s[j].status <== status;
            s[j].running <== running0;
            for (var i = 0; i < 32; i++) s[j].regs[i] <== regs[i];
            s[j].memRoot <== memRoot;
            s[j].inputPos <== inputPos;
            s[j].outHash <== outHash;
            s[j].preimageKey <== preimageKey;
            s[j].preimageOffset <== preimageOffset;
        } else {
            s[j].pc <== s[j - 1].pcOut;
            s[j].step <== s[j - 1].stepOut;
            s[j].status <== s[j - 1].statusOut;
            s[j].running <== s[j - 1].runningOut;
            for (var i = 0; i < 32; i++) s[j].regs[i] <== s[j - 1].regsOut[i];
            s[j].memRoot <== s[j - 1].memRootOut;
            s[j].inputPos <== s[j - 1].inputPosOut;
            s[j].outHash <== s[j - 1].outHashOut;
            s[j].preimageKey <== s[j - 1].preimageKeyOut;
            s[j].preimageOffset <== s[j - 1].preimageOffsetOut;
        }
        s[j].codeRoot <== codeRoot;
        s[j].inputRoot <== inputRoot;
        s[j].inputLen <== inputLen;
        s[j].insn <== insn[j];
        for (var i = 0; i < 21; i++) s[j].codeProof[i] <== codeProof[j][i];
        s[j].memWord <== memWord[j];
        for (var i = 0; i < 30; i++) s[j].memProof[i] <== memProof[j][i];
        s[j].auxWord <== auxWord[j];
        for (var i = 0; i < 30; i++) s[j].auxProof[i] <== auxProof[j][i];
        s[j].blobRoot <== blobRoot[j];
        s[j].blobLen <== blobLen[j];
    }

    component postRegs = RegsRoot();
    for (var i = 0; i < 32; i++) postRegs.regs[i] <== s[m - 1].regsOut[i];
    component post = StateRoot();
    post.pc <== s[m - 1].pcOut;
    post.step <== s[m - 1].stepOut;
    post.status <== s[m - 1].statusOut;
    post.regsRoot <== postRegs.root;
    post.memRoot <== s[m - 1].memRootOut;
    post.codeRoot <== codeRoot;
    post.inputRoot <== inputRoot;
    post.inputLen <== inputLen;
    post.inputPos <== s[m - 1].inputPosOut;
    post.outHash <== s[m - 1].outHashOut;
    post.preimageKey <== s[m - 1].preimageKeyOut;
    post.preimageOffset <== s[m - 1].preimageOffsetOut;
    post.root === postRoot;
}
