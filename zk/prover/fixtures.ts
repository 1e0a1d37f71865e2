/**
 * Writes the zk fixtures the Foundry tests read (contracts/test/zk/) and the generated verifiers
 * they deploy (contracts/src/zk/generated/), for the circuit sizes the tests use.
 *
 * Run: `npx tsx zk/prover/fixtures.ts [counter|fflonk|rv32im|keyset|forged]` (default counter; `forged` after the others). Fixture layout
 * (contracts/test/fixtures/zk_<circuit>_m<m>.json):
 *   { circuit, m, n, roots: bytes32[n + 1] (root after step i),
 *     groth16: { proofs: bytes[] (proofs[j] proves roots[j*m] -> roots[(j+1)*m]) },
 *     plonk:   { proofs: bytes[] } }
 * The game in the test has N = n steps, leaves of m steps, so every leaf [j*m, (j+1)*m] has a proof.
 * Beside each verifier `<Name>.sol` goes `<Name>.setup.json` {backend, circuit, verifierName, vkey,
 * transcript, transcriptHash, security}: the setup's public record. Phase 2 is random, so a fresh
 * cache makes a different setup: the committed files are checked against each other, not against
 * the cache (zk/prover/snark.test.ts: the .sol re-renders from the committed vkey + transcript, the
 * fixture proofs verify against the committed vkey).
 * Pitfall: regenerate fixture proofs and verifiers together (one run of this script).
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { terminateCurve } from "../snarkjs.ts";
import { readFileSync } from "node:fs";
import { loadElf } from "../../vm/index.ts";
import { Trace } from "../../vm/trace.ts";
import { circuitInputFromTrace } from "../witness-input.ts";
import {
  REPO_ROOT,
  counterCircuit,
  counterInput,
  counterRoots,
  rv32imCircuit,
  type CircuitRecipe,
} from "./circuits.ts";
import {
  SnarkProver,
  renderVerifier,
  setupCircuit,
  withCircuitConstants,
  toBytes32,
  type SetupArtifacts,
  type SnarkBackend,
} from "./snark.ts";
import type { Transcript } from "../setup/ceremony.ts";
import type { SetupSecurity } from "../setup/security.ts";

export const GENERATED_DIR = join(REPO_ROOT, "contracts", "src", "zk", "generated");
export const FIXTURE_DIR = join(REPO_ROOT, "contracts", "test", "fixtures");

/** What the committed fixtures cover: the dev counter circuit, m = 2, N = 4. */
export const COUNTER_FIXTURE = { m: 2, n: 4, backends: ["groth16", "plonk"] as const };

/** snarkjs writes `pragma solidity >=0.7.0 <0.9.0;`; the repo's sources all say ^0.8.28. */
const withRepoPragma = (sol: string): string => sol.replace(/^pragma solidity [^;]+;/m, "pragma solidity ^0.8.28;");

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

export type CommittedSetup = {
  backend: SnarkBackend;
  circuit: { id: string; m: number };
  verifierName: string;
  vkey: Record<string, unknown>;
  transcript: Transcript;
  transcriptHash: string;
  security: Pick<SetupSecurity, "secure" | "reasons">;
};

function writeVerifier(art: SetupArtifacts<SnarkBackend>): void {
  mkdirSync(GENERATED_DIR, { recursive: true });
  writeAtomic(join(GENERATED_DIR, `${art.verifierName}.sol`), withRepoPragma(art.verifierSol));
  const rec: CommittedSetup = {
    backend: art.backend,
    circuit: { id: art.circuit.id, m: art.circuit.m },
    verifierName: art.verifierName,
    vkey: art.vkey,
    transcript: art.transcript,
    transcriptHash: art.meta.transcriptHash,
    security: { secure: art.meta.security.secure, reasons: art.meta.security.reasons },
  };
  writeAtomic(join(GENERATED_DIR, `${art.verifierName}.setup.json`), JSON.stringify(rec, null, 1) + "\n");
}

export function readCommittedSetup(verifierName: string): CommittedSetup {
  return JSON.parse(readFileSync(join(GENERATED_DIR, `${verifierName}.setup.json`), "utf8")) as CommittedSetup;
}

/** The Solidity a committed setup record renders to (must equal the committed .sol). */
export async function renderCommitted(rec: CommittedSetup): Promise<string> {
  return withRepoPragma(
    withCircuitConstants(
      await renderVerifier(rec.backend, rec.vkey, {
        name: rec.verifierName,
        circuitLabel: `${rec.circuit.id} m=${rec.circuit.m}`,
        transcriptHash: rec.transcriptHash,
        security: rec.security,
      }),
      rec.verifierName,
      rec.circuit,
    ),
  );
}

export async function writeCounterFixtures(log: (m: string) => void = () => {}): Promise<string> {
  const { m, n, backends } = COUNTER_FIXTURE;
  const circuitOf = async (mm: number): Promise<CircuitRecipe> => counterCircuit(mm);
  const roots = await counterRoots(n);
  const out: Record<string, unknown> = { circuit: "counter", m, n, roots: roots.map(toBytes32) };
  mkdirSync(GENERATED_DIR, { recursive: true });
  for (const b of backends) {
    const art = await setupCircuit(b, await circuitOf(m), { log });
    writeVerifier(art);
    const prover = new SnarkProver(b, circuitOf, { log });
    const proofs: string[] = [];
    for (let t = 0; t < n; t += m) {
      const { bundle } = await prover.prove({ m, circuitInput: await counterInput(t, m), fromStep: t });
      proofs.push(bundle.calldata);
    }
    out[b] = { proofs, verifier: art.verifierName, transcriptHash: art.meta.transcriptHash };
  }
  const file = join(FIXTURE_DIR, `zk_counter_m${m}.json`);
  mkdirSync(FIXTURE_DIR, { recursive: true });
  writeAtomic(file, JSON.stringify(out, null, 1) + "\n");
  return file;
}

/**
 * FFLONK fixture (contracts/test/zk/ZkArbitrationFflonk.t.sol): the counter circuit as
 * COUNTER_FIXTURE, its FFLONK verifier FflonkVerifier_counter_m2 (+ .setup.json) and one proof per
 * leaf, in contracts/test/fixtures/zk_counter_m2_fflonk.json {circuit, m, n, roots, fflonk: {proofs,
 * verifier, transcriptHash}}. A file of its own: FFLONK needs a ptau of power cirPower + 3 (2^16 for
 * CounterChain(2)), so it is made apart from the Groth16 / PLONK counter fixture and neither run
 * changes the other's committed setup.
 */
export async function writeFflonkFixtures(log: (m: string) => void = () => {}): Promise<string> {
  const { m, n } = COUNTER_FIXTURE;
  const circuitOf = async (mm: number): Promise<CircuitRecipe> => counterCircuit(mm);
  const roots = await counterRoots(n);
  const art = await setupCircuit("fflonk", await circuitOf(m), { log });
  writeVerifier(art);
  const prover = new SnarkProver("fflonk", circuitOf, { log });
  const proofs: string[] = [];
  for (let t = 0; t < n; t += m) {
    const { bundle } = await prover.prove({ m, circuitInput: await counterInput(t, m), fromStep: t });
    proofs.push(bundle.calldata);
  }
  const out = {
    circuit: "counter",
    m,
    n,
    roots: roots.map(toBytes32),
    fflonk: { proofs, verifier: art.verifierName, transcriptHash: art.meta.transcriptHash },
  };
  const file = join(FIXTURE_DIR, `zk_counter_m${m}_fflonk.json`);
  mkdirSync(FIXTURE_DIR, { recursive: true });
  writeAtomic(file, JSON.stringify(out, null, 1) + "\n");
  return file;
}

/** RV32IM fixture: m = 1, N = 2 steps of a real guest from step RV_FIXTURE.from (Groth16 only). */
export const RV_FIXTURE = { m: 1, n: 2, guest: "matmul_int.elf", from: 1000 };

export async function writeRv32imFixtures(log: (m: string) => void = () => {}): Promise<string> {
  const { m, n, guest, from } = RV_FIXTURE;
  const circuitOf = (mm: number) => rv32imCircuit(mm);
  const prog = loadElf(new Uint8Array(readFileSync(join(REPO_ROOT, "vm", "guests", "bin", guest))));
  const tr = await Trace.create(prog, { maxSteps: from + n });
  const roots = Array.from({ length: n + 1 }, (_, i) => toBytes32(tr.rootAt(from + i)));
  const art = await setupCircuit("groth16", await circuitOf(m), { log, ptau: process.env.ZKFP_FIXTURE_PTAU });
  writeVerifier(art);
  const prover = new SnarkProver("groth16", circuitOf, { log, ptau: process.env.ZKFP_FIXTURE_PTAU });
  const proofs: string[] = [];
  for (let t = 0; t < n; t += m) {
    const { bundle } = await prover.prove({
      m,
      circuitInput: circuitInputFromTrace(tr, from + t, m) as unknown as Record<string, unknown>,
      fromStep: from + t,
    });
    proofs.push(bundle.calldata);
  }
  const out = {
    circuit: "rv32im",
    m,
    n,
    guest,
    from,
    roots,
    groth16: { proofs, verifier: art.verifierName, transcriptHash: art.meta.transcriptHash },
  };
  const file = join(FIXTURE_DIR, `zk_rv32im_m${m}.json`);
  writeAtomic(file, JSON.stringify(out, null, 1) + "\n");
  return file;
}

/**
 * Key-set fixture (contracts/test/zk/ZkKeySet.t.sol): one arbitrator span holding several keys.
 * Guest echo_input on KEYSET_FIXTURE.input; span 2 keys [rv32im (complete), rv32im_mem (table)],
 * span 4 keys [counter (complete, dev), rv32im_mem]. Windows: `fit` (2 steps whose words fit the
 * m = 2 `mem` tables: proofs under both span-2 keys), `read` (2 steps with a running read(fd 0): the
 * A = 0 table has no witness, so only the complete key proves it), `fit4` (4 steps fitting the m = 4
 * `mem` tables: its table proof). Proofs are the verifiers' 256 bytes (no key index: the tests prepend it).
 */
export const KEYSET_FIXTURE = { guest: "echo_input.elf", input: "zkfp key sets", maxSteps: 20_000 };

export async function writeKeySetFixtures(log: (m: string) => void = () => {}): Promise<string> {
  const { circuitFor } = await import("./circuits.ts");
  const { cheapestCircuitFor, isAuxRead } = await import("../witness-input.ts");
  const { guest, input, maxSteps } = KEYSET_FIXTURE;
  const prog = loadElf(new Uint8Array(readFileSync(join(REPO_ROOT, "vm", "guests", "bin", guest))));
  const tr = await Trace.create(prog, { input: new TextEncoder().encode(input), maxSteps });
  const ptau = process.env.ZKFP_FIXTURE_PTAU;
  const prove = async (id: "rv32im" | "rv32im_mem", m: number, t: number, inp: unknown) => {
    const prover = new SnarkProver("groth16", (mm) => circuitFor(id, mm), { log, ptau });
    const { bundle } = await prover.prove({ m, circuitInput: inp as Record<string, unknown>, fromStep: t });
    return bundle.calldata;
  };
  const window = (t: number, m: number) => ({
    t,
    preRoot: toBytes32(tr.rootAt(t)),
    postRoot: toBytes32(tr.rootAt(t + m)),
  });
  let fit: number | null = null,
    read: number | null = null,
    fit4: number | null = null;
  for (let t = 2; t + 4 <= tr.length && (fit === null || read === null || fit4 === null); t += 2) {
    const c2 = cheapestCircuitFor(tr, t, 2, ["rv32im_mem"]);
    if (fit === null && c2.id === "rv32im_mem" && t > 0) fit = t;
    if (read === null && c2.id === "rv32im" && [t, t + 1].some((i) => isAuxRead(tr.witnessAt(i)))) read = t;
    if (fit4 === null && t % 4 === 0 && t > 0 && cheapestCircuitFor(tr, t, 4, ["rv32im_mem"]).id === "rv32im_mem")
      fit4 = t;
  }
  if (fit === null || read === null || fit4 === null)
    throw new Error(`fixture windows not found: ${fit} ${read} ${fit4}`);
  const arts = [
    await setupCircuit("groth16", await circuitFor("rv32im", 2), { log, ptau }),
    await setupCircuit("groth16", await circuitFor("rv32im_mem", 2), { log, ptau }),
    await setupCircuit("groth16", counterCircuit(4), { log, ptau }),
    await setupCircuit("groth16", await circuitFor("rv32im_mem", 4), { log, ptau }),
  ];
  for (const a of arts) writeVerifier(a);
  const f2 = cheapestCircuitFor(tr, fit, 2, ["rv32im_mem"]);
  const f4 = cheapestCircuitFor(tr, fit4, 4, ["rv32im_mem"]);
  const { circuitInputFromTrace: full } = await import("../witness-input.ts");
  const out = {
    guest,
    input,
    verifiers: arts.map((a) => ({
      circuit: a.circuit.id,
      m: a.circuit.m,
      name: a.verifierName,
      transcriptHash: a.meta.transcriptHash,
    })),
    fit: {
      ...window(fit, 2),
      full: await prove("rv32im", 2, fit, full(tr, fit, 2)),
      mem: await prove("rv32im_mem", 2, fit, f2.input),
    },
    // startRoot: the root 2 steps before, so a game over [read - 2, read + 2] can end on this leaf
    read: {
      ...window(read, 2),
      startRoot: toBytes32(tr.rootAt(read - 2)),
      full: await prove("rv32im", 2, read, full(tr, read, 2)),
    },
    fit4: { ...window(fit4, 4), mem: await prove("rv32im_mem", 4, fit4, f4.input) },
  };
  const file = join(FIXTURE_DIR, "zk_keyset.json");
  writeAtomic(file, JSON.stringify(out, null, 1) + "\n");
  return file;
}

/**
 * The on-chain half of issue 18's attack: for every committed Groth16 verifier, the proof an attacker
 * forges from the delta zkfp's old default phase 2 derived from its public beacon
 * (zk/setup/forge.ts), for the fixture's first pre-root and a post-root no execution reaches.
 * contracts/test/zk/ tests that the arbitrators reject them (they were accepted before the fix).
 */
export async function writeForgedFixtures(): Promise<string> {
  const { deltaOfFirstBeacon, forgeGroth16 } = await import("../setup/forge.ts");
  const { DEFAULT_DEV_SEED, beaconHashOf } = await import("../setup/devptau.ts");
  const { encodeCalldata } = await import("./snark.ts");
  const d = await deltaOfFirstBeacon(beaconHashOf(`${DEFAULT_DEV_SEED}/phase2`), 10);
  const out: Record<string, unknown> = {};
  for (const [name, fixture] of [
    ["Groth16Verifier_counter_m2", "zk_counter_m2.json"],
    ["Groth16Verifier_rv32im_m1", "zk_rv32im_m1.json"],
  ] as const) {
    const rec = readCommittedSetup(name);
    const pre = BigInt((JSON.parse(readFileSync(join(FIXTURE_DIR, fixture), "utf8")) as { roots: string[] }).roots[0]!);
    const post = 0x1234n;
    const f = await forgeGroth16(rec.vkey, d, pre, post);
    out[name] = {
      transcriptHash: rec.transcriptHash,
      preRoot: toBytes32(pre),
      postRoot: toBytes32(post),
      proof: encodeCalldata("groth16", f.proof, ""),
    };
  }
  const file = join(FIXTURE_DIR, "zk_forged.json");
  writeAtomic(file, JSON.stringify(out, null, 1) + "\n");
  return file;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const which = process.argv[2] ?? "counter";
    console.log(
      which === "rv32im"
        ? await writeRv32imFixtures((m) => console.error(m))
        : which === "keyset"
          ? await writeKeySetFixtures((m) => console.error(m))
          : which === "forged"
            ? await writeForgedFixtures()
            : which === "fflonk"
              ? await writeFflonkFixtures((m) => console.error(m))
              : await writeCounterFixtures((m) => console.error(m)),
    );
  } finally {
    await terminateCurve();
  }
}
