/**
 * Lock-step differential execution against qemu-riscv32 (an independent RV32IM implementation).
 * qemu is run with `-singlestep -d cpu,nochain`, which logs pc and the 32 registers before every
 * instruction; we stream that log (stderr) and compare each state with the zkfp machine's state
 * before the same step, executed by the reference step (stepSlow). sp is skipped at step 0 only
 * (qemu's loader sets it; our guests set it in their first instructions).
 */
import { spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { createReadStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Machine } from "../machine.ts";
import { loadElf } from "../elf.ts";

export function qemuAvailable(): boolean {
  return spawnSync("qemu-riscv32", ["--version"]).status === 0;
}

export type DiffResult = {
  steps: number;
  mismatch?: { step: number; what: string; qemu: number; zkfp: number };
  qemuExit: number | null;
  zkfpExit?: number;
};

export async function diffWithQemu(
  elf: Uint8Array,
  elfPath: string,
  opts: { input?: Uint8Array; maxSteps?: number } = {},
): Promise<DiffResult> {
  const maxSteps = opts.maxSteps ?? 300_000;
  const m = await Machine.create(loadElf(elf), { input: opts.input });
  // the log goes through a FIFO: node's child stdio are sockets, which qemu cannot open by path
  const dir = mkdtempSync(join(tmpdir(), "zkfp-qemu-"));
  const fifo = join(dir, "log");
  if (spawnSync("mkfifo", [fifo]).status !== 0) throw new Error("mkfifo failed");
  const q = spawn("qemu-riscv32", ["-singlestep", "-d", "cpu,nochain", "-D", fifo, elfPath], {
    stdio: ["pipe", "ignore", "ignore"],
  });
  q.stdin.on("error", () => {});
  q.stdin.end(opts.input ?? new Uint8Array(0));
  const rl = createInterface({ input: createReadStream(fifo) });
  let step = -1;
  let regs: number[] = [];
  let pc = 0;
  let mismatch: DiffResult["mismatch"];
  const check = (): boolean => {
    // compare qemu's state before instruction `step` with ours
    if (m.pc >>> 0 !== pc) {
      mismatch = { step, what: "pc", qemu: pc, zkfp: m.pc >>> 0 };
      return false;
    }
    for (let r = 0; r < 32; r++) {
      if (step === 0 && r === 2) continue;
      if (regs[r] !== m.regs[r]! >>> 0) {
        mismatch = { step, what: `x${r}`, qemu: regs[r]!, zkfp: m.regs[r]! >>> 0 };
        return false;
      }
    }
    return true;
  };
  let done = false;
  for await (const line of rl) {
    if (done) continue;
    const pm = /^ pc\s+([0-9a-f]+)/.exec(line);
    if (pm) {
      pc = parseInt(pm[1]!, 16);
      regs = [];
      continue;
    }
    for (const mm of line.matchAll(/x(\d+)\/\w+\s+([0-9a-f]{8})/g)) regs[Number(mm[1])] = parseInt(mm[2]!, 16);
    if (regs.length === 32 && regs.every((x) => x !== undefined) && /x31\//.test(line)) {
      step++;
      if (!check() || step >= maxSteps || m.halted) {
        done = true;
        q.kill("SIGKILL");
        continue;
      }
      m.stepSlow();
    }
  }
  rmSync(dir, { recursive: true, force: true });
  const code: number | null = await new Promise((res) =>
    q.exitCode !== null || q.signalCode !== null ? res(q.exitCode) : q.on("close", (c) => res(c)),
  );
  return { steps: step + 1, mismatch, qemuExit: code, zkfpExit: m.result().exitCode };
}
