/**
 * The RV32IM one-step verifier on a real chain (anvil) driven from TS: deploy with ethers v6, run
 * steps of the TS machine (vm/) through eth_call and compare the post-roots; the IArbitrator
 * adapter accepts the true transition and rejects a wrong one; a tampered witness reverts with the
 * typed error the TS twin (vm/verify.ts) also raises.
 * Run: npx vitest run --config contracts/test/ts/vitest.config.ts
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { Interface, type Contract } from "ethers";
import { startAnvil, type Chain } from "../../../protocol/chain/anvil.ts";
import { Trace } from "../../../vm/trace.ts";
import { stepWitness, witnessToHex } from "../../../vm/witness.ts";
import { verifyStep, WitnessError } from "../../../vm/verify.ts";
import { initPoseidon } from "../../../vm/poseidon/index.ts";
import { RandomStepper, guestOptions, guestProgram, takeStep, type Rec } from "../fixtures/gen.ts";
import { Rng } from "../../../lib/rng.ts";
import { deployRv32im } from "./deploy.ts";

const hex32 = (x: bigint) => "0x" + x.toString(16).padStart(64, "0");

describe("RV32IM one-step verifier on anvil", () => {
  let chain: Chain;
  let verifier: Contract;
  let arbitrator: Contract;
  const steps: Rec[] = [];

  beforeAll(async () => {
    await initPoseidon();
    chain = await startAnvil();
    const d = await deployRv32im(await chain.provider.getSigner(0));
    verifier = d.verifier;
    arbitrator = d.arbitrator;
    // real guest steps: the start of echo_input (syscalls: read fd 0, write fd 1) and its exit
    const tr = await Trace.create(guestProgram("echo_input"), await guestOptions("echo_input"));
    for (const t of [0, 1, 2, 40, 41, 42, 43, 44, tr.length - 2, tr.length - 1, tr.length])
      steps.push(takeStep(tr.seek(t), `echo_input@${t}`));
    const rng = new Rng(20261125);
    const st = await RandomStepper.create(rng);
    for (let i = 0; i < 12; i++) steps.push(st.any(rng));
  }, 300_000);

  afterAll(async () => {
    await chain?.stop();
  });

  it("computes the TS machine's post-root for guest and random steps (eth_call)", async () => {
    for (const s of steps) {
      const got = (await verifier.getFunction("step").staticCall(hex32(s.preRoot), s.witness)) as string;
      expect(got, s.name).toBe(hex32(s.postRoot));
    }
  }, 300_000);

  it("the arbitrator adapter proves the true transition only", async () => {
    const s = steps.find((r) => r.cls === "write") ?? steps[0]!;
    const proof = witnessToHex(s.witness);
    expect(await arbitrator.getFunction("arbitrate").staticCall(hex32(s.preRoot), hex32(s.postRoot), 1n, proof)).toBe(
      true,
    );
    expect(
      await arbitrator.getFunction("arbitrate").staticCall(hex32(s.preRoot), hex32(s.preRoot ^ 1n), 1n, proof),
    ).toBe(false);
    const gas = await arbitrator.getFunction("arbitrate").estimateGas(hex32(s.preRoot), hex32(s.postRoot), 1n, proof);
    expect(gas).toBeGreaterThan(1_000_000n); // a full step: ~40 Poseidon hashes
  }, 120_000);

  it("rejects a tampered witness with the same typed error as the TS twin", async () => {
    const s = steps[3]!;
    const w = [...s.witness];
    w[35] = w[35]! ^ 1n; // register slot 0 value
    expect(() => verifyStep(s.preRoot, w)).toThrow(WitnessError);
    const iface = new Interface(verifier.interface.fragments);
    let name = "";
    try {
      await verifier.getFunction("step").staticCall(hex32(s.preRoot), w);
    } catch (e) {
      const data = (e as { data?: string }).data;
      name = data ? (iface.parseError(data)?.name ?? "") : "";
    }
    expect(name).toBe("RegisterProofMismatch");
  }, 120_000);

  it("one live step from a fresh machine agrees (the witness is built right before the call)", async () => {
    const tr = await Trace.create(guestProgram("hello"));
    const m = tr.seek(10);
    const pre = m.stateRoot();
    const w = stepWitness(m);
    m.stepSlow();
    expect((await verifier.getFunction("step").staticCall(hex32(pre), w)) as string).toBe(hex32(m.stateRoot()));
  }, 120_000);
});
