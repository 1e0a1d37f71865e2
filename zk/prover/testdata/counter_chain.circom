pragma circom 2.1.0;
/*
 * CounterChain(m): m steps of zkfp's Poseidon "alphabet" machine, the development circuit of the
 * prover pipeline (zk/prover/) while the RV32IM circuit (zk/circuits/) is being written.
 *
 * Machine: root(0) = Poseidon(0, 0), root(i) = Poseidon(i, root(i - 1)). Twin: counterRoot() in
 * zk/prover/circuits.ts. Public signals, in order: [preRoot, postRoot] (the same shape as RvSteps).
 * Private: n (the start step) and prev = root(n - 1) (0 for n = 0).
 * Proves: preRoot = root(n) and postRoot = root(n + m) for some n.
 * Does NOT check: that n fits any range (n is a field element; the machine has no overflow), nor
 * that prev is root(n - 1) of THIS chain for n > 0 beyond the hash preimage (finding another
 * preimage is breaking Poseidon). The caller (arbitrator) must bind the interval length to m.
 */
include "circomlib/circuits/poseidon.circom";

template CounterChain(m) {
    signal input preRoot;
    signal input postRoot;
    signal input n;
    signal input prev;

    component h[m + 1];
    h[0] = Poseidon(2);
    h[0].inputs[0] <== n;
    h[0].inputs[1] <== prev;
    preRoot === h[0].out;
    for (var k = 1; k <= m; k++) {
        h[k] = Poseidon(2);
        h[k].inputs[0] <== n + k;
        h[k].inputs[1] <== h[k - 1].out;
    }
    postRoot === h[m].out;
}
