/**
 * A three-contributor phase-2 ceremony + beacon on the dev counter circuit, end to end through the
 * library and `zkfp setup` (cli/commands/setup.ts): `zkey verify` passes, the transcript lists
 * every contribution hash, the exported verifier carries the transcript hash, and tampered files
 * (a flipped key point, a contribution dropped from the record, a doctored transcript) are rejected.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli as cli } from "../../cli/testing.ts";
import { counterCircuit } from "../prover/circuits.ts";
import { cacheRoot, compileCircuit } from "../prover/snark.ts";
import { internals, terminateCurve } from "../snarkjs.ts";
import {
  CeremonyError,
  phase2Beacon,
  phase2Contribute,
  phase2Start,
  phase2Verify,
  readPhase2,
  transcriptHash,
} from "./ceremony.ts";
import { resolvePtau } from "./ptau.ts";

const dir = mkdtempSync(join(tmpdir(), "zkfp-ceremony-"));
let r1cs = "",
  ptau = "";
const z = (n: string) => join(dir, `${n}.zkey`);

beforeAll(async () => {
  r1cs = join(await compileCircuit(counterCircuit(2)), "circuit.r1cs");
  ptau = (await resolvePtau({ power: 10, cacheDir: cacheRoot() })).file;
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await terminateCurve();
});

/** A zkey with `keyFrom`'s key sections and `recordFrom`'s contribution record (section 10). */
async function spliceRecord(keyFrom: string, recordFrom: string, out: string): Promise<void> {
  const { binFileUtils } = await internals();
  const a = await binFileUtils.readBinFile(keyFrom, "zkey", 2);
  const b = await binFileUtils.readBinFile(recordFrom, "zkey", 2);
  const fd = await binFileUtils.createBinFile(out, "zkey", 1, 10);
  for (let s = 1; s <= 9; s++) await binFileUtils.copySection(a.fd, a.sections, fd, s);
  await binFileUtils.copySection(b.fd, b.sections, fd, 10);
  await Promise.all([a.fd.close(), b.fd.close(), fd.close()]);
}

describe("phase-2 ceremony (counter circuit)", () => {
  const hashes: string[] = [];

  it("three contributors and a beacon: zkey verify passes, the record lists every hash", async () => {
    await phase2Start(r1cs, ptau, z("0000"));
    expect((await readPhase2(z("0000"))).contributions).toEqual([]);
    hashes.push(await phase2Contribute(z("0000"), z("0001"), { name: "alice" }));
    const ent = join(dir, "entropy.bin");
    writeFileSync(ent, "bob's dice rolls 3 1 4 1 5 9 2 6");
    hashes.push(await phase2Contribute(z("0001"), z("0002"), { name: "bob", entropyFile: ent }));
    const c = await cli(["setup", "contribute", "--in", z("0002"), "--out", z("0003"), "--name", "carol"]);
    expect(c.code).toBe(0);
    hashes.push(c.out.contributionHash);
    hashes.push(
      await phase2Beacon(z("0003"), z("final"), {
        beaconHex: "0x" + "ab".repeat(32),
        iterationsExp: 10,
        name: "block 123 hash",
      }),
    );
    for (const h of hashes) expect(h).toMatch(/^[0-9a-f]{128}$/);
    expect(new Set(hashes).size).toBe(4);
    const rec = await readPhase2(z("final"));
    expect(rec.contributions.map((x) => [x.type, x.name, x.hash])).toEqual([
      ["contribution", "alice", hashes[0]],
      ["contribution", "bob", hashes[1]],
      ["contribution", "carol", hashes[2]],
      ["beacon", "block 123 hash", hashes[3]],
    ]);
    expect(rec.contributions[3]!.beacon).toEqual({ hash: "ab".repeat(32), iterationsExp: 10 });
    expect(await phase2Verify(z("final"), r1cs, ptau)).toBe(true);
  });

  it("zkfp setup verify / export: transcript hash, exported verifier carries it, INSECURE on a dev ptau", async () => {
    const v = await cli(["setup", "verify", "--zkey", z("final"), "--r1cs", r1cs, "--ptau", ptau]);
    expect(v.code).toBe(0);
    expect(v.out.verified).toBe(true);
    expect(v.out.contributions.map((c: { hash: string }) => c.hash)).toEqual(hashes);
    const out = join(dir, "export");
    const e = await cli([
      "setup",
      "export",
      "--zkey",
      z("final"),
      "--r1cs",
      r1cs,
      "--ptau",
      ptau,
      "--out",
      out,
      "--name",
      "CeremonyVerifier",
    ]);
    expect(e.code).toBe(0);
    expect(e.out.transcriptHash).toBe(v.out.transcriptHash);
    // phase 2 is fine (3 secret contributions, verified) but the dev ptau is not a ceremony file
    expect(e.out.insecure).toBe(true);
    expect(e.out.security.phase2).toEqual({ secretContributions: 3, beacons: 1, verified: true });
    expect(e.out.security.reasons.join(" ")).toMatch(/not a known public ceremony/);
    const sol = readFileSync(join(out, "verifier.sol"), "utf8");
    // no --circuit: no circuit constants, so a zkfp arbitrator would refuse it
    expect(sol).not.toContain("CIRCUIT_ID");
    expect(sol).toContain(`bytes32 public constant SETUP_TRANSCRIPT_HASH = ${v.out.transcriptHash};`);
    expect(sol).toContain("bool public constant SETUP_INSECURE = true;");
    expect(sol.split("\n")[1]).toMatch(/^\/\/ INSECURE setup/);
    const t = JSON.parse(readFileSync(join(out, "transcript.json"), "utf8"));
    expect(transcriptHash(t)).toBe(v.out.transcriptHash);
    // a doctored transcript does not check against the zkey
    t.phase2.contributions[1].hash = hashes[0];
    writeFileSync(join(dir, "doctored.json"), JSON.stringify(t));
    const d = await cli([
      "setup",
      "verify",
      "--zkey",
      z("final"),
      "--r1cs",
      r1cs,
      "--ptau",
      ptau,
      "--transcript",
      join(dir, "doctored.json"),
    ]);
    expect(d.code).toBe(1);
    expect(d.out.transcriptMatches).toBe(false);
  });

  it("rejects a tampered key and a contribution dropped from the record", async () => {
    // a flipped byte inside the H section (section 9): the key no longer matches its contributions
    const { binFileUtils } = await internals();
    const r = await binFileUtils.readBinFile(z("final"), "zkey", 2);
    const h = r.sections[9][0] as { p: number; size: number };
    await r.fd.close();
    const bytes = readFileSync(z("final"));
    bytes[h.p + Math.floor(h.size / 2)]! ^= 0x01;
    writeFileSync(z("flipped"), bytes);
    expect(await phase2Verify(z("flipped"), r1cs, ptau)).toBe(false);
    // carol's key with the record of the first two contributions only: her delta is unaccounted for
    await spliceRecord(z("0003"), z("0002"), z("dropped"));
    expect((await readPhase2(z("dropped"))).contributions).toHaveLength(2);
    const e = await cli([
      "setup",
      "export",
      "--zkey",
      z("dropped"),
      "--r1cs",
      r1cs,
      "--ptau",
      ptau,
      "--out",
      join(dir, "x"),
    ]);
    expect(e.code).toBe(1);
    expect(e.out).toMatchObject({ verified: false, exported: false });
  });

  it("rejects bad beacons, unreadable files and usage errors", async () => {
    await expect(phase2Beacon(z("0001"), z("b"), { beaconHex: "xyz", iterationsExp: 10 })).rejects.toBeInstanceOf(
      CeremonyError,
    );
    await expect(phase2Beacon(z("0001"), z("b"), { beaconHex: "abcd", iterationsExp: 9 })).rejects.toBeInstanceOf(
      CeremonyError,
    );
    await expect(phase2Contribute(join(dir, "nope.zkey"), z("b"))).rejects.toBeInstanceOf(CeremonyError);
    await expect(readPhase2(r1cs)).rejects.toBeInstanceOf(CeremonyError);
    expect((await cli(["setup", "bake"])).code).toBe(64);
    expect((await cli(["setup", "contribute", "--out", z("b")])).out.error.detail.option).toBe("in");
  });
  it("zkfp setup export --circuit: the r1cs must be that circuit's; the verifier then carries its constants", async () => {
    const args = (out: string, steps: string) => [
      "setup",
      "export",
      "--zkey",
      z("final"),
      "--r1cs",
      r1cs,
      "--ptau",
      ptau,
      "--out",
      out,
      "--name",
      "CeremonyVerifier",
      "--circuit",
      "counter",
      "--steps",
      steps,
    ];
    const ok = await cli(args(join(dir, "export-c2"), "2"));
    expect(ok.code).toBe(0);
    const sol = readFileSync(join(dir, "export-c2", "verifier.sol"), "utf8");
    expect(sol).toContain('bytes32 public constant CIRCUIT_ID = "counter";');
    expect(sol).toContain("uint256 public constant CIRCUIT_STEPS = 2;");
    expect(sol).toContain("bool public constant CIRCUIT_COMPLETE = true;");
    // a liar labelling the ceremony's counter(2) key as counter(3): refused, nothing written
    const bad = await cli(args(join(dir, "export-c3"), "3"));
    expect(bad.code).toBe(64);
    expect(JSON.stringify(bad.out)).toMatch(/not the compiled r1cs/);
    expect(existsSync(join(dir, "export-c3", "verifier.sol"))).toBe(false);
  });
});
