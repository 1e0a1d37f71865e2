/**
 * Attack: a setup cache directory someone else wrote (a shared ZKFP_CACHE_DIR, a cache handed over
 * as a tarball). `setupCircuit` serves an entry whose meta.json exists; before the fix it returned
 * the entry's meta.json, vkey.json, verifier.sol and transcript.json as they were, so whoever wrote
 * the directory chose the verdict (an INSECURE dev setup relabelled SECURE passes the deploy guard)
 * and the key (a vkey or verifier with a delta they know, beside an honest zkey: proofs made with
 * the zkey still verify under it, so nothing looks wrong). The attacker loses if every such entry
 * is refused (CacheEntryError, naming the file) or served with what its files really are.
 *
 * Cases: relabelled meta.json; vkey.json with a known delta; verifier.sol relabelled secure or
 * with another key; transcript.json of another setup; an entry whose circuit files are another
 * circuit's; and on the SECURE path (the committed pot12 injected as a known ceremony through the
 * test-only list) a zkey of ANOTHER circuit with everything else rewritten to match it: only
 * `zkey verify` against the circuit's r1cs tells, so a SECURE entry is re-verified when served.
 */
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../../cli/main.ts";
import { assertDeployable, fileHashes, type KnownCeremony } from "../../setup/security.ts";
import { keyWithKnownDelta } from "../../setup/forge.ts";
import {
  phase2Contribute,
  phase2Start,
  readPhase2,
  transcriptHash,
  vkeySha256,
  type Transcript,
} from "../../setup/ceremony.ts";
import { snarkjs } from "../../snarkjs.ts";
import { REPO_ROOT, counterCircuit } from "../circuits.ts";
import {
  CacheEntryError,
  compileCircuit,
  compiledDir,
  renderVerifier,
  setupCircuit,
  withCircuitConstants,
} from "../snark.ts";
import { isolatedCache } from "../../testing.ts";

const { dir } = isolatedCache("zkfp-attack-cache-");
const PTAU = join(REPO_ROOT, "zk", "setup", "data", "pot12_final.ptau");
let known: KnownCeremony[];

beforeAll(async () => {
  known = [{ name: "pot12 (test)", power: 12, blake2b: (await fileHashes(PTAU)).blake2b, source: "test" }];
});
type Art = Awaited<ReturnType<typeof setupCircuit<"groth16">>>;
const json = (f: string) => JSON.parse(readFileSync(f, "utf8"));

/** Runs `tamper` on a copy of the entry, serves it, restores the honest entry. */
async function served(
  art: Art,
  tamper: (d: string) => Promise<void> | void,
  o: { ptau?: string; known?: KnownCeremony[] } = {},
) {
  const backup = `${dir}/backup-${art.key}`;
  rmSync(backup, { recursive: true, force: true });
  cpSync(art.dir, backup, { recursive: true });
  try {
    await tamper(art.dir);
    return await setupCircuit("groth16", counterCircuit(1), { ptau: o.ptau, knownCeremonies: o.known }).then(
      (a) => ({ ok: true as const, art: a }),
      (e: unknown) => ({ ok: false as const, error: e }),
    );
  } finally {
    rmSync(art.dir, { recursive: true, force: true });
    cpSync(backup, art.dir, { recursive: true });
  }
}

/** The attacker loses: the entry is refused with CacheEntryError, or served with the honest values. */
function attackerLoses(r: Awaited<ReturnType<typeof served>>, honest: Art) {
  if (!r.ok) {
    expect(r.error).toBeInstanceOf(CacheEntryError);
    return;
  }
  expect(r.art.meta.insecure).toBe(honest.meta.insecure);
  expect(r.art.meta.security.reasons).toEqual(honest.meta.security.reasons);
  expect(vkeySha256(r.art.vkey)).toBe(vkeySha256(honest.vkey));
  expect(r.art.verifierSol).toBe(honest.verifierSol);
  expect(r.art.meta.transcriptHash).toBe(honest.meta.transcriptHash);
}

describe("attack: a setup cache entry written by someone else", () => {
  let dev: Art;
  beforeAll(async () => {
    dev = await setupCircuit("groth16", counterCircuit(1));
    expect(dev.meta.insecure).toBe(true);
  }, 120_000);

  it("the honest entry is served again", async () => {
    const again = await setupCircuit("groth16", counterCircuit(1));
    expect(again.cached).toBe(true);
    attackerLoses({ ok: true, art: again }, dev);
  });

  it("an INSECURE dev entry relabelled SECURE in meta.json does not pass the deploy guard", async () => {
    const r = await served(dev, (d) => {
      const m = json(join(d, "meta.json"));
      m.insecure = false;
      m.security = { ...m.security, secure: true, reasons: [] };
      m.label = "SECURE (known ceremony ptau, verified; phase 2 verified with a secret contribution)";
      writeFileSync(join(d, "meta.json"), JSON.stringify(m));
    });
    attackerLoses(r, dev);
    if (r.ok) expect(() => assertDeployable(r.art)).toThrow();
  });

  it("a vkey.json with a delta the attacker knows is not served beside the honest zkey", async () => {
    const r = await served(dev, async (d) => {
      const { vkey } = await keyWithKnownDelta(json(join(d, "vkey.json")));
      writeFileSync(join(d, "vkey.json"), JSON.stringify(vkey));
    });
    attackerLoses(r, dev);
  });

  it("a verifier.sol relabelled secure, or of another key, is not served", async () => {
    const relabelled = await served(dev, (d) => {
      const f = join(d, "verifier.sol");
      writeFileSync(
        f,
        readFileSync(f, "utf8")
          .replace("SETUP_INSECURE = true;", "SETUP_INSECURE = false;")
          .replace(/\/\/ INSECURE[^\n]*/, "// SECURE setup"),
      );
    });
    attackerLoses(relabelled, dev);
    const otherKey = await served(dev, async (d) => {
      const { vkey } = await keyWithKnownDelta(json(join(d, "vkey.json")));
      const sol = await renderVerifier("groth16", vkey, {
        name: dev.verifierName,
        circuitLabel: "counter m=1",
        transcriptHash: dev.meta.transcriptHash,
        security: dev.meta.security,
      });
      writeFileSync(join(d, "verifier.sol"), withCircuitConstants(sol, dev.verifierName, dev.circuit));
    });
    attackerLoses(otherKey, dev);
  });

  it("a transcript.json (and meta transcript hash) of another setup is not served", async () => {
    const r = await served(dev, (d) => {
      const t = json(join(d, "transcript.json")) as Transcript;
      t.ptau.ceremony = "powersOfTau28_hez_final_09.ptau";
      writeFileSync(join(d, "transcript.json"), JSON.stringify(t));
      const m = json(join(d, "meta.json"));
      m.transcriptHash = transcriptHash(t);
      writeFileSync(join(d, "meta.json"), JSON.stringify(m));
    });
    attackerLoses(r, dev);
  });

  it("circuit files of another circuit in the entry are not served as this circuit's", async () => {
    const r = await served(dev, (d) => {
      const r1cs = readFileSync(join(d, "circuit.r1cs"));
      r1cs[r1cs.length - 1] ^= 1;
      writeFileSync(join(d, "circuit.r1cs"), r1cs);
    });
    expect(r.ok ? r.art : r.error).toBeInstanceOf(CacheEntryError);
    expect(String(r.ok ? "" : r.error)).toMatch(/circuit files/);
  });

  it("a SECURE entry whose zkey (and everything derived from it) is another circuit's is not served as SECURE", async () => {
    const secure = await setupCircuit("groth16", counterCircuit(1), { ptau: PTAU, knownCeremonies: known });
    expect(secure.meta.insecure).toBe(false);
    // the attacker's consistent entry: counter m=2's secure setup, files re-labelled as counter m=1's
    const other = join(dir, "other.zkey");
    const r1cs2 = join(await compileCircuit(counterCircuit(2)), "circuit.r1cs");
    await phase2Start(r1cs2, PTAU, `${other}.0`);
    await phase2Contribute(`${other}.0`, other);
    const otherRec = await readPhase2(other);
    const r = await served(
      secure,
      async (d) => {
        const s = await snarkjs();
        cpSync(other, join(d, "circuit.zkey"));
        const vkey = await s.zKey.exportVerificationKey(other);
        writeFileSync(join(d, "vkey.json"), JSON.stringify(vkey));
        const t = json(join(d, "transcript.json")) as Transcript;
        t.phase2 = { csHash: otherRec.csHash, contributions: otherRec.contributions };
        t.vkeySha256 = vkeySha256(vkey);
        writeFileSync(join(d, "transcript.json"), JSON.stringify(t));
        const m = json(join(d, "meta.json"));
        m.transcriptHash = transcriptHash(t);
        writeFileSync(join(d, "meta.json"), JSON.stringify(m));
        const sol = await renderVerifier("groth16", vkey, {
          name: secure.verifierName,
          circuitLabel: "counter m=1",
          transcriptHash: m.transcriptHash,
          security: secure.meta.security,
        });
        writeFileSync(join(d, "verifier.sol"), sol);
      },
      { ptau: PTAU, known },
    );
    expect(r.ok ? r.art : r.error).toBeInstanceOf(CacheEntryError);
    expect(String(r.ok ? "" : r.error)).toMatch(/not a setup of this circuit/);
  }, 120_000);
});

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let buf = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((x: string | Uint8Array) => {
    buf += String(x);
    return true;
  });
  try {
    return { code: await main([...args, "--json"]), out: buf };
  } finally {
    spy.mockRestore();
  }
}

describe("attack: another circuit's files planted as a recipe's compiled circuit in the cache", () => {
  it("no SECURE setup is made of them, and `zkfp setup export --circuit` does not label them", async () => {
    const r1cs2 = join(await compileCircuit(counterCircuit(2)), "circuit.r1cs");
    const c1 = await compileCircuit(counterCircuit(1));
    expect(c1).toBe(compiledDir(counterCircuit(1)));
    const backup = join(dir, "backup-c1");
    cpSync(c1, backup, { recursive: true });
    // a counter(2) ceremony key, finished with one contribution
    const z2 = join(dir, "planted-c2.zkey");
    await phase2Start(r1cs2, PTAU, `${z2}.0`);
    await phase2Contribute(`${z2}.0`, z2);
    try {
      for (const f of ["circuit.r1cs", "circuit.wasm"]) cpSync(join(dirname(r1cs2), f), join(c1, f));
      // the setup of "counter m=1" would prove counter(2)'s statement under CIRCUIT_STEPS = 1
      await expect(
        setupCircuit("groth16", counterCircuit(1), { ptau: PTAU, knownCeremonies: known }),
      ).rejects.toBeInstanceOf(CacheEntryError);
      // the ceremony's counter(2) key exported as counter m=1: the check compiles counter(1) itself
      const out = join(dir, "export-planted");
      const r = await cli([
        "setup",
        "export",
        "--zkey",
        z2,
        "--r1cs",
        r1cs2,
        "--ptau",
        PTAU,
        "--out",
        out,
        "--circuit",
        "counter",
        "--steps",
        "1",
      ]);
      expect(r.code).toBe(64);
      expect(r.out).toMatch(/not the compiled r1cs/);
      expect(existsSync(join(out, "verifier.sol"))).toBe(false);
    } finally {
      rmSync(c1, { recursive: true, force: true });
      cpSync(backup, c1, { recursive: true });
    }
  }, 120_000);
});
