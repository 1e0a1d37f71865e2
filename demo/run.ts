/**
 * `zkfp demo`, end to end: a real model, a claim with a bond on a real chain (an anvil the demo
 * starts and stops, or `rpcUrl`), an honest party against a liar, settled by a real arbitrator,
 * then the payout and withdrawals. demo/ holds only the scenario (options -> model run and beliefs),
 * the deployment and the readable report; the dispute itself is played by the one engine,
 * protocol/actors/play.ts `playClaim`, over the phase traces of protocol/trace:
 *
 *   phases = 2 (default): the graph phase over the op nodes of the model's computation graph
 *            (protocol/trace/graph.ts `GraphTrace`, m = 1 node per leaf), whose `open` runs the
 *            disputed node's node.elf on the zkfp VM and returns that run as the VM phase plus its
 *            GraphVmLink proof (checked on chain), ending at a leaf of m steps proven by the leaf
 *            prover (protocol/trace/leaf.ts): a Groth16/PLONK proof of the RV32IM m-step circuit
 *            (m > 1) or the step witness for the on-chain one-step verifier (m = 1).
 *   phases = 1: one phase over the VM steps of the whole model program (mnist-i8.elf, stories.elf).
 *
 * Parties: `liar = "claimer"` posts a wrong prediction (its belief tampers op `lieAt`, default the
 * last op, so the posted class/token is wrong); the honest challenger disputes it and wins because
 * the liar cannot prove its last leaf (it submits its failed attempt, the arbitrator rejects it, and
 * its clock runs out). `liar = "challenger"` disputes an honest claim with the same tampered belief
 * and loses to a valid proof.
 *
 * Time is virtual and pinned per block (evm_setNextBlockTimestamp), so chess clocks and the
 * challenge window are exercised without waiting; wall time is measured per stage.
 * Expected rounds per phase: ceil(log_(k+1)(N / m)) (protocol/game/spacing.ts `rounds`).
 */
import { ZkfpError } from "../vm/errors.ts";
import { startAnvil, connect, type Chain } from "../protocol/chain/anvil.ts";
import { ChainBackend } from "../protocol/chain/backend.ts";
import { ClaimStatus, type GameConfig } from "../protocol/game/model.ts";
import { rounds } from "../protocol/game/spacing.ts";
import { rootFromField, type Hex, type Root } from "../protocol/game/types.ts";
import { assertDeployable } from "../zk/prover/index.ts";
import { deployKeySet } from "../zk/prover/chain.ts";
import type { SnarkBackend } from "../zk/prover/snark.ts";
import { terminateCurve } from "../zk/snarkjs.ts";
import { playClaim, type ScenarioResult } from "../protocol/actors/play.ts";
import type { Actor } from "../protocol/actors/actor.ts";
import { oneStepLeaf, SnarkLeaf, type LeafProver } from "../protocol/trace/leaf.ts";
import { GraphTrace, claimOutput, graphCheck, modelProgramTrace } from "../protocol/trace/graph.ts";
import { rv32imCheck, type VmPhaseTrace } from "../protocol/trace/rv32im.ts";
import type { PhaseTrace } from "../protocol/trace/types.ts";
import {
  honestBelief,
  loadModelRun,
  lyingBelief,
  prediction,
  wholeProgram,
  type ModelName,
  type ModelRun,
} from "../protocol/trace/model.ts";
import { LLAMA_SHAPES, isLlamaShape } from "../ml/models/llama/run.ts";
import { compileVerifier, type Artifact } from "../contracts/build.ts";
import { Deployer } from "../protocol/chain/deployer.ts";
import { payoutConfig } from "../protocol/economics/payout.ts";
import { checkLeafFitsClock, deployBinding, deployGame, type DeployedBinding } from "../protocol/chain/claims.ts";
import { graphClaimConfig, type GraphBinding } from "../protocol/link/graph-claim.ts";
import { rv32imProgram } from "../protocol/link/rv32im.ts";
import { nodeProgramConstants } from "../protocol/link/graph.ts";

export class DemoConfigError extends ZkfpError {
  override readonly name = "DemoConfigError";
}
export class DemoRunError extends ZkfpError {
  override readonly name = "DemoRunError";
}

export type DemoOptions = {
  model: ModelName;
  liar: "claimer" | "challenger";
  k: number;
  m: number;
  phases: 1 | 2;
  backend: SnarkBackend;
  image?: number;
  prompt?: number[];
  positions?: number;
  /** op position the liar tampers (default: the last op, i.e. the prediction) */
  lieAt?: number;
  rpcUrl?: string;
  chain?: Chain;
  /** deploy an INSECURE zk setup to `rpcUrl` anyway (a chain the demo starts itself is always allowed) */
  insecureDev?: boolean;
  /** m > 1: the arbitrator's key set (zk/prover/leaf.ts; default `defaultKeySet(m)`: table variants + full) */
  keys?: readonly string[];
  game?: GameConfig;
  progress?: (msg: string) => void;
};

export type MoveRecord = {
  n: number;
  phase: number;
  level: number;
  by: "claimer" | "challenger" | "referee";
  op: string;
  gas: string;
  at: number;
  clocks: { claimer: number; challenger: number };
  interval: [string, string];
  note: string;
};
export type DemoReport = {
  model: ModelName;
  describe: string;
  liar: string;
  winner: "claimer" | "challenger";
  honestWon: boolean;
  params: { k: number; m: number; phases: number; backend: string };
  truth: number;
  claimed: number;
  label: number | null;
  phases: { name: string; steps: string; k: number; m: string; rounds: number; expectedRounds: number }[];
  disputedNode: { node: number; op: number; t: number } | null;
  moves: MoveRecord[];
  proof: {
    kind: string;
    valid: boolean;
    bytes: number;
    seconds: number;
    setupCached: boolean | null;
    note: string;
    preRoot: string;
    postRoot: string;
    steps: [string, string];
    /** the key of the arbitrator's set the proof is for (zk leaves) */
    key: { index: number; circuit: string } | null;
  } | null;
  /** zk leaves: the arbitrator's key set in key-index order, each with its setup's INSECURE label */
  keys: { circuit: string; insecure: boolean; transcriptHash: string; cached: boolean }[];
  payout: {
    claimerStake: string;
    challengeBond: string;
    burnBps: number;
    credits: Record<string, string>;
    withdrawn: Record<string, string>;
    balanceDelta: Record<string, string>;
    burned: string;
    claimStatus: string;
  };
  gas: {
    deploy: string;
    claim: string;
    challenge: string;
    claimer: string;
    challenger: string;
    referee: string;
    total: string;
  };
  contracts: { game: string; arbitrator: string; link: string | null };
  timings: {
    model: number;
    setup: number;
    setupCached: boolean | null;
    deploy: number;
    game: number;
    prove: number;
    total: number;
  };
  rpcUrl: string;
  insecureSetup: boolean;
};

/** The payout rule's defaults (protocol/economics/payout.ts) with one-hour clocks. */
export const DEMO_GAME: GameConfig = payoutConfig({ clockBudget: 3_600, challengeWindow: 86_400, daWindow: 3_600 });

const ZERO = "0x0000000000000000000000000000000000000000";

export function checkDemoOptions(o: DemoOptions): void {
  if (o.model !== "mnist" && o.model !== "stories260K" && !isLlamaShape(o.model))
    throw new DemoConfigError(`--model must be mnist, stories260K or ${LLAMA_SHAPES.join(", ")}`, { model: o.model });
  if (isLlamaShape(o.model) && o.phases !== 2)
    throw new DemoConfigError("LLaMA shapes have no whole-model VM program: --phases must be 2", {
      model: o.model,
      phases: o.phases,
    });
  if (o.liar !== "claimer" && o.liar !== "challenger")
    throw new DemoConfigError("--liar must be claimer or challenger", { liar: o.liar });
  if (!Number.isInteger(o.k) || o.k < 1 || o.k > 255) throw new DemoConfigError("--k must be in 1..255", { k: o.k });
  if (!Number.isInteger(o.m) || o.m < 1 || o.m > 64) throw new DemoConfigError("--m must be in 1..64", { m: o.m });
  if (o.phases !== 1 && o.phases !== 2) throw new DemoConfigError("--phases must be 1 or 2", { phases: o.phases });
  if (o.backend !== "groth16" && o.backend !== "plonk" && o.backend !== "fflonk")
    throw new DemoConfigError("--backend must be groth16, plonk or fflonk", { backend: o.backend });
}

export async function runDemo(o: DemoOptions): Promise<DemoReport> {
  checkDemoOptions(o);
  const log = o.progress ?? (() => {});
  const T0 = performance.now();
  const t = { model: 0, setup: 0, setupCached: null as boolean | null, deploy: 0, game: 0, prove: 0, total: 0 };
  const cfg = o.game ?? DEMO_GAME;
  const m = BigInt(o.m);
  if (o.m === 1 && o.keys) throw new DemoConfigError("--keys applies to m > 1 (zk leaves)", { m: o.m });
  const leaf: LeafProver = o.m === 1 ? oneStepLeaf : new SnarkLeaf(o.backend, o.m, { log, keys: o.keys });
  // before any setup: a leaf the honest party cannot prove within its clock loses a true claim
  if (leaf instanceof SnarkLeaf) checkLeafFitsClock(cfg.clockBudget, leaf.worstProveSeconds());

  // 1. the model, both beliefs, each party's phase-0 trace
  log(`running ${o.model} natively with per-node commitments ...`);
  const mr: ModelRun = await loadModelRun(o.model, {
    image: o.image,
    prompt: o.prompt,
    positions: o.positions,
    progress: log,
  });
  const lieAt = o.lieAt ?? mr.ops.length - 1;
  const honest = honestBelief(mr),
    lying = lyingBelief(mr, lieAt);
  const claimerBelief = o.liar === "claimer" ? lying : honest;
  let claimerTrace: PhaseTrace, challengerTrace: PhaseTrace;
  if (o.phases === 2) {
    claimerTrace = new GraphTrace(mr, claimerBelief, leaf);
    challengerTrace = new GraphTrace(mr, o.liar === "challenger" ? lying : honest, leaf);
  } else {
    log(`running the whole model program on the zkfp VM ...`);
    claimerTrace = await modelProgramTrace(mr, o.liar === "claimer", leaf);
    challengerTrace = await modelProgramTrace(mr, o.liar === "challenger", leaf);
  }
  t.model = (performance.now() - T0) / 1000;

  // 2. the arbitrator's setup (cached after the first run)
  let verifiers: { circuit: string; verifier: Artifact }[] | null = null;
  let insecure = false;
  const keys: DemoReport["keys"] = [];
  if (leaf instanceof SnarkLeaf) {
    const t1 = performance.now();
    log(
      `${o.backend} setups of the ${leaf.keys.length} key(s) for span ${o.m} (${leaf.keys.join(", ")}; cached after the first run; first run compiles each circuit and runs its setup) ...`,
    );
    const arts = await leaf.setup();
    verifiers = [];
    for (const art of arts) {
      assertDeployable(art, { insecureDev: o.insecureDev || !o.rpcUrl });
      verifiers.push({ circuit: art.circuit.id, verifier: compileVerifier(art.verifierSol, art.verifierName) });
      keys.push({
        circuit: art.circuit.id,
        insecure: art.meta.insecure,
        transcriptHash: art.meta.transcriptHash,
        cached: art.cached,
      });
      log(`key ${keys.length - 1}: ${art.circuit.id} m=${o.m}, ${art.meta.constraints} constraints, ${art.meta.label}`);
    }
    insecure = arts.some((a) => a.meta.insecure);
    t.setup = (performance.now() - t1) / 1000;
    t.setupCached = arts.every((a) => a.cached);
  }

  // 3. chain and contracts
  const chain = o.chain ?? (o.rpcUrl ? connect(o.rpcUrl) : await startAnvil());
  try {
    const t2 = performance.now();
    log(`deploying on ${chain.url} ...`);
    const accounts: string[] = await chain.provider.send("eth_accounts", []);
    if (accounts.length < 3)
      throw new DemoRunError("the endpoint must expose 3 unlocked accounts (anvil does)", {
        url: chain.url,
        accounts: accounts.length,
      });
    const [deployerA, claimerA, challengerA] = accounts as [string, string, string];
    const {
      backend: b,
      dep,
      game,
      arbitrator,
      link,
      programHash,
      graph,
    } = await deployModelGame(chain, deployerA, mr, {
      k: o.k,
      m: o.m,
      phases: o.phases,
      backend: o.backend,
      verifiers,
      game: cfg,
      leafProveSeconds: leaf instanceof SnarkLeaf ? leaf.worstProveSeconds() : undefined,
    });
    const backendM0 = b.phases[0]!.m;
    t.deploy = (performance.now() - t2) / 1000;

    // 4. the dispute, played by the engine
    const t3 = performance.now();
    const bal0 = await balances(chain, [claimerA, challengerA]);
    const claimed = prediction(mr, claimerBelief),
      truth = prediction(mr, honest);
    log(
      `claimer posts ${o.model === "mnist" ? "class" : "token"} ${claimed} with a bond of ${fmtEth(cfg.claimBond)} ETH; the challenger checks it against its own run`,
    );
    const actor = (name: string, trace: PhaseTrace, liar: boolean): Actor => ({
      name,
      trace,
      timing: { kind: "prompt", delay: 1 },
      choice: "first-disagreement",
      challengeAlways: liar,
    });
    // the claim: the graph's input bytes and the answer's leaf (phases = 2), or the model program's
    // input stream and its stdout hash (phases = 1); an honest challenger checks both bindings first
    const claimInput = o.phases === 2 ? mr.input : wholeProgram(mr).input;
    const inputHex = ("0x" + Buffer.from(claimInput).toString("hex")) as Hex;
    const output =
      claimerTrace instanceof GraphTrace
        ? claimOutput(mr, claimerBelief)
        : rootFromField((claimerTrace as Awaited<ReturnType<typeof modelProgramTrace>>).outHash);
    const challengerActor = actor("challenger", challengerTrace, o.liar === "challenger");
    if (o.liar !== "challenger") {
      challengerActor.check =
        challengerTrace instanceof GraphTrace
          ? graphCheck(challengerTrace, graph!, mr.input, mr.outputNode)
          : rv32imCheck(challengerTrace as VmPhaseTrace);
    }
    const r: ScenarioResult = await playClaim(
      b,
      { address: claimerA, actor: actor("claimer", claimerTrace, o.liar === "claimer") },
      [{ address: challengerA, actor: challengerActor }],
      { start: (await chain.provider.getBlock("latest"))!.timestamp + 1, input: inputHex, programHash, output },
    );
    const g = r.games[0];
    if (!g) throw new DemoRunError("the challenger agrees with the claim: nothing was disputed", { claimed, truth });
    const winner = g.winner;

    // 5. the report
    const moves: MoveRecord[] = r.moves.map((mv, i) => ({
      n: i + 1,
      phase: mv.phase,
      level: mv.level,
      by: mv.by,
      op: mv.op,
      gas: mv.gas.toString(),
      at: mv.at,
      clocks: mv.clocks,
      interval: [mv.lo.toString(), mv.hi.toString()],
      note:
        mv.op === "withdraw"
          ? `${fmtEth(BigInt(mv.note.split(" ")[0]!))} ETH`
          : mv.rejected
            ? `${mv.note}; the contract reverts with ${mv.rejected} (not mined)`
            : mv.note,
    }));
    const phaseInfo: DemoReport["phases"] = [
      {
        name: o.phases === 2 ? "graph nodes" : "VM steps (model program)",
        steps: claimerTrace.steps.toString(),
        k: o.k,
        m: backendM0.toString(),
        rounds: g.roundsPerPhase[0]!,
        expectedRounds: rounds(claimerTrace.steps, o.k, backendM0),
      },
    ];
    let disputed: DemoReport["disputedNode"] = null;
    const opened = claimerTrace instanceof GraphTrace ? claimerTrace.lastOpened : null;
    if (opened) {
      const d = mr.ops[opened.opened]!;
      disputed = { node: d.node, op: d.op, t: opened.t };
      if (r.log.some((c) => c.op === "openSubgame")) {
        phaseInfo.push({
          name: `VM steps of node ${d.node}`,
          steps: opened.vm.steps.toString(),
          k: o.k,
          m: m.toString(),
          rounds: g.roundsPerPhase[1]!,
          expectedRounds: rounds(opened.vm.steps, o.k, m),
        });
      }
    }
    const lastLeaf = r.leaves.at(-1);
    const proofRec: DemoReport["proof"] = lastLeaf
      ? {
          kind: lastLeaf.attempt.note ?? leaf.kind,
          valid: lastLeaf.attempt.valid,
          bytes: (lastLeaf.attempt.proof.length - 2) / 2,
          seconds: lastLeaf.attempt.seconds,
          setupCached: lastLeaf.attempt.valid ? t.setupCached : null,
          note: lastLeaf.attempt.valid ? "valid" : lastLeaf.attempt.reason,
          preRoot: lastLeaf.pre,
          postRoot: lastLeaf.post,
          steps: [lastLeaf.lo.toString(), lastLeaf.hi.toString()],
          key: lastLeaf.attempt.key ?? null,
        }
      : null;
    t.prove = r.leaves.reduce((a, l) => a + l.attempt.seconds, 0);
    const credits: Record<string, string> = {
      claimer: (r.withdrawn.get(claimerA.toLowerCase()) ?? 0n).toString(),
      challenger: (r.withdrawn.get(challengerA.toLowerCase()) ?? 0n).toString(),
    };
    const withdrawn: Record<string, string> = {};
    for (const [name, a] of [
      ["claimer", claimerA],
      ["challenger", challengerA],
    ] as const) {
      const w = r.withdrawn.get(a.toLowerCase());
      if (w !== undefined) withdrawn[name] = w.toString();
    }
    const bal1 = await balances(chain, [claimerA, challengerA]);
    const burned = (await b.contract.getFunction("burned").staticCall()) as bigint;
    t.game = (performance.now() - t3) / 1000 - t.prove;
    t.total = (performance.now() - T0) / 1000;
    const gas = {
      claim: r.gas.claim,
      challenge: r.gas.challenges,
      claimer: g.gas.claimer,
      challenger: g.gas.challenger,
      referee: g.gas.referee + r.gas.finalize + r.gas.withdraw,
    };
    const total = dep.gas + gas.claim + gas.challenge + gas.claimer + gas.challenger + gas.referee;
    return {
      model: o.model,
      describe: mr.describe,
      liar: o.liar,
      winner,
      honestWon: winner !== o.liar,
      params: { k: o.k, m: o.m, phases: o.phases, backend: o.m > 1 ? o.backend : "one-step" },
      truth,
      claimed,
      label: mr.label ?? null,
      phases: phaseInfo,
      disputedNode: disputed,
      moves,
      proof: proofRec,
      payout: {
        claimerStake: cfg.claimBond.toString(),
        challengeBond: cfg.challengeBond.toString(),
        burnBps: cfg.burnBps,
        credits,
        withdrawn,
        balanceDelta: { claimer: (bal1[0]! - bal0[0]!).toString(), challenger: (bal1[1]! - bal0[1]!).toString() },
        burned: burned.toString(),
        claimStatus: ClaimStatus[r.claimStatus]!,
      },
      gas: {
        deploy: dep.gas.toString(),
        claim: gas.claim.toString(),
        challenge: gas.challenge.toString(),
        claimer: gas.claimer.toString(),
        challenger: gas.challenger.toString(),
        referee: gas.referee.toString(),
        total: total.toString(),
      },
      contracts: { game, arbitrator, link },
      timings: t,
      rpcUrl: chain.url,
      insecureSetup: insecure,
      keys,
    };
  } finally {
    if (!o.chain) await chain.stop();
    if (leaf instanceof SnarkLeaf) await terminateCurve();
  }
}

export type ModelGameOptions = {
  k: number;
  m: number;
  phases: 1 | 2;
  backend: SnarkBackend;
  /** m > 1: the key set's verifiers in key-index order */
  verifiers: { circuit: string; verifier: Artifact }[] | null;
  game: GameConfig;
  /** zk leaves: the worst-case leaf proof time (SnarkLeaf.worstProveSeconds), checked against the clock */
  leafProveSeconds?: number;
};

/** Deploys the arbitrator (one-step or the snark verifier), GraphVmLink (phases = 2) and the game for a model run. */
export async function deployModelGame(chain: Chain, deployerA: string, mr: ModelRun, o: ModelGameOptions) {
  const cfg = o.game;
  const m = BigInt(o.m);
  const dep = new Deployer(chain, deployerA);
  const deploy = (file: string, name: string, args: unknown[]) => dep.deploy(file, name, args);
  let arbitrator: string;
  if (o.m === 1) {
    const sv = await dep.deploy("RV32IMStepVerifier.sol", "RV32IMStepVerifier");
    arbitrator = await dep.deploy("RV32IMOneStepArbitrator.sol", "RV32IMOneStepArbitrator", [sv]);
  } else {
    if (!o.verifiers) throw new DemoRunError("m > 1 needs the snark verifiers", { m: o.m });
    arbitrator = (await deployKeySet(dep, o.backend, o.m, o.verifiers)).arbitrator;
  }
  const np = await nodeProgramConstants();
  let link: string | null = null;
  let binding: DeployedBinding;
  let graph: GraphBinding | null = null;
  if (o.phases === 2) {
    const depth = graphDepth(mr.graph.nodes.length);
    link = await dep.deploy("GraphVmLink.sol", "GraphVmLink", [
      mr.opsTree.root,
      mr.ops.length,
      depth,
      o.m,
      np.core0,
      np.mem0,
      np.code0,
    ]);
    const b = await deployBinding(deploy, {
      kind: "graph",
      config: graphClaimConfig(mr.graph, mr.run.leaves!, mr.outputNode, mr.opsTree.root, np),
    });
    binding = b;
    graph = b.twin;
  } else {
    binding = await deployBinding(deploy, { kind: "rv32im", program: await rv32imProgram(wholeProgram(mr).elf) });
  }
  const phases =
    o.phases === 2
      ? [
          { k: o.k, m: 1n, arbitrator: ZERO, link: link! },
          { k: o.k, m, arbitrator, link: ZERO },
        ]
      : [{ k: o.k, m, arbitrator, link: ZERO }];
  // the payout rule must cover the honest challenger's worst case, the binding move for this input included
  const inputLens = graph ? graph.config.inputLens : [binding.twin.maxInputBytes];
  const game = await deployGame(deploy, cfg, phases, binding.address, {
    inputLens,
    leafProveSeconds: o.leafProveSeconds,
  });
  const backend = new ChainBackend(
    chain,
    game,
    phases.map((p) => ({ k: p.k, m: p.m })),
    cfg,
  );
  backend.programHash = binding.twin.programHash;
  return {
    backend,
    dep,
    game,
    arbitrator,
    link,
    binding: binding.address,
    twin: binding.twin,
    graph,
    programHash: binding.twin.programHash,
  };
}

function graphDepth(nodes: number): number {
  let d = 1;
  while (4 ** d < nodes) d++;
  return d;
}

async function balances(chain: Chain, as: string[]): Promise<bigint[]> {
  return Promise.all(as.map((a) => chain.provider.getBalance(a)));
}

export function fmtEth(wei: bigint): string {
  const neg = wei < 0n;
  const w = neg ? -wei : wei;
  const s = `${w / 10n ** 18n}.${(w % 10n ** 18n).toString().padStart(18, "0").slice(0, 6)}`;
  return (neg ? "-" : "") + s.replace(/\.?0+$/, "");
}

export type { Root };
