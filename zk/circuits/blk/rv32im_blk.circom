pragma circom 2.1.6;
/*
 * zkfp RV32IM m-step circuit with BLOCK tables ("blk" variants). Same statement as
 * zk/circuits/rv32im.circom RvSteps(m, io) and zk/circuits/mem/rv32im_mem.circom RvStepsMem:
 * public [preRoot, postRoot], postRoot = the state root after exactly m steps (vm/STATE.md, twin
 * of vm/verify.ts). The step logic is MemStep(io) of rv32im_mem.circom (unchanged, included);
 * what differs is the unit a table opens: an aligned BLOCK of 4^J consecutive words, i.e. one node
 * of the 4-ary word tree (vm/merkle.ts), opened by hashing its 4^J words into the subtree root
 * ((4^J - 1)/3 Poseidon(4)) plus one path of depth D - J above it. Straight-line code (soft float,
 * unrolled loops) fetches runs of consecutive words: one block of 64 words costs about what 3.5
 * single-word code slots cost.
 *
 *  - CODE: CB blocks of 4^CJ words and CS blocks of 4 words, each at a block index (bits
 *    range-checked, 14 - 2J of them) opened against codeRoot (depth 7). A step splits its fetch
 *    index (MemStep codeIdx, < 2^14) into bits; it selects one block with a one-hot selector
 *    (booleans, sum 1) and checks
 *        sum_b sel_b * 4^J_b * blkIdx_b  +  low_J(selected table)  ==  codeIdx
 *        sum_b sel_b * word_b[low_J_b]                           ==  insn
 *    where low_J = codeIdx mod 4^J (its low 2J bits) and word_b[low] a binary mux on those bits.
 *  - MEMORY: KR read-only + KW writable blocks of 4^MJ words (MJ = 0: single words, 1: aligned
 *    groups of 4), depth 10 - MJ paths. R blocks open against the PRE memRoot; W blocks chain
 *    Merkle updates root_0 = memRoot -> root_KW = post memRoot (block k's initial words under
 *    root_k, its final words give root_k+1, same siblings). W block addresses are pairwise
 *    distinct and distinct from every R block address (one product of differences, inverted). A
 *    step with a memory slot (MemStep `slot`) selects one block (sum sel = slot) and checks
 *        sum_k sel_k * blkAddr_k == memIdx >> 2MJ,   sum_k sel_k * cur_k[memIdx mod 4^MJ] == memWord
 *    where cur_k is the R block's words or the W block's current words; the selected W block's word
 *    at the low bits becomes memNew (one-hot of the low bits), an R block must not change
 *    ((sum_R sel) * (memNew - memWord) == 0).
 *  - AUX (A > 0): A blocks of 4^AJ input words (kind 0, under inputRoot) or blob words (kind 1,
 *    under aRoot, key P2(aRoot, aLen)), depth 10 - AJ. A running read(fd 0/5) (aEn) selects one
 *    block: sum sel*(2 blkIdx + kind) == aEn*2*(auxIdx >> 2AJ) + sel5, sum sel*word[low] ==
 *    aEn*auxWord, and for fd 5 the block's key and length equal preimageKey and blobLen.
 *  - OUTPUT: H records hashed in order into outHash, exactly as RvStepsMem.
 *
 * Soundness (Poseidon collision resistance assumed, as in rv32im.circom):
 *  - A block is a tree node: its subtree root is the 4-ary hash of its 4^J words in index order
 *    (child position = the index's 2 bits at that level, vm/merkle.ts), and its path has the
 *    index bits above the low 2J; so an opened block's words ARE the leaves blkIdx*4^J + i.
 *  - Lookups: the selectors are boolean with sum 1 (code), slot (memory), aEn (aux): exactly one
 *    block is used, and the same one in every dot product. Every compared quantity is an integer
 *    far below p with range-checked parts (indices from Num2Bits, low bits from Num2Bits of the
 *    step's own index, kind boolean), so the selected block's index equals the step's index with
 *    the low 2J bits dropped and the value is that block's word at the low bits. No packing of
 *    words with indices: words need no range check here (insn, memWord and auxWord are
 *    Num2Bits(32)-checked inside MemStep; table words are committed tree leaves).
 *  - Memory: as RvStepsMem with blocks for words. root_k commits to M_0 with W blocks 0..k-1 set
 *    to their final words; block addresses are distinct, so wInit[k] = M_0 on block k, R blocks
 *    hold M_0 and never change (a step's write goes to the word it read: the R check); a W block's
 *    words change only at the word its selecting step addresses (one-hot of the low bits). Every
 *    read returns the last write before it or M_0; the post root commits to exactly the final
 *    words. Words of a W block no step writes keep their initial values, so the update is exact.
 *  - Code is read-only: duplicate or overlapping blocks are harmless.
 *  - No Fiat-Shamir challenge: the lookups are deterministic one-hot selections.
 *  - Not proven here (the caller's job, as for RvSteps): m is fixed by the verifying key; a
 *    window that does not fit the tables has no witness (the prover picks another circuit:
 *    zk/witness-input.ts `cheapestCircuitFor`). A = 0: a running read(fd 0/5) has no witness.
 *
 * Public signals: [preRoot, postRoot]. Inputs: zk/circuits/blk/input.ts. Costs: zk/CONSTRAINTS.md
 * (block variants). Tests: zk/circuits/blk/blk.test.ts.
 */
include "mem/rv32im_mem.circom";

/** Root of the 4-ary Poseidon subtree over 4^J leaves in index order (J = 0: the leaf itself). */
template BlockRoot(J) {
    var n = 1 << (2 * J);
    signal input w[n];
    signal output root;
    var nh = (n - 1) \ 3;
    component h[nh];
    signal node[n + nh];
    for (var i = 0; i < n; i++) node[i] <== w[i];
    var src = 0;
    var dst = n;
    var k = 0;
    for (var lvl = 0; lvl < J; lvl++) {
        var cnt = n >> (2 * (lvl + 1));
        for (var i = 0; i < cnt; i++) {
            h[k] = Poseidon(4);
            for (var c = 0; c < 4; c++) h[k].inputs[c] <== node[src + 4 * i + c];
            node[dst + i] <== h[k].out;
            k++;
        }
        src = dst;
        dst = dst + cnt;
    }
    root <== node[n + nh - 1];
}

/** w[bits] for 2J boolean bits (low first): binary mux tree, 4^J - 1 constraints. */
template MuxBits(J) {
    var n = 1 << (2 * J);
    signal input w[n];
    signal input bits[2 * J];
    signal output out;
    signal t[2 * n - 1];
    signal d[n - 1];
    for (var i = 0; i < n; i++) t[i] <== w[i];
    var src = 0;
    var dst = n;
    var k = 0;
    for (var lvl = 0; lvl < 2 * J; lvl++) {
        var cnt = n >> (lvl + 1);
        for (var i = 0; i < cnt; i++) {
            d[k] <== bits[lvl] * (t[src + 2 * i + 1] - t[src + 2 * i]);
            t[dst + i] <== t[src + 2 * i] + d[k];
            k++;
        }
        src = dst;
        dst = dst + cnt;
    }
    out <== t[2 * n - 2];
}

/**
 * Opens a block: idx range-checked to 2(D - J) bits, its words hashed into the subtree root, the
 * path of depth D - J above it; outputs the root it implies (the caller compares it).
 */
template BlockOpen(J, D) {
    var n = 1 << (2 * J);
    signal input idx;
    signal input w[n];
    signal input proof[3 * (D - J)];
    signal output root;
    component ib = Num2Bits(2 * (D - J));
    ib.in <== idx;
    component br = BlockRoot(J);
    for (var i = 0; i < n; i++) br.w[i] <== w[i];
    component mp = Merkle4Root(D - J);
    mp.leaf <== br.root;
    for (var i = 0; i < 2 * (D - J); i++) mp.bits[i] <== ib.out[i];
    for (var i = 0; i < 3 * (D - J); i++) mp.sib[i] <== proof[i];
    root <== mp.root;
}

/**
 * m chained steps with block tables (file header): code CB blocks of 4^CJ words + CS blocks of 4,
 * memory KR read-only + KW writable blocks of 4^MJ words (MJ in {0, 1}), H output records, A aux
 * blocks of 4^AJ words. Public: preRoot, postRoot.
 */
template RvStepsBlk(m, CJ, CB, CS, MJ, KR, KW, H, AJ, A) {
    assert(CJ >= 1 && CJ <= 4 && CB + CS >= 1);
    assert(MJ == 0 || MJ == 1);
    assert(AJ >= 0 && AJ <= 3);
    var T32 = 4294967296;
    var NC = 1 << (2 * CJ);
    var NM = 1 << (2 * MJ);
    var NA = 1 << (2 * AJ);
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
    signal input cbIdx[CB];
    signal input cbWord[CB][NC];
    signal input cbProof[CB][3 * (7 - CJ)];
    signal input csIdx[CS];
    signal input csWord[CS][4];
    signal input csProof[CS][18];
    signal input rAddr[KR];
    signal input rWord[KR][NM];
    signal input rProof[KR][3 * (10 - MJ)];
    signal input wAddr[KW];
    signal input wInit[KW][NM];
    signal input wProof[KW][3 * (10 - MJ)];
    signal input oFd[H];
    signal input oCnt[H];
    signal input oVal[H];
    signal input aKind[A];
    signal input aRoot[A];
    signal input aLen[A];
    signal input aIdx[A];
    signal input aWord[A][NA];
    signal input aProof[A][3 * (10 - AJ)];
    // per step
    signal input insn[m];
    signal input memWord[m];
    signal input selC[m][CB + CS];
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

    // ---- code blocks under codeRoot ----
    component cbO[CB];
    for (var b = 0; b < CB; b++) {
        cbO[b] = BlockOpen(CJ, 7);
        cbO[b].idx <== cbIdx[b];
        for (var i = 0; i < NC; i++) cbO[b].w[i] <== cbWord[b][i];
        for (var i = 0; i < 3 * (7 - CJ); i++) cbO[b].proof[i] <== cbProof[b][i];
        cbO[b].root === codeRoot;
    }
    component csO[CS];
    for (var b = 0; b < CS; b++) {
        csO[b] = BlockOpen(1, 7);
        csO[b].idx <== csIdx[b];
        for (var i = 0; i < 4; i++) csO[b].w[i] <== csWord[b][i];
        for (var i = 0; i < 18; i++) csO[b].proof[i] <== csProof[b][i];
        csO[b].root === codeRoot;
    }

    // ---- memory blocks: R under the pre memRoot ----
    component rO[KR];
    for (var k = 0; k < KR; k++) {
        rO[k] = BlockOpen(MJ, 10);
        rO[k].idx <== rAddr[k];
        for (var i = 0; i < NM; i++) rO[k].w[i] <== rWord[k][i];
        for (var i = 0; i < 3 * (10 - MJ); i++) rO[k].proof[i] <== rProof[k][i];
        rO[k].root === memRoot;
    }
    // distinct W block addresses, and no R block address equals a W one: one product, nonzero
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

    // ---- aux blocks (io): input words (kind 0, under inputRoot) or blob words (kind 1, under
    // aRoot, whose key P2(aRoot, aLen) the step matches to its preimageKey) ----
    component aO[A];
    component aKey[A];
    signal aRootSel[A];
    signal keyK[A];
    signal lenK[A];
    signal aTag[A];
    for (var s = 0; s < A; s++) {
        aKind[s] * (aKind[s] - 1) === 0;
        aRootSel[s] <== inputRoot + aKind[s] * (aRoot[s] - inputRoot);
        aO[s] = BlockOpen(AJ, 10);
        aO[s].idx <== aIdx[s];
        for (var i = 0; i < NA; i++) aO[s].w[i] <== aWord[s][i];
        for (var i = 0; i < 3 * (10 - AJ); i++) aO[s].proof[i] <== aProof[s][i];
        aO[s].root === aRootSel[s];
        aKey[s] = Poseidon(2);
        aKey[s].inputs[0] <== aRoot[s];
        aKey[s].inputs[1] <== aLen[s];
        keyK[s] <== aKind[s] * aKey[s].out;
        lenK[s] <== aKind[s] * aLen[s];
        aTag[s] <== 2 * aIdx[s] + aKind[s];
    }

    // ---- steps ----
    component st[m];
    component cIB[m];
    component mIB[m];
    component aIB[m];
    component cbMux[m][CB];
    component csMux[m][CS];
    component rMux[m][KR];
    component wMux[m][KW];
    component aMux[m][A];
    component eM[m];
    signal cSelIdx[m][CB + CS];
    signal cSelVal[m][CB + CS];
    signal cLow[m];
    signal mSelIdx[m][K];
    signal mSelVal[m][K];
    signal rSel[m];
    signal curD[m][KW];
    signal curDi[m][KW][NM];
    signal cur[m + 1][KW][NM];
    signal aSelTag[m][A];
    signal aSelVal[m][A];
    signal kDot[m][A];
    signal lDot[m][A];
    signal aHiE[io * m];
    signal aWordE[io * m];
    signal aKeyS[io * m];
    signal aLenS[io * m];
    var outCount = 0;
    for (var k = 0; k < KW; k++)
        for (var i = 0; i < NM; i++) cur[0][k][i] <== wInit[k][i];
    component lo[m];
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

        // fetch: one block holds the fetch index; insn is its word at the low bits
        cIB[j] = Num2Bits(14);
        cIB[j].in <== st[j].codeIdx;
        var lowB = 0;
        for (var i = 0; i < 2 * CJ; i++) lowB += cIB[j].out[i] * (1 << i);
        var lowS = cIB[j].out[0] + 2 * cIB[j].out[1];
        var cs = 0;
        var sB = 0;
        var cIdxSum = 0;
        var cValSum = 0;
        for (var b = 0; b < CB; b++) {
            selC[j][b] * (selC[j][b] - 1) === 0;
            cs += selC[j][b];
            sB += selC[j][b];
            cbMux[j][b] = MuxBits(CJ);
            for (var i = 0; i < NC; i++) cbMux[j][b].w[i] <== cbWord[b][i];
            for (var i = 0; i < 2 * CJ; i++) cbMux[j][b].bits[i] <== cIB[j].out[i];
            cSelIdx[j][b] <== selC[j][b] * cbIdx[b];
            cSelVal[j][b] <== selC[j][b] * cbMux[j][b].out;
            cIdxSum += cSelIdx[j][b] * NC;
            cValSum += cSelVal[j][b];
        }
        for (var b = 0; b < CS; b++) {
            selC[j][CB + b] * (selC[j][CB + b] - 1) === 0;
            cs += selC[j][CB + b];
            csMux[j][b] = MuxBits(1);
            for (var i = 0; i < 4; i++) csMux[j][b].w[i] <== csWord[b][i];
            for (var i = 0; i < 2; i++) csMux[j][b].bits[i] <== cIB[j].out[i];
            cSelIdx[j][CB + b] <== selC[j][CB + b] * csIdx[b];
            cSelVal[j][CB + b] <== selC[j][CB + b] * csMux[j][b].out;
            cIdxSum += cSelIdx[j][CB + b] * 4;
            cValSum += cSelVal[j][CB + b];
        }
        cs === 1;
        // low part of the selected table: lowS + sB * (lowB - lowS)
        cLow[j] <== sB * (lowB - lowS);
        cIdxSum + lowS + cLow[j] === st[j].codeIdx;
        cValSum === insn[j];

        // memory: the selected block holds the step's word; memWord is its current value
        mIB[j] = Num2Bits(20);
        mIB[j].in <== st[j].memIdx;
        var mHi = 0;
        for (var i = 2 * MJ; i < 20; i++) mHi += mIB[j].out[i] * (1 << (i - 2 * MJ));
        if (MJ == 1) {
            eM[j] = Sel4();
            eM[j].b0 <== mIB[j].out[0];
            eM[j].b1 <== mIB[j].out[1];
        }
        var ms = 0;
        var mIdxSum = 0;
        var mValSum = 0;
        var rs = 0;
        for (var k = 0; k < K; k++) {
            selM[j][k] * (selM[j][k] - 1) === 0;
            ms += selM[j][k];
            if (k < KR) {
                rMux[j][k] = MuxBits(MJ);
                for (var i = 0; i < NM; i++) rMux[j][k].w[i] <== rWord[k][i];
                for (var i = 0; i < 2 * MJ; i++) rMux[j][k].bits[i] <== mIB[j].out[i];
                mSelIdx[j][k] <== selM[j][k] * rAddr[k];
                mSelVal[j][k] <== selM[j][k] * rMux[j][k].out;
                rs += selM[j][k];
            } else {
                wMux[j][k - KR] = MuxBits(MJ);
                for (var i = 0; i < NM; i++) wMux[j][k - KR].w[i] <== cur[j][k - KR][i];
                for (var i = 0; i < 2 * MJ; i++) wMux[j][k - KR].bits[i] <== mIB[j].out[i];
                mSelIdx[j][k] <== selM[j][k] * wAddr[k - KR];
                mSelVal[j][k] <== selM[j][k] * wMux[j][k - KR].out;
            }
            mIdxSum += mSelIdx[j][k];
            mValSum += mSelVal[j][k];
        }
        ms === st[j].slot;
        mIdxSum === mHi;
        mValSum === memWord[j];
        rSel[j] <== rs;
        rSel[j] * (st[j].memNew - memWord[j]) === 0;
        for (var k = 0; k < KW; k++) {
            curD[j][k] <== selM[j][KR + k] * (st[j].memNew - memWord[j]);
            for (var i = 0; i < NM; i++) {
                if (MJ == 1) {
                    curDi[j][k][i] <== curD[j][k] * eM[j].e[i];
                } else {
                    curDi[j][k][i] <== curD[j][k];
                }
                cur[j + 1][k][i] <== cur[j][k][i] + curDi[j][k][i];
            }
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

        // aux (io): a running read(fd 0/5) finds (block index, fd 5?) and its word in one aux
        // block; for fd 5 also the blob's key (= preimageKey) and length (= the step's blobLen)
        if (io == 1) {
            aIB[j] = Num2Bits(20);
            aIB[j].in <== st[j].auxIdx;
            var aHi = 0;
            for (var i = 2 * AJ; i < 20; i++) aHi += aIB[j].out[i] * (1 << (i - 2 * AJ));
            var as = 0;
            var aTagSum = 0;
            var aValSum = 0;
            var kd = 0;
            var ld = 0;
            for (var s = 0; s < A; s++) {
                selA[j][s] * (selA[j][s] - 1) === 0;
                as += selA[j][s];
                aMux[j][s] = MuxBits(AJ);
                for (var i = 0; i < NA; i++) aMux[j][s].w[i] <== aWord[s][i];
                for (var i = 0; i < 2 * AJ; i++) aMux[j][s].bits[i] <== aIB[j].out[i];
                aSelTag[j][s] <== selA[j][s] * aTag[s];
                aSelVal[j][s] <== selA[j][s] * aMux[j][s].out;
                kDot[j][s] <== selA[j][s] * keyK[s];
                lDot[j][s] <== selA[j][s] * lenK[s];
                aTagSum += aSelTag[j][s];
                aValSum += aSelVal[j][s];
                kd += kDot[j][s];
                ld += lDot[j][s];
            }
            as === st[j].aEn;
            aHiE[j] <== st[j].aEn * aHi;
            aTagSum === 2 * aHiE[j] + st[j].sel5;
            aWordE[j] <== st[j].aEn * auxWord[j];
            aValSum === aWordE[j];
            aKeyS[j] <== st[j].sel5 * st[j].preimageKey;
            kd === aKeyS[j];
            aLenS[j] <== st[j].sel5 * blobLen[j];
            ld === aLenS[j];
        }
    }

    // ---- W blocks: chained Merkle updates from the pre memRoot ----
    component wOld[KW];
    component wNew[KW];
    signal mroot[KW + 1];
    mroot[0] <== memRoot;
    for (var k = 0; k < KW; k++) {
        wOld[k] = BlockOpen(MJ, 10);
        wNew[k] = BlockOpen(MJ, 10);
        wOld[k].idx <== wAddr[k];
        wNew[k].idx <== wAddr[k];
        for (var i = 0; i < NM; i++) {
            wOld[k].w[i] <== wInit[k][i];
            wNew[k].w[i] <== cur[m][k][i];
        }
        for (var i = 0; i < 3 * (10 - MJ); i++) {
            wOld[k].proof[i] <== wProof[k][i];
            wNew[k].proof[i] <== wProof[k][i];
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
