pragma circom 2.1.6;
/*
 * Gadgets for the zkfp RV32IM step circuit (rv32im.circom): Poseidon word trees (vm/STATE.md
 * "Trees"), the state root, a 32-way register mux and small-value helpers.
 *
 * Costs under --O2 (linear constraints are substituted away): a 4-ary Merkle level is a
 * Poseidon(4) (297) + 1 selector product + 6 mux products = 304; Mux32 is 31; Min4 is 5.
 *
 * Unchecked by these templates (the caller's job, zk-kit style):
 *  - Merkle4Root: the index bits must already be constrained boolean (they come from Num2Bits
 *    outputs in rv32im.circom); the root is an output, the caller compares it.
 *  - Mux32: `sel` bits must be boolean.
 *  - Min4: both inputs must be integers in [0, 4].
 *  - Sel4: b0, b1 must be boolean.
 */
include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";

/** One-hot e[0..3] of the 2-bit number b0 + 2*b1. */
template Sel4() {
    signal input b0;
    signal input b1;
    signal output e[4];
    signal both <== b0 * b1;
    e[3] <== both;
    e[1] <== b0 - both;
    e[2] <== b1 - both;
    e[0] <== 1 - b0 - b1 + both;
}

/**
 * Root of a 4-ary Poseidon tree from a leaf, its index bits (2 per level, bottom-up, low bit
 * first) and the proof (3 siblings per level in increasing child position, skipping the node's
 * own: vm/merkle.ts `proof`).
 */
template Merkle4Root(depth) {
    signal input leaf;
    signal input bits[2 * depth];
    signal input sib[3 * depth];
    signal output root;

    component sel[depth];
    component h[depth];
    signal cur[depth + 1];
    signal p0[depth];
    signal p1a[depth];
    signal p1b[depth];
    signal p2a[depth];
    signal p2b[depth];
    signal p3[depth];
    cur[0] <== leaf;
    for (var l = 0; l < depth; l++) {
        sel[l] = Sel4();
        sel[l].b0 <== bits[2 * l];
        sel[l].b1 <== bits[2 * l + 1];
        var s0 = sib[3 * l];
        var s1 = sib[3 * l + 1];
        var s2 = sib[3 * l + 2];
        // children: pos0 [cur,s0,s1,s2], pos1 [s0,cur,s1,s2], pos2 [s0,s1,cur,s2], pos3 [s0,s1,s2,cur]
        p0[l] <== sel[l].e[0] * (cur[l] - s0);
        p1a[l] <== sel[l].e[0] * (s0 - s1);
        p1b[l] <== sel[l].e[1] * (cur[l] - s1);
        p2a[l] <== sel[l].e[2] * (cur[l] - s1);
        p2b[l] <== sel[l].e[3] * (s2 - s1);
        p3[l] <== sel[l].e[3] * (cur[l] - s2);
        h[l] = Poseidon(4);
        h[l].inputs[0] <== s0 + p0[l];
        h[l].inputs[1] <== s1 + p1a[l] + p1b[l];
        h[l].inputs[2] <== s1 + p2a[l] + p2b[l];
        h[l].inputs[3] <== s2 + p3[l];
        cur[l + 1] <== h[l].out;
    }
    root <== cur[depth];
}

/** vals[sel] for a 5-bit boolean selector (binary mux tree, 31 constraints). */
template Mux32() {
    signal input vals[32];
    signal input sel[5];
    signal output out;
    signal t[63]; // t[0..31] leaves, then levels of 16, 8, 4, 2, 1
    signal d[31];
    for (var i = 0; i < 32; i++) t[i] <== vals[i];
    var src = 0;
    var dst = 32;
    var k = 0;
    for (var lvl = 0; lvl < 5; lvl++) {
        var n = 16 >> lvl;
        for (var i = 0; i < n; i++) {
            d[k] <== sel[lvl] * (t[src + 2 * i + 1] - t[src + 2 * i]);
            t[dst + i] <== t[src + 2 * i] + d[k];
            k++;
        }
        src = dst;
        dst = dst + n;
    }
    out <== t[62];
}

/** min(x, y) for integers x, y in [0, 4] (5 constraints). */
template Min4() {
    signal input x;
    signal input y;
    signal output out;
    component b = Num2Bits(4);
    b.in <== y - x + 7; // in [3, 11]; bit 3 set iff x < y
    out <== y + b.out[3] * (x - y);
}

/** regsRoot: binary P2 tree over x0..x31 (vm/STATE.md, depth 5, 31 hashes). */
template RegsRoot() {
    signal input regs[32];
    signal output root;
    component h[31];
    signal n[63];
    for (var i = 0; i < 32; i++) n[i] <== regs[i];
    var src = 0;
    var dst = 32;
    var k = 0;
    for (var lvl = 0; lvl < 5; lvl++) {
        var cnt = 16 >> lvl;
        for (var i = 0; i < cnt; i++) {
            h[k] = Poseidon(2);
            h[k].inputs[0] <== n[src + 2 * i];
            h[k].inputs[1] <== n[src + 2 * i + 1];
            n[dst + i] <== h[k].out;
            k++;
        }
        src = dst;
        dst = dst + cnt;
    }
    root <== n[62];
}

/**
 * root = P4(P4(pc, step, status, regsRoot), memRoot, codeRoot,
 *           P2(P4(inputRoot, inputLen, inputPos, outHash), P2(preimageKey, preimageOffset)))
 */
template StateRoot() {
    signal input pc;
    signal input step;
    signal input status;
    signal input regsRoot;
    signal input memRoot;
    signal input codeRoot;
    signal input inputRoot;
    signal input inputLen;
    signal input inputPos;
    signal input outHash;
    signal input preimageKey;
    signal input preimageOffset;
    signal output root;
    component core = Poseidon(4);
    core.inputs[0] <== pc;
    core.inputs[1] <== step;
    core.inputs[2] <== status;
    core.inputs[3] <== regsRoot;
    component io = Poseidon(4);
    io.inputs[0] <== inputRoot;
    io.inputs[1] <== inputLen;
    io.inputs[2] <== inputPos;
    io.inputs[3] <== outHash;
    component pre = Poseidon(2);
    pre.inputs[0] <== preimageKey;
    pre.inputs[1] <== preimageOffset;
    component iop = Poseidon(2);
    iop.inputs[0] <== io.out;
    iop.inputs[1] <== pre.out;
    component r = Poseidon(4);
    r.inputs[0] <== core.out;
    r.inputs[1] <== memRoot;
    r.inputs[2] <== codeRoot;
    r.inputs[3] <== iop.out;
    root <== r.out;
}
