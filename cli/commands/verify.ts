/**
 * `zkfp verify`: checks a `zkfp-proof/1` file (written by `zkfp prove --out`).
 *
 * Checks, in order: the file parses and every field has the expected type and shape (else a
 * ProofFileError naming the field); the public signals equal the file's pre/post roots; the proof
 * verifies against the verifying key; the arbitrator calldata is the encoding of that proof. The
 * file's own `vkey` is untrusted (whoever wrote the proof chose it): pass `--vkey FILE` (a
 * vkey.json from a setup you trust, e.g. .cache/zk/<key>/vkey.json) to pin it; the output says which
 * key was used. Exit code 0 = valid, 1 = invalid, other = error.
 */
import { readFileSync } from "node:fs";
import type { Command } from "../command.ts";
import { UsageError } from "../args.ts";
import { ZkfpError } from "../../vm/errors.ts";
import { BACKENDS, encodeCalldata, verifySnarkBundle, Risc0Prover, type ProofBundle } from "../../zk/prover/index.ts";
import { snarkjs, terminateCurve } from "../../zk/snarkjs.ts";

export class ProofFileError extends ZkfpError {
  override readonly name = "ProofFileError";
}

const HEX32 = /^0x[0-9a-fA-F]{64}$/;
const DEC = /^[0-9]{1,78}$/;

/** Parses and shape-checks a proof file; throws ProofFileError naming the first bad field. */
export function parseProofFile(text: string, file = "<proof>"): ProofBundle {
  let j: unknown;
  try { j = JSON.parse(text); } catch (e) { throw new ProofFileError("proof file is not JSON", { file, field: "(file)", reason: (e as Error).message }); }
  const bad = (field: string, value: unknown, expected: string): never => {
    throw new ProofFileError(`proof file field ${field} is invalid`, { file, field, expected, value: typeof value === "string" ? value.slice(0, 80) : value ?? null });
  };
  if (typeof j !== "object" || j === null || Array.isArray(j)) bad("(root)", j, "a JSON object");
  const o = j as Record<string, unknown>;
  if (o.format !== "zkfp-proof/1") bad("format", o.format, '"zkfp-proof/1"');
  if (!BACKENDS.includes(o.backend as never)) bad("backend", o.backend, BACKENDS.join("|"));
  const c = o.circuit as Record<string, unknown> | undefined;
  if (typeof c !== "object" || c === null) bad("circuit", c, "{id, m, key}");
  if (typeof c!.id !== "string") bad("circuit.id", c!.id, "string");
  if (!Number.isInteger(c!.m) || (c!.m as number) < 1) bad("circuit.m", c!.m, "positive integer");
  if (typeof c!.key !== "string") bad("circuit.key", c!.key, "string");
  if (o.interval !== null) {
    const iv = o.interval as Record<string, unknown> | undefined;
    if (typeof iv !== "object" || iv === null) bad("interval", iv, "{fromStep, steps} or null");
    if (!Number.isInteger(iv!.fromStep) || (iv!.fromStep as number) < 0) bad("interval.fromStep", iv!.fromStep, "non-negative integer");
    if (iv!.steps !== c!.m) bad("interval.steps", iv!.steps, `circuit.m (${String(c!.m)})`);
  }
  if (typeof o.preRoot !== "string" || !HEX32.test(o.preRoot)) bad("preRoot", o.preRoot, "0x + 64 hex digits");
  if (typeof o.postRoot !== "string" || !HEX32.test(o.postRoot)) bad("postRoot", o.postRoot, "0x + 64 hex digits");
  if (!Array.isArray(o.publicSignals) || o.publicSignals.length !== 2) bad("publicSignals", o.publicSignals, "array of 2 decimal strings");
  (o.publicSignals as unknown[]).forEach((v, i) => { if (typeof v !== "string" || !DEC.test(v)) bad(`publicSignals[${i}]`, v, "decimal string"); });
  if (typeof o.proof !== "object" || o.proof === null) bad("proof", o.proof, "proof object");
  if (typeof o.calldata !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(o.calldata)) bad("calldata", o.calldata, "0x hex bytes");
  if (o.backend === "groth16") {
    const p = o.proof as Record<string, unknown>;
    for (const k of ["pi_a", "pi_c"]) if (!Array.isArray(p[k]) || !(p[k] as unknown[]).every((x) => typeof x === "string" && DEC.test(x))) bad(`proof.${k}`, p[k], "array of decimal strings");
    if (!Array.isArray(p.pi_b) || !(p.pi_b as unknown[]).every((r) => Array.isArray(r) && r.every((x) => typeof x === "string" && DEC.test(x)))) bad("proof.pi_b", p.pi_b, "array of arrays of decimal strings");
    if ((o.calldata as string).length !== 2 + 2 * 256) bad("calldata", o.calldata, "256 bytes (Groth16)");
  }
  if (o.backend === "plonk" && (o.calldata as string).length !== 2 + 2 * 768) bad("calldata", o.calldata, "768 bytes (PLONK)");
  const s = o.setup as Record<string, unknown> | undefined;
  if (typeof s !== "object" || s === null || typeof s.insecure !== "boolean" || typeof s.ptau !== "string") bad("setup", s, "{ptau, ptauSha256, insecure}");
  if (o.backend !== "risc0" && (typeof o.vkey !== "object" || o.vkey === null)) bad("vkey", o.vkey, "verifying key object");
  return o as unknown as ProofBundle;
}

export const verify: Command = {
  name: "verify",
  summary: "verify a zkfp proof file (public signals, proof, arbitrator calldata)",
  usage: "zkfp verify --proof FILE [--vkey FILE] [--json]",
  options: {
    proof: { type: "string", desc: "proof file written by zkfp prove --out" },
    vkey: { type: "string", desc: "trusted verifying key (vkey.json); default: the file's own (untrusted)" },
  },
  async run({ opts }) {
    const file = opts.proof as string | undefined;
    if (!file) throw new UsageError("missing --proof", { option: "proof" });
    let text: string;
    try { text = readFileSync(file, "utf8"); } catch (e) { throw new UsageError("cannot read proof file", { path: file, reason: (e as Error).message }); }
    const bundle = parseProofFile(text, file);
    let vkey: unknown;
    if (opts.vkey) {
      try { vkey = JSON.parse(readFileSync(opts.vkey as string, "utf8")); } catch (e) { throw new UsageError("cannot read --vkey", { path: opts.vkey, reason: (e as Error).message }); }
    }
    try {
      if (bundle.backend === "risc0") await new Risc0Prover().verify();
      const s = await snarkjs();
      let proofValid = false;
      try { proofValid = await verifySnarkBundle(bundle, vkey); } catch { proofValid = false; }
      let calldataValid = false;
      try {
        const b = bundle.backend as "groth16" | "plonk";
        const sol = await s[b].exportSolidityCallData(bundle.proof, bundle.publicSignals);
        calldataValid = encodeCalldata(b, bundle.proof, sol).toLowerCase() === bundle.calldata.toLowerCase();
      } catch { calldataValid = false; }
      const valid = proofValid && calldataValid;
      const json = {
        valid, proofValid, calldataValid, backend: bundle.backend, circuit: bundle.circuit, interval: bundle.interval,
        preRoot: bundle.preRoot, postRoot: bundle.postRoot, vkeySource: opts.vkey ? "file" : "embedded (untrusted)",
        insecureSetup: bundle.setup.insecure,
      };
      const text2 = [
        `${valid ? "VALID" : "INVALID"} ${bundle.backend} proof (${bundle.circuit.id}, m=${bundle.circuit.m})`,
        `pre-root    ${bundle.preRoot}`,
        `post-root   ${bundle.postRoot}`,
        `checks      proof ${proofValid ? "ok" : "FAILED"}, calldata ${calldataValid ? "ok" : "FAILED"}`,
        `vkey        ${json.vkeySource}`,
        ...(bundle.setup.insecure ? ["WARNING     made with an INSECURE dev setup"] : []),
      ].join("\n");
      return { exitCode: valid ? 0 : 1, json, text: text2 };
    } finally {
      await terminateCurve();
    }
  },
};
