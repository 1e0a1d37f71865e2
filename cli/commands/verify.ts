/**
 * `zkfp verify`: checks a `zkfp-proof/1` file (written by `zkfp prove --out`).
 *
 * Checks, in order: the file parses and every field has the expected type and shape (else a
 * ProofFileError naming the field); the public signals equal the file's pre/post roots; the proof
 * verifies against the key the USER pinned; the arbitrator calldata is the encoding of that proof
 * and, off chain, what the arbitrator's verifier of that key accepts (every word in its field, FFLONK's
 * batch inverse; zk/prover/calldata-check.ts).
 * Keys: `--vkey FILE` (a vkey.json from a setup you trust, e.g. `zkfp setup export`), or
 * `--arbitrator ADDRESS --rpc-url URL`: an eth_call of `arbitrate(pre, post, m, keyIndex ++ calldata)`
 * on the deployed arbitrator for each key of span m's set (`verifiers(m)`,
 * contracts/src/zk/SpanVerifiers.sol), so the verifier contracts' own keys decide; the key that
 * accepts it (else key 0) is reported with its `setupTranscriptHash(m, i)` / `setupInsecure(m, i)` /
 * `circuitId(m, i)`. The code at ADDRESS must be this checkout's Groth16 / Plonk / FflonkArbitrator
 * (eth_getCode; a contract of anyone's can answer `arbitrate` with true), else a UsageError; the RPC
 * endpoint itself is trusted (it could lie about code and calls alike). The file's own `vkey` and `setup`
 * fields are whatever its author wrote: a proof checked only against them is UNTRUSTED (exit 1)
 * unless `--trust-embedded`. Exit code 0 = valid against a trusted key, 1 = invalid or untrusted,
 * 64 = usage, other = error.
 */
import { readFileSync } from "node:fs";
import { Interface, decodeBytes32String, isAddress } from "ethers";
import { deployedCode } from "../../contracts/build.ts";
import { keyedProof } from "../../zk/prover/chain.ts";
import type { Command } from "../command.ts";
import { UsageError } from "../args.ts";
import { ZkfpError } from "../../vm/errors.ts";
import { BACKENDS, encodeCalldata, verifySnarkProof, Risc0Prover, type ProofBundle } from "../../zk/prover/index.ts";
import { snarkCalldataAccepted, solidityCallData, type SnarkBackend } from "../../zk/prover/snark.ts";
import { terminateCurve } from "../../zk/snarkjs.ts";

export class ProofFileError extends ZkfpError {
  override readonly name = "ProofFileError";
}

const HEX32 = /^0x[0-9a-fA-F]{64}$/;
const DEC = /^[0-9]{1,78}$/;

/** Parses and shape-checks a proof file; throws ProofFileError naming the first bad field. */
export function parseProofFile(text: string, file = "<proof>"): ProofBundle {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch (e) {
    throw new ProofFileError("proof file is not JSON", { file, field: "(file)", reason: (e as Error).message });
  }
  const bad = (field: string, value: unknown, expected: string): never => {
    throw new ProofFileError(`proof file field ${field} is invalid`, {
      file,
      field,
      expected,
      value: typeof value === "string" ? value.slice(0, 80) : (value ?? null),
    });
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
    if (!Number.isInteger(iv!.fromStep) || (iv!.fromStep as number) < 0)
      bad("interval.fromStep", iv!.fromStep, "non-negative integer");
    if (iv!.steps !== c!.m) bad("interval.steps", iv!.steps, `circuit.m (${String(c!.m)})`);
  }
  if (typeof o.preRoot !== "string" || !HEX32.test(o.preRoot)) bad("preRoot", o.preRoot, "0x + 64 hex digits");
  if (typeof o.postRoot !== "string" || !HEX32.test(o.postRoot)) bad("postRoot", o.postRoot, "0x + 64 hex digits");
  if (!Array.isArray(o.publicSignals) || o.publicSignals.length !== 2)
    bad("publicSignals", o.publicSignals, "array of 2 decimal strings");
  (o.publicSignals as unknown[]).forEach((v, i) => {
    if (typeof v !== "string" || !DEC.test(v)) bad(`publicSignals[${i}]`, v, "decimal string");
  });
  if (typeof o.proof !== "object" || o.proof === null) bad("proof", o.proof, "proof object");
  if (typeof o.calldata !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(o.calldata))
    bad("calldata", o.calldata, "0x hex bytes");
  if (o.backend === "groth16") {
    const p = o.proof as Record<string, unknown>;
    for (const k of ["pi_a", "pi_c"])
      if (!Array.isArray(p[k]) || !(p[k] as unknown[]).every((x) => typeof x === "string" && DEC.test(x)))
        bad(`proof.${k}`, p[k], "array of decimal strings");
    if (
      !Array.isArray(p.pi_b) ||
      !(p.pi_b as unknown[]).every((r) => Array.isArray(r) && r.every((x) => typeof x === "string" && DEC.test(x)))
    )
      bad("proof.pi_b", p.pi_b, "array of arrays of decimal strings");
    if ((o.calldata as string).length !== 2 + 2 * 256) bad("calldata", o.calldata, "256 bytes (Groth16)");
  }
  if ((o.backend === "plonk" || o.backend === "fflonk") && (o.calldata as string).length !== 2 + 2 * 768)
    bad("calldata", o.calldata, `768 bytes (${o.backend === "plonk" ? "PLONK" : "FFLONK"})`);
  const s = o.setup as Record<string, unknown> | undefined;
  if (typeof s !== "object" || s === null || typeof s.insecure !== "boolean" || typeof s.ptau !== "string")
    bad("setup", s, "{ptau, ptauSha256, insecure}");
  if (o.backend !== "risc0" && (typeof o.vkey !== "object" || o.vkey === null))
    bad("vkey", o.vkey, "verifying key object");
  return o as unknown as ProofBundle;
}

export class RpcError extends ZkfpError {
  override readonly name = "RpcError";
}

const ARB = new Interface([
  "function arbitrate(bytes32,bytes32,uint256,bytes) view returns (bool)",
  "function verifiers(uint256) view returns (address[])",
  "function setupTranscriptHash(uint256,uint256) view returns (bytes32)",
  "function setupInsecure(uint256,uint256) view returns (bool)",
  "function circuitId(uint256,uint256) view returns (bytes32)",
]);

/** One JSON-RPC request (no provider retries writing to stdout). Returns the result or the error. */
export async function rpc(
  url: string,
  method: string,
  params: unknown[],
): Promise<{ ok: true; result: string } | { ok: false; error: string }> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (e) {
    throw new RpcError("cannot reach the RPC endpoint", {
      url,
      reason: String((e as Error).cause ?? (e as Error).message),
    });
  }
  let j: { result?: string; error?: { message?: string } };
  try {
    j = (await res.json()) as typeof j;
  } catch {
    throw new RpcError("the RPC endpoint did not answer JSON-RPC", { url, status: res.status });
  }
  if (j.error) return { ok: false, error: String(j.error.message ?? "reverted") };
  if (typeof j.result !== "string") throw new RpcError("malformed JSON-RPC answer", { url });
  return { ok: true, result: j.result };
}

/** One eth_call at the latest block. */
const ethCall = (url: string, to: string, data: string) => rpc(url, "eth_call", [{ to, data }, "latest"]);

/**
 * The code at `arbitrator` must be the runtime code of this checkout's arbitrator of the proof's
 * backend (contracts/src/zk: no immutables, so every deployment has the same code): any other
 * contract can answer `arbitrate` / `setupInsecure` as it likes. A deployment built from other
 * sources or compiler settings is refused too (UsageError naming --arbitrator).
 */
export async function checkArbitratorCode(url: string, arbitrator: string, backend: string): Promise<void> {
  const name =
    backend === "groth16"
      ? "Groth16Arbitrator"
      : backend === "plonk"
        ? "PlonkArbitrator"
        : backend === "fflonk"
          ? "FflonkArbitrator"
          : null;
  if (!name)
    throw new UsageError("--arbitrator takes Groth16, PLONK or FFLONK proofs", { option: "arbitrator", backend });
  const got = await rpc(url, "eth_getCode", [arbitrator, "latest"]);
  const code = got.ok ? got.result.toLowerCase() : "0x";
  if (code !== deployedCode(`${name}.sol`, name))
    throw new UsageError(`--arbitrator: the code at this address is not zkfp's ${name} (of these contract sources)`, {
      option: "arbitrator",
      arbitrator,
      url,
      codeBytes: Math.max(0, (code.length - 2) / 2),
    });
}

/** The deployed arbitrator's verdict on the proof (its verifier's key decides) and its setup constants. */
async function onChain(url: string, arbitrator: string, b: ProofBundle) {
  await checkArbitratorCode(url, arbitrator, b.backend);
  const span = b.circuit.m;
  const call = async (fn: string, args: unknown[]) => {
    const r = await ethCall(url, arbitrator, ARB.encodeFunctionData(fn, args));
    if (!r.ok || r.result === "0x") return null;
    try {
      return ARB.decodeFunctionResult(fn, r.result)[0] as unknown;
    } catch {
      return null;
    }
  };
  const set = (await call("verifiers", [span])) as string[] | null;
  if (set === null)
    throw new UsageError("--arbitrator: no zk arbitrator at this address (verifiers failed)", {
      option: "arbitrator",
      arbitrator,
      url,
    });
  if (set.length === 0)
    throw new UsageError("--arbitrator has no verifier for this proof's span", {
      option: "arbitrator",
      arbitrator,
      span,
    });
  // the key that accepts the proof, else key 0 (whose verdict is then "rejected")
  let index = 0;
  let accepted = false;
  for (let i = 0; i < set.length && !accepted; i++) {
    accepted = (await call("arbitrate", [b.preRoot, b.postRoot, span, keyedProof(i, b.calldata)])) === true;
    if (accepted) index = i;
  }
  const transcriptHash = (await call("setupTranscriptHash", [span, index])) as string | null;
  const insecure = (await call("setupInsecure", [span, index])) as boolean | null;
  const id = (await call("circuitId", [span, index])) as string | null;
  return {
    accepted,
    verifier: set[index]!,
    keyIndex: index,
    keys: set.length,
    circuitId: id === null ? null : decodeBytes32String(id),
    transcriptHash,
    insecure,
  };
}

export const verify: Command = {
  name: "verify",
  summary: "verify a zkfp proof file against a key YOU pin: --vkey FILE, or --arbitrator ADDRESS --rpc-url URL",
  usage: "zkfp verify --proof FILE (--vkey FILE | --arbitrator ADDRESS --rpc-url URL | --trust-embedded) [--json]",
  options: {
    proof: { type: "string", desc: "proof file written by zkfp prove --out" },
    vkey: { type: "string", desc: "trusted verifying key (vkey.json of a setup you trust)", check: "in-file" },
    arbitrator: {
      type: "string",
      desc: "a deployed Groth16/Plonk/Fflonk arbitrator: the proof is checked by its on-chain verifier (eth_call)",
    },
    "rpc-url": { type: "string", desc: "JSON-RPC endpoint for --arbitrator" },
    "trust-embedded": { type: "boolean", desc: "accept the proof file's own vkey (whoever wrote the file chose it)" },
  },
  async run({ opts }) {
    const file = opts.proof as string | undefined;
    if (!file) throw new UsageError("missing --proof", { option: "proof" });
    if (opts.vkey && opts.arbitrator)
      throw new UsageError("give --vkey or --arbitrator, not both", { option: "arbitrator" });
    if (opts.arbitrator && !opts["rpc-url"])
      throw new UsageError("--arbitrator needs --rpc-url", { option: "rpc-url" });
    if (opts["rpc-url"] && !opts.arbitrator)
      throw new UsageError("--rpc-url is only used with --arbitrator", { option: "rpc-url" });
    if (opts.arbitrator && !isAddress(opts.arbitrator as string))
      throw new UsageError("--arbitrator must be a 0x address", { option: "arbitrator", value: opts.arbitrator });
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      throw new UsageError("cannot read proof file", { path: file, reason: (e as Error).message });
    }
    const bundle = parseProofFile(text, file);
    let vkey: unknown;
    if (opts.vkey) {
      try {
        vkey = JSON.parse(readFileSync(opts.vkey as string, "utf8"));
      } catch (e) {
        throw new UsageError("cannot read --vkey", { path: opts.vkey, reason: (e as Error).message });
      }
      const proto = (vkey as { protocol?: unknown } | null)?.protocol;
      if (proto !== bundle.backend)
        throw new UsageError("--vkey is not a key of the proof's backend", {
          option: "vkey",
          protocol: proto ?? null,
          backend: bundle.backend,
        });
    }
    try {
      if (bundle.backend === "risc0") await new Risc0Prover().verify();
      let calldataValid = false;
      try {
        const b = bundle.backend as SnarkBackend;
        const sol = await solidityCallData(b, bundle.proof, bundle.publicSignals);
        calldataValid = encodeCalldata(b, bundle.proof, sol).toLowerCase() === bundle.calldata.toLowerCase();
        // off chain, the calldata must also be what the arbitrator's verifier of the key accepts: snarkjs'
        // JS check of the JSON reduces every value and never reads FFLONK's inv (attack7)
        if (calldataValid && !opts.arbitrator)
          calldataValid = await snarkCalldataAccepted(b, vkey ?? bundle.vkey, bundle.publicSignals, bundle.calldata);
      } catch {
        calldataValid = false;
      }
      let proofValid = false;
      let chain: Awaited<ReturnType<typeof onChain>> | null = null;
      let keySource: string;
      if (opts.arbitrator) {
        chain = await onChain(opts["rpc-url"] as string, opts.arbitrator as string, bundle);
        // the arbitrator checks the calldata; the roots it was given are the file's, bound to the
        // public signals below
        const [pre, post] = bundle.publicSignals;
        proofValid =
          chain.accepted && BigInt(pre!) === BigInt(bundle.preRoot) && BigInt(post!) === BigInt(bundle.postRoot);
        keySource = `on chain: arbitrator ${opts.arbitrator as string}, verifier ${chain.verifier} (span ${bundle.circuit.m})`;
      } else {
        try {
          // no pinned key: the embedded one, reported UNTRUSTED below unless --trust-embedded
          proofValid = await verifySnarkProof(bundle, vkey ?? bundle.vkey);
        } catch {
          proofValid = false;
        }
        keySource = opts.vkey
          ? `pinned file ${opts.vkey as string}`
          : "embedded in the proof file (UNTRUSTED: its author chose it)";
      }
      const trusted = Boolean(opts.vkey || opts.arbitrator || opts["trust-embedded"]);
      const valid = proofValid && calldataValid;
      const verdict = !valid ? "INVALID" : trusted ? "VALID" : "UNTRUSTED";
      const insecureSetup = chain ? chain.insecure : null;
      const json = {
        valid,
        trusted,
        verdict,
        proofValid,
        calldataValid,
        backend: bundle.backend,
        circuit: bundle.circuit,
        interval: bundle.interval,
        preRoot: bundle.preRoot,
        postRoot: bundle.postRoot,
        vkeySource: opts.arbitrator ? "arbitrator" : opts.vkey ? "file" : "embedded (untrusted)",
        arbitrator: chain
          ? {
              address: opts.arbitrator,
              verifier: chain.verifier,
              keyIndex: chain.keyIndex,
              keys: chain.keys,
              circuitId: chain.circuitId,
              setupTranscriptHash: chain.transcriptHash,
              setupInsecure: chain.insecure,
            }
          : null,
        insecureSetup,
        claimedSetup: bundle.setup,
      };
      const text2 = [
        `${verdict} ${bundle.backend} proof (${bundle.circuit.id}, m=${bundle.circuit.m})${verdict === "UNTRUSTED" ? ": checked only against the key inside the file; pin one with --vkey or --arbitrator (or --trust-embedded)" : ""}`,
        `pre-root    ${bundle.preRoot}`,
        `post-root   ${bundle.postRoot}`,
        `checks      proof ${proofValid ? "ok" : "FAILED"}, calldata ${calldataValid ? "ok" : "FAILED"}`,
        `key         ${keySource}`,
        ...(chain
          ? [
              `arbitrator  key ${chain.keyIndex} of ${chain.keys} for span ${bundle.circuit.m} (${chain.circuitId ?? "no circuit id"})`,
              `setup       transcript hash ${chain.transcriptHash ?? "(not exposed)"}${chain.insecure ? "; INSECURE setup (on-chain SETUP_INSECURE)" : chain.insecure === false ? "; verifier says secure setup" : ""}`,
            ]
          : []),
        ...(!chain
          ? [
              `setup       the file claims ${bundle.setup.insecure ? "an INSECURE" : "a secure"} setup (unchecked: the file's author wrote it)`,
            ]
          : []),
      ].join("\n");
      return { exitCode: valid && trusted ? 0 : 1, json, text: text2 };
    } finally {
      await terminateCurve();
    }
  },
};
