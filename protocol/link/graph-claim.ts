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
  return {
    config: c,
    maxInputBytes: total,
    programHash: keccak256(
      abi.encode(
        ["string", "uint256", "uint256", "uint256", "uint256[]", "uint256", "bytes32", "bytes32"],
        ["zkfp.graph", c.baseRoot, c.depth, c.firstInput, c.inputLens, c.outputNode, c.opsRoot, c.nodeProgram],
      ),
    ) as Hex,
    aux(input: Uint8Array): Hex {
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
