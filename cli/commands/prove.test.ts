/**
 * `zkfp prove` / `zkfp verify` through the CLI dispatcher, on the dev circuit (cached Groth16 setup):
 * verify trusts only a key the user pins (--vkey; --arbitrator is in zk/arbitration.e2e.test.ts), a
 * file checked against its own key is UNTRUSTED, and a file with a doctored key and a proof forged
 * for it (zk/setup/forge.ts) is rejected against the pinned key. `--backend fflonk` (ZKFP_HEAVY): its
 * proof verifies against the committed FFLONK key (its setup is deterministic from the dev ptau).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { main } from "../main.ts";
import { runCli as cli } from "../testing.ts";
import { parseProofFile, ProofFileError } from "./verify.ts";
import { counterCircuit } from "../../zk/prover/circuits.ts";
import { setupCircuit } from "../../zk/prover/snark.ts";
import { forgeGroth16, keyWithKnownDelta } from "../../zk/setup/forge.ts";

const dir = mkdtempSync(join(tmpdir(), "zkfp-cli-prove-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("zkfp prove / verify", () => {
  const proofFile = join(dir, "p.json");

  const vkeyFile = join(dir, "vkey.json");

  it("writes a proof file that verifies against the pinned key, labelled insecure", async () => {
    const p = await cli(["prove", "--circuit", "counter", "--from-step", "2", "--steps", "2", "--out", proofFile]);
    expect(p.code).toBe(0);
    expect(p.out).toMatchObject({
      backend: "groth16",
      fromStep: 2,
      steps: 2,
      proofBytes: 256,
      setup: { insecure: true },
    });
    expect((p.out.setup as { ptau: string }).ptau).toMatch(/^INSECURE/);
    expect(p.out.setup.reasons.join(" ")).toMatch(/not a known public ceremony/);
    const art = await setupCircuit("groth16", counterCircuit(2));
    expect(p.out.setup.transcriptHash).toBe(art.meta.transcriptHash);
    writeFileSync(vkeyFile, JSON.stringify(art.vkey));
    const v = await cli(["verify", "--proof", proofFile, "--vkey", vkeyFile]);
    expect(v.code).toBe(0);
    expect(v.out).toMatchObject({
      valid: true,
      trusted: true,
      verdict: "VALID",
      proofValid: true,
      calldataValid: true,
      vkeySource: "file",
    });
  });

  it("a proof checked only against its embedded key is UNTRUSTED (exit 1) unless --trust-embedded", async () => {
    const v = await cli(["verify", "--proof", proofFile]);
    expect(v.code).toBe(1);
    expect(v.out).toMatchObject({
      valid: true,
      trusted: false,
      verdict: "UNTRUSTED",
      vkeySource: "embedded (untrusted)",
    });
    const t = await cli(["verify", "--proof", proofFile, "--trust-embedded"]);
    expect(t.code).toBe(0);
    expect(t.out.verdict).toBe("VALID");
  });

  it("rejects a file that brings a doctored key and a proof forged for it, when the key is pinned", async () => {
    const j = JSON.parse(readFileSync(proofFile, "utf8"));
    const { vkey, d } = await keyWithKnownDelta(j.vkey);
    const post = 99n; // a post-root no execution reaches
    const f = await forgeGroth16(vkey, d, BigInt(j.preRoot), post);
    const { encodeCalldata, toBytes32 } = await import("../../zk/prover/snark.ts");
    Object.assign(j, {
      vkey,
      proof: f.proof,
      publicSignals: f.publicSignals,
      postRoot: toBytes32(post),
      calldata: encodeCalldata("groth16", f.proof, ""),
    });
    const forged = join(dir, "forged.json");
    writeFileSync(forged, JSON.stringify(j));
    // the forgery is a valid proof for the key inside the file ...
    expect((await cli(["verify", "--proof", forged, "--trust-embedded"])).out.verdict).toBe("VALID");
    expect((await cli(["verify", "--proof", forged])).code).toBe(1);
    // ... and nothing against the real one
    const v = await cli(["verify", "--proof", forged, "--vkey", vkeyFile]);
    expect(v.code).toBe(1);
    expect(v.out).toMatchObject({ valid: false, verdict: "INVALID", proofValid: false });
  });

  it("prove without --out prints only the proof file on stdout", async () => {
    let buf = "";
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => {
      buf += String(s);
      return true;
    });
    const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(await main(["prove", "--circuit", "counter", "--from-step", "1", "--steps", "2"])).toBe(0);
    } finally {
      spy.mockRestore();
      err.mockRestore();
    }
    const b = parseProofFile(buf);
    expect(b.interval).toEqual({ fromStep: 1, steps: 2 });
  });

  it("reports an invalid proof with exit code 1", async () => {
    const j = JSON.parse(readFileSync(proofFile, "utf8"));
    [j.publicSignals[0], j.publicSignals[1]] = [j.publicSignals[1], j.publicSignals[0]];
    [j.preRoot, j.postRoot] = [j.postRoot, j.preRoot];
    const f = join(dir, "swapped.json");
    writeFileSync(f, JSON.stringify(j));
    const v = await cli(["verify", "--proof", f, "--vkey", vkeyFile]);
    expect(v.code).toBe(1);
    expect(v.out).toMatchObject({ valid: false, proofValid: false });
    const k = JSON.parse(readFileSync(proofFile, "utf8"));
    k.calldata = "0x" + "00".repeat(256);
    writeFileSync(f, JSON.stringify(k));
    expect((await cli(["verify", "--proof", f, "--vkey", vkeyFile])).out).toMatchObject({
      valid: false,
      proofValid: true,
      calldataValid: false,
    });
  });

  it("names the offending field of a malformed proof file", async () => {
    const good = readFileSync(proofFile, "utf8");
    const cases: [(j: Record<string, any>) => void, string][] = [
      [
        (j) => {
          j.format = "x";
        },
        "format",
      ],
      [
        (j) => {
          j.backend = "stark";
        },
        "backend",
      ],
      [
        (j) => {
          j.preRoot = "0x12";
        },
        "preRoot",
      ],
      [
        (j) => {
          j.publicSignals = ["1"];
        },
        "publicSignals",
      ],
      [
        (j) => {
          j.publicSignals[1] = "-3";
        },
        "publicSignals[1]",
      ],
      [
        (j) => {
          j.proof.pi_a = [1, 2];
        },
        "proof.pi_a",
      ],
      [
        (j) => {
          j.calldata = "0x00";
        },
        "calldata",
      ],
      [
        (j) => {
          j.circuit.m = 0;
        },
        "circuit.m",
      ],
      [
        (j) => {
          j.interval.steps = 5;
        },
        "interval.steps",
      ],
      [
        (j) => {
          delete j.vkey;
        },
        "vkey",
      ],
    ];
    for (const [mut, field] of cases) {
      const j = JSON.parse(good);
      mut(j);
      let err: unknown;
      try {
        parseProofFile(JSON.stringify(j));
      } catch (e) {
        err = e;
      }
      expect(err, field).toBeInstanceOf(ProofFileError);
      expect((err as ProofFileError).detail.field).toBe(field);
    }
    expect(() => parseProofFile("{not json")).toThrow(ProofFileError);
    const f = join(dir, "bad.json");
    writeFileSync(f, good.replace('"zkfp-proof/1"', '"nope"'));
    const v = await cli(["verify", "--proof", f]);
    expect(v.code).toBe(65); // bad input data (cli/exit.ts)
    expect(v.out).toMatchObject({ error: { name: "ProofFileError", detail: { field: "format" } } });
  });

  it("rejects bad options with usage errors and risc0 with a typed not-installed error", async () => {
    expect((await cli(["verify", "--proof", proofFile, "--arbitrator", "0x12"])).out).toMatchObject({
      error: { name: "UsageError", detail: { option: "rpc-url" } },
    });
    expect(
      (await cli(["verify", "--proof", proofFile, "--vkey", vkeyFile, "--arbitrator", "0x" + "11".repeat(20)])).code,
    ).toBe(64);
    const rpc = await cli([
      "verify",
      "--proof",
      proofFile,
      "--arbitrator",
      "0x" + "11".repeat(20),
      "--rpc-url",
      "http://127.0.0.1:1",
    ]);
    expect(rpc.out).toMatchObject({ error: { name: "RpcUnreachableError" } });
    expect((await cli(["prove", "--circuit", "counter", "--backend", "halo2"])).out).toMatchObject({
      error: { name: "UsageError", detail: { option: "backend" } },
    });
    expect((await cli(["prove", "--circuit", "counter", "--steps", "0"])).out).toMatchObject({
      error: { name: "UsageError", detail: { option: "steps" } },
    });
    expect((await cli(["prove", "--steps", "1"])).out).toMatchObject({
      error: { name: "UsageError", detail: { option: "elf" } },
    });
    const elf = new URL("../../vm/guests/bin/", import.meta.url).pathname;
    const { readdirSync } = await import("node:fs");
    const guest = readdirSync(elf).find((f) => f.endsWith(".elf"))!;
    const r = await cli(["prove", "--elf", join(elf, guest), "--steps", "1", "--backend", "risc0"]);
    expect(r.out).toMatchObject({ error: { name: "Risc0NotInstalledError" } });
  });
});

describe("zkfp prove --backend fflonk", () => {
  // FFLONK of the counter circuit needs a 2^16 ptau and its own setup (about a minute cold): heavy
  it.skipIf(!process.env.ZKFP_HEAVY)(
    "writes a 768-byte FFLONK proof that verifies against the committed FFLONK key and not the PLONK one",
    async () => {
      const f = join(dir, "fflonk.json");
      const p = await cli([
        "prove",
        "--circuit",
        "counter",
        "--from-step",
        "5",
        "--steps",
        "2",
        "--backend",
        "fflonk",
        "--out",
        f,
      ]);
      expect(p.code).toBe(0);
      expect(p.out).toMatchObject({ backend: "fflonk", proofBytes: 768, setup: { insecure: true } });
      const { readCommittedSetup } = await import("../../zk/prover/fixtures.ts");
      const vk = join(dir, "fflonk-vkey.json"),
        pk = join(dir, "plonk-vkey.json");
      writeFileSync(vk, JSON.stringify(readCommittedSetup("FflonkVerifier_counter_m2").vkey));
      writeFileSync(pk, JSON.stringify(readCommittedSetup("PlonkVerifier_counter_m2").vkey));
      expect((await cli(["verify", "--proof", f, "--vkey", vk])).out).toMatchObject({ verdict: "VALID" });
      // a key of another backend is a usage error, not a verdict
      expect((await cli(["verify", "--proof", f, "--vkey", pk])).out).toMatchObject({
        error: { name: "UsageError", detail: { option: "vkey" } },
      });
    },
    300_000,
  );
});
