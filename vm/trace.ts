/**
 * Random access to a run's execution trace: the state root after any step t, a step witness for
 * step t (the step from state t to t+1), and Merkle proofs of memory words at step t.
 *
 * The machine is deterministic, so the trace is recomputed on demand from snapshots taken every
 * `snapshotEvery` steps during the first pass (at most `maxSnapshots`; when full, every other
 * one is dropped and the spacing doubles, so memory stays bounded for runs of any length).
 * Moving between steps rehashes only the memory words that differ (WordTree.sync diffs).
 * Steps past the halting step repeat the halted state (a fixed point, vm/STATE.md), so any t >= 0
 * is valid: rootAt(t) and witnessAt(t) for t >= length are the halted state's root and its
 * (no-op) step witness. A trace cut by `maxSteps` before the halt is not clamped: a step past the
 * cut is computed by running on from the last snapshot.
 */
import { Machine, type MachineOptions, type MachineSnapshot } from "./machine.ts";
import type { Program } from "./elf.ts";
import { stepWitness } from "./witness.ts";
import { ZkfpError } from "./errors.ts";

export class VmTraceError extends ZkfpError {
  override readonly name = "VmTraceError";
}

export type TraceOptions = MachineOptions & { snapshotEvery?: number; maxSnapshots?: number; maxSteps?: number };

export class Trace {
  readonly machine: Machine;
  /** number of steps to reach the halted state (or maxSteps if it never halts) */
  readonly length: number;
  /** whether the run halted at `length` (else it was cut at maxSteps) */
  readonly halted: boolean;
  private snapshots: MachineSnapshot[] = [];
  private every: number;
  private readonly maxSnapshots: number;

  private constructor(
    machine: Machine,
    every: number,
    maxSnapshots: number,
    length: number,
    halted: boolean,
    snaps: MachineSnapshot[],
  ) {
    this.machine = machine;
    this.halted = halted;
    this.every = every;
    this.maxSnapshots = maxSnapshots;
    this.length = length;
    this.snapshots = snaps;
  }

  static async create(program: Program, opts: TraceOptions = {}): Promise<Trace> {
    let every = opts.snapshotEvery ?? 1 << 16;
    const maxSnapshots = opts.maxSnapshots ?? 64;
    const maxSteps = opts.maxSteps ?? 1e10;
    if (!(every >= 1) || !Number.isInteger(every))
      throw new VmTraceError("snapshotEvery must be a positive integer", { value: every });
    const m = await Machine.create(program, opts);
    let snaps: MachineSnapshot[] = [m.snapshot()];
    while (!m.halted && m.step < maxSteps) {
      m.run(Math.min(every, maxSteps - m.step));
      if (m.step % every === 0 && !m.halted) {
        snaps.push(m.snapshot());
        if (snaps.length > maxSnapshots) {
          snaps = snaps.filter((_, i) => i % 2 === 0);
          every *= 2;
        }
      }
    }
    const length = m.step;
    const halted = m.halted;
    m.restore(snaps[0]!);
    return new Trace(m, every, maxSnapshots, length, halted, snaps);
  }

  /** Position the machine at state t (after t steps). */
  seek(t: number): Machine {
    if (!Number.isInteger(t) || t < 0)
      throw new VmTraceError("step index must be a non-negative integer", { value: t });
    const m = this.machine;
    // past a halt the halted state repeats; past a maxSteps cut the run goes on
    const target = this.halted ? Math.min(t, this.length) : t;
    const si = Math.min(Math.floor(target / this.every), this.snapshots.length - 1);
    const snap = this.snapshots[si]!;
    if (m.step > target || m.step < snap.step) m.restore(snap);
    if (m.step < target) m.run(target - m.step);
    return m;
  }

  /** Root after t steps; past the halt the halted state (a fixed point) and its root repeat. */
  rootAt(t: number): bigint {
    return this.seek(t).stateRoot();
  }

  witnessAt(t: number): bigint[] {
    return stepWitness(this.seek(t));
  }

  memoryProof(t: number, addr: number): { word: number; proof: bigint[]; memRoot: bigint } {
    const m = this.seek(t);
    if (!Number.isInteger(addr) || addr < 0 || addr >= m.m8.length || addr % 4 !== 0)
      throw new VmTraceError("address must be a word-aligned address in memory", { addr });
    m.syncMemory();
    return { word: m.m32[addr >>> 2]!, proof: m.memTree.proof(addr >>> 2), memRoot: m.memTree.root() };
  }
}
