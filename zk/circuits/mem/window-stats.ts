/**
 * Window statistics of real guest runs for the memory-checked circuit (rv32im_mem.circom): per
 * window of m steps, the number of distinct memory words the steps' memory slots touch (vm/witness.ts
 * `memorySlot`), how many of them are written, the number of distinct fetched code words, and
 * whether the window reads input/blob data (read fd 0/5). Used to pick the slot capacities.
 *
 * Usage: npx tsx zk/circuits/mem/window-stats.ts [--max N]
 */
import { readFileSync } from "node:fs";
import { Machine, type MachineOptions } from "../../../vm/machine.ts";
import { loadElf } from "../../../vm/elf.ts";
import { memorySlot, fetchOk } from "../../../vm/witness.ts";
import { CODE_BASE } from "../../../vm/layout.ts";
import type { MemCaps } from "../build.ts";

/** aux[i]: 0 = no read(fd 0/5); else 1 + fd5 + 2 * word index + 2^21 * (preimage key changes so far) */
export type StepRec = {
  code: Int32Array;
  mem: Int32Array;
  wr: Uint8Array;
  aux: Float64Array;
  out: Uint8Array;
  n: number;
};

/** Records per step: code word index (-1 if the fetch traps), memory slot word index (-1 if none), written?, aux read? */
export async function recordRun(elf: string, opts: MachineOptions, max: number): Promise<StepRec> {
  const m = await Machine.create(loadElf(new Uint8Array(readFileSync(elf))), opts);
  const code = new Int32Array(max),
    mem = new Int32Array(max),
    wr = new Uint8Array(max),
    aux = new Float64Array(max),
    out = new Uint8Array(max);
  let n = 0,
    keyVersion = 0,
    lastKey = m.preimageKey;
  while (n < max && !m.halted) {
    const ok = fetchOk(m.pc);
    const insn = ok ? m.m32[m.pc >>> 2]! : 0;
    code[n] = ok ? (m.pc - CODE_BASE) >>> 2 : -1;
    const a = memorySlot(insn, ok, m.regs);
    const slot = ok && (a !== 0 || touches(insn, m.regs));
    mem[n] = slot ? a >>> 2 : -1;
    const before = m.m32[a >>> 2]!;
    if (m.preimageKey !== lastKey) {
      lastKey = m.preimageKey;
      keyVersion++;
    }
    const fd5 = m.regs[10] === 5 ? 1 : 0;
    aux[n] =
      !m.halted && ok && insn === 0x73 && m.regs[17] === 63 && (m.regs[10] === 0 || fd5)
        ? 1 + fd5 + 2 * (((fd5 ? m.preimageOffset : m.inputPos) >>> 2) & 0xfffff) + 2 ** 21 * keyVersion
        : 0;
    const outLen = m.out.length;
    m.run(1);
    wr[n] = m.m32[a >>> 2]! !== before ? 1 : 0;
    out[n] = m.out.length > outLen ? 1 : 0;
    n++;
  }
  return { code, mem, wr, aux, out, n };
}

function touches(insn: number, regs: Int32Array): boolean {
  const op = insn & 0x7f;
  return op === 0x03 || op === 0x23 || (insn === 0x73 && (regs[17] === 63 || regs[17] === 64));
}

export type WindowStat = { mem: number; written: number; code: number; aux: boolean; auxWords: number; outs: number };

export function windowStat(r: StepRec, t: number, m: number): WindowStat {
  const mem = new Set<number>(),
    w = new Set<number>(),
    c = new Set<number>(),
    ax = new Set<number>();
  let aux = false,
    outs = 0;
  for (let i = t; i < t + m && i < r.n; i++) {
    outs += r.out[i]!;
    if (r.mem[i]! >= 0) {
      mem.add(r.mem[i]!);
      if (r.wr[i]) w.add(r.mem[i]!);
    }
    c.add(r.code[i]! >= 0 ? r.code[i]! : 0);
    if (r.aux[i]) {
      aux = true;
      ax.add(r.aux[i]!);
    }
  }
  return { mem: mem.size, written: w.size, code: c.size, aux, auxWords: ax.size, outs };
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
}

export function summarize(r: StepRec, m: number) {
  const st: WindowStat[] = [];
  for (let t = 0; t + m <= r.n; t += m) st.push(windowStat(r, t, m));
  const f = (k: "mem" | "written" | "code") => {
    const xs = st.map((s) => s[k]);
    return {
      mean: +(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2),
      p50: pct(xs, 0.5),
      p90: pct(xs, 0.9),
      p99: pct(xs, 0.99),
      max: Math.max(...xs),
    };
  };
  return {
    m,
    windows: st.length,
    aux: st.filter((s) => s.aux).length,
    mem: f("mem"),
    written: f("written"),
    code: f("code"),
  };
}

/** Does a window fit the table circuit with these capacities (same rule as mem/input.ts)? */
export function fits(s: WindowStat, caps: MemCaps): boolean {
  return (
    s.auxWords <= caps.A && s.code <= caps.C && s.written <= caps.KW && s.mem <= caps.KR + caps.KW && s.outs <= caps.H
  );
}

/**
 * Constraints per step over a run when each window uses the table circuit if it fits, else the
 * lite rv32im circuit (no input/blob read) or the full one. Costs are whole-proof constraint counts.
 */
export function mixedCost(r: StepRec, m: number, caps: MemCaps, cost: { mem: number; lite: number; full: number }) {
  let n = 0,
    fit = 0,
    aux = 0,
    total = 0;
  for (let t = 0; t + m <= r.n; t += m) {
    const s = windowStat(r, t, m);
    n++;
    if (fits(s, caps)) {
      fit++;
      total += cost.mem;
    } else if (s.aux) {
      aux++;
      total += cost.full;
    } else total += cost.lite;
  }
  return {
    windows: n,
    fitShare: +(fit / n).toFixed(3),
    auxShare: +(aux / n).toFixed(3),
    perStep: Math.round(total / (n * m)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const max = Number(process.argv[process.argv.indexOf("--max") + 1] || 400000);
  const runs: [string, string, MachineOptions][] = [
    ["matmul_int", "vm/guests/bin/matmul_int.elf", {}],
    ["sort", "vm/guests/bin/sort.elf", {}],
    ["crc32", "vm/guests/bin/crc32.elf", {}],
  ];
  if (process.argv.includes("--nodes"))
    for (const [n, o] of await nodeRuns()) runs.push([n, "ml/guests/bin/node.elf", o]);
  for (const [name, elf, opts] of runs) {
    const r = await recordRun(elf, opts, max);
    for (const m of [16, 32, 64]) console.log(name, r.n, JSON.stringify(summarize(r, m)));
  }
}

/**
 * node.elf runs of real ML nodes: MNIST i8 (every op node of image 0) and stories260K nodes. The VM
 * input is the node's phase-2 start (protocol/link/graph.ts nodeProgramInput: op, params, input
 * lengths and leaves), the input tensors are served as preimages.
 */
export async function nodeRuns(): Promise<[string, MachineOptions][]> {
  const { executeGraph } = await import("../../../ml/graph/executor.ts");
  const { nodeProgramInput } = await import("../../../protocol/link/graph.ts");
  const { loadMnist, image } = await import("../../../ml/models/mnist/data.ts");
  const { loadMnistGraph, mnistInput } = await import("../../../ml/models/mnist/eval.ts");
  const { loadCheckpoint } = await import("../../../ml/models/stories/checkpoint.ts");
  const { buildStoriesGraph, promptInputs } = await import("../../../ml/models/stories/graph.ts");
  type Run = Awaited<ReturnType<typeof executeGraph>>;
  const opts = (run: Run, i: number): MachineOptions => {
    const n = run.graph.nodes[i]!;
    if (n.kind !== "op") throw new Error(`node ${i} is not an op`);
    const input = nodeProgramInput(
      n.op,
      n.params,
      n.inputs.map((j) => ({ len: run.outputs[j]!.length, key: run.leaves![j]! })),
    );
    return { input, preimages: n.inputs.map((j) => run.outputs[j]!) };
  };
  const out: [string, MachineOptions][] = [];
  const g = loadMnistGraph("i8");
  const run = await executeGraph(g, { image: mnistInput("i8", image(loadMnist(), 0)) });
  g.nodes.forEach((n, i) => {
    if (n.kind === "op") out.push([`mnist:${n.name}`, opts(run, i)]);
  });
  const small = buildStoriesGraph(loadCheckpoint(), 1, 3);
  const srun = await executeGraph(small.graph, promptInputs([1]));
  for (const name of ["p2.l0.q", "p2.l0.attention", "p2.l0.swiglu"])
    out.push([
      `stories:${name}`,
      opts(
        srun,
        small.graph.nodes.findIndex((n) => n.name === name),
      ),
    ]);
  return out;
}
