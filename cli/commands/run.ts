/**
 * `zkfp run <elf>`: run a guest on the zkfp machine. Exit status = the guest's exit code (& 0xff),
 * 128 + the trap cause if it trapped, or 124 if it was still running at --max-steps (default
 * 10^9 steps, a few seconds at the measured 100+ M steps/s: an infinite loop stops with a message
 * instead of running forever; raise it for longer guests).
 */
import { readFileSync } from "node:fs";
import type { Command } from "../command.ts";
import { UsageError } from "../args.ts";
import { EXIT } from "../exit.ts";
import { loadElf, Machine, TRAP_NAMES } from "../../vm/index.ts";
import { poseidonBackendName } from "../../vm/poseidon/index.ts";
import { trapHint } from "../../vm/diagnose.ts";

function readFileArg(path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new UsageError(`cannot read ${what}`, { path, reason: (e as Error).message });
  }
}

export const DEFAULT_MAX_STEPS = 1e9;

export const run: Command = {
  name: "run",
  summary: "run an RV32IM guest ELF; prints steps, exit code, output and final state root",
  usage: "zkfp run <elf> [--input FILE] [--max-steps N] [--checkpoint-every N] [--json]",
  positionals: [{ name: "elf", desc: "RV32IM guest ELF", required: true }],
  options: {
    input: { type: "string", desc: "file fed to the guest's input stream (fd 0)", check: "in-file" },
    preimage: { type: "string", desc: "file offered to the preimage oracle (fd 5)", check: "in-file" },
    "max-steps": {
      type: "number",
      desc: "stop after N steps if the guest has not halted (exit 124)",
      default: DEFAULT_MAX_STEPS,
    },
    "checkpoint-every": { type: "number", desc: "commit (compute the state root) every N steps", default: 0 },
  },
  async run({ positionals, opts }, ctx) {
    const path = positionals[0];
    if (!path) throw new UsageError("missing ELF path", { usage: this.usage });
    const maxSteps = opts["max-steps"] as number;
    const every = opts["checkpoint-every"] as number;
    if (!(maxSteps > 0) || !Number.isInteger(maxSteps))
      throw new UsageError("--max-steps must be a positive integer", { value: maxSteps });
    if (!(every >= 0) || !Number.isInteger(every))
      throw new UsageError("--checkpoint-every must be a non-negative integer", { value: every });
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
      await new Promise((r) => setImmediate(r)); // between slices: let Ctrl-C (cli/interrupt.ts) in
      if (every > 0) checkpoints.push({ step: m.step, root: "0x" + m.stateRoot().toString(16).padStart(64, "0") });
      const now = performance.now();
      if (now - lastReport > 1000) {
        ctx.progress(`  ${m.step.toLocaleString()} steps, ${(m.step / (now - t0) / 1000).toFixed(1)} M steps/s`);
        lastReport = now;
      }
    }
    const runMs = performance.now() - t0;
    const root = m.stateRoot();
    const r = m.result();
    const stdout = new TextDecoder().decode(m.stdout(1));
    const stderr = new TextDecoder().decode(m.stdout(2));
    const rootHex = "0x" + root.toString(16).padStart(64, "0");
    const hint = trapHint(m);
    const exitCode =
      r.status === "exited" ? r.exitCode! & 0xff : r.status === "trapped" ? 128 + (r.trap ?? 0) : EXIT.MAX_STEPS;
    const stopped =
      r.status !== "exited" && r.status !== "trapped"
        ? `stopped after ${r.steps.toLocaleString("en-US")} steps without halting (--max-steps ${maxSteps.toLocaleString("en-US")}); exit ${EXIT.MAX_STEPS}. An infinite loop? Otherwise raise --max-steps.`
        : null;
    if (stopped) ctx.progress(stopped);
    const json = {
      elf: path,
      steps: r.steps,
      status: r.status,
      exitCode: r.exitCode ?? null,
      trap: r.trap ?? null,
      trapName: r.trap !== undefined ? TRAP_NAMES[r.trap] : null,
      hint,
      stdout,
      stderr,
      stateRoot: rootHex,
      seconds: runMs / 1000,
      stepsPerSecond: r.steps / (runMs / 1000),
      checkpoints,
      poseidon: poseidonBackendName(),
      maxSteps,
      stoppedAtMaxSteps: stopped !== null,
    };
    const text = [
      stdout.length ? stdout.replace(/\n?$/, "\n") + "---" : "--- (no output)",
      `steps       ${r.steps.toLocaleString()}`,
      `status      ${r.status}${r.exitCode !== undefined ? ` (exit code ${r.exitCode})` : ""}${r.trap !== undefined ? ` (trap ${r.trap}: ${TRAP_NAMES[r.trap]})` : ""}`,
      ...(hint ? [`hint        ${hint}`] : []),
      `state root  ${rootHex}`,
      `time        ${(runMs / 1000).toFixed(3)} s (${(json.stepsPerSecond / 1e6).toFixed(1)} M steps/s)${every ? `, ${checkpoints.length} checkpoints` : ""}`,
      ...(stopped ? [`STOPPED     ${stopped}`] : []),
    ].join("\n");
    return { exitCode, json, text };
  },
};
