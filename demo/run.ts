/**
 * `zkfp demo`, end to end: a real model, a claim with a bond on a real chain (an anvil the demo
 * starts and stops, or `rpcUrl`), an honest party against a liar through the multi-phase k-ary
 * DisputeGame, settled by a real arbitrator, then the payout and withdrawals.
 *
 *   phases = 2 (default): phase 1 over the op nodes of the model's computation graph (roots = graph
 *            roots, m = 1 node per leaf), the disputed node's sub-game opened through GraphVmLink
 *            (checked on chain), phase 2 over node.elf's VM steps (roots = VM state roots) ending at
 *            a leaf of m steps: a Groth16/PLONK proof of the RV32IM m-step circuit (m > 1) or the
 *            on-chain one-step verifier (m = 1).
 *   phases = 1: one phase over the VM steps of the whole model program (mnist-i8.elf, stories.elf).
 *
 * Parties: `liar = "claimer"` posts a wrong prediction (its belief tampers op `lieAt`, default the
 * last op, so the posted class/token is wrong); the honest challenger disputes it and wins because
 * the liar cannot prove its last leaf (witness generation fails; it submits its failed attempt, the
 * arbitrator rejects it, and its clock runs out). `liar = "challenger"` disputes an honest claim
 * with the same tampered belief and loses to a valid proof.
 *
 * Time is virtual and pinned per block (evm_setNextBlockTimestamp), so chess clocks and the
 * challenge window are exercised without waiting; wall time is measured per stage.
 * Expected rounds per phase: ceil(log_(k+1)(N / m)) (protocol/game/spacing.ts `rounds`).
 */
import { AbiCoder, keccak256 } from "ethers";
import { ZkfpError } from "../vm/errors.ts";
import { startAnvil, connect, type Chain } from "../protocol/chain/anvil.ts";
import { ChainBackend } from "../protocol/chain/backend.ts";
import { GameRevert, isRevert } from "../protocol/game/errors.ts";
import { GameStatus, ClaimStatus, type GameConfig } from "../protocol/game/model.ts";
import { checkpointIndices, rounds } from "../protocol/game/spacing.ts";
import { rootFromField, type Hex, type Root } from "../protocol/game/types.ts";
import { assertDeployable, makeProver } from "../zk/prover/index.ts";
import type { SetupArtifacts, SnarkProver } from "../zk/prover/snark.ts";
import { terminateCurve } from "../zk/snarkjs.ts";
import { Deployer, compileVerifier } from "./contracts.ts";
import { nodeProgramConstants, type NodeProgram } from "../protocol/link/graph.ts";
import { graphClaimConfig, type GraphBinding } from "../protocol/link/graph-claim.ts";
import { rv32imProgram } from "../protocol/link/rv32im.ts";
import { deployBinding, deployGame, payoutConfig, type DeployedBinding } from "../protocol/chain/claims.ts";
import { poseidon4 } from "../vm/poseidon/index.ts";
import { GraphPhase, VmPhase, honestBelief, loadModelRun, lyingBelief, prediction, type Belief, type ModelName, type ModelRun } from "./world.ts";

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
  backend: "groth16" | "plonk";
  image?: number;
  prompt?: number[];
  positions?: number;
  /** op position the liar tampers (default: the last op, i.e. the prediction) */
  lieAt?: number;
  rpcUrl?: string;
  chain?: Chain;
  /** deploy an INSECURE zk setup to `rpcUrl` anyway (a chain the demo starts itself is always allowed) */
  insecureDev?: boolean;
  game?: GameConfig;
  progress?: (msg: string) => void;
};

export type MoveRecord = {
  n: number; phase: number; level: number; by: "claimer" | "challenger" | "referee"; op: string; gas: string;
  at: number; clocks: { claimer: number; challenger: number }; interval: [string, string]; note: string;
};
export type DemoReport = {
  model: ModelName; describe: string; liar: string; winner: "claimer" | "challenger"; honestWon: boolean;
  params: { k: number; m: number; phases: number; backend: string };
  truth: number; claimed: number; label: number | null;
  phases: { name: string; steps: string; k: number; m: string; rounds: number; expectedRounds: number }[];
  disputedNode: { node: number; op: number; t: number } | null;
  moves: MoveRecord[];
  proof: { kind: string; valid: boolean; bytes: number; seconds: number; setupCached: boolean | null; note: string; preRoot: string; postRoot: string; steps: [string, string] } | null;
  payout: { claimerStake: string; challengeBond: string; burnBps: number; credits: Record<string, string>; withdrawn: Record<string, string>; balanceDelta: Record<string, string>; burned: string; claimStatus: string };
  gas: { deploy: string; claim: string; challenge: string; claimer: string; challenger: string; referee: string; total: string };
  contracts: { game: string; arbitrator: string; link: string | null };
  timings: { model: number; setup: number; setupCached: boolean | null; deploy: number; game: number; prove: number; total: number };
  rpcUrl: string; insecureSetup: boolean;
};

/** The demo's game: the default payout rule (protocol/economics/payout.ts) with short clocks. */
export const DEMO_GAME: GameConfig = payoutConfig({ clockBudget: 3_600, challengeWindow: 86_400, daWindow: 3_600 });

const abi = AbiCoder.defaultAbiCoder();
const ZERO = "0x0000000000000000000000000000000000000000";

export function checkDemoOptions(o: DemoOptions): void {
  if (o.model !== "mnist" && o.model !== "stories260K") throw new DemoConfigError("--model must be mnist or stories260K", { model: o.model });
  if (o.liar !== "claimer" && o.liar !== "challenger") throw new DemoConfigError("--liar must be claimer or challenger", { liar: o.liar });
  if (!Number.isInteger(o.k) || o.k < 1 || o.k > 255) throw new DemoConfigError("--k must be in 1..255", { k: o.k });
  if (!Number.isInteger(o.m) || o.m < 1 || o.m > 64) throw new DemoConfigError("--m must be in 1..64", { m: o.m });
  if (o.phases !== 1 && o.phases !== 2) throw new DemoConfigError("--phases must be 1 or 2", { phases: o.phases });
  if (o.backend !== "groth16" && o.backend !== "plonk") throw new DemoConfigError("--backend must be groth16 or plonk", { backend: o.backend });
}

type PartyState = { belief: Belief; graph: GraphPhase | null; vm: VmPhase | null };

export async function runDemo(o: DemoOptions): Promise<DemoReport> {
  checkDemoOptions(o);
  const log = o.progress ?? (() => {});
  const T0 = performance.now();
  const t = { model: 0, setup: 0, setupCached: null as boolean | null, deploy: 0, game: 0, prove: 0, total: 0 };
  const cfg = o.game ?? DEMO_GAME;
  const m = BigInt(o.m);

  // 1. the model, both beliefs
  log(`running ${o.model} natively with per-node commitments ...`);
  const mr: ModelRun = await loadModelRun(o.model, { image: o.image, prompt: o.prompt, positions: o.positions });
  const lieAt = o.lieAt ?? mr.ops.length - 1;
  const honest = honestBelief(mr), lying = lyingBelief(mr, lieAt);
  const claimer: PartyState = { belief: o.liar === "claimer" ? lying : honest, graph: null, vm: null };
  const challenger: PartyState = { belief: o.liar === "challenger" ? lying : honest, graph: null, vm: null };
  if (o.phases === 2) {
    claimer.graph = new GraphPhase(mr, claimer.belief);
    challenger.graph = new GraphPhase(mr, challenger.belief);
  } else {
    log(`running the whole model program on the zkfp VM ...`);
    claimer.vm = await VmPhase.whole(mr, o.liar === "claimer", m);
    challenger.vm = await VmPhase.whole(mr, o.liar === "challenger", m);
  }
  t.model = (performance.now() - T0) / 1000;

  // 2. the arbitrator's setup (cached after the first run)
  let prover: SetupArtifacts | null = null;
  let verifier: { abi: unknown[]; bytecode: string } | null = null;
  let insecure = false;
  if (o.m > 1) {
    const t1 = performance.now();
    log(`${o.backend} setup of the RV32IM ${o.m}-step circuit (cached after the first run; first run compiles the circuit and runs the setup) ...`);
    const sp = makeProver(o.backend, "rv32im", { log }) as SnarkProver;
    const art = await sp.setup(o.m);
    assertDeployable(art, { insecureDev: o.insecureDev || !o.rpcUrl });
    verifier = compileVerifier(art.verifierSol, art.verifierName);
    insecure = art.meta.insecure;
    prover = art;
    t.setup = (performance.now() - t1) / 1000;
    t.setupCached = art.cached;
  }

  // 3. chain and contracts
  const chain = o.chain ?? (o.rpcUrl ? connect(o.rpcUrl) : await startAnvil());
  try {
    const t2 = performance.now();
    log(`deploying on ${chain.url} ...`);
    const accounts: string[] = await chain.provider.send("eth_accounts", []);
    if (accounts.length < 3) throw new DemoRunError("the endpoint must expose 3 unlocked accounts (anvil does)", { url: chain.url, accounts: accounts.length });
    const [deployerA, claimerA, challengerA] = accounts as [string, string, string];
    const dep = new Deployer(chain, deployerA);
    let arbitrator: string;
    if (o.m === 1) {
      const sv = await dep.deploy("RV32IMStepVerifier.sol", "RV32IMStepVerifier");
      arbitrator = await dep.deploy("RV32IMOneStepArbitrator.sol", "RV32IMOneStepArbitrator", [sv]);
    } else {
      const v = await dep.deployBytecode("verifier", verifier!.abi, verifier!.bytecode, []);
      arbitrator = o.backend === "groth16"
        ? await dep.deploy("Groth16Arbitrator.sol", "Groth16Arbitrator", [[o.m], [v]])
        : await dep.deploy("PlonkArbitrator.sol", "PlonkArbitrator", [[o.m], [v]]);
    }
    const np = await nodeProgramConstants();
    let link: string | null = null;
    if (o.phases === 2) {
      const depth = graphDepth(mr.graph.nodes.length);
      link = await dep.deploy("GraphVmLink.sol", "GraphVmLink", [mr.opsTree.root, mr.ops.length, depth, o.m, np.core0, np.mem0, np.code0]);
    }
    const phases = o.phases === 2
      ? [{ k: o.k, m: 1n, arbitrator: ZERO, link: link! }, { k: o.k, m, arbitrator, link: ZERO }]
      : [{ k: o.k, m, arbitrator, link: ZERO }];
    // the claim binding: the model (weights, graph, node program) or the whole model program
    const deployFn = (file: string, name: string, args: unknown[]) => dep.deploy(file, name, args);
    const binding: DeployedBinding = o.phases === 2
      ? await deployBinding(deployFn, { kind: "graph", config: graphClaimConfig(mr.graph, mr.run.leaves!, mr.outputNode, mr.opsTree.root, np) })
      : await deployBinding(deployFn, { kind: "rv32im", program: await rv32imProgram(mr.program.elf) });
    const game = await deployGame(deployFn, cfg, phases, binding.address);
    const b = new ChainBackend(chain, game, phases.map((p) => ({ k: p.k, m: p.m })), cfg);
    b.programHash = binding.twin.programHash;
    t.deploy = (performance.now() - t2) / 1000;

    // 4. claim, challenge, play
    const t3 = performance.now();
    const bal0 = await balances(chain, [claimerA, challengerA]);
    let now = (await chain.provider.getBlock("latest"))!.timestamp + 1;
    const rootsOf = (p: PartyState) => (p.graph ? { start: p.graph.rootAt(0n), end: p.graph.rootAt(p.graph.steps), steps: p.graph.steps } : { start: p.vm!.rootAt(0n), end: p.vm!.rootAt(p.vm!.steps), steps: p.vm!.steps });
    const cr = rootsOf(claimer);
    const claimed = prediction(mr, claimer.belief), truth = prediction(mr, honest);
    log(`claimer posts ${o.model === "mnist" ? "class" : "token"} ${claimed} with a bond of ${fmtEth(cfg.claimBond)} ETH`);
    const moves: MoveRecord[] = [];
    const gas = { claim: 0n, challenge: 0n, claimer: 0n, challenger: 0n, referee: 0n };
    // the claim's input: the graph's input tensors (two phases) or the model program's input stream
    const inputHex = ("0x" + Buffer.from(o.phases === 2 ? mr.input : mr.program.input).toString("hex")) as Hex;
    const output = claimOutput(mr, claimer, o.phases);
    const { claimId, gas: gClaim } = await b.claim(claimerA, now, { programHash: binding.twin.programHash, inputHash: keccak256(inputHex) as Hex, output, startRoot: cr.start, finalRoot: cr.end, steps: cr.steps }, inputHex);
    gas.claim = gClaim;
    const chr = rootsOf(challenger);
    // the binding: the start root follows from the model/program and the published input (a
    // different one would lose to disputeStart) and the output is the one in the final state
    const aux = o.phases === 2 ? (binding.twin as GraphBinding).aux(mr.input) : ("0x" as Hex);
    if (binding.twin.startRoot(inputHex, aux) !== chr.start) throw new DemoRunError("the binding's start root differs from the challenger's own run", { binding: binding.twin.startRoot(inputHex, aux), expected: chr.start });
    if (chr.start !== cr.start) throw new DemoRunError("the claim's start root does not follow from the model and the published input (disputeStart would reject it)", { claimed: cr.start, expected: chr.start });
    if (chr.end === cr.end && o.liar !== "challenger") throw new DemoRunError("the challenger agrees with the claim: nothing to dispute", {});
    now += 1;
    const { gameId, gas: gCh } = await b.challenge(challengerA, now, claimId);
    gas.challenge = gCh;
    log(`challenger disputes with a bond of ${fmtEth(cfg.challengeBond)} ETH (game ${gameId})`);

    const roundsPer = phases.map(() => 0);
    const phaseInfo: DemoReport["phases"] = [];
    phaseInfo.push({ name: o.phases === 2 ? "graph nodes" : "VM steps (model program)", steps: cr.steps.toString(), k: o.k, m: phases[0]!.m.toString(), rounds: 0, expectedRounds: rounds(cr.steps, o.k, phases[0]!.m) });
    let disputed: DemoReport["disputedNode"] = null;
    let proofRec: DemoReport["proof"] = null;
    const record = (by: MoveRecord["by"], op: string, g: bigint, note: string, v = b.view(gameId)) => {
      moves.push({ n: moves.length + 1, phase: v.phase, level: v.level, by, op, gas: g.toString(), at: now, clocks: { claimer: v.clockClaimer, challenger: v.clockChallenger }, interval: [v.lo.toString(), v.hi.toString()], note });
      if (by === "claimer") gas.claimer += g; else if (by === "challenger") gas.challenger += g; else gas.referee += g;
    };
    let claimerStuck = false, challengerStuck = false;
    for (let guard = 0; guard < 1000; guard++) {
      const v = b.view(gameId);
      if (v.status !== GameStatus.ClaimerToMove && v.status !== GameStatus.ChallengerToMove) break;
      const claimerMoves = v.status === GameStatus.ClaimerToMove;
      if ((claimerMoves && claimerStuck) || (!claimerMoves && challengerStuck)) {
        now = v.lastMove + (claimerMoves ? v.clockClaimer : v.clockChallenger) + 1;
        const r = await b.timeout(claimerMoves ? challengerA : claimerA, now, gameId);
        record("referee", "timeout", r.gas, `${claimerMoves ? "claimer" : "challenger"}'s clock ran out; ${claimerMoves ? "challenger" : "claimer"} calls timeout`);
        break;
      }
      now += 1;
      const { k, m: pm } = b.phases[v.phase]!;
      if (!claimerMoves) {
        const tr = challenger.graph && v.phase === 0 ? challenger.graph : challenger.vm!;
        const cps = v.checkpoints ?? [];
        const idx = checkpointIndices(v, k, pm);
        let index = cps.length;
        for (let i = 0; i < cps.length; i++) if (tr.rootAt(idx[i]!) !== cps[i]) { index = i; break; }
        const r = await b.chooseSegment(challengerA, now, gameId, index);
        roundsPer[v.phase]!++;
        record("challenger", "chooseSegment", r.gas, `segment ${index} of ${cps.length + 1}`);
        continue;
      }
      const tr = claimer.graph && v.phase === 0 ? claimer.graph : claimer.vm!;
      if (v.level > 0) {
        const idx = checkpointIndices(v, k, pm);
        const r = await b.postCheckpoints(claimerA, now, gameId, idx.map((i) => tr.rootAt(i)));
        record("claimer", "postCheckpoints", r.gas, `${idx.length} checkpoint(s) in [${v.lo}, ${v.hi}]`);
        continue;
      }
      if (v.phase === 0 && o.phases === 2) {
        const pos = Number(v.lo);
        const d = mr.ops[pos]!;
        disputed = { node: d.node, op: d.op, t: pos };
        log(`phase 1 settled on op ${pos} (graph node ${d.node}); both parties run node.elf for it on the zkfp VM ...`);
        const oc = await claimer.graph!.open(pos, m);
        const och = await challenger.graph!.open(pos, m);
        claimer.vm = oc.vm;
        challenger.vm = och.vm;
        try {
          const r = await b.openSubgame(claimerA, now, gameId, { innerStart: oc.vm.rootAt(0n), innerEnd: oc.vm.rootAt(oc.vm.steps), innerSteps: oc.vm.steps, linkProof: oc.linkProof });
          const nv = b.view(gameId);
          record("claimer", "openSubgame", r.gas, `node ${d.node} (op ${d.op}): ${oc.vm.halt} VM steps, padded to ${oc.vm.steps}; link checked on chain`, nv);
          phaseInfo.push({ name: `VM steps of node ${d.node}`, steps: oc.vm.steps.toString(), k: o.k, m: m.toString(), rounds: 0, expectedRounds: rounds(oc.vm.steps, o.k, m) });
        } catch (e) {
          // LinkRejected, or a typed error of the link (MalformedProof, NotAFieldElement): not mined
          if (!isRevert(e)) throw e;
          record("claimer", "openSubgame (rejected)", 0n, `the link contract rejected the opening (${e.error})`);
          claimerStuck = true;
        }
        continue;
      }
      // last phase, leaf
      const span = v.hi - v.lo;
      log(`leaf [${v.lo}, ${v.hi}] of ${tr === claimer.vm ? "the VM phase" : "phase"}: claimer ${o.m > 1 ? `proves ${span} steps with ${o.backend}` : "submits the step witness"} ...`);
      const tp = performance.now();
      const att = await (tr as VmPhase).leafProof(v.lo, span, prover);
      t.prove += (performance.now() - tp) / 1000;
      const kind = o.m > 1 ? `${o.backend} proof of ${span} RV32IM steps` : "RV32IM step witness (one-step verifier)";
      proofRec = { kind, valid: att.valid, bytes: (att.proof.length - 2) / 2, seconds: att.seconds, setupCached: att.valid ? (att.setupCached ?? null) : null, note: att.valid ? "valid" : att.reason, preRoot: v.pre, postRoot: v.post, steps: [v.lo.toString(), v.hi.toString()] };
      try {
        const r = await b.proveLeaf(claimerA, now, gameId, att.proof);
        record("claimer", "proveLeaf", r.gas, `${kind}: accepted`);
      } catch (e) {
        if (!(e instanceof GameRevert)) throw e;
        // the driver eth_calls first: a rejected move is never mined, so it costs no gas
        record("claimer", "proveLeaf (rejected)", 0n, `${att.valid ? "" : att.reason + "; "}the contract reverts with ${e.error} (not mined)`);
        claimerStuck = true;
      }
    }
    const final = b.view(gameId);
    const winner = final.status === GameStatus.ClaimerWon ? "claimer" : "challenger";
    phaseInfo.forEach((p, i) => (p.rounds = roundsPer[i]!));

    // 5. settle and withdraw
    if (b.claimStatus(claimId) === ClaimStatus.Pending) {
      now = Math.max(now + 1, (await b.onchainClaim(claimId)).deadline + 1);
      const r = await b.finalizeClaim(claimerA, now, claimId);
      record("referee", "finalizeClaim", r.gas, "challenge window over: claim accepted, stake returned");
    }
    const credits: Record<string, string> = { claimer: b.credit(claimerA).toString(), challenger: b.credit(challengerA).toString() };
    const withdrawn: Record<string, string> = {};
    for (const [name, a] of [["claimer", claimerA], ["challenger", challengerA]] as const) {
      if (b.credit(a) === 0n) continue;
      now += 1;
      const w = await b.withdraw(a, now);
      withdrawn[name] = w.amount.toString();
      record(name, "withdraw", w.gas, `${fmtEth(w.amount)} ETH`);
    }
    const bal1 = await balances(chain, [claimerA, challengerA]);
    const burned = (await b.contract.getFunction("burned").staticCall()) as bigint;
    t.game = (performance.now() - t3) / 1000 - t.prove;
    t.total = (performance.now() - T0) / 1000;
    const total = dep.gas + gas.claim + gas.challenge + gas.claimer + gas.challenger + gas.referee;
    return {
      model: o.model, describe: mr.describe, liar: o.liar, winner, honestWon: winner !== o.liar,
      params: { k: o.k, m: o.m, phases: o.phases, backend: o.m > 1 ? o.backend : "one-step" },
      truth, claimed, label: mr.label ?? null, phases: phaseInfo, disputedNode: disputed, moves, proof: proofRec,
      payout: {
        claimerStake: cfg.claimBond.toString(), challengeBond: cfg.challengeBond.toString(), burnBps: cfg.burnBps, credits, withdrawn,
        balanceDelta: { claimer: (bal1[0]! - bal0[0]!).toString(), challenger: (bal1[1]! - bal0[1]!).toString() }, burned: burned.toString(),
        claimStatus: ClaimStatus[b.claimStatus(claimId)]!,
      },
      gas: { deploy: dep.gas.toString(), claim: gas.claim.toString(), challenge: gas.challenge.toString(), claimer: gas.claimer.toString(), challenger: gas.challenger.toString(), referee: gas.referee.toString(), total: total.toString() },
      contracts: { game, arbitrator, link }, timings: t, rpcUrl: chain.url, insecureSetup: insecure,
    };
  } finally {
    if (!o.chain) await chain.stop();
    if (prover) await terminateCurve();
  }
}

/** The output a party posts: the output node's leaf (graph) or its final outHash (whole program). */
function claimOutput(mr: ModelRun, p: PartyState, phases: 1 | 2): Hex {
  if (phases === 2) return rootFromField(p.belief.leaves[mr.outputNode]!);
  const f = p.vm!.end.fields;
  // a lying whole-program run ends with another stdout hash (world.ts VmPhase.whole)
  return rootFromField(p.vm!.lying ? poseidon4(f.outHash, 1n, 0xbadn, 4n) : f.outHash);
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
