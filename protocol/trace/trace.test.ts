import { describe, it, expect } from "vitest";
import { AbiCoder } from "ethers";
import { AlphabetWorld, alphabetArbitrator, alphabetState, linkRoot, merklePhaseLink } from "./alphabet.ts";
import { machineTrace, rv32imTrace, STEP_WITNESS_LEN } from "./rv32im.ts";
import { ProviderUnavailableError, TraceError, type StepMachine } from "./types.ts";
import { rootFromField } from "../game/types.ts";
import { readFileSync } from "node:fs";
import { loadElf, Machine } from "../../vm/index.ts";

describe("trace providers", () => {
  it("alphabet outer roots commit to the inner roots and the link accepts exactly their openings", () => {
    const w = new AlphabetWorld([10n, 7n]);
    const t = w.trace();
    const o = t.open(3n, 2n);
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
    const proof = await t.leafProof(x, 1024n);
    expect(alphabetArbitrator.arbitrate(t.rootAt(x), t.rootAt(x + 1024n), 1024n, proof)).toBe(true);
    expect(alphabetArbitrator.arbitrate(t.rootAt(x), t.rootAt(x + 1023n), 1024n, proof)).toBe(false);
    const liar = new AlphabetWorld([1n << 40n], { kind: "from", step: x + 1n }).trace();
    expect(alphabetArbitrator.arbitrate(liar.rootAt(x), liar.rootAt(x + 1n), 1n, proof)).toBe(false);
  });

  it("adapts a step machine: field roots and the 165-element witness as abi-encoded uint256[165]", async () => {
    const m: StepMachine = { steps: 10n, stateRoot: (t) => 1000n + t, stepWitness: (t) => Array.from({ length: STEP_WITNESS_LEN }, (_, i) => t + BigInt(i)) };
    const tr = machineTrace(m);
    expect(tr.rootAt(3n)).toBe(rootFromField(1003n));
    const p = await tr.leafProof(3n, 1n);
    const [w] = AbiCoder.defaultAbiCoder().decode([`uint256[${STEP_WITNESS_LEN}]`], p);
    expect((w as bigint[])[7]).toBe(10n);
    await expect(tr.leafProof(3n, 2n)).rejects.toBeInstanceOf(TraceError);
  });

  it("rv32im without a guest ELF fails with ProviderUnavailableError", async () => {
    await expect(rv32imTrace({})).rejects.toBeInstanceOf(ProviderUnavailableError);
  });

  it("the RV32IM provider's roots after step t equal a fresh run of t steps, and witnesses are 165 elements", async () => {
    const elf = new URL("../../vm/guests/bin/fib.elf", import.meta.url).pathname;
    const { trace, machine } = await rv32imTrace({ elf });
    expect(machine.steps).toBeGreaterThan(100n);
    const program = loadElf(new Uint8Array(readFileSync(elf)));
    for (const t of [0n, 1n, machine.steps / 3n, machine.steps - 1n, machine.steps]) {
      const fresh = await Machine.create(program);
      fresh.run(Number(t));
      expect(trace.rootAt(t)).toBe(rootFromField(fresh.stateRoot()));
    }
    expect(trace.rootAt(7n)).toBe(trace.rootAt(7n)); // after jumping back and forth
    expect(machine.stepWitness(machine.steps / 2n).length).toBe(STEP_WITNESS_LEN);
  });
});
