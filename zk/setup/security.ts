/**
 * When is a zkfp setup secure? Both phases must be:
 *
 *  1. phase 1 (the ptau): `snarkjs powersoftau verify` accepts the file AND its blake2b-512 hash is
 *     one of a public multi-party ceremony listed in KNOWN_CEREMONIES (so its tau is unknown to
 *     everybody unless every participant colluded);
 *  2. phase 2 (Groth16 only; PLONK/FFLONK have none): at least one contribution of secret entropy
 *     (a snarkjs type-0 contribution; beacons are public and do not count) and `snarkjs zkey
 *     verify` accepts the zkey against the r1cs and the ptau.
 *
 * Anything else is INSECURE: `assessSetup` returns the reasons, and every place a user looks
 * (CLI output, meta.json, the verifier's header and SETUP_INSECURE constant, `assertDeployable`)
 * repeats them. Why phase 1 alone matters even with a secret delta: whoever knows tau also knows
 * t(tau), so from the proving key's [tau^i t(tau) / delta]_1 they compute [x / delta]_1 for any x,
 * and with alpha, beta and the IC scalars known (tau known) they solve for C.
 *
 * KNOWN_CEREMONIES: the Hermez (Polygon zkEVM) Perpetual Powers of Tau files
 * `powersOfTau28_hez_final_NN.ptau`, prepared for phase 2, with the blake2b-512 hashes published
 * in snarkjs 0.7.6's README ("Prepare phase 2" table, node_modules/snarkjs/README.md lines 175-195;
 * download URLs https://storage.googleapis.com/zkevm/ptau/...). None can be downloaded here: the
 * list is for users who bring their own file. `b2sum FILE` computes the same hash.
 *
 * Pitfall: `powersoftau verify` of a large file takes minutes to hours; its result is memoised in
 * `<cacheDir>/ptau-verified/<sha256>.json` (keyed by content, so a replaced file is re-verified).
 */
import { createHash } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ZkfpError } from "../../vm/errors.ts";
import { snarkjs } from "../snarkjs.ts";

export class InsecureSetupError extends ZkfpError {
  override readonly name = "InsecureSetupError";
}

export type KnownCeremony = { name: string; power: number; blake2b: string; source: string };

const HEZ = "Hermez/Polygon zkEVM perpetual powers of tau, prepared (snarkjs 0.7.6 README)";
const HEZ_HASHES: [number, string][] = [
  [
    8,
    "d6a8fb3a04feb600096c3b791f936a578c4e664d262e4aa24beed1b7a9a96aa5eb72864d628db247e9293384b74b36ffb52ca8d148d6e1b8b51e279fdf57b583",
  ],
  [
    9,
    "94f108a80e81b5d932d8e8c9e8fd7f46cf32457e31462deeeef37af1b71c2c1b3c71fb0d9b59c654ec266b042735f50311f9fd1d4cadce47ab234ad163157cb5",
  ],
  [
    10,
    "6cfeb8cda92453099d20120bdd0e8a5c4e7706c2da9a8f09ccc157ed2464d921fd0437fb70db42104769efd7d6f3c1f964bcf448c455eab6f6c7d863e88a5849",
  ],
  [
    11,
    "47c282116b892e5ac92ca238578006e31a47e7c7e70f0baa8b687f0a5203e28ea07bbbec765a98dcd654bad618475d4661bfaec3bd9ad2ed12e7abc251d94d33",
  ],
  [
    12,
    "ded2694169b7b08e898f736d5de95af87c3f1a64594013351b1a796dbee393bd825f88f9468c84505ddd11eb0b1465ac9b43b9064aa8ec97f2b73e04758b8a4a",
  ],
  [
    13,
    "58efc8bf2834d04768a3d7ffcd8e1e23d461561729beaac4e3e7a47829a1c9066d5320241e124a1a8e8aa6c75be0ba66f65bc8239a0542ed38e11276f6fdb4d9",
  ],
  [
    14,
    "eeefbcf7c3803b523c94112023c7ff89558f9b8e0cf5d6cdcba3ade60f168af4a181c9c21774b94fbae6c90411995f7d854d02ebd93fb66043dbb06f17a831c1",
  ],
  [
    15,
    "982372c867d229c236091f767e703253249a9b432c1710b4f326306bfa2428a17b06240359606cfe4d580b10a5a1f63fbed499527069c18ae17060472969ae6e",
  ],
  [
    16,
    "6a6277a2f74e1073601b4f9fed6e1e55226917efb0f0db8a07d98ab01df1ccf43eb0e8c3159432acd4960e2f29fe84a4198501fa54c8dad9e43297453efec125",
  ],
  [
    17,
    "6247a3433948b35fbfae414fa5a9355bfb45f56efa7ab4929e669264a0258976741dfbe3288bfb49828e5df02c2e633df38d2245e30162ae7e3bcca5b8b49345",
  ],
  [
    18,
    "7e6a9c2e5f05179ddfc923f38f917c9e6831d16922a902b0b4758b8e79c2ab8a81bb5f29952e16ee6c5067ed044d7857b5de120a90704c1d3b637fd94b95b13e",
  ],
  [
    19,
    "bca9d8b04242f175189872c42ceaa21e2951e0f0f272a0cc54fc37193ff6648600eaf1c555c70cdedfaf9fb74927de7aa1d33dc1e2a7f1a50619484989da0887",
  ],
  [
    20,
    "89a66eb5590a1c94e3f1ee0e72acf49b1669e050bb5f93c73b066b564dca4e0c7556a52b323178269d64af325d8fdddb33da3a27c34409b821de82aa2bf1a27b",
  ],
  [
    21,
    "9aef0573cef4ded9c4a75f148709056bf989f80dad96876aadeb6f1c6d062391f07a394a9e756d16f7eb233198d5b69407cca44594c763ab4a5b67ae73254678",
  ],
  [
    22,
    "0d64f63dba1a6f11139df765cb690da69d9b2f469a1ddd0de5e4aa628abb28f787f04c6a5fb84a235ec5ea7f41d0548746653ecab0559add658a83502d1cb21b",
  ],
  [
    23,
    "3063a0bd81d68711197c8820a92466d51aeac93e915f5136d74f63c394ee6d88c5e8016231ea6580bec02e25d491f319d92e77f5c7f46a9caa8f3b53c0ea544f",
  ],
  [
    24,
    "fa404d140d5819d39984833ca5ec3632cd4995f81e82db402371a4de7c2eae8687c62bc632a95b0c6aadba3fb02680a94e09174b7233ccd26d78baca2647c733",
  ],
  [
    25,
    "0377d860cdb09a8a31ea1b0b8c04335614c8206357181573bf294c25d5ca7dff72387224fbd868897e6769f7805b3dab02854aec6d69d7492883b5e4e5f35eeb",
  ],
  [
    26,
    "418dee4a74b9592198bd8fd02ad1aea76f9cf3085f206dfd7d594c9e264ae919611b1459a1cc920c2f143417744ba9edd7b8d51e44be9452344a225ff7eead19",
  ],
  [
    27,
    "10ffd99837c512ef99752436a54b9810d1ac8878d368fb4b806267bdd664b4abf276c9cd3c4b9039a1fa4315a0c326c0e8e9e8fe0eb588ffd4f9021bf7eae1a1",
  ],
  [
    28,
    "55c77ce8562366c91e7cda394cf7b7c15a06c12d8c905e8b36ba9cf5e13eb37d1a429c589e8eaba4c591bc4b88a0e2828745a53e170eac300236f5c1a326f41a",
  ],
];

export const KNOWN_CEREMONIES: readonly KnownCeremony[] = HEZ_HASHES.map(([power, blake2b]) => ({
  name:
    power === 28 ? "powersOfTau28_hez_final.ptau" : `powersOfTau28_hez_final_${String(power).padStart(2, "0")}.ptau`,
  power,
  blake2b,
  source: HEZ,
}));

/**
 * The known ceremony whose file has this blake2b-512, else null. `list` is KNOWN_CEREMONIES for
 * every user-facing caller; tests pass their own (a locally generated ptau standing in for a public
 * ceremony file) to exercise the SECURE path. No CLI option or environment variable reaches it.
 */
export function knownCeremony(
  blake2b: string,
  list: readonly KnownCeremony[] = KNOWN_CEREMONIES,
): KnownCeremony | null {
  return list.find((c) => c.blake2b === blake2b.toLowerCase()) ?? null;
}

const hashMemo = new Map<string, { sha256: string; blake2b: string }>();
/** sha256 and blake2b-512 of a file in one pass (memoised per path, size, mtime). */
export async function fileHashes(file: string): Promise<{ sha256: string; blake2b: string }> {
  const st = statSync(file);
  const k = `${resolve(file)}:${st.size}:${st.mtimeMs}`;
  const hit = hashMemo.get(k);
  if (hit) return hit;
  const a = createHash("sha256"),
    b = createHash("blake2b512");
  await new Promise<void>((ok, fail) => {
    createReadStream(file)
      .on("data", (d) => {
        a.update(d);
        b.update(d);
      })
      .on("end", () => ok())
      .on("error", fail);
  });
  const r = { sha256: a.digest("hex"), blake2b: b.digest("hex") };
  hashMemo.set(k, r);
  return r;
}

/** `snarkjs powersoftau verify`, memoised by content hash in `<cacheDir>/ptau-verified/`. */
export async function verifyPtauCached(
  file: string,
  sha256: string,
  cacheDir: string,
  log?: (m: string) => void,
): Promise<boolean> {
  const memo = join(cacheDir, "ptau-verified", `${sha256}.json`);
  if (existsSync(memo)) return (JSON.parse(readFileSync(memo, "utf8")) as { ok: boolean }).ok;
  log?.(`snarkjs powersoftau verify ${file} (once per file; slow for large powers) ...`);
  const s = await snarkjs();
  let ok: boolean;
  try {
    ok = (await s.powersOfTau.verify(file, quietLogger())) === true;
  } catch {
    return false;
  } // a crash is not memoised
  mkdirSync(join(cacheDir, "ptau-verified"), { recursive: true });
  const tmp = `${memo}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify({ ok, file: resolve(file), at: new Date().toISOString() }));
  renameSync(tmp, memo);
  return ok;
}

export function quietLogger(errors: string[] = []) {
  return { error: (m: string) => errors.push(m), warn: () => {}, info: () => {}, debug: () => {}, log: () => {} };
}

export type PtauSecurity = { sha256: string; blake2b: string; ceremony: string | null; verified: boolean | null };
export type Phase2Security = { secretContributions: number; beacons: number; verified: boolean | null } | null;
export type SetupSecurity = { secure: boolean; reasons: string[]; ptau: PtauSecurity; phase2: Phase2Security };

/**
 * The verdict from what was checked. `ptau.verified` / `phase2.verified` null = not run (a setup
 * already insecure for another reason skips the slow checks); null counts as not verified.
 */
export function assessSetup(backend: string, ptau: PtauSecurity, phase2: Phase2Security): SetupSecurity {
  const reasons: string[] = [];
  if (!ptau.ceremony) reasons.push("ptau is not a known public ceremony file (its tau may be known)");
  else if (ptau.verified !== true)
    reasons.push(ptau.verified === false ? "ptau fails powersoftau verify" : "ptau not verified");
  if (backend === "groth16") {
    if (!phase2) reasons.push("no phase-2 record");
    else {
      if (phase2.secretContributions < 1)
        reasons.push("phase 2 has no secret contribution (delta derivable from public data)");
      if (phase2.verified !== true)
        reasons.push(
          phase2.verified === false ? "zkey fails zkey verify" : "phase 2 not verified (zkey verify not run)",
        );
    }
  }
  return { secure: reasons.length === 0, reasons, ptau, phase2 };
}

export function securityLabel(s: { secure: boolean; reasons: string[] }): string {
  return s.secure
    ? "SECURE (known ceremony ptau, verified; phase 2 verified with a secret contribution)"
    : `INSECURE: ${s.reasons.join("; ")}`;
}

/**
 * The deploy guard: throws InsecureSetupError for an insecure setup unless `insecureDev` (tests,
 * a local dev chain, or a user who passed `--insecure-dev`). Accepts anything carrying `meta`
 * with `insecure` (SetupArtifacts) or the security verdict itself.
 */
export function assertDeployable(
  setup: { meta: { insecure: boolean; security?: { reasons: string[] } } } | SetupSecurity,
  opts: { insecureDev?: boolean } = {},
): void {
  const insecure = "meta" in setup ? setup.meta.insecure : !setup.secure;
  const reasons = "meta" in setup ? (setup.meta.security?.reasons ?? ["marked insecure"]) : setup.reasons;
  if (insecure && !opts.insecureDev) {
    throw new InsecureSetupError(
      "refusing to deploy an INSECURE zk setup (pass --insecure-dev for development chains)",
      { reasons },
    );
  }
}
