/**
 * The seeded mutation fuzzer of the table-circuit red-team tests (blk-liar.test.ts,
 * mem-liar.test.ts): a lying prover keeps preRoot and applies one or two mutation operators to an
 * honest window's private inputs; per mutant the question is where the witness generator stops it
 * (harness.ts `stoppedAt`, outermost frame of the circuit's main template). A stop at
 * `post.root === postRoot` and nowhere earlier is a WIN for the liar: every table / lookup / range
 * constraint held, so the circuit computed another post-root from the same pre-root.
 * Generator: lib/rng.ts `Rng` (one stream per fuzz call, from its seed).
 */
import { expect } from "vitest";
import { Rng } from "../../../lib/rng.ts";
import type { CircuitArtifacts } from "../build.ts";
import { stoppedAt, type CircuitSource } from "../harness.ts";
import { bump } from "../testing.ts";

/** A mutation operator: changes `input` in place; false when it found nothing to change. */
export type Mut<T> = { name: string; apply(input: T, g: Rng): boolean };

const POST = "post.root === postRoot";

/** A mutant of `inp` that differs from it: one operator, or two with probability 0.3. */
export function mutate<T>(inp: T, muts: readonly Mut<T>[], g: Rng): { input: T; what: string[] } {
  for (;;) {
    const x = structuredClone(inp);
    const what: string[] = [];
    const n = 1 + (g.uniform() < 0.3 ? 1 : 0);
    while (what.length < n) {
      const m = g.pick(muts);
      if (m.apply(x, g)) what.push(m.name);
    }
    if (JSON.stringify(x) !== JSON.stringify(inp)) return { input: x, what };
  }
}

/**
 * `perWindow` mutants of each honest input (each must be accepted) against compile `a` of `src`
 * (main template `template`). Returns the wins, where the other mutants were stopped (source text of
 * the line, or "malformed") and how many were accepted (the mutation did not change the statement).
 */
export async function fuzz<T extends { postRoot: string }>(
  a: CircuitArtifacts,
  src: CircuitSource,
  template: string,
  muts: readonly Mut<T>[],
  inputs: readonly T[],
  perWindow: number,
  seed: number,
): Promise<{ wins: { what: string[]; input: T }[]; stops: Map<string, number>; accepted: number }> {
  const g = new Rng(seed);
  // the post-root line of THIS compile (a cached compile of an older comment layout shifts lines)
  const lines = await src.compiled(a, template, { ...inputs[0]!, postRoot: bump(inputs[0]!.postRoot) }, POST);
  const post = lines.of(POST);
  const wins: { what: string[]; input: T }[] = [];
  const stops = new Map<string, number>();
  let accepted = 0;
  for (const inp of inputs) {
    expect(await stoppedAt(a, inp, template)).toBe("accepted");
    for (let n = 0; n < perWindow; n++) {
      const { input, what } = mutate(inp, muts, g);
      const at = await stoppedAt(a, input, template);
      if (at === "accepted") {
        accepted++;
        continue;
      }
      if (at === post) wins.push({ what, input });
      const key = at === "malformed" ? "malformed" : (lines.text(at) ?? `line ${at}`).trim().slice(0, 60);
      stops.set(key, (stops.get(key) ?? 0) + 1);
    }
  }
  return { wins, stops, accepted };
}

/** `fuzz`, then logs where the mutants were stopped (under `label`) and expects no win. */
export async function expectNoWin<T extends { postRoot: string }>(
  label: string,
  ...args: Parameters<typeof fuzz<T>>
): Promise<void> {
  const { wins, stops, accepted } = await fuzz(...args);
  // eslint-disable-next-line no-console
  console.log(
    `${label}: ${args[4].length} windows; stopped at`,
    Object.fromEntries(stops),
    `accepted (same statement): ${accepted}`,
  );
  expect(wins.map((w) => w.what)).toEqual([]);
}
