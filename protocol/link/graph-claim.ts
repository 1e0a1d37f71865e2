/**
 * TS twin of contracts/src/link/GraphClaimBinding.sol: the claim binding of an ML model played over
 * its computation graph (ml/FORMAT.md "Graph commitment").
 *
 *   base root    graph tree with every const leaf set, input and op slots empty (the weights)
 *   input        the input nodes' bytes concatenated (firstInput .. firstInput + n - 1, lengths inputLens)
 *   startRoot    NO_START if the input length is not sum(inputLens) (the claim is false); else the
 *                base root with leaf_j = P2(blobRoot(bytes_j), len_j) set for each input node in order;
 *                aux = per input node the 3 * depth siblings of its (still empty) slot, 32-byte words
 *   outputOf     opening = leaf ++ 3 * depth siblings of outputNode under the final root; the output is
 *                that leaf (NO_OUTPUT if 0); `answerLeaf(bytes)` = P2(blobRoot(bytes), len)
 *   programHash  keccak256(abi.encode("zkfp.graph", baseRoot, depth, firstInput, inputLens, outputNode,
 *                opsRoot, nodeProgram)), nodeProgram = keccak256(abi.encode(core0, mem0, code0))
 *   startMoves   the binding move split into transactions of at most START_TX_GAS: `advance(input, a, b,
 *                siblings of nodes [a, b))` per chunk but the last, then `disputeStart` with the resume
 *                aux `a_last ++ siblings of nodes [a_last, n)`. Without it a long prompt (one input node
 *                per token, ~1.2M gas each) cannot be disputed in one transaction (attack3's long-prompt
 *                test). Gas per input node is bounded from its hash count (blob tree + 2 graph paths) at
 *                START_P4_GAS per P4 (measured ~55k: SECURITY.md).
 */
import { AbiCoder, keccak256 } from "ethers";
import type { Graph } from "../../ml/graph/graph.ts";
import { byteLen } from "../../ml/graph/graph.ts";
import { GraphTree, tensorLeaf } from "../../ml/graph/commit.ts";
import { NO_OUTPUT, NO_START, type ClaimBinding } from "../game/model.ts";
import { rootFromField, type Hex, type Root } from "../game/types.ts";
import { BindingError } from "./errors.ts";
import { root4 } from "./graph.ts";
import type { NodeProgram } from "./graph.ts";

const abi = AbiCoder.defaultAbiCoder();
const word = (x: bigint | number) => BigInt(x).toString(16).padStart(64, "0");

export type GraphClaimConfig = {
  baseRoot: bigint;
  depth: number;
  capacity: number;
  firstInput: number;
  inputLens: number[];
  outputNode: number;
  opsRoot: Root;
  nodeProgram: Hex;
  /** const leaves (for rebuilding trees off chain; not on chain) */
  constLeaves: Map<number, bigint>;
};

/** Gas bound per Poseidon P4 in the start-root derivation (measured 54.5k-56.5k incl. the call site). */
export const START_P4_GAS = 60_000;
/** Per-transaction budget of a start-root chunk: below EIP-7825's 2^24 cap with a margin. */
export const START_TX_GAS = 12_000_000;
/** Fixed part of an `advance` / `disputeStart` transaction: 21,000 + storage, keccak, event, payout. */
export const START_TX_BASE_GAS = 250_000;

/** P4 hashes of a dense depth-10 byte tree over `len` bytes (LibTree4.bytesRoot). */
function bytesTreeHashes(len: number): number {
  let n = Math.max(1, Math.ceil(len / 4)),
    h = 0;
  for (let l = 0; l < 10; l++) {
    n = Math.ceil(n / 4);
    h += n;
  }
  return h;
}

/** Gas bound of setting one input node of `len` bytes in a depth-`depth` graph tree (hashes + its siblings' calldata). */
export function inputNodeGas(len: number, depth: number): number {
  return START_P4_GAS * (bytesTreeHashes(len) + 2 * depth) + 16 * 96 * depth;
}

/**
 * Throws unless every input node's leaf fits one transaction of `budget` gas: `advance` splits the
 * start-root derivation between input nodes, never inside one, so a larger node would make the
 * binding move impossible (any start root would stand). Checked before a graph binding is deployed.
 */
export function checkInputNodesFit(c: { inputLens: readonly number[]; depth: number }, budget = START_TX_GAS): void {
  const base = START_TX_BASE_GAS + 16 * c.inputLens.reduce((a, l) => a + l, 0);
  c.inputLens.forEach((len, j) => {
    const gas = base + inputNodeGas(len, c.depth);
    if (gas > budget)
      throw new BindingError("an input node's leaf does not fit one transaction", {
        reason: "InputNodeTooLarge",
        input: j,
        length: len,
        gas,
        budget,
      });
  });
}

/** One `advance` call: input nodes [from, to) with their siblings. */
export type AdvanceChunk = { from: number; to: number; aux: Hex };
/** The binding move in transactions: `advance` chunks (none for a short input), then `disputeStart(aux)`. */
export type StartMoves = { advances: AdvanceChunk[]; aux: Hex };

export function nodeProgramHash(np: NodeProgram): Hex {
  return keccak256(abi.encode(["uint256", "uint256", "uint256"], [np.core0, np.mem0, np.code0])) as Hex;
}

/** The binding's constructor data for a graph whose committed leaves are `leaves` (consts used only). */
export function graphClaimConfig(
  g: Graph,
  leaves: readonly bigint[],
  outputNode: number,
  opsRoot: Root,
  np: NodeProgram,
): GraphClaimConfig {
  const inputs = g.nodes.map((n, i) => (n.kind === "input" ? i : -1)).filter((i) => i >= 0);
  if (inputs.length === 0) throw new BindingError("graph has no input node", {});
  const firstInput = inputs[0]!;
  if (inputs.some((x, j) => x !== firstInput + j))
    throw new BindingError("input nodes must be contiguous", { inputs: inputs.join(",") });
  const constLeaves = new Map<number, bigint>();
  g.nodes.forEach((n, i) => {
    if (n.kind === "const") constLeaves.set(i, leaves[i]!);
  });
  const base = new GraphTree(g.nodes.length);
  for (const [i, l] of constLeaves) base.set(i, l);
  return {
    baseRoot: base.root(),
    depth: base.depth,
    capacity: g.nodes.length,
    firstInput,
    inputLens: inputs.map((i) => byteLen(g.nodes[i]!)),
    outputNode,
    opsRoot,
    nodeProgram: nodeProgramHash(np),
    constLeaves,
  };
}

export type GraphBinding = ClaimBinding & {
  config: GraphClaimConfig;
  /** the aux `startRoot` / `disputeStart` take for this input */
  aux(input: Uint8Array): Hex;
  /** the binding move for this input split into transactions of at most `budget` gas (START_TX_GAS) */
  startMoves(input: Uint8Array, budget?: number): StartMoves;
  /** the opening of the output node under a final tree */
  opening(finalTree: GraphTree): Hex;
  answerLeaf(answer: Uint8Array): bigint;
};

export function graphBinding(c: GraphClaimConfig): GraphBinding {
  const total = c.inputLens.reduce((a, b) => a + b, 0);
  const per = 3 * c.depth;
  const baseTree = () => {
    const t = new GraphTree(c.capacity);
    for (const [i, l] of c.constLeaves) t.set(i, l);
    return t;
  };
  const split = (bytes: Uint8Array) => {
    let off = 0;
    return c.inputLens.map((len) => bytes.subarray(off, (off += len)));
  };
  const auxOf = (input: Uint8Array): Hex => {
    if (input.length !== total)
      throw new BindingError("input has the wrong length for the model", {
        reason: "BadInputLength",
        length: input.length,
        expected: total,
      });
    const t = baseTree();
    const out: bigint[] = [];
    split(input).forEach((b, j) => {
      out.push(...t.proof(c.firstInput + j));
      t.set(c.firstInput + j, tensorLeaf(b));
    });
    return ("0x" + out.map(word).join("")) as Hex;
  };
  return {
    config: c,
    maxInputBytes: total,
    programHash: keccak256(
      abi.encode(
        ["string", "uint256", "uint256", "uint256", "uint256[]", "uint256", "bytes32", "bytes32"],
        ["zkfp.graph", c.baseRoot, c.depth, c.firstInput, c.inputLens, c.outputNode, c.opsRoot, c.nodeProgram],
      ),
    ) as Hex,
    aux: auxOf,
    startMoves(input: Uint8Array, budget = START_TX_GAS): StartMoves {
      const full = auxOf(input).slice(2);
      const nodeAux = (a: number, b: number) => full.slice(a * per * 64, b * per * 64);
      const base = START_TX_BASE_GAS + 16 * input.length;
      const chunks: [number, number][] = [];
      let from = 0,
        g = base;
      checkInputNodesFit(c, budget);
      c.inputLens.forEach((len, j) => {
        const cost = inputNodeGas(len, c.depth);
        if (g + cost > budget) {
          chunks.push([from, j]);
          from = j;
          g = base;
        }
        g += cost;
      });
      if (chunks.length === 0) return { advances: [], aux: ("0x" + full) as Hex };
      const n = c.inputLens.length;
      return {
        advances: chunks.map(([a, b]) => ({ from: a, to: b, aux: ("0x" + nodeAux(a, b)) as Hex })),
        aux: ("0x" + word(from) + nodeAux(from, n)) as Hex,
      };
    },
    startRoot(input: Hex, aux: Hex): Root {
      const bytes = new Uint8Array(Buffer.from(input.slice(2), "hex"));
      // an input the model cannot take makes the claim false: the sentinel no claim carries
      if (bytes.length !== total) return NO_START;
      const n = c.inputLens.length;
      if ((aux.length - 2) / 2 !== n * per * 32)
        throw new BindingError("aux has the wrong length", {
          reason: "BadOpeningLength",
          length: (aux.length - 2) / 2,
          expected: n * per * 32,
        });
      const w = (i: number) => BigInt("0x" + aux.slice(2 + 64 * i, 66 + 64 * i));
      let r = c.baseRoot;
      split(bytes).forEach((b, j) => {
        const sib = Array.from({ length: per }, (_, q) => w(j * per + q));
        const idx = BigInt(c.firstInput + j);
        const empty = root4(idx, 0n, sib);
        if (empty !== r)
          throw new BindingError("input slot is not empty under the running root", {
            reason: "OpeningMismatch",
            root: r.toString(),
            computed: empty.toString(),
          });
        r = root4(idx, tensorLeaf(b), sib);
      });
      return rootFromField(r);
    },
    opening(finalTree: GraphTree): Hex {
      const leaf = finalTree.proof(c.outputNode);
      const l = finalTree.leaf(c.outputNode);
      return ("0x" + [l, ...leaf].map(word).join("")) as Hex;
    },
    outputOf(finalRoot: Root, opening: Hex): Hex {
      const want = 32 + 96 * c.depth;
      if ((opening.length - 2) / 2 !== want)
        throw new BindingError("opening has the wrong length", {
          reason: "BadOpeningLength",
          length: (opening.length - 2) / 2,
          expected: want,
        });
      const w = (i: number) => BigInt("0x" + opening.slice(2 + 64 * i, 66 + 64 * i));
      const leaf = w(0);
      const r = root4(
        BigInt(c.outputNode),
        leaf,
        Array.from({ length: per }, (_, q) => w(1 + q)),
      );
      if (rootFromField(r) !== finalRoot)
        throw new BindingError("opening does not reach the final root", {
          reason: "OpeningMismatch",
          root: finalRoot,
          computed: rootFromField(r),
        });
      return leaf === 0n ? NO_OUTPUT : rootFromField(leaf);
    },
    answerLeaf: (answer: Uint8Array) => tensorLeaf(answer),
  };
}
