/**
 * The liar zoo on anvil (issue 12): every liar of protocol/actors/liars.ts, and their RV32IM-guest
 * counterparts, plays the one engine (`playClaim`) against an honest party on deployed contracts
 * (DisputeGame + RV32IM one-step verifier, + GraphVmLink for the ML graph phase; m = 1 one-step
 * leaves), over real guests (fib, collatz, crc32) and both models (MNIST, stories260K). Every one
 * loses: the claim ends Rejected iff the claimer lied, the honest side wins its games and is paid,
 * the liar loses what `checkOutcome` (protocol/actors/campaign.ts) says.
 *
 * Default suite: every liar kind once per model / guest plus a seeded randomized sample per model.
 * ZKFP_HEAVY=1: >= 50 randomized disputes per model on anvil.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbiCoder } from "ethers";
import { startAnvil, type Chain } from "../chain/anvil.ts";
import { ChainBackend } from "../chain/backend.ts";
import { FIELD_MODULUS } from "../../vm/poseidon/index.ts";
import { rootFromField, type Hex } from "../game/types.ts";
import type { GameBackend } from "../game/backend.ts";
import { rv32imTrace } from "../trace/rv32im.ts";
import { rv32imProgram } from "../link/rv32im.ts";
import { oneStepLeaf } from "../trace/leaf.ts";
import { lyingTrace } from "../trace/lying.ts";
import { GraphTrace } from "../trace/graph.ts";
import { honestBelief, lyingBelief, loadModelRun, prediction, type ModelRun } from "../trace/model.ts";
import type { LeafAttempt, PhaseTrace } from "../trace/types.ts";
import { DEMO_GAME, deployModelGame } from "../../demo/run.ts";
import { describeLiar, garbage, mapLeaf, mapRoots, mlLiarTrace, neighbourPairs, plusP, LINK_FIELDS, type MlLiar } from "./liars.ts";
import { checkOutcome, runMlCampaign, type CampaignStats } from "./campaign.ts";
import { playClaim, type Party } from "./play.ts";
import type { Actor } from "./actor.ts";

const HEAVY = !!process.env.ZKFP_HEAVY;
const P = FIELD_MODULUS;
const abi = AbiCoder.defaultAbiCoder();

let chain: Chain;
let accounts: string[];
let clock = 1_800_000_000;
beforeAll(async () => {
  chain = await startAnvil({ accounts: 8 });
  accounts = (await chain.provider.send("eth_accounts", [])).map((a: string) => a.toLowerCase());
});
afterAll(async () => {
  await chain?.stop();
});
async function tick(): Promise<number> {
  clock = Math.max(clock, (await chain.provider.getBlock("latest"))!.timestamp + 1);
  return clock;
}
const actor = (name: string, trace: PhaseTrace, liar: boolean, choice: Actor["choice"] = "first-disagreement"): Actor => ({ name, trace, timing: { kind: "prompt", delay: 1 }, choice, challengeAlways: liar });
const invalid = (a: LeafAttempt, proof: Hex, reason: string): LeafAttempt => ({ proof, valid: false, reason, seconds: a.seconds, note: a.note });

/** Plays one claim and returns checkOutcome's problems (empty = the honest side won and was paid). */
async function play(b: GameBackend, liarSide: "claimer" | "challenger", claimer: Party, challengers: Party[], programHash: Hex, output: Hex, input: Hex = "0x"): Promise<string[]> {
  const r = await playClaim(b, claimer, challengers, { start: await tick(), programHash, output, input });
  clock = r.end + 10;
  return checkOutcome(b, r, liarSide, claimer, challengers);
}

describe("liar zoo on anvil: RV32IM guests, one-step leaves", () => {
  for (const guest of ["fib", "collatz", "crc32"]) {
    it(`${guest}: lying, x + p roots, x + p leaves, replayed and malformed leaves all lose; lying challengers too`, async () => {
      const elf = new URL(`../../vm/guests/bin/${guest}.elf`, import.meta.url).pathname;
      const honest = await rv32imTrace({ elf, leaf: oneStepLeaf });
      const { backend } = await ChainBackend.deployRv32im(chain, accounts[0]!, DEMO_GAME, 7, await rv32imProgram(elf));
      const N = honest.steps;
      const at = N / 2n;
      const lying = lyingTrace(honest, at);
      const claimerLiars: [string, PhaseTrace][] = [
        ["lying", lying],
        ["rootPlusP", mapRoots(honest, at, plusP)],
        ["finalRootPlusP", mapRoots(honest, N, plusP)],
        ["leafPlusP(pre-root field)", mapLeaf(lying, (a) => { const [w] = abi.decode(["uint256[165]"], a.proof); const ws = [...(w as bigint[])]; ws[3] = ws[3]! + P; return invalid(a, abi.encode(["uint256[165]"], [ws]) as Hex, "w[3] + p"); })],
        ["replay(neighbour interval)", { ...lying, leafProof: async (t, s) => { const o = await honest.leafProof(t > 0n ? t - 1n : t + 1n, s); return invalid(o, o.proof, "another interval's proof"); } }],
        ...(["empty", "truncated", "random"] as const).map((k): [string, PhaseTrace] => [`malformed(${k})`, mapLeaf(lying, (a) => invalid(a, garbage(k, a.proof, 7), "garbage"))]),
      ];
      const problems: string[] = [];
      const out = rootFromField(0n);
      for (const [name, trace] of claimerLiars) {
        const p = await play(backend, "claimer", { address: accounts[1]!, actor: actor(name, trace, true) }, [{ address: accounts[2]!, actor: actor("honest", honest, false) }], ("0x" + "00".repeat(31) + "01") as Hex, out);
        problems.push(...p.map((x) => `claimer ${name}: ${x}`));
      }
      for (const [name, trace, choice] of [["lying", lying, "first-disagreement"], ["rootPlusP", mapRoots(honest, 1n, plusP), "first-disagreement"], ["contrarian", lying, "always-first"]] as const) {
        const p = await play(backend, "challenger", { address: accounts[1]!, actor: actor("honest", honest, false) }, [{ address: accounts[2]!, actor: actor(name, trace, true, choice) }], ("0x" + "00".repeat(31) + "01") as Hex, out);
        problems.push(...p.map((x) => `challenger ${name}: ${x}`));
      }
      expect(problems).toEqual([]);
    }, 600_000);
  }
});

function mlLiars(mr: ModelRun): MlLiar[] {
  const last = mr.ops.length - 1, mid = Math.floor(mr.ops.length / 2);
  const pairs = neighbourPairs(mr);
  return [
    { kind: "lie", at: last },
    { kind: "lie", at: mid },
    ...pairs.slice(0, 2).map((at): MlLiar => ({ kind: "neighbour", at })),
    { kind: "swapped", at: mid, to: mid + 1 },
    { kind: "swapped", at: mid, to: mid - 1 },
    { kind: "rootPlusP", at: mid },
    { kind: "vmRootPlusP", at: mid },
    ...LINK_FIELDS.map((field): MlLiar => ({ kind: "linkPlusP", at: mid, field })),
    { kind: "leafPlusP", at: last, index: 3 },
    { kind: "leafPlusP", at: last, index: 100 },
    { kind: "replay", at: last },
    { kind: "malformed", at: mid, where: "link", bytes: "empty" },
    { kind: "malformed", at: mid, where: "link", bytes: "truncated" },
    { kind: "malformed", at: mid, where: "link", bytes: "random" },
    { kind: "malformed", at: last, where: "leaf", bytes: "random" },
  ];
}

for (const model of ["mnist", "stories260K"] as const) {
  describe(`liar zoo on anvil: ${model}, graph phase + node VM phase, one-step leaves`, () => {
    let mr: ModelRun;
    let deployed: Awaited<ReturnType<typeof deployModelGame>>;
    beforeAll(async () => {
      mr = await loadModelRun(model, model === "mnist" ? { image: 8004 } : { prompt: [1] });
      deployed = await deployModelGame(chain, accounts[0]!, mr, { k: 3, m: 1, phases: 2, backend: "groth16", verifier: null, game: DEMO_GAME });
    }, 300_000);

    it("every liar of the zoo loses as claimer; lying challengers lose against an honest claim", async () => {
      const honest = new GraphTrace(mr, honestBelief(mr), oneStepLeaf);
      const input = ("0x" + Buffer.from(mr.input).toString("hex")) as Hex;
      const problems: string[] = [];
      for (const l of mlLiars(mr)) {
        const claimed = l.kind === "neighbour" || l.kind === "rootPlusP" ? prediction(mr, honestBelief(mr)) : prediction(mr, lyingBelief(mr, l.at));
        const p = await play(deployed.backend, "claimer", { address: accounts[1]!, actor: actor(describeLiar(l), mlLiarTrace(mr, oneStepLeaf, l), true) },
          [{ address: accounts[2]!, actor: actor("honest", honest, false) }], deployed.programHash, rootFromField(BigInt(claimed >>> 0)), input);
        problems.push(...p.map((x) => `claimer ${describeLiar(l)}: ${x}`));
      }
      for (const l of [{ kind: "lie", at: 1 }, { kind: "rootPlusP", at: 1 }] as MlLiar[]) {
        const p = await play(deployed.backend, "challenger", { address: accounts[1]!, actor: actor("honest", honest, false) },
          [{ address: accounts[2]!, actor: actor(describeLiar(l), mlLiarTrace(mr, oneStepLeaf, l), true) }], deployed.programHash, rootFromField(BigInt(prediction(mr, honestBelief(mr)) >>> 0)), input);
        problems.push(...p.map((x) => `challenger ${describeLiar(l)}: ${x}`));
      }
      expect(problems).toEqual([]);
    }, 900_000);

    it(`a seeded randomized campaign on anvil (${HEAVY ? 50 : 4} disputes) is won by the honest side`, async () => {
      const byK = new Map<number, Awaited<ReturnType<typeof deployModelGame>>>();
      const s: CampaignStats = await runMlCampaign({
        seed: model === "mnist" ? 101 : 202, disputes: HEAVY ? 50 : 4, runs: [mr], leaf: oneStepLeaf, accounts: accounts.slice(1, 5), start: await tick(), notBefore: tick,
        backend: async (k) => {
          if (!byK.has(k)) byK.set(k, await deployModelGame(chain, accounts[0]!, mr, { k, m: 1, phases: 2, backend: "groth16", verifier: null, game: DEMO_GAME }));
          const d = byK.get(k)!;
          return { backend: d.backend, programHash: d.programHash, binding: d.graph! };
        },
      });
      console.log(`[zoo] ${model} on anvil: honest side won ${s.honestWins}/${s.disputes} in ${s.seconds.toFixed(1)} s; ${Object.entries(s.byLiar).map(([k, v]) => `${k} ${v.honestWon}/${v.n}`).join(", ")}`);
      expect(s.failures.map((f) => `${f.liar}: ${f.problems.join("; ")}`)).toEqual([]);
      expect(s.disputes).toBe(HEAVY ? 50 : 4);
    }, HEAVY ? 3_600_000 : 300_000);
  });
}
