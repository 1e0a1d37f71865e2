/** `zkfp run <elf>`: run a guest on the zkfp machine; exit status = the guest's exit code. */
import { readFileSync } from "node:fs";
import type { Command } from "../command.ts";
import { UsageError } from "../args.ts";
import { loadElf, Machine, TRAP_NAMES } from "../../vm/index.ts";
import { poseidonBackendName } from "../../vm/poseidon/index.ts";
import { trapHint } from "../../vm/diagnose.ts";

function readFileArg(path: string, what: string): Uint8Array {
  try { return new Uint8Array(readFileSync(path)); }
  catch (e) { throw new UsageError(`cannot read ${what}`, { path, reason: (e as Error).message }); }
}

export const run: Command = {
  name: "run",
  summary: "run an RV32IM guest ELF; prints steps, exit code, output and final state root",
  usage: "zkfp run <elf> [--input FILE] [--max-steps N] [--checkpoint-every N] [--json]",
  options: {
    input: { type: "string", desc: "file fed to the guest's input stream (fd 0)" },
    preimage: { type: "string", desc: "file offered to the preimage oracle (fd 5)" },
    "max-steps": { type: "number", desc: "stop after N steps", default: 1e10 },
    "checkpoint-every": { type: "number", desc: "commit (compute the state root) every N steps", default: 0 },
  },
  async run({ positionals, opts }, ctx) {
    const path = positionals[0];
    if (!path) throw new UsageError("missing ELF path", { usage: this.usage });
    const maxSteps = opts["max-steps"] as number;
    const every = opts["checkpoint-every"] as number;
    if (!(maxSteps > 0) || !Number.isInteger(maxSteps)) throw new UsageError("--max-steps must be a positive integer", { value: maxSteps });
    if (!(every >= 0) || !Number.isInteger(every)) throw new UsageError("--checkpoint-every must be a non-negative integer", { value: every });
    const program = loadElf(readFileArg(path, "ELF"));
    const input = opts.input ? readFileArg(opts.input as string, "input") : undefined;
    const preimages = opts.preimage ? [readFileArg(opts.preimage as string, "preimage")] : [];
    const m = await Machine.create(program, { input, preimages });
    const t0 = performance.now();
    const checkpoints: { step: number; root: string }[] = [];
    const slice = every > 0 ? every : 1 << 24;
    let lastReport = t0;
    while (!m.halted && m.step < maxSteps) {
      m.run(Math.min(slice, maxSteps - m.step));
      if (every > 0) checkpoints.push({ step: m.step, root: "0x" + m.stateRoot().toString(16).padStart(64, "0") });
      const now = performance.now();
      if (now - lastReport > 1000) { ctx.progress(`  ${m.step.toLocaleString()} steps, ${((m.step / (now - t0)) / 1000).toFixed(1)} M steps/s`); lastReport = now; }
    }
    const runMs = performance.now() - t0;
    const root = m.stateRoot();
    const r = m.result();
    const stdout = new TextDecoder().decode(m.stdout(1));
    const stderr = new TextDecoder().decode(m.stdout(2));
    const rootHex = "0x" + root.toString(16).padStart(64, "0");
    const hint = trapHint(m);
    const exitCode = r.status === "exited" ? r.exitCode! & 0xff : r.status === "trapped" ? 128 + (r.trap ?? 0) : 124;
    const json = {
      elf: path, steps: r.steps, status: r.status, exitCode: r.exitCode ?? null, trap: r.trap ?? null,
      trapName: r.trap !== undefined ? TRAP_NAMES[r.trap] : null, hint, stdout, stderr, stateRoot: rootHex,
      seconds: runMs / 1000, stepsPerSecond: r.steps / (runMs / 1000), checkpoints, poseidon: poseidonBackendName(),
    };
    const text = [
      stdout.length ? stdout.replace(/\n?$/, "\n") + "---" : "--- (no output)",
      `steps       ${r.steps.toLocaleString()}`,
      `status      ${r.status}${r.exitCode !== undefined ? ` (exit code ${r.exitCode})` : ""}${r.trap !== undefined ? ` (trap ${r.trap}: ${TRAP_NAMES[r.trap]})` : ""}`,
      ...(hint ? [`hint        ${hint}`] : []),
      `state root  ${rootHex}`,
      `time        ${(runMs / 1000).toFixed(3)} s (${(json.stepsPerSecond / 1e6).toFixed(1)} M steps/s)${every ? `, ${checkpoints.length} checkpoints` : ""}`,
    ].join("\n");
    return { exitCode, json, text };
  },
};
