/**
 * Red team (attack7): `zkfp verify` must not call VALID a proof file whose arbitrator calldata the
 * on-chain verifier of the same key rejects. snarkjs' JS verifiers read the proof JSON, not the
 * calldata: they reduce every value mod its field (an evaluation + R, a coordinate + P verify as the
 * canonical value) and FFLONK's JS verifier never reads the batch inverse `inv` that the Solidity
 * verifier checks. The calldata is the re-encoding of that JSON word for word, so before attack7 a file
 * carrying such words passed both checks and `zkfp verify --vkey` answered VALID (exit 0) while the
 * arbitrator returns false for the same calldata (contracts/test/attack/FflonkCalldataWords.t.sol; the
 * groth16/plonk/fflonk "+ P", "+ R" and "inv" cases below all failed). A G1 point in Jacobian form was
 * already refused (kept as a regression). Files are built from the committed fixtures' honest calldata
 * (contracts/test/fixtures/zk_counter_m2*.json) and the committed keys; each check is one or two
 * snarkjs verifications (seconds in all).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli as cli } from "../testing.ts";
import { REPO_ROOT } from "../../zk/prover/circuits.ts";
import { calldataWordIssue, calldataWords } from "../../zk/prover/calldata-check.ts";

const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const P = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

type Backend = "groth16" | "plonk" | "fflonk";
const FIXTURE: Record<Backend, string> = {
  groth16: "zk_counter_m2.json",
  plonk: "zk_counter_m2.json",
  fflonk: "zk_counter_m2_fflonk.json",
};
const VERIFIER: Record<Backend, string> = {
  groth16: "Groth16Verifier_counter_m2",
  plonk: "PlonkVerifier_counter_m2",
  fflonk: "FflonkVerifier_counter_m2",
};
const FFLONK_EVALS = ["ql", "qr", "qm", "qo", "qc", "s1", "s2", "s3", "a", "b", "c", "z", "zw", "t1w", "t2w", "inv"];
const PLONK_POINTS = ["A", "B", "C", "Z", "T1", "T2", "T3", "Wxi", "Wxiw"];
const PLONK_EVALS = ["eval_a", "eval_b", "eval_c", "eval_s1", "eval_s2", "eval_zw"];

const dir = mkdtempSync(join(tmpdir(), "zkfp-attack7-verify-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const readJson = (p: string) => JSON.parse(readFileSync(join(REPO_ROOT, p), "utf8"));

/** The honest proof of [0, 2] as calldata words, the two roots and the committed key. */
function honest(backend: Backend): { words: bigint[]; pre: string; post: string; vkey: unknown } {
  const fx = readJson(`contracts/test/fixtures/${FIXTURE[backend]}`);
  const cd: string = fx[backend].proofs[0];
  const words = (cd.slice(2).match(/.{64}/g) ?? []).map((h) => BigInt(`0x${h}`));
  const vkey = readJson(`contracts/src/zk/generated/${VERIFIER[backend]}.setup.json`).vkey;
  return { words, pre: fx.roots[0], post: fx.roots[2], vkey };
}

const s = (x: bigint) => x.toString();

/** The snarkjs proof object whose Solidity calldata is `words` (G1 points affine unless `z` scales one). */
function proofJson(backend: Backend, w: bigint[], jacobian?: { word: number; z: bigint; mod: bigint }): unknown {
  const pt = (i: number): string[] => {
    if (jacobian && jacobian.word === i) {
      const { z, mod } = jacobian;
      return [s((w[i]! * z * z) % mod), s((w[i + 1]! * z * z * z) % mod), s(z)];
    }
    return [s(w[i]!), s(w[i + 1]!), "1"];
  };
  if (backend === "groth16")
    return {
      pi_a: pt(0),
      pi_b: [
        [s(w[3]!), s(w[2]!)],
        [s(w[5]!), s(w[4]!)],
        ["1", "0"],
      ],
      pi_c: pt(6),
      protocol: "groth16",
      curve: "bn128",
    };
  if (backend === "plonk") {
    const o: Record<string, unknown> = { protocol: "plonk", curve: "bn128" };
    PLONK_POINTS.forEach((k, i) => (o[k] = pt(2 * i)));
    PLONK_EVALS.forEach((k, i) => (o[k] = s(w[18 + i]!)));
    return o;
  }
  const evaluations: Record<string, string> = {};
  FFLONK_EVALS.forEach((k, i) => (evaluations[k] = s(w[8 + i]!)));
  return {
    polynomials: { C1: pt(0), C2: pt(2), W1: pt(4), W2: pt(6) },
    evaluations,
    protocol: "fflonk",
    curve: "bn128",
  };
}

let n = 0;
/** `zkfp verify --vkey <committed key>` of a file carrying `words` (and the matching proof JSON). */
async function verify(backend: Backend, words: bigint[], jacobian?: { word: number; z: bigint; mod: bigint }) {
  const h = honest(backend);
  const bundle = {
    format: "zkfp-proof/1",
    backend,
    circuit: { id: "counter", m: 2, key: "committed" },
    interval: null,
    preRoot: h.pre,
    postRoot: h.post,
    publicSignals: [s(BigInt(h.pre)), s(BigInt(h.post))],
    proof: proofJson(backend, words, jacobian),
    calldata: `0x${words.map((x) => x.toString(16).padStart(64, "0")).join("")}`,
    vkey: h.vkey,
    setup: { ptau: "dev", ptauSha256: "", insecure: true },
  };
  const f = join(dir, `p${++n}.json`);
  const vk = join(dir, `vk${n}.json`);
  writeFileSync(f, JSON.stringify(bundle));
  writeFileSync(vk, JSON.stringify(h.vkey));
  return cli(["verify", "--proof", f, "--vkey", vk]);
}

const with_ = (w: bigint[], i: number, v: bigint) => w.map((x, j) => (j === i ? v : x));

describe("attack7: zkfp verify --vkey refuses calldata the on-chain verifier rejects", () => {
  for (const backend of ["groth16", "plonk", "fflonk"] as const) {
    it(`${backend}: the honest file is VALID`, async () => {
      const r = await verify(backend, honest(backend).words);
      expect(r.out).toMatchObject({ verdict: "VALID", proofValid: true, calldataValid: true });
      expect(r.code).toBe(0);
    }, 60_000);

    it(`${backend}: a coordinate + P (the base field) is INVALID`, async () => {
      const w = honest(backend).words;
      const r = await verify(backend, with_(w, 0, w[0]! + P));
      expect(r.out.verdict).toBe("INVALID");
      expect(r.code).toBe(1);
    }, 60_000);

    it(`${backend}: a G1 point in Jacobian form (z = 2) whose raw words are the calldata is INVALID`, async () => {
      // the JSON point (x z^2, y z^3, 2) is the honest point; its first two words, written to the
      // calldata as they are, are another (off-curve) point to the Solidity verifier
      const w = honest(backend).words;
      const z = 2n;
      const jw = with_(with_(w, 0, (w[0]! * z * z) % P), 1, (w[1]! * z * z * z) % P);
      const r = await verify(backend, jw, { word: 0, z, mod: P });
      expect(r.out.verdict).toBe("INVALID");
    }, 60_000);
  }

  it("plonk: an evaluation + R is INVALID", async () => {
    const w = honest("plonk").words;
    for (const i of [18, 23]) {
      const r = await verify("plonk", with_(w, i, w[i]! + R));
      expect(r.out.verdict, `word ${i}`).toBe("INVALID");
    }
  }, 60_000);

  it("fflonk: an evaluation + R is INVALID", async () => {
    const w = honest("fflonk").words;
    for (const i of [8, 22]) {
      const r = await verify("fflonk", with_(w, i, w[i]! + R));
      expect(r.out.verdict, `word ${i}`).toBe("INVALID");
    }
  }, 60_000);

  it("fflonk: a wrong batch inverse (inv + 1, inv + R, 0) is INVALID", async () => {
    const w = honest("fflonk").words;
    for (const v of [(w[23]! + 1n) % R, w[23]! + R, 0n]) {
      const r = await verify("fflonk", with_(w, 23, v));
      expect(r.out.verdict, `inv = ${v}`).toBe("INVALID");
      expect(r.code).toBe(1);
    }
  }, 60_000);
});

describe("attack7: calldataWordIssue mirrors the FFLONK verifier's batch-inverse check", () => {
  it("both committed FFLONK fixture proofs pass it; their inv + 1 does not", () => {
    const fx = readJson("contracts/test/fixtures/zk_counter_m2_fflonk.json");
    const vkey = readJson("contracts/src/zk/generated/FflonkVerifier_counter_m2.setup.json").vkey;
    const spans: [number, number][] = [
      [0, 2],
      [2, 4],
    ];
    spans.forEach(([a, b], i) => {
      const words = calldataWords("fflonk", fx.fflonk.proofs[i])!;
      const pub = [s(BigInt(fx.roots[a])), s(BigInt(fx.roots[b]))];
      expect(calldataWordIssue("fflonk", vkey, pub, words)).toBeNull();
      expect(calldataWordIssue("fflonk", vkey, pub, with_(words, 23, (words[23]! + 1n) % R))).toMatch(/inv/);
      // the inverse depends on the public signals (they enter the transcript): another statement's fails
      expect(calldataWordIssue("fflonk", vkey, [pub[1]!, pub[0]!], words)).toMatch(/inv/);
    });
  });
});
