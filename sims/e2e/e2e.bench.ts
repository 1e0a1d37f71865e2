/**
 * Measured end-to-end disputes for the paper (papers/build.ts compares them with the k/m model):
 * runs the real CLI, `nice -n 10 node bin/zkfp.js demo --m 1 --json --model M`, for MNIST and
 * stories260K (a lying claimer, the on-chain one-step verifier, anvil started by the demo) and
 * records, per model, what the demo's DemoReport measured:
 *   e2e.<model>.phase<i>.{steps,rounds,move_gas,moves}  per phase: trace length, rounds, gas of the
 *                                                       checkpoint + selection moves, their count
 *   e2e.<model>.{k,m}                                   the game's parameters
 *   e2e.<model>.open_gas                                opening the VM sub-game (phase link)
 *   e2e.<model>.prove_s, game_s, total_s                demo timings (leaf witness, game, total)
 *   e2e.<model>.cli_wall_s                              the CLI process's wall time (start-up included)
 *   e2e.<model>.{stake_eth,bond_eth,burn_bps,clock_s}   the demo's deployed defaults (claimer stake,
 *                                                       challenge bond, burn share, chess clock)
 *   e2e.<model>.prediction_ok                           1 when the claimed output differs from the truth
 *                                                       and the honest party won
 * Run with `npm run bench -- --only e2e` (writes bench/results/e2e.json). Needs anvil (npm package
 * @foundry-rs/anvil) and the models in ml/models/{mnist,stories}/data; a failing demo fails the bench, never a zero.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

type BenchResult = {
  name: string;
  compares: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  notes?: string;
};
type Move = { phase: number; op: string; gas: string };
type Report = {
  model: string;
  describe: string;
  honestWon: boolean;
  truth: number;
  claimed: number;
  label: number | null;
  params: { k: number; m: number; phases: number; backend: string };
  phases: { name: string; steps: string; k: number; m: string; rounds: number }[];
  moves: (Move & { clocks?: { claimer: number; challenger: number } })[];
  proof: { seconds: number; kind: string };
  timings: { game: number; total: number; prove: number };
  payout: { claimerStake: string; challengeBond: string; burnBps: number };
};

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const E2E_MODELS = ["mnist", "stories260K"] as const;

export function runDemoCli(model: string): { report: Report; wallS: number } {
  const t0 = performance.now();
  const out = execFileSync(
    "nice",
    ["-n", "10", process.execPath, join(ROOT, "bin", "zkfp.js"), "demo", "--m", "1", "--json", "--model", model],
    { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 },
  );
  return { report: JSON.parse(out) as Report, wallS: (performance.now() - t0) / 1000 };
}

export function toResults(model: string, r: Report, wallS: number): BenchResult[] {
  const p = `e2e.${model}`;
  const res = (name: string, value: number, unit: string, notes?: string): BenchResult => ({
    name: `${p}.${name}`,
    compares: `zkfp demo --m 1 (${r.describe})`,
    value,
    unit,
    ...(notes ? { notes } : {}),
  });
  const out: BenchResult[] = [res("k", r.params.k, "checkpoints"), res("m", r.params.m, "steps", r.params.backend)];
  r.phases.forEach((ph, i) => {
    const mv = r.moves.filter((x) => x.phase === i && (x.op === "postCheckpoints" || x.op === "chooseSegment"));
    out.push(
      res(`phase${i}.steps`, Number(ph.steps), "steps", ph.name),
      res(`phase${i}.rounds`, ph.rounds, "rounds"),
      res(
        `phase${i}.move_gas`,
        mv.reduce((s, x) => s + Number(x.gas), 0),
        "gas",
        "checkpoint posts + segment selections",
      ),
      res(`phase${i}.moves`, mv.length, "moves"),
    );
  });
  const open = r.moves.find((x) => x.op === "openSubgame");
  if (open) out.push(res("open_gas", Number(open.gas), "gas", "openSubgame with the on-chain graph/VM link check"));
  out.push(
    res("prove_s", r.timings.prove, "s", r.proof.kind),
    res("game_s", r.timings.game, "s", "anvil automine: moves land in the next block"),
    res("total_s", r.timings.total, "s"),
    res("stake_eth", Number(BigInt(r.payout.claimerStake)) / 1e18, "ETH"),
    res("bond_eth", Number(BigInt(r.payout.challengeBond)) / 1e18, "ETH"),
    res("burn_bps", r.payout.burnBps, "bps"),
    res("clock_s", r.moves[0]?.clocks?.challenger ?? Number.NaN, "s", "challenger's chess clock at the first move"),
    res("cli_wall_s", wallS, "s", "CLI process incl. start-up, nice -n 10"),
    res(
      "prediction_ok",
      r.claimed !== r.truth && r.honestWon ? 1 : 0,
      "bool",
      `truth ${r.truth}, claimed ${r.claimed}, label ${r.label ?? "none"}`,
    ),
  );
  return out;
}

export async function bench(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const m of E2E_MODELS) {
    const { report, wallS } = runDemoCli(m);
    out.push(...toResults(m, report, wallS));
  }
  return out;
}
