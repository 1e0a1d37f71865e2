/**
 * `zkfp setup`: a multi-party Groth16 phase-2 ceremony for any circuit (zk/setup/ceremony.ts).
 *
 *   zkfp setup start      --r1cs FILE --ptau FILE --out 0000.zkey     (or --circuit ID --steps M)
 *   zkfp setup contribute --in 0000.zkey --out 0001.zkey [--name NAME] [--entropy-file FILE]
 *   zkfp setup beacon     --in 0003.zkey --out final.zkey --beacon HEX [--iterations 10]
 *   zkfp setup verify     --zkey final.zkey --r1cs FILE --ptau FILE [--transcript transcript.json]
 *                         [--contribution HASH[,HASH...]]
 *   zkfp setup export     --zkey final.zkey --r1cs FILE --ptau FILE --out DIR [--name CONTRACT]
 *                         [--circuit ID --steps M] [--contribution HASH[,HASH...]]
 *
 * Each contributor runs `contribute` on their own machine (secret OS entropy, printed contribution
 * hash to publish); a public beacon fixed in advance (e.g. a future block hash) goes last. `verify`
 * runs `snarkjs zkey verify` and prints the transcript hash; with `--contribution` (the hashes
 * contributors published) it also fails unless each is a secret contribution of the zkey: a valid
 * chain can skip an honest contribution (the next contributor builds on the key before it), and
 * zkey verify cannot tell. `export` refuses a zkey that does not verify (or lacks a
 * `--contribution`) and writes vkey.json, verifier.sol (with SETUP_TRANSCRIPT_HASH / SETUP_INSECURE),
 * transcript.json and meta.json with the security verdict of both phases (zk/setup/security.ts).
 * With `--circuit ID --steps M` (a zkfp circuit, zk/prover/circuits.ts) `export` first checks that
 * --r1cs is byte for byte that circuit's r1cs as compiled now (not the setup cache's copy), then
 * writes its CIRCUIT_ID / CIRCUIT_STEPS / CIRCUIT_COMPLETE constants into the verifier: without them
 * a zkfp arbitrator (SpanVerifiers) refuses the verifier, so an export for deployment names its
 * circuit. Exit codes: 0 ok, 1 verify failed / transcript mismatch / missing contribution, 64 usage.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { Interface, decodeBytes32String, isAddress } from "ethers";
import { verifierRuntime, withoutMetadata } from "../../contracts/build.ts";
import { checkArbitratorCode, rpc } from "./verify.ts";
import type { Command } from "../command.ts";
import { UsageError } from "../args.ts";
import { terminateCurve } from "../../zk/snarkjs.ts";
import { snarkjs } from "../../zk/snarkjs.ts";
import {
  phase2Beacon,
  phase2Contribute,
  phase2Start,
  phase2Verify,
  readPhase2,
  transcriptHash,
  vkeySha256,
  CeremonyError,
  type Transcript,
} from "../../zk/setup/ceremony.ts";
import { readPtauInfo } from "../../zk/setup/ptau.ts";
import { fileHashes, knownCeremony, securityLabel } from "../../zk/setup/security.ts";
import { groth16SetupVerdict } from "../../zk/setup/verdict.ts";
import {
  cacheRoot,
  compileCircuit,
  compileFresh,
  renderVerifier,
  withCircuitConstants,
} from "../../zk/prover/snark.ts";
import { CIRCUIT_IDS, circuitFor, type CircuitId } from "../../zk/prover/circuits.ts";

/** --circuit / --steps, checked: a known zkfp circuit id and an integer m >= 1. */
function circuitOption(opts: Record<string, unknown>): { id: CircuitId; m: number } {
  const id = opts.circuit as CircuitId;
  if (!(CIRCUIT_IDS as readonly string[]).includes(id))
    throw new UsageError("unknown --circuit", { option: "circuit", value: id, allowed: CIRCUIT_IDS });
  const m = opts.steps as number;
  if (!Number.isInteger(m) || m < 1)
    throw new UsageError("--steps must be an integer >= 1", { option: "steps", value: m });
  return { id, m };
}

const sha256File = (f: string): string => createHash("sha256").update(readFileSync(f)).digest("hex");

const SUBS = ["start", "contribute", "beacon", "verify", "export"] as const;

/** --contribution: comma-separated contribution hashes (128 hex, optional 0x), lower-cased. */
function contributionHashes(v: unknown): string[] {
  if (v === undefined) return [];
  const hs = String(v)
    .split(",")
    .map((h) => h.trim().replace(/^0x/i, "").toLowerCase());
  for (const h of hs)
    if (!/^[0-9a-f]{128}$/.test(h))
      throw new UsageError("--contribution must be contribution hashes (128 hex digits, comma-separated)", {
        option: "contribution",
        value: h,
      });
  return hs;
}

const ARB = new Interface([
  "function verifierAt(uint256,uint256) view returns (address)",
  "function setupTranscriptHash(uint256,uint256) view returns (bytes32)",
  "function setupInsecure(uint256,uint256) view returns (bool)",
  "function circuitId(uint256,uint256) view returns (bytes32)",
]);

/**
 * `setup verify --arbitrator A --rpc-url U --span M [--key I]`: the verifier a genuine
 * Groth16Arbitrator (its code checked, verify.ts `checkArbitratorCode`) registered at (M, I) must
 * be this zkey's. Its runtime code, without solc's metadata, must be the verifier rendered from the
 * zkey's vkey with the verifier's own on-chain constants (so any other key differs), and those
 * constants must be this setup's: SETUP_TRANSCRIPT_HASH = the transcript hash recomputed from the
 * files, SETUP_INSECURE = not the verdict of the files, CIRCUIT_ID at CIRCUIT_STEPS = M compiled
 * now = --r1cs. Returns the problems found (none = the deployment is this setup).
 */
async function checkDeployed(
  opts: Record<string, unknown>,
  mine: { vkey: unknown; r1cs: string; transcriptHash: string; secure: boolean },
  ctx: { progress(m: string): void },
) {
  const arbitrator = opts.arbitrator as string;
  if (!isAddress(arbitrator))
    throw new UsageError("--arbitrator must be a 0x address", { option: "arbitrator", value: arbitrator });
  const url = opts["rpc-url"];
  if (typeof url !== "string" || url === "")
    throw new UsageError("--arbitrator needs --rpc-url", { option: "rpc-url" });
  const span = opts.span as number | undefined,
    key = opts.key as number;
  if (!Number.isInteger(span) || span! < 1)
    throw new UsageError("--arbitrator needs --span (an integer >= 1)", { option: "span", value: span ?? null });
  if (!Number.isInteger(key) || key < 0)
    throw new UsageError("--key must be an integer >= 0", { option: "key", value: key });
  await checkArbitratorCode(url, arbitrator, "groth16");
  const call = async (fn: string): Promise<unknown> => {
    const r = await rpc(url, "eth_call", [{ to: arbitrator, data: ARB.encodeFunctionData(fn, [span, key]) }, "latest"]);
    if (!r.ok || r.result === "0x")
      throw new UsageError("--arbitrator has no verifier at --span / --key", { option: "span", span, key });
    return ARB.decodeFunctionResult(fn, r.result)[0];
  };
  const verifier = (await call("verifierAt")) as string;
  const transcriptHash = (await call("setupTranscriptHash")) as string;
  const insecure = (await call("setupInsecure")) as boolean;
  const idWord = (await call("circuitId")) as string;
  const problems: string[] = [];
  if (transcriptHash.toLowerCase() !== mine.transcriptHash.toLowerCase())
    problems.push("its SETUP_TRANSCRIPT_HASH is not the transcript hash of these files");
  if (insecure !== !mine.secure)
    problems.push(`its SETUP_INSECURE is ${insecure}, these files are ${mine.secure ? "SECURE" : "INSECURE"}`);
  let circuitId: string | null = null;
  try {
    circuitId = decodeBytes32String(idWord);
  } catch {
    problems.push("its CIRCUIT_ID is not text");
  }
  const name = "ZkfpDeployedVerifier";
  if (circuitId !== null) {
    if (!(CIRCUIT_IDS as readonly string[]).includes(circuitId))
      problems.push(`its CIRCUIT_ID ${JSON.stringify(circuitId)} is no zkfp circuit`);
    else {
      ctx.progress(`compiling ${circuitId} m=${span} to check the on-chain circuit label against --r1cs`);
      const fresh = await compileFresh(await circuitFor(circuitId as CircuitId, span!));
      if (createHash("sha256").update(fresh.r1cs).digest("hex") !== sha256File(mine.r1cs))
        problems.push(`its circuit label ${circuitId} m=${span} is not the circuit of --r1cs`);
    }
    let sol: string | null = null;
    try {
      sol = withCircuitConstants(
        await renderVerifier("groth16", mine.vkey, {
          name,
          circuitLabel: "deployment check",
          transcriptHash,
          security: { secure: !insecure, reasons: ["(label read from chain)"] },
        }),
        name,
        { id: circuitId, m: span! },
      );
    } catch {
      problems.push("its circuit constants cannot be those of a zkfp verifier");
    }
    if (sol !== null) {
      const code = await rpc(url, "eth_getCode", [verifier, "latest"]);
      if (!code.ok || withoutMetadata(code.result) !== verifierRuntime(sol, name))
        problems.push("its code is not the verifier of this zkey's key");
    }
  }
  return { arbitrator, verifier, span: span!, key, transcriptHash, insecure, circuitId, problems };
}

function need(opts: Record<string, unknown>, name: string): string {
  const v = opts[name];
  if (typeof v !== "string" || v === "") throw new UsageError(`missing --${name}`, { option: name });
  return v;
}

function mustExist(file: string, option: string): string {
  if (!existsSync(file)) throw new UsageError(`--${option}: file not found`, { option, path: file });
  return file;
}

/** Transcript of a finished zkey (recomputed from the files, never trusted from elsewhere). */
export async function transcriptOf(
  zkey: string,
  r1cs: string,
  ptau: string,
): Promise<{ transcript: Transcript; vkey: Record<string, unknown> }> {
  const s = await snarkjs();
  const rec = await readPhase2(zkey);
  if (rec.protocol !== "groth16")
    throw new CeremonyError("not a Groth16 zkey (only Groth16 has a phase 2)", { file: zkey, protocol: rec.protocol });
  const info = await s.r1cs.info(r1cs);
  const p = await fileHashes(ptau);
  const vkey = await s.zKey.exportVerificationKey(zkey);
  const transcript: Transcript = {
    format: "zkfp-setup-transcript/1",
    backend: "groth16",
    circuit: {
      r1csSha256: createHash("sha256").update(readFileSync(r1cs)).digest("hex"),
      constraints: info.nConstraints,
    },
    ptau: {
      sha256: p.sha256,
      blake2b: p.blake2b,
      power: (await readPtauInfo(ptau)).power,
      ceremony: knownCeremony(p.blake2b)?.name ?? null,
    },
    phase2: { csHash: rec.csHash, contributions: rec.contributions },
    vkeySha256: vkeySha256(vkey),
  };
  return { transcript, vkey };
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

export const setup: Command = {
  name: "setup",
  summary: "Groth16 phase-2 ceremony: start, contribute (secret entropy), beacon, verify, export the verifier",
  usage: "zkfp setup start|contribute|beacon|verify|export [options] [--json]  (zkfp setup --help)",
  positionals: [{ name: "step", desc: "start | contribute | beacon | verify | export", required: true }],
  options: {
    r1cs: {
      type: "string",
      desc: "start/verify/export: the circuit's r1cs",
      check: "in-file",
      when: { arg: 0, is: ["start", "verify", "export"] },
    },
    circuit: {
      type: "string",
      desc: "start: a zkfp circuit id instead of --r1cs (compiled into the cache; r1cs copied beside --out); export: the circuit --r1cs must be (checked), written into the verifier for the arbitrators",
      when: { arg: 0, is: ["start", "export"] },
    },
    steps: {
      type: "number",
      desc: "start/export with --circuit: the circuit size m",
      default: 1,
      when: { arg: 0, is: ["start", "export"] },
    },
    ptau: {
      type: "string",
      desc: "prepared ptau (start with --circuit: default the INSECURE dev ptau)",
      check: "in-file",
      when: { arg: 0, is: ["start", "verify", "export"] },
    },
    in: {
      type: "string",
      desc: "contribute/beacon: the zkey to build on",
      check: "in-file",
      when: { arg: 0, is: ["contribute", "beacon"] },
    },
    out: {
      type: "string",
      desc: "start/contribute/beacon: the zkey to write; export: output directory",
      when: { arg: 0, is: ["start", "contribute", "beacon", "export"] },
    },
    zkey: {
      type: "string",
      desc: "verify/export: the final zkey",
      check: "in-file",
      when: { arg: 0, is: ["verify", "export"] },
    },
    name: {
      type: "string",
      desc: "contribute/beacon: contributor name (public); export: contract name",
      when: { arg: 0, is: ["contribute", "beacon", "export"] },
    },
    "entropy-file": {
      type: "string",
      desc: "contribute: extra entropy mixed into the OS randomness",
      check: "in-file",
      when: { arg: 0, is: ["contribute"] },
    },
    beacon: {
      type: "string",
      desc: "beacon: the public beacon value, hex (e.g. a future block hash)",
      when: { arg: 0, is: ["beacon"] },
    },
    iterations: {
      type: "number",
      desc: "beacon: 2^N sha256 iterations (10..63)",
      default: 10,
      when: { arg: 0, is: ["beacon"] },
    },
    transcript: {
      type: "string",
      desc: "verify: a transcript.json to check against the zkey",
      check: "in-file",
      when: { arg: 0, is: ["verify"] },
    },
    arbitrator: {
      type: "string",
      desc: "verify: a deployed Groth16Arbitrator whose verifier (--span, --key) must be this zkey's, labelled with its transcript hash and verdict",
      when: { arg: 0, is: ["verify"] },
    },
    "rpc-url": { type: "string", desc: "verify: JSON-RPC endpoint for --arbitrator", when: { arg: 0, is: ["verify"] } },
    span: {
      type: "number",
      desc: "verify with --arbitrator: the span m of the verifier",
      when: { arg: 0, is: ["verify"] },
    },
    key: {
      type: "number",
      desc: "verify with --arbitrator: the key index in the span's set",
      default: 0,
      when: { arg: 0, is: ["verify"] },
    },
    contribution: {
      type: "string",
      desc: "verify/export: contribution hash(es) you published (comma-separated, 128 hex): fail unless each is a secret contribution of the zkey",
      when: { arg: 0, is: ["verify", "export"] },
    },
  },
  async run({ positionals, opts }, ctx) {
    const sub = positionals[0];
    if (!SUBS.includes(sub as never))
      throw new UsageError("missing or unknown subcommand", { value: sub ?? null, allowed: SUBS });
    try {
      if (sub === "start") {
        const out = need(opts, "out");
        let r1cs: string, ptau: string, ptauLabel: string;
        if (opts.circuit) {
          if (opts.r1cs) throw new UsageError("give --r1cs or --circuit, not both", { option: "circuit" });
          const { id, m } = circuitOption(opts);
          const cdir = await compileCircuit(await circuitFor(id, m), ctx.progress);
          r1cs = `${out}.r1cs`;
          copyFileSync(join(cdir, "circuit.r1cs"), r1cs);
          const { resolvePtau } = await import("../../zk/setup/ptau.ts");
          const s = await snarkjs();
          const info = await s.r1cs.info(r1cs);
          let power = 3;
          while (2 ** power < info.nConstraints + info.nPubInputs + info.nOutputs + 1) power++;
          const choice = await resolvePtau({
            power,
            ptau: opts.ptau as string | undefined,
            cacheDir: cacheRoot(),
            log: ctx.progress,
          });
          ptau = choice.file;
          ptauLabel = choice.label;
        } else {
          r1cs = mustExist(need(opts, "r1cs"), "r1cs");
          ptau = mustExist(need(opts, "ptau"), "ptau");
          ptauLabel = ptau;
        }
        ctx.progress(`zkey new ${r1cs} ${ptau} -> ${out}`);
        await phase2Start(r1cs, ptau, out);
        return {
          exitCode: 0,
          json: { step: "start", zkey: out, r1cs, ptau, contributions: 0, insecure: true },
          text: [
            `phase 2 started: ${out}`,
            `r1cs        ${r1cs}`,
            `ptau        ${ptauLabel}`,
            "INSECURE    no contribution yet (delta = 1): at least one contributor must run `zkfp setup contribute`",
          ].join("\n"),
        };
      }
      if (sub === "contribute") {
        const zin = mustExist(need(opts, "in"), "in"),
          out = need(opts, "out");
        const hash = await phase2Contribute(zin, out, {
          name: opts.name as string | undefined,
          entropyFile: opts["entropy-file"] as string | undefined,
        });
        const n = (await readPhase2(out)).contributions.length;
        return {
          exitCode: 0,
          json: { step: "contribute", zkey: out, contributionHash: hash, index: n },
          text: [
            `contribution #${n} written to ${out}`,
            `contribution hash (publish it; others check it in the transcript):`,
            hash,
          ].join("\n"),
        };
      }
      if (sub === "beacon") {
        const zin = mustExist(need(opts, "in"), "in"),
          out = need(opts, "out");
        const beacon = need(opts, "beacon");
        const hash = await phase2Beacon(zin, out, {
          beaconHex: beacon,
          iterationsExp: opts.iterations as number,
          name: opts.name as string | undefined,
        });
        return {
          exitCode: 0,
          json: { step: "beacon", zkey: out, contributionHash: hash, beacon, iterations: opts.iterations },
          text: `beacon applied: ${out}\ncontribution hash ${hash}`,
        };
      }
      const zkey = mustExist(need(opts, "zkey"), "zkey"),
        r1cs = mustExist(need(opts, "r1cs"), "r1cs"),
        ptau = mustExist(need(opts, "ptau"), "ptau");
      const expected = contributionHashes(opts.contribution);
      ctx.progress("snarkjs zkey verify (as long as a setup) ...");
      const verified = await phase2Verify(zkey, r1cs, ptau);
      const { transcript, vkey } = await transcriptOf(zkey, r1cs, ptau);
      const tHash = transcriptHash(transcript);
      const contributions = transcript.phase2!.contributions;
      const lines = [
        `${verified ? "VERIFIED" : "FAILED"}   snarkjs zkey verify (${zkey} against ${r1cs} + ${ptau})`,
        ...contributions.map(
          (c) =>
            `  #${c.index} ${c.type.padEnd(12)} ${c.hash}  ${JSON.stringify(c.name)}${c.beacon ? ` beacon ${c.beacon.hash} 2^${c.beacon.iterationsExp}` : ""}`,
        ),
        `transcript hash ${tHash}`,
      ];
      // a contributor's published hash must be a SECRET contribution of this key: the next contributor
      // could have built on the key before hers (a valid chain without her entropy; zkey verify passes)
      const secretHashes = new Set(contributions.filter((c) => c.type === "contribution").map((c) => c.hash));
      const missingContributions = expected.filter((h) => !secretHashes.has(h));
      for (const h of expected)
        lines.push(`${missingContributions.includes(h) ? "MISSING " : "included"}    contribution ${h}`);
      if (sub === "verify") {
        let transcriptMatches: boolean | null = null;
        if (opts.transcript) {
          let given: unknown;
          try {
            given = JSON.parse(readFileSync(opts.transcript as string, "utf8"));
          } catch (e) {
            throw new UsageError("cannot read --transcript", { path: opts.transcript, reason: (e as Error).message });
          }
          transcriptMatches = transcriptHash(given as Transcript) === tHash;
          lines.push(
            `transcript  ${opts.transcript as string} ${transcriptMatches ? "matches" : "DOES NOT MATCH"} the zkey`,
          );
        }
        let deployed: Awaited<ReturnType<typeof checkDeployed>> | null = null;
        if (opts.arbitrator !== undefined) {
          const security = await groth16SetupVerdict({
            zkey,
            r1cs,
            ptau,
            cacheDir: cacheRoot(),
            log: ctx.progress,
            zkeyVerified: verified,
          });
          deployed = await checkDeployed(opts, { vkey, r1cs, transcriptHash: tHash, secure: security.secure }, ctx);
          lines.push(
            `deployed    verifier ${deployed.verifier} (span ${deployed.span}, key ${deployed.key}) of ${deployed.arbitrator}: ${deployed.problems.length === 0 ? "this zkey's key, labels match" : `MISMATCH: ${deployed.problems.join("; ")}`}`,
          );
        }
        const ok =
          verified &&
          transcriptMatches !== false &&
          missingContributions.length === 0 &&
          (deployed === null || deployed.problems.length === 0);
        return {
          exitCode: ok ? 0 : 1,
          json: {
            step: "verify",
            verified,
            transcriptHash: tHash,
            transcriptMatches,
            contributions,
            missingContributions,
            deployed,
          },
          text: lines.join("\n"),
        };
      }
      // export
      const outDir = need(opts, "out");
      if (!verified || missingContributions.length > 0)
        return {
          exitCode: 1,
          json: { step: "export", verified, exported: false, transcriptHash: tHash, missingContributions },
          text: lines
            .concat(
              `not exported: ${verified ? "a --contribution is not a secret contribution of the zkey" : "the zkey does not verify"}`,
            )
            .join("\n"),
        };
      const security = await groth16SetupVerdict({
        zkey,
        r1cs,
        ptau,
        cacheDir: cacheRoot(),
        log: ctx.progress,
        zkeyVerified: verified,
      });
      const name = (opts.name as string | undefined) ?? "Groth16Verifier";
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
        throw new UsageError("--name must be a Solidity identifier", { option: "name", value: name });
      let sol = await renderVerifier("groth16", vkey, {
        name,
        circuitLabel: `r1cs sha256 ${transcript.circuit.r1csSha256.slice(0, 16)}`,
        transcriptHash: tHash,
        security,
      });
      if (opts.circuit) {
        // the label goes on chain only for the circuit the ceremony's r1cs really is
        const { id, m } = circuitOption(opts);
        // compiled now, not read from the setup cache (whoever can write the cache could plant an r1cs)
        ctx.progress(`compiling ${id} m=${m} to check --r1cs`);
        const want = createHash("sha256")
          .update((await compileFresh(await circuitFor(id, m))).r1cs)
          .digest("hex");
        const got = sha256File(r1cs);
        if (want !== got)
          throw new UsageError("--r1cs is not the compiled r1cs of --circuit at --steps", {
            option: "circuit",
            value: `${id} m=${m}`,
            r1csSha256: got,
            circuitR1csSha256: want,
          });
        sol = withCircuitConstants(sol, name, { id, m });
        lines.push(`circuit     ${id} m=${m} (r1cs matches its compiled recipe)`);
      } else lines.push("circuit     not named (no --circuit): a zkfp arbitrator refuses this verifier");
      mkdirSync(outDir, { recursive: true });
      writeAtomic(join(outDir, "vkey.json"), JSON.stringify(vkey, null, 1) + "\n");
      writeAtomic(join(outDir, "transcript.json"), JSON.stringify(transcript, null, 1) + "\n");
      writeAtomic(join(outDir, "verifier.sol"), sol);
      writeAtomic(
        join(outDir, "meta.json"),
        JSON.stringify(
          { insecure: !security.secure, label: securityLabel(security), security, transcriptHash: tHash },
          null,
          1,
        ) + "\n",
      );
      lines.push(securityLabel(security), `written     ${outDir}/{vkey.json,verifier.sol,transcript.json,meta.json}`);
      return {
        exitCode: 0,
        json: {
          step: "export",
          verified,
          exported: true,
          out: outDir,
          transcriptHash: tHash,
          insecure: !security.secure,
          security,
        },
        text: lines.join("\n"),
      };
    } finally {
      await terminateCurve();
    }
  },
};
