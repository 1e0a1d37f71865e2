/**
 * The on-chain claim API in one place (what the dispute engine and the demo call): the game's
 * constructor arguments, the claim binding of a workload (alphabet / RV32IM guest / ML graph) with
 * its TS twin, posting a bound claim, the two binding moves, and the payout rule constants
 * (protocol/economics/payout.ts).
 *
 *   deploy  DisputeGame(Config{claimBond, challengeBond, burnBps, clockBudget, challengeWindow,
 *           daWindow, slots, challengerBurnBps}, PhaseConfig[], IClaimBinding)   (contracts/src/game/DisputeGame.sol)
 *   claim   claim(programHash = binding.programHash(), input, output, startRoot, finalRoot, steps)
 *   moves   disputeStart(claimId, input, aux)   rejects iff binding.startRoot(input, aux) != startRoot
 *           disputeOutput(claimId, opening)     rejects iff binding.outputOf(finalRoot, opening) != output
 *
 * `deploy` callbacks abstract over the two deployers (protocol/chain/backend.ts, protocol/chain/deployer.ts):
 * (file, contract name, constructor args) -> address, linking Poseidon where the artifact needs it.
 */
import { AbiCoder, keccak256 } from "ethers";
import { ZkfpError } from "../../vm/errors.ts";
import type { ClaimBinding, ClaimInput, GameConfig } from "../game/model.ts";
import type { Hex, Root } from "../game/types.ts";
import { alphabetBinding } from "../link/alphabet.ts";
import { rv32imBinding, type Rv32imProgram } from "../link/rv32im.ts";
import { checkInputNodesFit, graphBinding, type GraphClaimConfig, type GraphBinding } from "../link/graph-claim.ts";
import {
  PAYOUT,
  bindingMoveGasBound,
  checkPayoutRule,
  payoutConfig,
  slotCollateral,
  challengerWinPayout,
  worstCaseChallengerGas,
} from "../economics/payout.ts";

export { PAYOUT, checkPayoutRule, payoutConfig, slotCollateral, challengerWinPayout, worstCaseChallengerGas };

export type Deploy = (file: string, name: string, args: unknown[]) => Promise<string>;

/** DisputeGame.Config as the ABI takes it (slots default 1, challengerBurnBps default burnBps). */
export function gameConfigArgs(cfg: GameConfig) {
  return {
    claimBond: cfg.claimBond,
    challengeBond: cfg.challengeBond,
    burnBps: cfg.burnBps,
    clockBudget: cfg.clockBudget,
    challengeWindow: cfg.challengeWindow,
    daWindow: cfg.daWindow,
    slots: cfg.slots ?? 1,
    challengerBurnBps: cfg.challengerBurnBps ?? cfg.burnBps,
  };
}

export type BindingSpec =
  | { kind: "alphabet"; sizes: bigint[] }
  | { kind: "rv32im"; program: Rv32imProgram }
  | { kind: "graph"; config: GraphClaimConfig };

export type DeployedBinding<B extends ClaimBinding = ClaimBinding> = { address: string; twin: B };

/** Deploys the binding contract of `spec` and returns it with its TS twin. */
export async function deployBinding(
  deploy: Deploy,
  spec: { kind: "graph"; config: GraphClaimConfig },
): Promise<DeployedBinding<GraphBinding>>;
export async function deployBinding(deploy: Deploy, spec: BindingSpec): Promise<DeployedBinding>;
export async function deployBinding(deploy: Deploy, spec: BindingSpec): Promise<DeployedBinding> {
  switch (spec.kind) {
    case "alphabet":
      return {
        address: await deploy("AlphabetClaimBinding.sol", "AlphabetClaimBinding", [spec.sizes.slice(1)]),
        twin: alphabetBinding(spec.sizes),
      };
    case "rv32im": {
      const p = spec.program;
      return {
        address: await deploy("RV32IMClaimBinding.sol", "RV32IMClaimBinding", [p.core0, p.mem0, p.code0]),
        twin: rv32imBinding(p),
      };
    }
    case "graph": {
      const c = spec.config;
      // a binding move that cannot be sent would let any start root stand (attack3)
      checkInputNodesFit(c);
      const address = await deploy("GraphClaimBinding.sol", "GraphClaimBinding", [
        c.baseRoot,
        c.depth,
        c.firstInput,
        c.inputLens,
        c.outputNode,
        c.opsRoot,
        c.nodeProgram,
      ]);
      return { address, twin: graphBinding(c) };
    }
  }
}

export type PhaseArg = { k: number; m: bigint; arbitrator: string; link: string };

/** A zk leaf that cannot be proven within the chess clock: the honest party would lose on time. */
export class ClockBudgetError extends ZkfpError {
  override readonly name = "ClockBudgetError";
}

/**
 * The party that must prove a zk leaf does so on its own clock, and a lying opponent chooses WHICH
 * leaf (it steers the bisection, e.g. to a window only the complete key proves). So the worst-case
 * leaf proof must fit the clock with room for the moves before it: at most half of `clockBudget`.
 */
export function checkLeafFitsClock(clockBudget: number, leafProveSeconds: number): void {
  if (!(leafProveSeconds <= clockBudget / 2))
    throw new ClockBudgetError("the worst-case zk leaf proof does not fit half the chess clock", {
      clockBudget,
      leafProveSeconds: Math.ceil(leafProveSeconds),
      hint: "raise clockBudget, lower m, or use a cheaper backend (groth16)",
    });
}

/**
 * Deploys a DisputeGame with its binding. With `strict` (the binding's input lengths), it first checks
 * the payout rule's inequalities, the honest challenger's budget being the larger of the worst-case game
 * and the winning binding move for that input size (a long-prompt model needs a larger stake), and, given
 * the worst-case zk leaf proof time, that it fits the chess clock (`checkLeafFitsClock`).
 */
export async function deployGame(
  deploy: Deploy,
  cfg: GameConfig,
  phases: PhaseArg[],
  binding: string,
  strict: { inputLens: readonly number[]; leafProveSeconds?: number } | null = null,
): Promise<string> {
  if (strict) {
    if (strict.leafProveSeconds !== undefined) checkLeafFitsClock(cfg.clockBudget, strict.leafProveSeconds);
    checkPayoutRule(
      {
        claimBond: cfg.claimBond,
        challengeBond: cfg.challengeBond,
        burnBps: cfg.burnBps,
        slots: cfg.slots ?? 1,
        challengerBurnBps: cfg.challengerBurnBps ?? cfg.burnBps,
      },
      {
        challengerGas: worstCaseChallengerGas(phases.map((p) => ({ k: p.k, m: p.m }))),
        bindingGas: bindingMoveGasBound(strict.inputLens),
      },
    );
  }
  return deploy("DisputeGame.sol", "DisputeGame", [gameConfigArgs(cfg), phases, binding]);
}

const abi = AbiCoder.defaultAbiCoder();

/** A claim bound to `binding`: program hash from the binding, input hash from the bytes. */
export function boundClaim(
  binding: ClaimBinding,
  input: Hex,
  output: Hex,
  startRoot: Root,
  finalRoot: Root,
  steps: bigint,
): ClaimInput {
  return { programHash: binding.programHash, inputHash: keccak256(input) as Hex, output, startRoot, finalRoot, steps };
}

/** Calldata of the two binding moves (for raw sends / gas estimates). */
export function disputeStartArgs(claimId: number, input: Hex, aux: Hex): unknown[] {
  return [claimId, input, aux];
}
export function disputeOutputArgs(claimId: number, opening: Hex): unknown[] {
  return [claimId, opening];
}
export const encodeWord = (x: bigint): Hex => abi.encode(["uint256"], [x]) as Hex;
