/**
 * Randomized ML dispute campaigns: many claims over a real model (MNIST, stories260K) played by the
 * one engine (`playClaim`) between honest parties and liars drawn from the zoo (liars.ts), with a
 * seeded RNG (lib/rng.ts) and either backend: the in-memory model (protocol/game/model.ts with the
 * TS twins of GraphVmLink and the one-step arbitrator, protocol/link/verify.ts) or a chain
 * (`ChainBackend` over deployed contracts; the caller deploys and passes a factory).
 *
 * Per dispute the RNG draws: who lies (claimer 3/4, challenger 1/4), the liar (claimer: any zoo
 * liar that applies to the model, a claim-level liar (wrong start root, another input, other
 * weights, wrong output, a claim one step short or twice too long) or a withholder whose sock requests its committed input; challenger:
 * lie(t), rootPlusP(t), contrarian, or a griefer of the binding moves), the op it aims at,
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
import { Rng } from "../../lib/rng.ts";
import { ClaimStatus, type Address } from "../game/model.ts";
import type { GameBackend } from "../game/backend.ts";
import type { Hex, Root } from "../game/types.ts";
import { GraphTrace, claimOutput, graphCheck } from "../trace/graph.ts";
import type { GraphBinding } from "../link/graph-claim.ts";
import { honestBelief, lyingBelief, type ModelRun } from "../trace/model.ts";
import type { LeafProver } from "../trace/leaf.ts";
import type { PhaseTrace } from "../trace/types.ts";
import {
  claimLiar,
  describeLiar,
  mlLiarTrace,
  neighbourPairs,
  LINK_FIELDS,
  type ClaimLiar,
  type MlLiar,
} from "./liars.ts";
import { playClaim, type Party, type ScenarioResult } from "./play.ts";
import type { Actor, Timing } from "./actor.ts";

/** A game for leaf width k over `mr`'s model, with its claim binding's twin (both backends bind claims). */
export type CampaignBackend = (
  k: number,
  mr: ModelRun,
) => Promise<{ backend: GameBackend; programHash: Hex; binding: GraphBinding }>;
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
  i: number;
  model: string;
  liarSide: "claimer" | "challenger";
  liar: string;
  k: number;
  socks: number;
  timing: string;
  claimStatus: string;
  honestWon: boolean;
  problems: string[];
  result: ScenarioResult;
};
export type CampaignStats = {
  disputes: number;
  honestWins: number;
  byLiar: Record<string, { n: number; honestWon: number }>;
  seconds: number;
  failures: DisputeOutcome[];
};

const KS = [1, 2, 3, 7, 15];
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r.uniform() * xs.length)]!;

/** A random zoo liar for a lying claimer of `mr`. */
export function randomClaimerLiar(r: Rng, mr: ModelRun): MlLiar {
  const n = mr.ops.length;
  const at = Math.floor(r.uniform() * n);
  const pairs = neighbourPairs(mr);
  const kinds = [
    "lie",
    "swapped",
    "vmRootPlusP",
    "linkPlusP",
    "leafPlusP",
    "replay",
    "malformed",
    "longVm",
    ...(pairs.length ? ["neighbour"] : []),
  ] as const;
  const kind = pick(r, kinds);
  switch (kind) {
    case "lie":
      return { kind, at };
    case "neighbour":
      return { kind, at: pick(r, pairs) };
    case "swapped":
      return { kind, at, to: (at + 1 + Math.floor(r.uniform() * (n - 1))) % n };
    case "vmRootPlusP":
      return { kind, at };
    case "linkPlusP":
      return { kind, at, field: pick(r, LINK_FIELDS) };
    case "leafPlusP":
      return { kind, at, index: Math.floor(r.uniform() * 165) };
    case "replay":
      return { kind, at };
    case "longVm":
      return { kind, at };
    case "malformed":
      return {
        kind,
        at,
        where: pick(r, ["link", "leaf"] as const),
        bytes: pick(r, ["empty", "truncated", "random"] as const),
      };
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
    const { backend, programHash, binding } = await o.backend(k, mr);
    if (o.notBefore) now = Math.max(now, await o.notBefore());
    const liarSide = r.bernoulli(0.75) ? "claimer" : "challenger";
    const honestTrace = new GraphTrace(mr, honestBelief(mr), o.leaf);
    const check = graphCheck(honestTrace, binding, mr.input, mr.outputNode);
    const input = ("0x" + Buffer.from(mr.input).toString("hex")) as Hex;
    let liarTrace: PhaseTrace,
      liarName: string,
      choice: Actor["choice"] = "first-disagreement",
      output: Hex = check.output;
    let startRoot: Root | undefined,
      withholds = false,
      grief: Actor["grief"];
    if (liarSide === "claimer") {
      const x = r.uniform();
      const others = o.runs.filter((m) => m !== mr && m.opsTree.root === mr.opsTree.root);
      if (x < 0.2) {
        const kinds = [
          "wrongStart",
          "otherWeights",
          "wrongOutput",
          "shortClaim",
          "longClaim",
          ...(others.length ? ["otherInput"] : []),
        ] as const;
        const kind = pick(r, kinds);
        const l = (kind === "otherInput" ? { kind, other: pick(r, others) } : { kind }) as ClaimLiar;
        const c = claimLiar(mr, o.leaf, l);
        liarTrace = c.trace;
        startRoot = c.startRoot;
        output = c.output;
        liarName = kind;
      } else if (x < 0.27) {
        liarTrace = mlLiarTrace(mr, o.leaf, { kind: "lie", at: mr.ops.length - 1 });
        output = claimOutput(mr, lyingBelief(mr, mr.ops.length - 1));
        withholds = true;
        liarName = "withholder";
      } else {
        const l = randomClaimerLiar(r, mr);
        liarTrace = mlLiarTrace(mr, o.leaf, l);
        liarName = describeLiar(l);
        output =
          l.kind === "neighbour" || l.kind === "rootPlusP" ? check.output : claimOutput(mr, lyingBelief(mr, l.at));
      }
    } else {
      const at = Math.floor(r.uniform() * mr.ops.length);
      const kind = pick(r, ["lie", "rootPlusP", "contrarian", "griefStart", "griefOutput"] as const);
      liarTrace = mlLiarTrace(mr, o.leaf, kind === "rootPlusP" ? { kind, at: Math.max(1, at) } : { kind: "lie", at });
      if (kind === "contrarian") choice = "always-first";
      if (kind === "griefStart") grief = { kind: "start", input, aux: check.aux };
      if (kind === "griefOutput") grief = { kind: "output", opening: check.opening };
      liarName =
        kind === "rootPlusP" || kind === "lie" ? `${kind}(${kind === "rootPlusP" ? Math.max(1, at) : at})` : kind;
    }
    const liarTiming = randomTiming(r, true),
      honestTiming = randomTiming(r, false);
    const liarActor: Actor = {
      name: liarName,
      trace: liarTrace,
      timing: liarTiming,
      choice,
      challengeAlways: true,
      grief,
    };
    const honestActor: Actor = {
      name: "honest",
      trace: honestTrace,
      timing: honestTiming,
      choice: "first-disagreement",
      challengeAlways: false,
      check,
    };
    const socks = liarSide === "claimer" ? (withholds ? 1 : Math.floor(r.uniform() * 3)) : 0;
    const challengers: Party[] = [];
    const sockParties: Party[] = [sock1, sock2].slice(0, socks).map((a) => ({
      address: a,
      actor: { ...liarActor, name: "sock", timing: { kind: "prompt", delay: 1 } },
      sock: true,
      requestsInput: withholds,
    }));
    const honestParty: Party = { address: challengerA, actor: honestActor };
    challengers.push(
      ...(r.bernoulli(0.5) || withholds ? [...sockParties, honestParty] : [honestParty, ...sockParties]),
    );
    const claimer: Party =
      liarSide === "claimer"
        ? { address: claimerA, actor: liarActor, withholds }
        : { address: claimerA, actor: honestActor };
    if (liarSide === "challenger")
      challengers.splice(0, challengers.length, { address: challengerA, actor: liarActor });
    const res = await playClaim(backend, claimer, challengers, { start: now, input, programHash, output, startRoot });
    now = res.end + 10;
    const problems = checkOutcome(backend, res, liarSide, claimer, challengers);
    const out: DisputeOutcome = {
      i,
      model: mr.model,
      liarSide,
      liar: liarName,
      k,
      socks,
      timing: `${timingName(liarTiming)}/${timingName(honestTiming)}`,
      claimStatus: ClaimStatus[res.claimStatus]!,
      honestWon: problems.length === 0,
      problems,
      result: res,
    };
    stats.disputes++;
    const key = `${liarSide}:${liarName.replace(/\(.*$/, "")}`;
    const e = (stats.byLiar[key] ??= { n: 0, honestWon: 0 });
    e.n++;
    if (out.honestWon) {
      stats.honestWins++;
      e.honestWon++;
    } else stats.failures.push(out);
    o.onDispute?.(out);
  }
  stats.seconds = (performance.now() - t0) / 1000;
  return stats;
}

/**
 * What "the honest side wins" means for one claim (empty = it did): the claim ends Rejected iff the
 * claimer lied; every honest challenger wins its games; every honest party that deposited or moved
 * withdraws more than it deposited; the liar (a lying claimer with its socks, or a lying
 * challenger) withdraws at most half of what it deposited. Deposits are read from the call log.
 */
export function checkOutcome(
  b: GameBackend,
  res: ScenarioResult,
  liarSide: "claimer" | "challenger",
  claimer: Party,
  challengers: Party[],
): string[] {
  const problems: string[] = [];
  const wantStatus = liarSide === "claimer" ? ClaimStatus.Rejected : ClaimStatus.Accepted;
  if (res.claimStatus !== wantStatus)
    problems.push(`claim ${ClaimStatus[res.claimStatus]}, expected ${ClaimStatus[wantStatus]}`);
  const cfg = b.config;
  const key = (a: Address) => a.toLowerCase();
  const deposit = new Map<string, bigint>();
  const acted = new Set<string>();
  for (const c of res.log) {
    const k = key(c.from);
    const add =
      c.op === "claim" ? cfg.claimBond : c.op === "challenge" || c.op === "requestInput" ? cfg.challengeBond : 0n;
    deposit.set(k, (deposit.get(k) ?? 0n) + add);
    if (c.op !== "withdraw") acted.add(k);
  }
  const got = (a: Address) => res.withdrawn.get(key(a)) ?? 0n;
  const dep = (a: Address) => deposit.get(key(a)) ?? 0n;
  const honestChallengers = challengers.filter((c) => !c.sock && liarSide === "claimer");
  for (const g of res.games) {
    const ch = challengers.find((c) => c.actor.name === g.challenger);
    if (ch && honestChallengers.includes(ch) && g.winner !== "challenger")
      problems.push(`honest challenger lost game ${g.gameId}`);
    if (liarSide === "challenger" && g.winner !== "claimer") problems.push(`lying challenger won game ${g.gameId}`);
  }
  const liars = liarSide === "claimer" ? [claimer, ...challengers.filter((c) => c.sock)] : challengers;
  const honest = liarSide === "claimer" ? honestChallengers : [claimer];
  for (const h of honest) {
    if (!acted.has(key(h.address))) continue;
    if (got(h.address) <= dep(h.address))
      problems.push(
        `honest ${h === claimer ? "claimer" : "challenger"} withdrew ${got(h.address)} <= its deposit ${dep(h.address)}`,
      );
  }
  const liarIn = liars.reduce((a, p) => a + dep(p.address), 0n);
  const liarOut = liars.reduce((a, p) => a + got(p.address), 0n);
  if (2n * liarOut > liarIn)
    problems.push(`the liar (${liars.length} address(es)) recovered ${liarOut} > half of its ${liarIn}`);
  return problems;
}
