/**
 * The TS twin of MerklePhaseLink (protocol/trace/alphabet.ts `merklePhaseLink`) against the deployed
 * contract on anvil: the same verdict for a canonical proof and the same typed MalformedProof
 * (offset, length) for every malformed one, and the model turns the twin's LinkError into the same
 * revert name as the chain.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AbiCoder, Contract, ContractFactory, Interface, type JsonRpcSigner } from "ethers";
import { startAnvil, type Chain } from "../chain/anvil.ts";
import { artifact } from "../../contracts/build.ts";
import { merklePhaseLink, linkRoot, alphabetState } from "../trace/alphabet.ts";
import { LinkError } from "./errors.ts";
import type { Hex, Root } from "../game/types.ts";

const abi = AbiCoder.defaultAbiCoder();
const DEPTH = 3;
let chain: Chain;
let link: Contract;

beforeAll(async () => {
  chain = await startAnvil({ accounts: 1 });
  const signer: JsonRpcSigner = await chain.provider.getSigner(0);
  const a = artifact("MerklePhaseLink.sol", "MerklePhaseLink");
  const c = await new ContractFactory(a.abi as never, a.bytecode, signer).deploy(DEPTH);
  await c.waitForDeployment();
  link = c as Contract;
});
afterAll(async () => {
  await chain?.stop();
});

type Outcome = { ok: boolean } | { error: string; args: string[] };

async function onChain(pre: Root, post: Root, s: Root, e: Root, n: bigint, proof: Hex): Promise<Outcome> {
  try {
    return { ok: (await link.getFunction("verifyLink").staticCall(pre, post, s, e, n, proof)) as boolean };
  } catch (err) {
    const data = (err as { data?: string }).data ?? (err as { info?: { error?: { data?: string } } }).info?.error?.data;
    const d = new Interface(["error MalformedProof(uint256 offset, uint256 length)"]).parseError(data!);
    return { error: d!.name, args: d!.args.map((x) => String(x)) };
  }
}

function inTs(pre: Root, post: Root, s: Root, e: Root, n: bigint, proof: Hex): Outcome {
  try {
    return { ok: merklePhaseLink(DEPTH).verifyLink(pre, post, s, e, n, proof) };
  } catch (err) {
    if (!(err instanceof LinkError)) throw err;
    const d = err.detail as { reason: string; offset: number; length: number };
    return { error: d.reason, args: [String(d.offset), String(d.length)] };
  }
}

const word = (h: Hex, i: number, v: bigint): Hex =>
  (h.slice(0, 2 + 64 * i) + v.toString(16).padStart(64, "0") + h.slice(2 + 64 * (i + 1))) as Hex;

describe("MerklePhaseLink: TS twin = contract, typed MalformedProof", () => {
  it("a canonical proof is accepted by both; every malformed encoding is the same typed MalformedProof on both", async () => {
    const { keccak256, concat } = await import("ethers");
    const sibA = ["0x" + "11".repeat(32), "0x" + "22".repeat(32)];
    const sibB = ["0x" + "33".repeat(32), "0x" + "44".repeat(32)];
    const s = alphabetState(5n),
      e = alphabetState(9n);
    const open = (r: Root, c: bigint, sib: string[]) =>
      sib.reduce<string>((h, x) => keccak256(concat([h, x])), linkRoot(r, c)) as Root;
    const pre = open(s, 5n, sibA),
      post = open(e, 9n, sibB);
    const proof = abi.encode(["uint256", "bytes32[]", "uint256", "bytes32[]"], [5n, sibA, 9n, sibB]) as Hex;
    expect(await onChain(pre, post, s, e, 4n, proof)).toEqual({ ok: true });
    expect(inTs(pre, post, s, e, 4n, proof)).toEqual({ ok: true });
    expect(inTs(pre, post, s, e, 3n, proof)).toEqual(await onChain(pre, post, s, e, 3n, proof)); // wrong length: false on both
    const bad: Hex[] = [
      "0x",
      proof.slice(0, -64) as Hex, // one word short
      (proof + "00".repeat(32)) as Hex, // one trailing word
      (proof + "00") as Hex, // not a whole word
      word(proof, 1, 96n), // siblingsA offset
      word(proof, 3, 0n), // siblingsB offset
      word(proof, 4, 1000n), // siblingsA length
      word(proof, 7, 1n), // siblingsB length
      abi.encode(["uint256", "bytes32[]", "uint256", "bytes32[]"], [5n, [sibA[0]], 9n, sibB]) as Hex, // too few siblings
    ];
    for (const p of bad) {
      const c = await onChain(pre, post, s, e, 4n, p);
      expect("error" in c, p.slice(0, 20)).toBe(true);
      expect(inTs(pre, post, s, e, 4n, p)).toEqual(c);
    }
  }, 120_000);
});
