/**
 * One dispute end to end on a chain: deploy the game for a phase layout, claim, challenge, play to
 * the end between an honest party and a liar, settle. Used by `zkfp dispute` and protocol/game.bench.ts.
 *
 * Parameters: the machine (`alphabet`: any phase layout; `rv32im`: a guest ELF run to its halt, one
 * phase with m = 1 settled by the on-chain one-step verifier, N = the halting step), phases (steps,
 * k, m each; steps of phase p+1 are per phase-p step), which side lies and from which innermost
 * step, and the chain (an existing one, an RPC URL, or a fresh anvil). Pitfall: the driver needs an anvil-compatible endpoint
 * (unlocked accounts and evm_setNextBlockTimestamp), since chess clocks are played in virtual time.
 */
import { startAnvil, connect, type Chain } from "./chain/anvil.ts";
import { ChainBackend } from "./chain/backend.ts";
import { playClaim, type GameResult } from "./actors/play.ts";
import * as A from "./actors/actor.ts";
import { rounds } from "./game/spacing.ts";
import { checkPhaseParams } from "./game/types.ts";
import type { GameConfig } from "./game/model.ts";
import { payoutConfig } from "./economics/payout.ts";
import { rv32imTrace } from "./trace/rv32im.ts";
import { rv32imProgram } from "./link/rv32im.ts";
import { lyingTrace } from "./trace/lying.ts";
import type { PhaseTrace } from "./trace/types.ts";
import { ZkfpError } from "../vm/errors.ts";

export class DisputeConfigError extends ZkfpError {
  override readonly name = "DisputeConfigError";
}
export class EndpointError extends ZkfpError {
  override readonly name = "EndpointError";
}

export type PhaseSpec = { steps: bigint; k: number; m: bigint };
export type DisputeConfig = {
  vm: "alphabet" | "rv32im";
  phases: PhaseSpec[];
  liar: "claimer" | "challenger";
  lieAt?: bigint;
  rpcUrl?: string;
  chain?: Chain;
  game?: GameConfig;
  /** rv32im: the guest and its input. */
  elf?: string;
  input?: Uint8Array;
};
export type DisputeReport = {
  vm: string; phases: { steps: string; k: number; m: string }[]; liar: string; lieAt: string;
  winner: "claimer" | "challenger"; honestWon: boolean; byTimeout: boolean;
  roundsPerPhase: number[]; expectedRounds: number[];
  gas: { claimer: string; challenger: string; referee: string; challenge: string; claim: string; dispute: string };
  byOp: Record<string, { count: number; gas: string }>;
  moves: { claimer: number; challenger: number }; wallMs: number; rpcUrl: string; game: string;
};

export const DEFAULT_GAME: GameConfig = payoutConfig({ clockBudget: 7 * 86_400, challengeWindow: 86_400, daWindow: 3_600 });

export function checkPhases(phases: PhaseSpec[]): void {
  if (phases.length < 1 || phases.length > 4) throw new DisputeConfigError("between 1 and 4 phases", { phases: phases.length });
  phases.forEach((p, i) => {
    checkPhaseParams(p, i);
    if (p.steps < 1n || p.steps >= 1n << 64n) throw new DisputeConfigError("phase steps must be in 1..2^64-1", { phase: i, steps: p.steps.toString() });
  });
  const total = phases.reduce((a, p) => a * p.steps, 1n);
  if (total >= 1n << 200n) throw new DisputeConfigError("too many steps in total", { total: total.toString() });
}

export async function playDispute(cfg: DisputeConfig): Promise<DisputeReport> {
  let rv: PhaseTrace | null = null;
  if (cfg.vm === "rv32im") {
    if (cfg.phases.length !== 1 || cfg.phases[0]!.m !== 1n) {
      throw new DisputeConfigError("rv32im plays one phase with m = 1 (its arbitrator is the one-step verifier)", { phases: cfg.phases.length, m: cfg.phases[0]!.m.toString() });
    }
    rv = (await rv32imTrace({ elf: cfg.elf, input: cfg.input })).trace;
    cfg = { ...cfg, phases: [{ ...cfg.phases[0]!, steps: rv.steps }] };
  }
  checkPhases(cfg.phases);
  const sizes = cfg.phases.map((p) => p.steps);
  const total = sizes.reduce((a, b) => a * b, 1n);
  const lieAt = cfg.lieAt ?? (total / 3n > 0n ? total / 3n : 1n);
  if (lieAt < 1n || lieAt > total) throw new DisputeConfigError("--lie-at must be in 1..total steps", { lieAt: lieAt.toString(), total: total.toString() });
  const game = cfg.game ?? DEFAULT_GAME;
  const chain = cfg.chain ?? (cfg.rpcUrl ? connect(cfg.rpcUrl) : await startAnvil());
  const t0 = performance.now();
  try {
    const accounts: string[] = await chain.provider.send("eth_accounts", []);
    if (accounts.length < 3) throw new EndpointError("the endpoint must expose 3 unlocked accounts (anvil does)", { url: chain.url, accounts: accounts.length });
    try {
      await chain.provider.send("evm_setNextBlockTimestamp", [(await chain.provider.getBlock("latest"))!.timestamp + 1]);
    } catch (e) {
      throw new EndpointError("the endpoint must support evm_setNextBlockTimestamp (anvil)", { url: chain.url, message: String((e as Error).message).slice(0, 200) });
    }
    const { backend, deployment } = rv
      ? await ChainBackend.deployRv32im(chain, accounts[0]!, game, cfg.phases[0]!.k, await rv32imProgram(cfg.elf!))
      : await ChainBackend.deployAlphabet(chain, accounts[0]!, game, cfg.phases.map((p) => ({ k: p.k, m: p.m })));
    let claimer: A.Actor, challenger: A.Actor;
    if (rv) {
      const honest: A.Actor = { ...A.honest(() => rv), name: "honest" };
      const liar: A.Actor = { ...honest, name: `dishonest@${lieAt}`, trace: lyingTrace(rv, lieAt), challengeAlways: true };
      [claimer, challenger] = cfg.liar === "claimer" ? [liar, honest] : [honest, liar];
    } else {
      const w = A.alphabetWorld(sizes);
      claimer = cfg.liar === "claimer" ? A.dishonest(w, lieAt) : A.honest(w);
      challenger = cfg.liar === "challenger" ? A.dishonest(w, lieAt) : A.honest(w);
    }
    const start = (await chain.provider.getBlock("latest"))!.timestamp + 2;
    const r = await playClaim(backend, { address: accounts[1]!, actor: claimer }, [{ address: accounts[2]!, actor: challenger }], { start });
    const g: GameResult = r.games[0]!;
    const opened = r.log.filter((c) => c.op === "openSubgame");
    const expected: number[] = [];
    let steps = sizes[0]!;
    for (let p = 0; p < cfg.phases.length; p++) {
      expected.push(rounds(steps, cfg.phases[p]!.k, cfg.phases[p]!.m));
      const o = opened[p];
      if (p < cfg.phases.length - 1) {
        if (o?.op !== "openSubgame") break;
        steps = o.opening.innerSteps;
      }
    }
    const dispute = r.gas.challenges + g.gas.claimer + g.gas.challenger + g.gas.referee;
    return {
      vm: cfg.vm, phases: cfg.phases.map((p) => ({ steps: p.steps.toString(), k: p.k, m: p.m.toString() })), liar: cfg.liar, lieAt: lieAt.toString(),
      winner: g.winner, honestWon: g.winner !== cfg.liar, byTimeout: g.byTimeout, roundsPerPhase: g.roundsPerPhase, expectedRounds: expected,
      gas: { claimer: g.gas.claimer.toString(), challenger: g.gas.challenger.toString(), referee: g.gas.referee.toString(), challenge: r.gas.challenges.toString(), claim: r.gas.claim.toString(), dispute: dispute.toString() },
      byOp: Object.fromEntries(Object.entries(g.byOp).map(([k, v]) => [k, { count: v.count, gas: v.gas.toString() }])),
      moves: g.moves, wallMs: Math.round(performance.now() - t0), rpcUrl: chain.url, game: deployment.game,
    };
  } finally {
    if (!cfg.chain) await chain.stop();
  }
}

/** `N[:k[:m]]` items, comma separated; missing k/m default to the given ones. Sizes accept 2^x. */
export function parsePhases(spec: string, k: number, m: bigint): PhaseSpec[] {
  return spec.split(",").map((item, i) => {
    const [n, kk, mm] = item.trim().split(":");
    return { steps: parseSize(n ?? "", `phase ${i} steps`), k: kk ? Number(kk) : k, m: mm ? parseSize(mm, `phase ${i} m`) : m };
  });
}

export function parseSize(s: string, what: string): bigint {
  const t = s.trim();
  const pow = /^2\^(\d+)$/.exec(t);
  try {
    if (pow) return 1n << BigInt(pow[1]!);
    if (/^\d+$/.test(t)) return BigInt(t);
  } catch {
    /* fall through */
  }
  throw new DisputeConfigError(`${what} is not a size (digits or 2^x)`, { value: s });
}
