/**
 * The demo end to end on anvil: both variants (a lying claimer, a lying challenger) with real models,
 * asserting the winner, the payouts (credits, withdrawals, balances) and the round count of every
 * phase against ceil(log_(k+1)(N/m)) computed here independently.
 *
 * Default suite: MNIST with m = 1 (the on-chain one-step verifier: no zk setup), two phases, both
 * variants, plus the single-phase variant. ZKFP_HEAVY=1 adds the zk arbitrator (Groth16, m = 2;
 * the first run compiles the circuit and runs the dev setup, minutes) and stories260K.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAnvil, type Chain } from "../protocol/chain/anvil.ts";
import { DEMO_GAME, runDemo, type DemoOptions, type DemoReport } from "./run.ts";
import { demo as demoCommand } from "../cli/commands/demo.ts";
import { parseArgs } from "../cli/args.ts";

const HEAVY = !!process.env.ZKFP_HEAVY;

/** ceil(log_(k+1)(n/m)) by integer arithmetic, independent of protocol/game/spacing.ts */
function expectedRounds(n: bigint, k: number, m: bigint): number {
  let r = 0;
  while (m * BigInt(k + 1) ** BigInt(r) < n) r++;
  return r;
}

function checkOutcome(r: DemoReport, o: Pick<DemoOptions, "liar" | "k" | "m" | "phases">) {
  const cfg = DEMO_GAME;
  const burn = (x: bigint) => (x * BigInt(cfg.burnBps)) / 10_000n;
  const burnC = (x: bigint) => (x * BigInt(cfg.challengerBurnBps ?? cfg.burnBps)) / 10_000n; // a lost challenge bond
  expect(r.honestWon).toBe(true);
  expect(r.winner).toBe(o.liar === "claimer" ? "challenger" : "claimer");
  expect(r.phases.length).toBe(o.phases);
  r.phases.forEach((p, i) => {
    const m = i === 0 && o.phases === 2 ? 1n : BigInt(o.m);
    expect(p.rounds).toBe(expectedRounds(BigInt(p.steps), o.k, m));
    expect(p.expectedRounds).toBe(p.rounds);
  });
  if (o.liar === "claimer") {
    expect(r.claimed).not.toBe(r.truth);
    expect(r.payout.claimStatus).toBe("Rejected");
    // funded slots: the winner gets B + (1 - b) D; the unlocked S - D and b D are burned
    const d = cfg.claimBond / BigInt(cfg.slots!);
    const won = cfg.challengeBond + d - burn(d);
    expect(BigInt(r.payout.withdrawn.challenger!)).toBe(won);
    expect(r.payout.withdrawn.claimer).toBeUndefined();
    // the challenger paid its bond and gas, got bond + (1 - b) D back: its gas is covered
    expect(BigInt(r.payout.balanceDelta.challenger!)).toBeGreaterThan(won - cfg.challengeBond - 10n ** 16n);
    expect(BigInt(r.payout.balanceDelta.challenger!)).toBeLessThan(won - cfg.challengeBond);
    expect(BigInt(r.payout.balanceDelta.claimer!)).toBeLessThan(-cfg.claimBond);
    expect(BigInt(r.payout.burned)).toBe(cfg.claimBond - d + burn(d));
    expect(r.moves.some((m) => m.op === "timeout")).toBe(true);
    expect(r.proof?.valid).toBe(false);
  } else {
    expect(r.claimed).toBe(r.truth);
    expect(r.payout.claimStatus).toBe("Accepted");
    const won = cfg.claimBond + cfg.challengeBond - burnC(cfg.challengeBond);
    expect(BigInt(r.payout.withdrawn.claimer!)).toBe(won);
    expect(r.payout.withdrawn.challenger).toBeUndefined();
    expect(BigInt(r.payout.balanceDelta.claimer!)).toBeGreaterThan(won - cfg.claimBond - 10n ** 16n);
    expect(BigInt(r.payout.balanceDelta.challenger!)).toBeLessThan(-cfg.challengeBond);
    expect(BigInt(r.payout.burned)).toBe(burnC(cfg.challengeBond));
    expect(r.proof?.valid).toBe(true);
    expect(r.moves.find((m) => m.op === "proveLeaf")).toBeDefined();
  }
}

describe("zkfp demo on anvil", () => {
  let chain: Chain;
  beforeAll(async () => {
    chain = await startAnvil();
  });
  afterAll(async () => {
    await chain?.stop();
  });

  it("MNIST, two phases, one-step verifier: a claimer posting a wrong class is slashed and the challenger paid", async () => {
    const o = { model: "mnist", liar: "claimer", k: 3, m: 1, phases: 2, backend: "groth16", chain } as const;
    const r = await runDemo(o);
    checkOutcome(r, o);
    expect(r.label).toBe(r.truth);
    expect(r.disputedNode?.node).toBe(9);
    expect(r.moves.find((m) => m.op === "openSubgame")).toBeDefined();
  }, 240_000);

  it("MNIST, two phases, k = 1: a challenger disputing an honest claim loses to the step witness", async () => {
    const o = {
      model: "mnist",
      liar: "challenger",
      k: 1,
      m: 1,
      phases: 2,
      backend: "groth16",
      chain,
      image: 8001,
    } as const;
    const r = await runDemo(o);
    checkOutcome(r, o);
  }, 240_000);

  it("MNIST, lie inside the network (logits matmul): the dispute descends into that node's VM run", async () => {
    const o = { model: "mnist", liar: "claimer", k: 7, m: 1, phases: 2, backend: "groth16", chain, lieAt: 3 } as const;
    const r = await runDemo(o);
    checkOutcome(r, o);
    expect(r.disputedNode?.t).toBe(3);
  }, 240_000);

  it("zkfp demo --rpc-url --json prints one JSON report and the readable account names the winner", async () => {
    const args = parseArgs(["--m", "1", "--liar", "challenger", "--image", "8003", "--rpc-url", chain.url, "--json"], {
      ...demoCommand.options,
      json: { type: "boolean", desc: "" },
    });
    const res = await demoCommand.run(args, { json: true, progress: () => {} });
    expect(res.exitCode).toBe(0);
    const j = JSON.parse(JSON.stringify(res.json)) as DemoReport;
    expect(j.rpcUrl).toBe(chain.url);
    expect(j.winner).toBe("claimer");
    checkOutcome(j, { liar: "challenger", k: 3, m: 1, phases: 2 });
    expect(res.text).toMatch(/winner +claimer \(the honest party\)/);
    expect(res.text).toMatch(/openSubgame/);
  }, 240_000);

  it.skipIf(!HEAVY)(
    "MNIST, one phase over the whole model program's VM steps",
    async () => {
      const o = { model: "mnist", liar: "claimer", k: 15, m: 1, phases: 1, backend: "groth16", chain } as const;
      const r = await runDemo(o);
      checkOutcome(r, o);
    },
    600_000,
  );

  for (const liar of ["claimer", "challenger"] as const) {
    it.skipIf(!HEAVY)(
      `MNIST, Groth16 m = 2 arbitrator, lying ${liar}: the honest party wins`,
      async () => {
        const o = { model: "mnist", liar, k: 3, m: 2, phases: 2, backend: "groth16", chain } as const;
        const r = await runDemo(o);
        checkOutcome(r, o);
      },
      1_800_000,
    );
    it.skipIf(!HEAVY)(
      `stories260K, two phases, lying ${liar}: the honest party wins`,
      async () => {
        const o = { model: "stories260K", liar, k: 3, m: 1, phases: 2, backend: "groth16", chain } as const;
        const r = await runDemo(o);
        checkOutcome(r, o);
      },
      600_000,
    );
  }
});
