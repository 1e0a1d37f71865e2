/**
 * `zkfp demo`: the main job. Until the full dispute flow lands (issue: demo), it runs the most
 * complete real flow that exists: a real guest on the zkfp machine with its committed state root,
 * a step witness checked by the TS one-step verifier, and the trace roots a dispute bisects over.
 */
import { readFileSync } from "node:fs";
import type { Command } from "../command.ts";
import { loadElf } from "../../vm/index.ts";
import { Trace } from "../../vm/trace.ts";
import { verifyStep } from "../../vm/verify.ts";

const hex = (x: bigint) => "0x" + x.toString(16).padStart(64, "0");

export const demo: Command = {
  name: "demo",
  summary: "end-to-end demo: run a real guest, commit its trace, check a step witness",
  usage: "zkfp demo [--guest NAME] [--json]",
  options: { guest: { type: "string", desc: "guest in vm/guests/bin (default matmul_f32)", default: "matmul_f32" } },
  async run({ opts }, ctx) {
    const name = opts.guest as string;
    const path = new URL(`../../vm/guests/bin/${name}.elf`, import.meta.url);
    ctx.progress(`running ${name}.elf on the zkfp RV32IM machine ...`);
    const t0 = performance.now();
    const tr = await Trace.create(loadElf(new Uint8Array(readFileSync(path))));
    const runS = (performance.now() - t0) / 1000;
    const m = tr.seek(tr.length);
    const finalRoot = m.stateRoot();
    const out = new TextDecoder().decode(m.stdout());
    const n = tr.length;
    const points = [0, Math.floor(n / 4), Math.floor(n / 2), Math.floor((3 * n) / 4), n - 1];
    const checks = points.map((t) => {
      const pre = tr.rootAt(t);
      const w = tr.witnessAt(t);
      const post = verifyStep(pre, w);
      return { step: t, preRoot: hex(pre), postRoot: hex(post), agrees: post === tr.rootAt(t + 1) };
    });
    const r = m.result();
    const json = { guest: name, steps: n, status: r.status, exitCode: r.exitCode ?? null, stdout: out, stateRoot: hex(finalRoot), runSeconds: runS, witnessChecks: checks };
    const text = [
      `zkfp demo — ${name}.elf`,
      `output      ${out.trim()}`,
      `steps       ${n.toLocaleString()} (${runS.toFixed(2)} s incl. commitment)`,
      `exit        ${r.status}${r.exitCode !== undefined ? ` ${r.exitCode}` : ""}`,
      `state root  ${hex(finalRoot)}`,
      `one-step verifier (TS twin) on 5 steps of the trace:`,
      ...checks.map((c) => `  step ${String(c.step).padStart(10)}  ${c.preRoot.slice(0, 12)}… -> ${c.postRoot.slice(0, 12)}…  ${c.agrees ? "agrees with the machine" : "DISAGREES"}`),
    ].join("\n");
    return { exitCode: checks.every((c) => c.agrees) ? 0 : 1, json, text };
  },
};
