import { describe, it, expect } from "vitest";
import { AbiCoder } from "ethers";
import { readFileSync } from "node:fs";
import { AlphabetWorld, alphabetArbitrator, alphabetState, linkRoot, merklePhaseLink } from "./alphabet.ts";
import { rv32imTrace, vmPhaseTrace } from "./rv32im.ts";
import { oneStepLeaf, STEP_WITNESS_LEN } from "./leaf.ts";
import { lyingTrace } from "./lying.ts";
import { ProviderUnavailableError, TraceError } from "./types.ts";
import { rootFromField } from "../game/types.ts";
import { loadElf, Machine } from "../../vm/index.ts";
import { Trace } from "../../vm/trace.ts";
import { verifyStep } from "../../vm/verify.ts";

const FIB = new URL("../../vm/guests/bin/fib.elf", import.meta.url).pathname;

describe("trace providers", () => {
  it("alphabet outer roots commit to the inner roots and the link accepts exactly their openings", async () => {
    const w = new AlphabetWorld([10n, 7n]);
    const t = w.trace();
    const o = await t.open(3n, 2n);
    expect(o.innerSteps).toBe(14n);
    expect(o.innerStart).toBe(alphabetState(21n));
    expect(t.rootAt(3n)).toBe(linkRoot(alphabetState(21n), 21n));
    const link = merklePhaseLink(1);
    expect(link.verifyLink(t.rootAt(3n), t.rootAt(5n), o.innerStart, o.innerEnd, 14n, o.linkProof)).toBe(true);
    expect(link.verifyLink(t.rootAt(3n), t.rootAt(5n), o.innerStart, alphabetState(36n), 14n, o.linkProof)).toBe(false);
    expect(link.verifyLink(t.rootAt(3n), t.rootAt(5n), o.innerStart, o.innerEnd, 15n, o.linkProof)).toBe(false);
    expect(o.trace.rootAt(14n)).toBe(alphabetState(35n));
  });

  it("the alphabet arbitrator accepts the real n -> n + span relation only", async () => {
    const t = new AlphabetWorld([1n << 40n]).trace();
    const x = (1n << 39n) + 5n;
    const { proof } = await t.leafProof(x, 1024n);
    expect(alphabetArbitrator.arbitrate(t.rootAt(x), t.rootAt(x + 1024n), 1024n, proof)).toBe(true);
    expect(alphabetArbitrator.arbitrate(t.rootAt(x), t.rootAt(x + 1023n), 1024n, proof)).toBe(false);
    const liar = new AlphabetWorld([1n << 40n], { kind: "from", step: x + 1n }).trace();
    expect(alphabetArbitrator.arbitrate(liar.rootAt(x), liar.rootAt(x + 1n), 1n, proof)).toBe(false);
  });

  it("rv32im without a guest ELF fails with ProviderUnavailableError", async () => {
    await expect(rv32imTrace({ leaf: oneStepLeaf })).rejects.toBeInstanceOf(ProviderUnavailableError);
  });

  it("the RV32IM provider's roots after step t equal a fresh run of t steps; its one-step leaves verify with the TS verifier", async () => {
    const tr = await rv32imTrace({ elf: FIB, leaf: oneStepLeaf });
    expect(tr.steps).toBeGreaterThan(100n);
    expect(tr.steps).toBe(tr.halt);
    const program = loadElf(new Uint8Array(readFileSync(FIB)));
    for (const t of [0n, 1n, tr.steps / 3n, tr.steps - 1n, tr.steps]) {
      const fresh = await Machine.create(program);
      fresh.run(Number(t));
      expect(tr.rootAt(t)).toBe(rootFromField(fresh.stateRoot()));
    }
    const t = tr.steps / 2n;
    const a = await tr.leafProof(t, 1n);
    expect(a.valid).toBe(true);
    const [w] = AbiCoder.defaultAbiCoder().decode([`uint256[${STEP_WITNESS_LEN}]`], a.proof);
    expect(rootFromField(verifyStep(BigInt(tr.rootAt(t)), [...(w as bigint[])]))).toBe(tr.rootAt(t + 1n));
    await expect(tr.leafProof(t, 2n)).rejects.toBeInstanceOf(TraceError);
  });

  it("a fabricated end root is committed from the halt on; the leaf across the halt is an invalid attempt", async () => {
    const run = await Trace.create(loadElf(new Uint8Array(readFileSync(FIB))));
    const honest = vmPhaseTrace(run, oneStepLeaf);
    const liar = vmPhaseTrace(run, oneStepLeaf, { end: 12345n });
    const h = liar.halt;
    expect(liar.lying).toBe(true);
    expect(liar.rootAt(h - 1n)).toBe(honest.rootAt(h - 1n));
    expect(liar.rootAt(h)).toBe(rootFromField(12345n));
    expect((await liar.leafProof(h - 2n, 1n)).valid).toBe(true);
    const bad = await liar.leafProof(h - 1n, 1n);
    expect(bad.valid).toBe(false);
    const lying = lyingTrace(honest, 10n);
    expect((await lying.leafProof(8n, 1n)).valid).toBe(true);
    expect((await lying.leafProof(9n, 1n)).valid).toBe(false);
  });
});
