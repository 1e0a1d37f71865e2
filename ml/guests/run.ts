/**
 * Running ML guests: input-stream encoders for ml/guests/src/node.c, and two machines to run an
 * ELF on: qemu-riscv32 (the cross-check, Linux user mode) and the zkfp VM (vm/index.ts, the
 * reference). Both follow the same syscall ABI, so the same ELF and input give the same stdout.
 *
 * Pitfalls: qemu cannot serve the preimage oracle (fds 5/6), so node-program mode 1 runs only on the
 * zkfp VM; qemu's stdout is a pipe, so large outputs go through a temp file.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { ZkfpError } from "../../vm/errors.ts";

export class GuestRunError extends ZkfpError {
  override readonly name = "GuestRunError";
}

export const GUEST_BIN = join(dirname(fileURLToPath(import.meta.url)), "bin");
export const guestPath = (name: string): string => join(GUEST_BIN, `${name}.elf`);
export const NODE_MAGIC = 0x314e4b5a;

/** little-endian word writer */
export class Words {
  private buf = new Uint8Array(1024);
  private n = 0;
  private grow(k: number) {
    if (this.n + k <= this.buf.length) return;
    const nb = new Uint8Array(Math.max(this.buf.length * 2, this.n + k));
    nb.set(this.buf.subarray(0, this.n));
    this.buf = nb;
  }
  u32(v: number): this {
    this.grow(4);
    new DataView(this.buf.buffer).setUint32(this.n, v >>> 0, true);
    this.n += 4;
    return this;
  }
  /** bytes, zero-padded to a multiple of 4 */
  bytes(b: Uint8Array): this {
    const p = (b.length + 3) & ~3;
    this.grow(p);
    this.buf.set(b, this.n);
    this.buf.fill(0, this.n + b.length, this.n + p);
    this.n += p;
    return this;
  }
  done(): Uint8Array {
    return this.buf.slice(0, this.n);
  }
}

export type BatchRecord = { op: number; params: readonly number[]; inputs: readonly Uint8Array[] };

/** node.c mode 0: many nodes with inline input tensors */
export function encodeBatch(records: readonly BatchRecord[]): Uint8Array {
  const w = new Words().u32(NODE_MAGIC).u32(0);
  for (const r of records) {
    w.u32(r.op).u32(r.params.length);
    for (const p of r.params) w.u32(p);
    w.u32(r.inputs.length);
    for (const b of r.inputs) w.u32(b.length).bytes(b);
  }
  return w.u32(0).done();
}

export type RunResult = { stdout: Uint8Array; exitCode: number; steps?: number; seconds: number; stateRoot?: bigint };

export function qemuAvailable(): boolean {
  return spawnSync("qemu-riscv32", ["--version"]).status === 0;
}

export function runQemu(elf: string, input: Uint8Array): RunResult {
  const dir = mkdtempSync(join(tmpdir(), "zkfp-ml-"));
  try {
    const inp = join(dir, "in"),
      out = join(dir, "out");
    writeFileSync(inp, input);
    const t0 = performance.now();
    const r = spawnSync("bash", ["-c", `qemu-riscv32 "$0" < "$1" > "$2"`, elf, inp, out], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    const seconds = (performance.now() - t0) / 1000;
    if (r.error) throw new GuestRunError("qemu-riscv32 failed to start", { elf, error: String(r.error) });
    if (r.status === null) throw new GuestRunError("qemu-riscv32 was killed", { elf, signal: r.signal });
    return { stdout: new Uint8Array(readFileSync(out)), exitCode: r.status, seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const VM_INDEX = join(dirname(fileURLToPath(import.meta.url)), "../../vm/index.ts");
export function vmAvailable(): boolean {
  return existsSync(VM_INDEX);
}

type VmModule = {
  loadElf(bytes: Uint8Array): unknown;
  Machine: {
    create(
      p: unknown,
      o: { input?: Uint8Array; preimages?: Iterable<Uint8Array> | Map<bigint, Uint8Array> },
    ): Promise<VmMachine>;
  };
  blobKey(bytes: Uint8Array): bigint;
};
type VmMachine = {
  run(maxSteps?: number): { steps: number; status: string; exitCode?: number; trap?: number };
  stdout(): Uint8Array;
  stateRoot(): bigint;
};
let vmMod: VmModule | undefined;
export async function loadVm(): Promise<VmModule> {
  if (!vmMod) vmMod = (await import(VM_INDEX)) as VmModule;
  return vmMod;
}

/** Runs elf on the zkfp VM to completion (or maxSteps); a trap or step overrun is a GuestRunError. */
export async function runVm(
  elf: string,
  input: Uint8Array,
  opts: { preimages?: Map<bigint, Uint8Array>; maxSteps?: number; stateRoot?: boolean } = {},
): Promise<RunResult> {
  const vm = await loadVm();
  const t0 = performance.now();
  const prog = vm.loadElf(new Uint8Array(readFileSync(elf)));
  const m = await vm.Machine.create(prog, { input, preimages: opts.preimages });
  const r = m.run(opts.maxSteps ?? 2 ** 40);
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== "exited")
    throw new GuestRunError(`guest did not exit (${r.status})`, {
      elf,
      status: r.status,
      trap: r.trap,
      steps: r.steps,
    });
  return {
    stdout: m.stdout(),
    exitCode: r.exitCode ?? -1,
    steps: r.steps,
    seconds,
    stateRoot: opts.stateRoot ? m.stateRoot() : undefined,
  };
}
