/**
 * DisputeGame on a real chain (anvil or any JSON-RPC endpoint with unlocked accounts) behind the
 * `GameBackend` interface, so the same referee loop and actors play it as play the model.
 *
 * Each call: pin the next block's timestamp to `at` (anvil's evm_setNextBlockTimestamp; skipped on
 * other endpoints, where `at` must then follow wall time), `eth_call` on the pending block to turn a
 * revert into a typed `GameRevert` without spending gas, then `eth_sendTransaction` and read the
 * receipt (gas used includes the 21k intrinsic cost). The contract stores only a commitment to the
 * current roots, so a `Watcher` fed with every receipt's logs keeps the roots and checkpoints the
 * next move must pass in calldata.
 */
import { Contract, ContractFactory, Interface, type JsonRpcProvider, type TransactionReceipt } from "ethers";
import type { GameBackend, GameView, Opening } from "../game/backend.ts";
import { Availability, type Address, type ClaimInput, type GameConfig, type ClaimStatus } from "../game/model.ts";
import type { Hex, PhaseParams, Root } from "../game/types.ts";
import { ZERO_ROOT } from "../game/types.ts";
import { GameRevert } from "../game/errors.ts";
import { checkpointProof, checkpointRoot } from "../game/merkle.ts";
import { artifact, link as linkBytecode } from "../../contracts/build.ts";
import { Watcher } from "./watcher.ts";
import { gameConfigArgs } from "./claims.ts";
import { alphabetBinding } from "../link/alphabet.ts";
import { rv32imBinding, type Rv32imProgram } from "../link/rv32im.ts";
import type { Chain } from "./anvil.ts";
import { ZkfpError } from "../../vm/errors.ts";

export class ChainError extends ZkfpError {
  override readonly name = "ChainError";
}

const GAS_LIMIT = 30_000_000n;

/** Custom errors of the called contracts (contracts/src/link/Errors.sol, LibPoseidon, GraphVmLink). */
const CALLEE_ERRORS = [
  "error MalformedProof(uint256 offset, uint256 length)",
  "error BadOpeningLength(uint256 length, uint256 expected)",
  "error OpeningMismatch(bytes32 root, bytes32 computed)",
  "error BadInputLength(uint256 length, uint256 expected)",
  "error NotAWord(uint256 value)",
  "error NotAFieldElement(uint256 value)",
  "error BadInputRange(uint256 from, uint256 to, uint256 inputs)",
  "error NoPartialRoot(bytes32 inputHash, uint256 from)",
];

export type Deployment = { game: string; arbitrator: string; link: string | null; binding: string; deployGas: bigint };

/** The receipt of a transaction on an automining node (polls briefly; anvil mines synchronously). */
export async function receiptOf(chain: Chain, hash: string): Promise<TransactionReceipt> {
  for (let i = 0; i < 200; i++) {
    const r = await chain.provider.getTransactionReceipt(hash);
    if (r) return r;
    await new Promise((res) => setTimeout(res, i < 20 ? 5 : 50));
  }
  throw new ChainError("no receipt (is the node mining?)", { hash });
}

export class ChainBackend implements GameBackend {
  readonly iface: Interface;
  /** errors raised by the contracts the game calls (bindings, links, LibPoseidon), decoded by name */
  readonly calleeErrors: Interface;
  readonly watcher: Watcher;
  readonly contract: Contract;
  txCount = 0;

  /** the program hash the deployed game's binding accepts (set by the deploy helpers) */
  programHash?: Hex;

  constructor(
    readonly chain: Chain,
    readonly address: string,
    readonly phases: PhaseParams[],
    readonly config: GameConfig,
    readonly pinTime = true,
  ) {
    this.iface = new Interface(artifact("DisputeGame.sol", "DisputeGame").abi as never);
    this.calleeErrors = new Interface(CALLEE_ERRORS);
    this.watcher = new Watcher(this.iface, config.clockBudget);
    this.contract = new Contract(address, this.iface, chain.provider);
  }

  /**
   * Deploys the alphabet arbitrator, a MerklePhaseLink(depth 1) if there are several phases, the
   * AlphabetClaimBinding for phase sizes `sizes` (n_0..n_{P-1}; only n_1.. matter, default 1 each:
   * the binding moves then follow those sizes) and the game.
   */
  static async deployAlphabet(
    chain: Chain,
    deployer: Address,
    cfg: GameConfig,
    phases: PhaseParams[],
    sizes?: bigint[],
  ): Promise<{ backend: ChainBackend; deployment: Deployment }> {
    const sz = sizes ?? phases.map(() => 1n);
    return ChainBackend.deployWith(chain, deployer, cfg, phases, "alphabet", {
      file: "AlphabetClaimBinding.sol",
      name: "AlphabetClaimBinding",
      args: [sz.slice(1)],
      programHash: alphabetBinding(sz).programHash,
    });
  }

  /**
   * Deploys PoseidonT3/T5, the linked RV32IMStepVerifier, its one-step arbitrator, the
   * RV32IMClaimBinding of `program` (protocol/link/rv32im.ts `rv32imProgram`) and a one-phase (m = 1) game.
   */
  static async deployRv32im(
    chain: Chain,
    deployer: Address,
    cfg: GameConfig,
    k: number,
    program: Rv32imProgram,
  ): Promise<{ backend: ChainBackend; deployment: Deployment }> {
    return ChainBackend.deployWith(chain, deployer, cfg, [{ k, m: 1n }], "rv32im", {
      file: "RV32IMClaimBinding.sol",
      name: "RV32IMClaimBinding",
      args: [program.core0, program.mem0, program.code0],
      programHash: rv32imBinding(program).programHash,
    });
  }

  private static async deployWith(
    chain: Chain,
    deployer: Address,
    cfg: GameConfig,
    phases: PhaseParams[],
    vm: "alphabet" | "rv32im",
    bind: { file: string; name: string; args: unknown[]; programHash: Hex },
  ): Promise<{ backend: ChainBackend; deployment: Deployment }> {
    let deployGas = 0n;
    const deploy = async (file: string, name: string, args: unknown[], libs: Record<string, string> = {}) => {
      const a = artifact(file, name);
      const f = new ContractFactory(a.abi as never, linkBytecode(a, libs));
      const { data } = await f.getDeployTransaction(...args);
      const hash: string = await chain.provider.send("eth_sendTransaction", [
        { from: deployer, data, gas: "0x" + GAS_LIMIT.toString(16) },
      ]);
      const r = await receiptOf(chain, hash);
      if (r.status !== 1 || !r.contractAddress) throw new ChainError("deployment reverted", { contract: name, hash });
      deployGas += r.gasUsed;
      return r.contractAddress;
    };
    let arbitrator: string;
    let libs: Record<string, string> | null = null;
    const poseidon = async () =>
      (libs ??= {
        PoseidonT3: await deploy("PoseidonT3.sol", "PoseidonT3", []),
        PoseidonT5: await deploy("PoseidonT5.sol", "PoseidonT5", []),
      });
    if (vm === "rv32im") {
      const verifier = await deploy("RV32IMStepVerifier.sol", "RV32IMStepVerifier", [], await poseidon());
      arbitrator = await deploy("RV32IMOneStepArbitrator.sol", "RV32IMOneStepArbitrator", [verifier]);
    } else arbitrator = await deploy("AlphabetArbitrator.sol", "AlphabetArbitrator", []);
    const link = phases.length > 1 ? await deploy("MerklePhaseLink.sol", "MerklePhaseLink", [1]) : null;
    const zero = "0x0000000000000000000000000000000000000000";
    const ph = phases.map((p, i) => ({
      k: p.k,
      m: p.m,
      arbitrator: i === phases.length - 1 ? arbitrator : zero,
      link: i < phases.length - 1 ? link : zero,
    }));
    const needsPoseidon = Object.keys(artifact(bind.file, bind.name).linkReferences).length > 0;
    const binding = await deploy(bind.file, bind.name, bind.args, needsPoseidon ? await poseidon() : {});
    const game = await deploy("DisputeGame.sol", "DisputeGame", [gameConfigArgs(cfg), ph, binding]);
    const backend = new ChainBackend(chain, game, phases, cfg);
    backend.programHash = bind.programHash;
    return { backend, deployment: { game, arbitrator, link, binding, deployGas } };
  }

  view(gameId: number): GameView {
    const g = this.watcher.games.get(gameId);
    if (!g) throw new GameRevert("NoSuchGame", { gameId });
    return { ...g, checkpoints: g.checkpoints ? [...g.checkpoints] : null };
  }
  claimStatus(claimId: number): ClaimStatus {
    return this.watcher.claims.get(claimId)!.status;
  }
  claimDeadline(claimId: number): number {
    return this.watcher.claims.get(claimId)!.deadline;
  }
  credit(account: Address): bigint {
    return this.watcher.credit.get(account.toLowerCase()) ?? 0n;
  }

  /**
   * Sends one call at time `at` (to the game, or to `target`: e.g. its binding); reverts become
   * GameRevert (nothing is mined then).
   */
  async send(
    from: Address,
    at: number,
    fn: string,
    args: unknown[],
    value = 0n,
    target?: { address: string; iface: Interface },
  ): Promise<TransactionReceipt> {
    const p = this.chain.provider;
    if (this.pinTime) await p.send("evm_setNextBlockTimestamp", [at]);
    const data = (target?.iface ?? this.iface).encodeFunctionData(fn, args);
    const to = target?.address ?? this.address;
    const tx = { from, to, data, value: "0x" + value.toString(16), gas: "0x" + GAS_LIMIT.toString(16) };
    try {
      await p.send("eth_call", [tx, "pending"]);
    } catch (e) {
      throw this.decodeRevert(e, fn);
    }
    const hash: string = await p.send("eth_sendTransaction", [tx]);
    const receipt = await receiptOf(this.chain, hash);
    if (receipt.status !== 1) throw new ChainError("transaction reverted after a successful eth_call", { fn, hash });
    this.txCount++;
    const block = await p.getBlock(receipt.blockNumber);
    this.watcher.applyLogs(receipt.logs, block!.timestamp);
    return receipt;
  }

  private decodeRevert(e: unknown, fn: string): Error {
    const err = e as { info?: { error?: { data?: unknown } }; error?: { data?: unknown }; data?: unknown };
    let data = err.info?.error?.data ?? err.error?.data ?? err.data;
    if (data && typeof data === "object" && "data" in data) data = (data as { data: unknown }).data;
    if (typeof data === "string" && data.startsWith("0x") && data.length >= 10) {
      const parsed = this.iface.parseError(data) ?? this.calleeErrors.parseError(data);
      if (parsed) {
        const args: Record<string, unknown> = {};
        parsed.fragment.inputs.forEach((inp, i) => (args[inp.name] = parsed.args[i]));
        return new GameRevert(parsed.name, args);
      }
      // an error of a contract the game calls (arbitrator, link, binding) bubbled up: still a revert
      return new GameRevert(`UnknownError(${data.slice(0, 10)})`, { fn, data: data.slice(0, 200) });
    }
    if (data === "0x") return new GameRevert("EmptyRevert", { fn }); // e.g. abi.decode of malformed calldata
    return new ChainError("call failed without a DisputeGame error", {
      fn,
      message: String((e as Error).message).slice(0, 300),
    });
  }

  async claim(from: Address, at: number, c: ClaimInput, input: Hex) {
    const r = await this.send(
      from,
      at,
      "claim",
      [c.programHash, input, c.output, c.startRoot, c.finalRoot, c.steps],
      this.config.claimBond,
    );
    return { claimId: this.watcher.claims.size === 0 ? 0 : Math.max(...this.watcher.claims.keys()), gas: r.gasUsed };
  }
  async claimCommitted(from: Address, at: number, c: ClaimInput) {
    const r = await this.send(
      from,
      at,
      "claimCommitted",
      [c.programHash, c.inputHash, c.output, c.startRoot, c.finalRoot, c.steps],
      this.config.claimBond,
    );
    return { claimId: Math.max(...this.watcher.claims.keys()), gas: r.gasUsed };
  }
  /** Binding move: rejects the claim iff its start root is not the one `input` derives. */
  async disputeStart(from: Address, at: number, claimId: number, input: Hex, aux: Hex) {
    return { gas: (await this.send(from, at, "disputeStart", [claimId, input, aux])).gasUsed };
  }
  private bindingTarget?: Promise<{ address: string; iface: Interface }>;
  /** GraphClaimBinding.advance on the game's binding: the partial start root over input nodes [first, end). */
  async advanceStart(from: Address, at: number, input: Hex, first: number, end: number, aux: Hex) {
    this.bindingTarget ??= (async () => ({
      address: (await this.contract.getFunction("binding")()) as string,
      iface: new Interface(artifact("GraphClaimBinding.sol", "GraphClaimBinding").abi as never),
    }))();
    const target = await this.bindingTarget;
    return { gas: (await this.send(from, at, "advance", [input, first, end, aux], 0n, target)).gasUsed };
  }
  /** Binding move: rejects the claim iff its output is not the one opened from its final root. */
  async disputeOutput(from: Address, at: number, claimId: number, opening: Hex) {
    return { gas: (await this.send(from, at, "disputeOutput", [claimId, opening])).gasUsed };
  }
  async requestInput(from: Address, at: number, claimId: number) {
    return { gas: (await this.send(from, at, "requestInput", [claimId], this.config.challengeBond)).gasUsed };
  }
  async publishInput(from: Address, at: number, claimId: number, input: Hex) {
    return { gas: (await this.send(from, at, "publishInput", [claimId, input])).gasUsed };
  }
  async resolveWithheld(from: Address, at: number, claimId: number) {
    return { gas: (await this.send(from, at, "resolveWithheld", [claimId])).gasUsed };
  }
  async challenge(from: Address, at: number, claimId: number) {
    const r = await this.send(from, at, "challenge", [claimId], this.config.challengeBond);
    for (const log of r.logs) {
      const ev = this.iface.parseLog(log);
      if (ev?.name === "ChallengeQueued") return { gameId: 0, queued: Number(ev.args.position), gas: r.gasUsed };
      if (ev?.name === "Challenged") return { gameId: Number(ev.args.gameId), gas: r.gasUsed };
    }
    throw new ChainError("challenge mined without Challenged or ChallengeQueued", { claimId, hash: r.hash });
  }
  gamesOf(claimId: number): number[] {
    return [...this.watcher.games].filter(([, g]) => g.claimId === claimId).map(([id]) => id);
  }
  async refundQueued(from: Address, at: number, claimId: number, position: number) {
    return { gas: (await this.send(from, at, "refundQueued", [claimId, position])).gasUsed };
  }
  async postCheckpoints(from: Address, at: number, gameId: number, roots: Root[]) {
    const v = this.view(gameId);
    return { gas: (await this.send(from, at, "postCheckpoints", [gameId, v.pre, v.post, roots])).gasUsed };
  }
  async chooseSegment(from: Address, at: number, gameId: number, index: number) {
    return { gas: (await this.send(from, at, "chooseSegment", [gameId, this.pick(gameId, index)])).gasUsed };
  }
  /** The `Pick` calldata for choosing segment `index` of the current round. */
  pick(gameId: number, index: number) {
    const v = this.view(gameId);
    const cps = v.checkpoints ?? [];
    const c = cps.length;
    return {
      pre: v.pre,
      post: v.post,
      cpRoot: checkpointRoot(cps),
      index,
      left: index > 0 && index <= c ? cps[index - 1]! : ZERO_ROOT,
      right: index < c ? cps[index]! : ZERO_ROOT,
      leftProof: index > 0 && index <= c ? checkpointProof(cps, index - 1) : [],
      rightProof: index < c ? checkpointProof(cps, index) : [],
    };
  }
  async proveLeaf(from: Address, at: number, gameId: number, proof: Hex) {
    const v = this.view(gameId);
    return { gas: (await this.send(from, at, "proveLeaf", [gameId, v.pre, v.post, proof])).gasUsed };
  }
  async openSubgame(from: Address, at: number, gameId: number, o: Opening) {
    const v = this.view(gameId);
    return {
      gas: (
        await this.send(from, at, "openSubgame", [
          gameId,
          v.pre,
          v.post,
          o.innerStart,
          o.innerEnd,
          o.innerSteps,
          o.linkProof,
        ])
      ).gasUsed,
    };
  }
  async timeout(from: Address, at: number, gameId: number) {
    return { gas: (await this.send(from, at, "timeout", [gameId])).gasUsed };
  }
  async finalizeClaim(from: Address, at: number, claimId: number) {
    return { gas: (await this.send(from, at, "finalizeClaim", [claimId])).gasUsed };
  }
  async withdraw(from: Address, at: number) {
    const before = this.credit(from);
    const r = await this.send(from, at, "withdraw", []);
    return { amount: before, gas: r.gasUsed };
  }

  /** The contract's own view of a game (for comparisons with the model and the watcher). */
  async onchainGame(gameId: number) {
    const g = await this.contract.getFunction("games").staticCall(gameId);
    return {
      challenger: String(g.challenger).toLowerCase(),
      claimId: Number(g.claimId),
      lo: g.lo as bigint,
      hi: g.hi as bigint,
      clockClaimer: Number(g.clockClaimer),
      clockChallenger: Number(g.clockChallenger),
      lastMove: Number(g.lastMove),
      phase: Number(g.phase),
      level: Number(g.level),
      status: Number(g.status),
      commit: String(g.commit),
    };
  }
  /** GameBackend.bindingMovePaid from the contract's state (slots used, an open request). */
  async bindingMovePaid(claimId: number): Promise<boolean> {
    const c = await this.onchainClaim(claimId);
    const slots = Number(await this.contract.getFunction("slots").staticCall());
    return c.slotsUsed < slots || c.availability === Availability.Requested;
  }

  async onchainClaim(claimId: number) {
    const c = await this.contract.getFunction("claims").staticCall(claimId);
    return {
      status: Number(c.status),
      openGames: Number(c.openGames),
      availability: Number(c.availability),
      deadline: Number(c.deadline),
      stake: c.stake as bigint,
      slotsUsed: Number(c.slotsUsed),
      queueHead: Number(c.queueHead),
      queueTail: Number(c.queueTail),
    };
  }
}
