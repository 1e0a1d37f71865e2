/**
 * Groth16 phase-2 ceremony (circuit-specific setup) over snarkjs, for any circuit's r1cs, and the
 * setup transcript every generated verifier carries.
 *
 * Flow (each step reads one .zkey and writes the next; every contributor runs `contribute` on their
 * own machine and passes the file on):
 *   start      r1cs + ptau -> zkey with 0 contributions (`snarkjs zkey new`; delta = 1: INSECURE)
 *   contribute zkey -> zkey + 1 contribution of secret entropy: 64 bytes of crypto.randomBytes,
 *              plus the sha512 of a user-given entropy file if any, and snarkjs itself mixes in
 *              another 64 OS random bytes (misc.getRandomRng). The entropy lives only in memory.
 *   beacon     zkey -> zkey + a public beacon contribution (a value fixed in advance, e.g. a future
 *              block hash, iterated 2^exp sha256 rounds). Public: it never makes a setup secure on
 *              its own, it only stops the last contributor from choosing the final key.
 *   verify     `snarkjs zkey verify` (zkey against r1cs + ptau: every contribution's proof of
 *              knowledge and the whole key's consistency)
 *   export     vkey.json + Solidity verifier + transcript.json
 *
 * Transcript (`zkfp-setup-transcript/1`): backend, circuit (r1cs sha256, constraints), ptau (sha256,
 * blake2b-512, power, known ceremony name), phase 2 (snarkjs circuit hash and, per contribution, its
 * type, name, snarkjs contribution hash (blake2b-512 of the contributor's public key, the hash
 * snarkjs prints) and beacon parameters), the sha256 of the verification key. The transcript hash is
 * sha256 of the transcript's canonical JSON (keys sorted); it is what the generated verifier's
 * `SETUP_TRANSCRIPT_HASH` and the arbitrator's `setupTranscriptHash(span)` return, so a user can
 * recompute it from the transcript file (`zkfp setup verify --transcript`) and compare it with chain.
 *
 * Pitfall: snarkjs stores contribution names truncated to 64 bytes.
 */
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import { ZkfpError } from "../../vm/errors.ts";
import { getCurve, internals, snarkjs } from "../snarkjs.ts";
import { quietLogger, type SetupSecurity } from "./security.ts";

export class CeremonyError extends ZkfpError {
  override readonly name = "CeremonyError";
}

export type Phase2Contribution = {
  index: number;
  type: "contribution" | "beacon";
  name: string;
  /** snarkjs contribution hash, 128 hex digits (what `zkey contribute` prints) */
  hash: string;
  beacon?: { hash: string; iterationsExp: number };
};

export type Transcript = {
  format: "zkfp-setup-transcript/1";
  backend: "groth16" | "plonk" | "fflonk";
  circuit: { r1csSha256: string; constraints: number };
  ptau: { sha256: string; blake2b: string; power: number; ceremony: string | null };
  phase2: { csHash: string; contributions: Phase2Contribution[] } | null;
  vkeySha256: string;
};

function canonical(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonical).join(",")}]`;
  if (x && typeof x === "object") {
    return `{${Object.keys(x)
      .sort()
      .filter((k) => (x as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((x as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(x);
}

/** sha256 of the transcript's canonical JSON, as 0x + 64 hex (a Solidity bytes32). */
export function transcriptHash(t: Transcript): string {
  return "0x" + createHash("sha256").update(canonical(t)).digest("hex");
}

export function vkeySha256(vkey: unknown): string {
  return createHash("sha256").update(canonical(vkey)).digest("hex");
}

function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString("hex");
}

async function atomically<T>(out: string, f: (tmp: string) => Promise<T>): Promise<T> {
  const tmp = `${out}.tmp-${process.pid}`;
  rmSync(tmp, { force: true });
  try {
    const r = await f(tmp);
    renameSync(tmp, out);
    return r;
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** `zkey new`: the initial phase-2 key (no contribution: delta = 1, INSECURE until contributions). */
export async function phase2Start(r1cs: string, ptau: string, out: string): Promise<void> {
  for (const f of [r1cs, ptau]) if (!existsSync(f)) throw new CeremonyError("file not found", { file: f });
  const s = await snarkjs();
  const errors: string[] = [];
  await atomically(out, async (tmp) => {
    const r = await s.zKey.newZKey(r1cs, ptau, tmp, quietLogger(errors));
    if (r === -1 || errors.length) throw new CeremonyError("zkey new failed", { r1cs, ptau, errors });
  });
}

/**
 * One contribution of secret entropy. Returns the contribution hash (128 hex). `entropyFile` adds
 * the file's bytes (hashed) to the OS randomness; it never replaces it.
 */
export async function phase2Contribute(
  zkeyIn: string,
  out: string,
  opts: { name?: string; entropyFile?: string } = {},
): Promise<string> {
  if (!existsSync(zkeyIn)) throw new CeremonyError("zkey not found", { file: zkeyIn });
  let entropy = randomBytes(64).toString("hex");
  if (opts.entropyFile) {
    let extra: Buffer;
    try {
      extra = readFileSync(opts.entropyFile);
    } catch (e) {
      throw new CeremonyError("cannot read entropy file", { file: opts.entropyFile, reason: (e as Error).message });
    }
    if (extra.byteLength === 0) throw new CeremonyError("entropy file is empty", { file: opts.entropyFile });
    entropy += createHash("sha512").update(extra).digest("hex");
  }
  const s = await snarkjs();
  const hash = await atomically(out, async (tmp) => {
    try {
      return await s.zKey.contribute(
        zkeyIn,
        tmp,
        (opts.name ?? "zkfp contribution").slice(0, 64),
        entropy,
        quietLogger(),
      );
    } catch (e) {
      throw new CeremonyError("zkey contribute failed", { file: zkeyIn, reason: String((e as Error).message ?? e) });
    }
  });
  return toHex(hash);
}

/** A public beacon contribution (`beaconHex`: the beacon value, even-length hex, e.g. a block hash). */
export async function phase2Beacon(
  zkeyIn: string,
  out: string,
  opts: { beaconHex: string; iterationsExp: number; name?: string },
): Promise<string> {
  if (!existsSync(zkeyIn)) throw new CeremonyError("zkey not found", { file: zkeyIn });
  const hex = opts.beaconHex.replace(/^0x/, "");
  if (!/^([0-9a-fA-F]{2})+$/.test(hex) || hex.length > 128)
    throw new CeremonyError("beacon must be 1..64 bytes of hex", { beacon: opts.beaconHex });
  if (!Number.isInteger(opts.iterationsExp) || opts.iterationsExp < 10 || opts.iterationsExp > 63) {
    throw new CeremonyError("beacon iterations exponent must be 10..63 (snarkjs range)", {
      iterationsExp: opts.iterationsExp,
    });
  }
  const s = await snarkjs();
  const errors: string[] = [];
  const hash = await atomically(out, async (tmp) => {
    const r = await s.zKey.beacon(
      zkeyIn,
      tmp,
      (opts.name ?? "zkfp beacon").slice(0, 64),
      hex,
      opts.iterationsExp,
      quietLogger(errors),
    );
    if (!(r instanceof Uint8Array) || errors.length)
      throw new CeremonyError("zkey beacon failed", { file: zkeyIn, errors });
    return r;
  });
  return toHex(hash);
}

/** The phase-2 record of a Groth16 zkey: circuit hash and every contribution with its hash. */
export async function readPhase2(
  zkey: string,
): Promise<{ csHash: string; contributions: Phase2Contribution[]; protocol: string }> {
  const { binFileUtils, zkeyUtils, blake2b } = await internals();
  const curve = await getCurve();
  let fd: { close(): Promise<void> } | undefined;
  try {
    const r = await binFileUtils.readBinFile(zkey, "zkey", 2);
    fd = r.fd;
    const header = await zkeyUtils.readHeader(r.fd, r.sections);
    if (header.protocol !== "groth16") return { csHash: "", contributions: [], protocol: header.protocol };
    const mpc = await zkeyUtils.readMPCParams(r.fd, curve, r.sections);
    const contributions = (
      mpc.contributions as { type: number; name?: string; numIterationsExp?: number; beaconHash?: Uint8Array }[]
    ).map((c, i) => {
      if (c.type !== 0 && c.type !== 1)
        throw new CeremonyError("unknown phase-2 contribution type (snarkjs writes 0 or 1)", {
          file: zkey,
          index: i + 1,
          type: c.type,
        });
      // A beacon's key is a function of its public parameters. `snarkjs zkey verify` checks that
      // derivation only for type 1, and the type field is covered by no hash, so a beacon relabelled
      // type 0 still verifies: any record carrying beacon parameters counts as a (public) beacon,
      // never as a secret contribution (snarkjs `contribute` never writes them).
      const beacon = c.type === 1 || c.beaconHash !== undefined || c.numIterationsExp !== undefined;
      const h = blake2b.create({ dkLen: 64 });
      zkeyUtils.hashPubKey(h, curve, c);
      const out: Phase2Contribution = {
        index: i + 1,
        type: beacon ? "beacon" : "contribution",
        name: c.name ?? "",
        hash: toHex(h.digest()),
      };
      if (beacon)
        out.beacon = { hash: c.beaconHash ? toHex(c.beaconHash) : "", iterationsExp: c.numIterationsExp ?? -1 };
      return out;
    });
    return { csHash: toHex(mpc.csHash), contributions, protocol: "groth16" };
  } catch (e) {
    if (e instanceof CeremonyError) throw e;
    throw new CeremonyError("not a readable snarkjs zkey", { file: zkey, reason: String((e as Error).message ?? e) });
  } finally {
    await fd?.close();
  }
}

/** `snarkjs zkey verify`: true iff the zkey is r1cs + ptau + valid contributions. */
export async function phase2Verify(zkey: string, r1cs: string, ptau: string): Promise<boolean> {
  for (const f of [zkey, r1cs, ptau]) if (!existsSync(f)) throw new CeremonyError("file not found", { file: f });
  const s = await snarkjs();
  try {
    return (await s.zKey.verifyFromR1cs(r1cs, ptau, zkey, quietLogger())) === true;
  } catch {
    return false;
  }
}

/**
 * Prepends zkfp's header to a snarkjs-generated verifier, renames the contract and adds the
 * transcript constants. Deterministic in (template output, name, transcript hash, security), so a
 * committed verifier can be re-rendered from its committed vkey + transcript and compared.
 */
export function decorateVerifier(
  sol: string,
  o: {
    name: string;
    backend: string;
    circuitLabel: string;
    transcriptHash: string;
    security: Pick<SetupSecurity, "secure" | "reasons">;
  },
): string {
  const re = /contract (Groth16|Plonk|Fflonk)Verifier \{/;
  if (!re.test(sol)) throw new CeremonyError("unexpected verifier template (no contract line)", { backend: o.backend });
  const status = o.security.secure
    ? "SECURE setup (both phases checked, zk/setup/security.ts)"
    : `INSECURE setup, development only: ${o.security.reasons.join("; ")}`;
  const body = sol.replace(
    re,
    `contract ${o.name} {
    /// @notice sha256 of this verifier's setup transcript (zkfp-setup-transcript/1, zk/setup/ceremony.ts):
    ///         recompute it from the transcript file with \`zkfp setup verify\`.
    bytes32 public constant SETUP_TRANSCRIPT_HASH = ${o.transcriptHash};
    /// @notice true unless the setup passed zkfp's check of both phases (zk/setup/security.ts).
    bool public constant SETUP_INSECURE = ${o.security.secure ? "false" : "true"};`,
  );
  // first line's format is parsed by cli/cache.ts: "from snarkjs <v> (<backend>, circuit <id> m=<m>"
  return `// GENERATED by zkfp (zk/setup/ceremony.ts) from snarkjs 0.7.6 (${o.backend}, circuit ${o.circuitLabel}).\n// ${status}\n// Setup transcript hash ${o.transcriptHash}\n${body}`;
}
