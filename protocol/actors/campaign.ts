/**
 * Randomized ML dispute campaigns: many claims over a real model (MNIST, stories260K) played by the
 * one engine (`playClaim`) between honest parties and liars drawn from the zoo (liars.ts), with a
 * seeded RNG (sims/rng.ts) and either backend: the in-memory model (protocol/game/model.ts with the
 * TS twins of GraphVmLink and the one-step arbitrator, protocol/link/verify.ts) or a chain
 * (`ChainBackend` over deployed contracts; the caller deploys and passes a factory).
 *
 * Per dispute the RNG draws: who lies (claimer 3/4, challenger 1/4), the liar (claimer: any zoo
 * liar that applies to the model; challenger: lie(t), rootPlusP(t), contrarian), the op it aims at,
 * k in {1, 2, 3, 7, 15}, the liar's timing (prompt, lazy(n), staller), the honest side's timing
 * (prompt or staller) and 0-2 sock-puppet challengers of a lying claimer. The outcome checked
 * (`checkOutcome`): the claim ends Rejected iff the claimer lied, every honest party's game is won by
 * it, every honest party withdraws more than it deposited, and the liar (claimer and its socks
 * together, or a lying challenger) recovers at most half of what it deposited.
 *
 * Both parties share one `ModelRun` per (model, input), and node runs are cached per (op, input
 * leaves) (protocol/trace/graph.ts), so 10^3 disputes cost about one node run per distinct lie
 * position plus the game's root queries.
 */
import { Rng } from "../../sims/rng.ts";
import { ClaimStatus, type Address } from "../game/model.ts";
import type { GameBackend } from "../game/backend.ts";
import { rootFromField, type Hex } from "../game/types.ts";
import { GraphTrace } from "../trace/graph.ts";
import { honestBelief, lyingBelief, prediction, type ModelRun } from "../trace/model.ts";
import type { LeafProver } from "../trace/leaf.ts";
import type { PhaseTrace } from "../trace/types.ts";
import { describeLiar, mlLiarTrace, neighbourPairs, LINK_FIELDS, type MlLiar } from "./liars.ts";
import { playClaim, type Party, type ScenarioResult } from "./play.ts";
import type { Actor, Timing } from "./actor.ts";

export type CampaignBackend = (k: number) => Promise<{ backend: GameBackend; programHash: Hex }>;
export type CampaignOptions = {
  seed: number;
  disputes: number;
  runs: ModelRun[];
  leaf: LeafProver;
  backend: CampaignBackend;
  accounts: Address[];
  /** Virtual start time of the first claim (chain: after the latest block). */
  start: number;
  /** The earliest time the next claim may be posted (chain: after the latest block); default: after the last call. */
  notBefore?: () => Promise<number>;
  /** Allowed k values (default 1, 2, 3, 7, 15). */
  ks?: number[];
  onDispute?: (d: DisputeOutcome) => void;
};
export type DisputeOutcome = {
  i: number; model: string; liarSide: "claimer" | "challenger"; liar: string; k: number; socks: number; timing: string;
  claimStatus: string; honestWon: boolean; problems: string[]; result: ScenarioResult;
};
export type CampaignStats = { disputes: number; honestWins: number; byLiar: Record<string, { n: number; honestWon: number }>; seconds: number; failures: DisputeOutcome[] };

const KS = [1, 2, 3, 7, 15];
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r.uniform() * xs.length)]!;

/** A random zoo liar for a lying claimer of `mr`. */
export function randomClaimerLiar(r: Rng, mr: ModelRun): MlLiar {
  const n = mr.ops.length;
  const at = Math.floor(r.uniform() * n);
  const pairs = neighbourPairs(mr);
  const kinds = ["lie", "swapped", "vmRootPlusP", "linkPlusP", "leafPlusP", "replay", "malformed", ...(pairs.length ? ["neighbour"] : [])] as const;
  const kind = pick(r, kinds);
  switch (kind) {
    case "lie": return { kind, at };
    case "neighbour": return { kind, at: pick(r, pairs) };
    case "swapped": return { kind, at, to: (at + 1 + Math.floor(r.uniform() * (n - 1))) % n };
    case "vmRootPlusP": return { kind, at };
    case "linkPlusP": return { kind, at, field: pick(r, LINK_FIELDS) };
    case "leafPlusP": return { kind, at, index: Math.floor(r.uniform() * 165) };
    case "replay": return { kind, at };
    case "malformed": return { kind, at, where: pick(r, ["link", "leaf"] as const), bytes: pick(r, ["empty", "truncated", "random"] as const) };
  }
  throw new Error(`unreachable liar kind ${String(kind)}`);
}

function randomTiming(r: Rng, liar: boolean): Timing {
  const x = r.uniform();
  if (!liar) return x < 0.8 ? { kind: "prompt", delay: 1 + Math.floor(r.uniform() * 30) } : { kind: "stall" };
  if (x < 0.6) return { kind: "prompt", delay: 1 };
  if (x < 0.8) return { kind: "lazy", moves: Math.floor(r.uniform() * 12), delay: 1 };
  return { kind: "stall" };
}
const timingName = (t: Timing) => (t.kind === "lazy" ? `lazy${t.moves}` : t.kind);

export async function runMlCampaign(o: CampaignOptions): Promise<CampaignStats> {
  const t0 = performance.now();
  const stats: CampaignStats = { disputes: 0, honestWins: 0, byLiar: {}, seconds: 0, failures: [] };
  const [claimerA, challengerA, sock1, sock2] = o.accounts as [Address, Address, Address, Address];
  let now = o.start;
  for (let i = 0; i < o.disputes; i++) {
    const r = Rng.forTask(o.seed, i);
    const mr = pick(r, o.runs);
    const k = pick(r, o.ks ?? KS);
    const { backend, programHash } = await o.backend(k);
    if (o.notBefore) now = Math.max(now, await o.notBefore());
    const liarSide = r.bernoulli(0.75) ? "claimer" : "challenger";
    const honestTrace = new GraphTrace(mr, honestBelief(mr), o.leaf);
    let liarTrace: PhaseTrace, liarName: string, choice: Actor["choice"] = "first-disagreement", claimed: number;
    if (liarSide === "claimer") {
      const l = randomClaimerLiar(r, mr);
      liarTrace = mlLiarTrace(mr, o.leaf, l);
      liarName = describeLiar(l);
      claimed = l.kind === "neighbour" || l.kind === "rootPlusP" ? prediction(mr, honestBelief(mr)) : prediction(mr, lyingBelief(mr, l.at));
    } else {
      const at = Math.floor(r.uniform() * mr.ops.length);
      const kind = pick(r, ["lie", "rootPlusP", "contrarian"] as const);
      liarTrace = mlLiarTrace(mr, o.leaf, kind === "rootPlusP" ? { kind, at: Math.max(1, at) } : { kind: "lie", at });
      if (kind === "contrarian") choice = "always-first";
      liarName = kind === "contrarian" ? "contrarian" : `${kind}(${kind === "rootPlusP" ? Math.max(1, at) : at})`;
      claimed = prediction(mr, honestBelief(mr));
    }
    const liarTiming = randomTiming(r, true), honestTiming = randomTiming(r, false);
    const liarActor: Actor = { name: liarName, trace: liarTrace, timing: liarTiming, choice, challengeAlways: true };
    const honestActor: Actor = { name: "honest", trace: honestTrace, timing: honestTiming, choice: "first-disagreement", challengeAlways: false };
    const socks = liarSide === "claimer" ? Math.floor(r.uniform() * 3) : 0;
    const challengers: Party[] = [];
    const sockParties: Party[] = [sock1, sock2].slice(0, socks).map((a) => ({ address: a, actor: { ...liarActor, name: "sock", timing: { kind: "prompt", delay: 1 } }, sock: true }));
    const honestParty: Party = { address: challengerA, actor: honestActor };
    challengers.push(...(r.bernoulli(0.5) ? [...sockParties, honestParty] : [honestParty, ...sockParties]));
    const claimer: Party = liarSide === "claimer" ? { address: claimerA, actor: liarActor } : { address: claimerA, actor: honestActor };
    if (liarSide === "challenger") challengers.splice(0, challengers.length, { address: challengerA, actor: liarActor });
    const input = ("0x" + Buffer.from(mr.input).toString("hex")) as Hex;
    const res = await playClaim(backend, claimer, challengers, { start: now, input, programHash, output: rootFromField(BigInt(claimed >>> 0)) });
    now = res.end + 10;
    const problems = checkOutcome(backend, res, liarSide, claimer, challengers);
    const out: DisputeOutcome = {
      i, model: mr.model, liarSide, liar: liarName, k, socks, timing: `${timingName(liarTiming)}/${timingName(honestTiming)}`,
      claimStatus: ClaimStatus[res.claimStatus]!, honestWon: problems.length === 0, problems, result: res,
    };
    stats.disputes++;
    const key = `${liarSide}:${liarName.replace(/\(.*$/, "")}`;
    const e = (stats.byLiar[key] ??= { n: 0, honestWon: 0 });
    e.n++;
    if (out.honestWon) { stats.honestWins++; e.honestWon++; } else stats.failures.push(out);
    o.onDispute?.(out);
  }
  stats.seconds = (performance.now() - t0) / 1000;
  return stats;
}

/** What "the honest side wins" means for one claim (empty = it did). */
export function checkOutcome(b: GameBackend, res: ScenarioResult, liarSide: "claimer" | "challenger", claimer: Party, challengers: Party[]): string[] {
  const problems: string[] = [];
  const wantStatus = liarSide === "claimer" ? ClaimStatus.Rejected : ClaimStatus.Accepted;
  if (res.claimStatus !== wantStatus) problems.push(`claim ${ClaimStatus[res.claimStatus]}, expected ${ClaimStatus[wantStatus]}`);
  const honestChallengers = new Set(challengers.filter((c) => !c.sock && c.actor.name === "honest").map((c) => c.actor.name));
  for (const g of res.games) {
    if (honestChallengers.has(g.challenger) && g.winner !== "challenger") problems.push(`honest challenger lost game ${g.gameId}`);
    if (liarSide === "challenger" && g.winner !== "claimer") problems.push(`lying challenger won game ${g.gameId}`);
  }
  const cfg = b.config;
  const got = (a: Address) => res.withdrawn.get(a.toLowerCase()) ?? 0n;
  const socks = challengers.filter((c) => c.sock);
  if (liarSide === "claimer") {
    for (const c of challengers) if (!c.sock && got(c.address) <= cfg.challengeBond) problems.push(`honest challenger withdrew ${got(c.address)} <= its bond ${cfg.challengeBond}`);
    const liarIn = cfg.claimBond + BigInt(socks.length) * cfg.challengeBond;
    const liarOut = got(claimer.address) + socks.reduce((a, c) => a + got(c.address), 0n);
    if (2n * liarOut > liarIn) problems.push(`the liar (claimer + ${socks.length} socks) recovered ${liarOut} > half of its ${liarIn}`);
  } else {
    if (got(claimer.address) <= cfg.claimBond) problems.push(`honest claimer withdrew ${got(claimer.address)} <= its stake ${cfg.claimBond}`);
    for (const c of challengers) if (2n * got(c.address) > cfg.challengeBond) problems.push(`lying challenger recovered ${got(c.address)} > half of its bond`);
  }
  return problems;
}
