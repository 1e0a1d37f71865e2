/**
 * risc0 backend of the `Prover` interface, through risc0's command-line tools. NOT RUN HERE:
 * neither `r0vm` nor `cargo risczero` can be installed on these machines (no registry ships them),
 * so only command construction, tool detection and output parsing are exercised (risc0.test.ts).
 *
 * Intended flow: a risc0 guest (`ZKFP_RISC0_GUEST`, an ELF built with `cargo risczero build` from a
 * Rust port of vm/verify.ts — not written yet) reads (preRoot, fromStep, m, the m step witnesses)
 * from its input, checks them exactly as vm/verify.ts does, and commits the journal
 *   preRoot (32 bytes, big-endian) | postRoot (32) | fromStep (u64 LE) | m (u64 LE)   = 80 bytes.
 * The adapter runs `r0vm --elf <guest> --initial-input <input.bin> --receipt <out.receipt>`, then
 * reads the journal file the guest host writes beside the receipt (`<out.receipt>.journal`).
 * On chain a risc0 receipt would be checked by risc0's Groth16 wrapper verifier (RiscZeroVerifier),
 * not by contracts/src/zk/; that wrapper is not part of this repository.
 *
 * Pitfall: r0vm's flags changed across releases (older ones take --receipt; newer ones are a
 * server); `detectRisc0` reports the version so a mismatch is visible rather than silent.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { ZkfpError } from "../../vm/errors.ts";
import type { ProofBundle, ProveRequest, ProveTimings, Prover } from "./types.ts";

export class Risc0NotInstalledError extends ZkfpError {
  override readonly name = "Risc0NotInstalledError";
}
export class Risc0Error extends ZkfpError {
  override readonly name = "Risc0Error";
}

export type Risc0Tools = { r0vm: string | null; cargoRisczero: string | null };
type Runner = (
  cmd: string,
  args: string[],
) => { status: number | null; stdout: string; stderr: string; error?: NodeJS.ErrnoException };

const defaultRunner: Runner = (cmd, args) => {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: 30_000 });
  return {
    status: r.status,
    stdout: r.stdout ?? "",
    stderr: r.stderr ?? "",
    error: r.error as NodeJS.ErrnoException | undefined,
  };
};

/** `r0vm 1.2.3` / `cargo-risczero 1.2.3` / `risc0-r0vm 0.21.0` -> "1.2.3"; null if no version in the text. */
export function parseVersion(text: string): string | null {
  const m = /(?:r0vm|risczero)\S*\s+v?(\d+\.\d+\.\d+(?:-[\w.]+)?)/i.exec(text);
  return m ? m[1]! : null;
}

/** Which risc0 tools are on PATH (their versions), via `<tool> --version`. */
export function detectRisc0(run: Runner = defaultRunner): Risc0Tools {
  const probe = (cmd: string, args: string[]): string | null => {
    const r = run(cmd, args);
    if (r.error || r.status !== 0) return null;
    return parseVersion(r.stdout + r.stderr) ?? "unknown";
  };
  return { r0vm: probe("r0vm", ["--version"]), cargoRisczero: probe("cargo", ["risczero", "--version"]) };
}

export type Risc0Job = { guest: string; inputFile: string; receipt: string };

/** The r0vm invocation that proves one job. */
export function proveCommand(job: Risc0Job): { cmd: string; args: string[] } {
  return { cmd: "r0vm", args: ["--elf", job.guest, "--initial-input", job.inputFile, "--receipt", job.receipt] };
}

/** The guest's input: preRoot (32 BE) | fromStep (u64 LE) | m (u64 LE) | m * 165 field elements (32 BE each). */
export function encodeGuestInput(
  preRoot: bigint,
  fromStep: number,
  witnesses: readonly (readonly bigint[])[],
): Uint8Array {
  const m = witnesses.length;
  const out = new Uint8Array(32 + 16 + m * 165 * 32);
  const dv = new DataView(out.buffer);
  const put32 = (off: number, x: bigint) => {
    for (let i = 0; i < 32; i++) out[off + i] = Number((x >> BigInt(8 * (31 - i))) & 0xffn);
  };
  put32(0, preRoot);
  dv.setBigUint64(32, BigInt(fromStep), true);
  dv.setBigUint64(40, BigInt(m), true);
  let off = 48;
  for (const w of witnesses) {
    if (w.length !== 165) throw new Risc0Error("step witness must have 165 elements", { length: w.length });
    for (const x of w) {
      put32(off, x);
      off += 32;
    }
  }
  return out;
}

export type Journal = { preRoot: string; postRoot: string; fromStep: number; m: number };

/** Parses the 80-byte journal the guest commits. */
export function parseJournal(bytes: Uint8Array): Journal {
  if (bytes.length !== 80) throw new Risc0Error("journal must be 80 bytes", { length: bytes.length });
  const hex = (a: number, b: number) => "0x" + Buffer.from(bytes.subarray(a, b)).toString("hex");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fromStep = dv.getBigUint64(64, true);
  const m = dv.getBigUint64(72, true);
  if (fromStep > BigInt(Number.MAX_SAFE_INTEGER) || m > BigInt(Number.MAX_SAFE_INTEGER))
    throw new Risc0Error("journal step counts out of range", { fromStep: String(fromStep), m: String(m) });
  return { preRoot: hex(0, 32), postRoot: hex(32, 64), fromStep: Number(fromStep), m: Number(m) };
}

export class Risc0Prover implements Prover {
  readonly backend = "risc0" as const;
  constructor(
    readonly opts: {
      guest?: string;
      witnesses?: (req: ProveRequest) => Promise<{ preRoot: bigint; witnesses: bigint[][] }>;
      run?: Runner;
    } = {},
  ) {}

  private requireTools(): Risc0Tools {
    const tools = detectRisc0(this.opts.run);
    if (!tools.r0vm) {
      throw new Risc0NotInstalledError(
        "risc0 is not installed (r0vm not on PATH); install it with rzup, or use --backend groth16|plonk",
        {
          r0vm: tools.r0vm,
          cargoRisczero: tools.cargoRisczero,
        },
      );
    }
    return tools;
  }

  async prove(req: ProveRequest): Promise<{ bundle: ProofBundle; timings: ProveTimings }> {
    const tools = this.requireTools();
    const guest = this.opts.guest ?? process.env.ZKFP_RISC0_GUEST;
    if (!guest || !existsSync(guest))
      throw new Risc0Error("risc0 guest ELF not found (set ZKFP_RISC0_GUEST)", { guest: guest ?? null });
    if (!this.opts.witnesses) throw new Risc0Error("no step-witness source configured", {});
    const { preRoot, witnesses } = await this.opts.witnesses(req);
    const base = `${process.env.TMPDIR ?? "/tmp"}/zkfp-risc0-${process.pid}-${req.fromStep ?? 0}-${req.m}`;
    const job: Risc0Job = { guest, inputFile: `${base}.in`, receipt: `${base}.receipt` };
    writeFileSync(job.inputFile, encodeGuestInput(preRoot, req.fromStep ?? 0, witnesses));
    const { cmd, args } = proveCommand(job);
    const t0 = performance.now();
    const r = (this.opts.run ?? defaultRunner)(cmd, args);
    if (r.error || r.status !== 0)
      throw new Risc0Error("r0vm failed", {
        cmd: [cmd, ...args].join(" "),
        status: r.status,
        stderr: r.stderr.slice(-2000),
      });
    const journal = parseJournal(new Uint8Array(readFileSync(`${job.receipt}.journal`)));
    const receipt = readFileSync(job.receipt);
    const bundle: ProofBundle = {
      format: "zkfp-proof/1",
      backend: "risc0",
      circuit: { id: "risc0-guest", m: req.m, key: `r0vm ${tools.r0vm}` },
      interval: { fromStep: journal.fromStep, steps: journal.m },
      preRoot: journal.preRoot,
      postRoot: journal.postRoot,
      publicSignals: [BigInt(journal.preRoot).toString(), BigInt(journal.postRoot).toString()],
      proof: { receipt: receipt.toString("base64") },
      calldata: "0x",
      vkey: null,
      setup: { ptau: "none (risc0 STARK, transparent setup)", ptauSha256: "", insecure: false },
    };
    return { bundle, timings: { setupSeconds: 0, proveSeconds: (performance.now() - t0) / 1000, cached: false } };
  }

  async verify(): Promise<boolean> {
    this.requireTools();
    throw new Risc0Error("risc0 receipt verification is not implemented in this adapter", {});
  }
}
