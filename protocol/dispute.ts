/**
 * One dispute end to end on a chain: deploy the game for a phase layout, claim, challenge, play to
 * the end between an honest party and a liar, settle. Used by `zkfp dispute` and protocol/game.bench.ts.
 *
 * Parameters: the machine (`alphabet`: any phase layout; `rv32im`: a guest ELF run to its halt, one
 * phase, N = the halting step rounded up to m, leaves settled by the on-chain one-step verifier for
 * m = 1 or by a Groth16/PLONK proof of m RV32IM steps for m > 1, `backend`), phases (steps,
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
import { rv32imCheck, rv32imTrace, type VmPhaseTrace } from "./trace/rv32im.ts";
import type { Hex } from "./game/types.ts";
import { rv32imProgram, type Rv32imProgram } from "./link/rv32im.ts";
import { checkLeafFitsClock, deployBinding, deployGame } from "./chain/claims.ts";
import { lyingTrace } from "./trace/lying.ts";
import { oneStepLeaf, SnarkLeaf, type LeafProver } from "./trace/leaf.ts";
import type { PhaseTrace } from "./trace/types.ts";
import { ZkfpError } from "../vm/errors.ts";
import { compileVerifier } from "../contracts/build.ts";
import { Deployer } from "./chain/deployer.ts";
import { terminateCurve } from "../zk/snarkjs.ts";
import { assertDeployable } from "../zk/prover/index.ts";
import { deployKeySet } from "../zk/prover/chain.ts";
import type { SnarkBackend } from "../zk/prover/snark.ts";

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
  /** rv32im with m > 1: the zk arbitrator's proof system (default groth16). */
  backend?: SnarkBackend;
  /** rv32im with m > 1: the arbitrator's key set (zk/prover/leaf.ts; default `defaultKeySet(m)`: table variants + full). */
  keys?: readonly string[];
  progress?: (msg: string) => void;
};
export type DisputeReport = {
  vm: string;
  phases: { steps: string; k: number; m: string }[];
  liar: string;
  lieAt: string;
  winner: "claimer" | "challenger";
  honestWon: boolean;
  byTimeout: boolean;
  roundsPerPhase: number[];
  expectedRounds: number[];
  gas: { claimer: string; challenger: string; referee: string; challenge: string; claim: string; dispute: string };
  byOp: Record<string, { count: number; gas: string }>;
  moves: { claimer: number; challenger: number };
  wallMs: number;
  rpcUrl: string;
  game: string;
  /** Leaf prover of the last phase: alphabet | one-step | groth16 | plonk | fflonk. */
  leaf: string;
  /** zk leaves: the arbitrator's key set (circuit ids in key-index order, each with its INSECURE label). */
  keys: { circuit: string; insecure: boolean; transcriptHash: string }[];
  /** zk leaves: which key each submitted leaf proof was made for. */
  leafKeys: { index: number; circuit: string; valid: boolean }[];
};

export const DEFAULT_GAME: GameConfig = payoutConfig({
  clockBudget: 7 * 86_400,
  challengeWindow: 86_400,
  daWindow: 3_600,
});

export function checkPhases(phases: PhaseSpec[]): void {
  if (phases.length < 1 || phases.length > 4)
    throw new DisputeConfigError("between 1 and 4 phases", { phases: phases.length });
  phases.forEach((p, i) => {
    checkPhaseParams(p, i);
    if (p.steps < 1n || p.steps >= 1n << 64n)
      throw new DisputeConfigError("phase steps must be in 1..2^64-1", { phase: i, steps: p.steps.toString() });
  });
  const total = phases.reduce((a, p) => a * p.steps, 1n);
  if (total >= 1n << 200n) throw new DisputeConfigError("too many steps in total", { total: total.toString() });
}

export async function playDispute(cfg: DisputeConfig): Promise<DisputeReport> {
  let rv: PhaseTrace | null = null;
  let leaf: LeafProver | null = null;
  if (cfg.vm === "rv32im") {
    const m = cfg.phases[0]!.m;
    if (cfg.phases.length !== 1) throw new DisputeConfigError("rv32im plays one phase", { phases: cfg.phases.length });
    if (m < 1n || m > 64n)
      throw new DisputeConfigError("rv32im: m must be in 1..64 (1 = one-step verifier, > 1 = zk proof of m steps)", {
        m: m.toString(),
      });
    leaf =
      m === 1n
        ? oneStepLeaf
        : new SnarkLeaf(cfg.backend ?? "groth16", Number(m), { log: cfg.progress, keys: cfg.keys });
    // before any setup: a leaf the honest party cannot prove within its clock loses a true claim
    if (leaf instanceof SnarkLeaf) checkLeafFitsClock((cfg.game ?? DEFAULT_GAME).clockBudget, leaf.worstProveSeconds());
    rv = await rv32imTrace({ elf: cfg.elf, input: cfg.input, leaf });
    cfg = { ...cfg, phases: [{ ...cfg.phases[0]!, steps: rv.steps }] };
  } else if (cfg.backend) throw new DisputeConfigError("--backend applies to --vm rv32im with m > 1", { vm: cfg.vm });
  else if (cfg.keys) throw new DisputeConfigError("--keys applies to --vm rv32im with m > 1", { vm: cfg.vm });
  if (cfg.keys && !(leaf instanceof SnarkLeaf))
    throw new DisputeConfigError("--keys applies to --vm rv32im with m > 1", { m: cfg.phases[0]!.m.toString() });
  checkPhases(cfg.phases);
  const sizes = cfg.phases.map((p) => p.steps);
  const total = sizes.reduce((a, b) => a * b, 1n);
  const lieAt = cfg.lieAt ?? (total / 3n > 0n ? total / 3n : 1n);
  if (lieAt < 1n || lieAt > total)
    throw new DisputeConfigError("--lie-at must be in 1..total steps", {
      lieAt: lieAt.toString(),
      total: total.toString(),
    });
  const game = cfg.game ?? DEFAULT_GAME;
  const chain = cfg.chain ?? (cfg.rpcUrl ? connect(cfg.rpcUrl) : await startAnvil());
  const t0 = performance.now();
  try {
    const accounts: string[] = await chain.provider.send("eth_accounts", []);
    if (accounts.length < 3)
      throw new EndpointError("the endpoint must expose 3 unlocked accounts (anvil does)", {
        url: chain.url,
        accounts: accounts.length,
      });
    try {
      await chain.provider.send("evm_setNextBlockTimestamp", [
        (await chain.provider.getBlock("latest"))!.timestamp + 1,
      ]);
    } catch (e) {
      throw new EndpointError("the endpoint must support evm_setNextBlockTimestamp (anvil)", {
        url: chain.url,
        message: String((e as Error).message).slice(0, 200),
      });
    }
    const program = rv ? await rv32imProgram(cfg.elf!) : null;
    const { backend, deployment, keys } =
      leaf instanceof SnarkLeaf
        ? await deploySnarkGame(chain, accounts[0]!, game, cfg.phases[0]!.k, leaf, program!, !cfg.rpcUrl && !cfg.chain)
        : {
            keys: [],
            ...(rv
              ? await ChainBackend.deployRv32im(chain, accounts[0]!, game, cfg.phases[0]!.k, program!)
              : await ChainBackend.deployAlphabet(
                  chain,
                  accounts[0]!,
                  game,
                  cfg.phases.map((p) => ({ k: p.k, m: p.m })),
                )),
          };
    let claimer: A.Actor, challenger: A.Actor;
    let input: Hex | undefined, output: Hex | undefined;
    if (rv) {
      // the claim: the guest's input and its output (outHash); the honest challenger checks both
      const check = rv32imCheck(rv as VmPhaseTrace);
      input = ("0x" + Buffer.from(cfg.input ?? new Uint8Array()).toString("hex")) as Hex;
      output = check.output;
      const honest: A.Actor = { ...A.honest(() => rv), name: "honest", check };
      const liar: A.Actor = {
        ...honest,
        name: `dishonest@${lieAt}`,
        trace: lyingTrace(rv, lieAt),
        challengeAlways: true,
      };
      [claimer, challenger] = cfg.liar === "claimer" ? [liar, honest] : [honest, liar];
    } else {
      const w = A.alphabetWorld(sizes);
      claimer = cfg.liar === "claimer" ? A.dishonest(w, lieAt) : A.honest(w);
      challenger = cfg.liar === "challenger" ? A.dishonest(w, lieAt) : A.honest(w);
    }
    const start = (await chain.provider.getBlock("latest"))!.timestamp + 2;
    const r = await playClaim(
      backend,
      { address: accounts[1]!, actor: claimer },
      [{ address: accounts[2]!, actor: challenger }],
      { start, input, output },
    );
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
      vm: cfg.vm,
      phases: cfg.phases.map((p) => ({ steps: p.steps.toString(), k: p.k, m: p.m.toString() })),
      liar: cfg.liar,
      lieAt: lieAt.toString(),
      winner: g.winner,
      honestWon: g.winner !== cfg.liar,
      byTimeout: g.byTimeout,
      roundsPerPhase: g.roundsPerPhase,
      expectedRounds: expected,
      gas: {
        claimer: g.gas.claimer.toString(),
        challenger: g.gas.challenger.toString(),
        referee: g.gas.referee.toString(),
        challenge: r.gas.challenges.toString(),
        claim: r.gas.claim.toString(),
        dispute: dispute.toString(),
      },
      byOp: Object.fromEntries(Object.entries(g.byOp).map(([k, v]) => [k, { count: v.count, gas: v.gas.toString() }])),
      moves: g.moves,
      wallMs: Math.round(performance.now() - t0),
      rpcUrl: chain.url,
      game: deployment.game,
      leaf: leaf?.kind ?? "alphabet",
      keys,
      leafKeys: r.leaves.flatMap((x) => (x.attempt.key ? [{ ...x.attempt.key, valid: x.attempt.valid }] : [])),
    };
  } finally {
    if (!cfg.chain) await chain.stop();
    if (leaf instanceof SnarkLeaf) await terminateCurve();
  }
}

/** A one-phase RV32IM game whose leaves are zk proofs of m steps: every key's setup and verifier, the arbitrator over the key set, the game. */
async function deploySnarkGame(
  chain: Chain,
  from: string,
  cfg: GameConfig,
  k: number,
  leaf: SnarkLeaf,
  program: Rv32imProgram,
  freshAnvil: boolean,
) {
  const arts = await leaf.setup();
  // an insecure (dev) setup goes only to the anvil started here (zk/setup/security.ts)
  for (const art of arts) assertDeployable(art, { insecureDev: freshAnvil });
  const dep = new Deployer(chain, from);
  const { arbitrator } = await deployKeySet(
    dep,
    leaf.kind,
    Number(leaf.m),
    arts.map((a) => ({ circuit: a.circuit.id, verifier: compileVerifier(a.verifierSol, a.verifierName) })),
  );
  const phases = [{ k, m: leaf.m, arbitrator, link: "0x0000000000000000000000000000000000000000" }];
  const deploy = (file: string, name: string, args: unknown[]) => dep.deploy(file, name, args);
  const binding = await deployBinding(deploy, { kind: "rv32im", program });
  const game = await deployGame(deploy, cfg, phases, binding.address, {
    inputLens: [binding.twin.maxInputBytes],
    leafProveSeconds: leaf.worstProveSeconds(),
  });
  const backend = new ChainBackend(chain, game, [{ k, m: leaf.m }], cfg);
  backend.programHash = binding.twin.programHash;
  return {
    backend,
    deployment: { game, arbitrator, link: null, binding: binding.address, deployGas: dep.gas },
    keys: arts.map((a) => ({
      circuit: a.circuit.id,
      insecure: a.meta.insecure,
      transcriptHash: a.meta.transcriptHash,
    })),
  };
}

/** `N[:k[:m]]` items, comma separated; missing k/m default to the given ones. Sizes accept 2^x. */
export function parsePhases(spec: string, k: number, m: bigint): PhaseSpec[] {
  return spec.split(",").map((item, i) => {
    const [n, kk, mm] = item.trim().split(":");
    return {
      steps: parseSize(n ?? "", `phase ${i} steps`),
      k: kk ? Number(kk) : k,
      m: mm ? parseSize(mm, `phase ${i} m`) : m,
    };
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
