/**
 * Progress lines for long steps, on stderr (stdout is the command's result; under --json exactly one
 * JSON object). Any module may call it; it prints only where the CLI turned it on
 * (`configureProgress`, done by cli/main.ts), so library callers and in-process tests stay quiet.
 *
 *   const s = step("groth16 setup m=2", { estimateSeconds: 100 });  // "zkfp: groth16 setup m=2 ... (estimate ~1m40s)"
 *   s.update(3, 10);        // "zkfp: groth16 setup m=2: 3/10, 12s elapsed, ~28s left" (at most one line per 2 s)
 *   s.note("ptau ready");   // "zkfp: groth16 setup m=2: ptau ready (15s)"
 *   s.end();                // "zkfp: groth16 setup m=2 done in 41s"
 *
 * While a step runs, a heartbeat line ("...: 30s elapsed of ~1m40s") appears every `heartbeatSeconds`
 * (default 10) in which nothing else was printed, so a step that cannot report (a snarkjs call)
 * still shows it is alive. The timer is unref'd: it never keeps the process running. A step's
 * estimate is the caller's (e.g. a measured seconds-per-constraint); the remaining time of an
 * `update`d step is extrapolated from its rate.
 */
export type Step = {
  /** `done` of `total` units finished (prints at most every 2 s, and at done === total). */
  update(done: number, total: number): void;
  /** a free-form line about this step, with the elapsed time */
  note(msg: string): void;
  /** the step finished; prints its duration. Idempotent. */
  end(note?: string): void;
  /** seconds since the step started */
  elapsed(): number;
};
export type StepOptions = { estimateSeconds?: number; heartbeatSeconds?: number };

let enabled = false;
let sink: (line: string) => void = (line) => {
  process.stderr.write(line + "\n");
};

/** Turns progress output on or off (cli/main.ts), optionally redirecting it (tests). */
export function configureProgress(o: { enabled: boolean; write?: (line: string) => void }): void {
  enabled = o.enabled;
  if (o.write) sink = o.write;
}

export function progressEnabled(): boolean {
  return enabled;
}

/** One progress line (prefixed "zkfp: "), if progress is on. */
export function progressLine(msg: string): void {
  if (enabled) sink(`zkfp: ${msg}`);
}

/** 75 -> "1m15s", 3.2 -> "3.2s", 4000 -> "1h07m"; rounded before it is split (119.6 -> "2m00s", never "1m60s"). */
export function fmtSeconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return "?";
  if (s < 9.95) return `${s.toFixed(1)}s`;
  const r = Math.round(s);
  if (r < 60) return `${r}s`;
  if (r < 3600) return `${Math.floor(r / 60)}m${String(r % 60).padStart(2, "0")}s`;
  const min = Math.round(s / 60);
  return `${Math.floor(min / 60)}h${String(min % 60).padStart(2, "0")}m`;
}

/** Starts a long step; see the module header. */
export function step(label: string, o: StepOptions = {}): Step {
  const t0 = performance.now();
  const elapsed = () => (performance.now() - t0) / 1000;
  let last = t0,
    lastUpdate = -Infinity,
    ended = false;
  const est = o.estimateSeconds;
  const out = (msg: string) => {
    last = performance.now();
    progressLine(msg);
  };
  out(`${label} ...${est !== undefined ? ` (estimate ~${fmtSeconds(est)})` : ""}`);
  const hb = (o.heartbeatSeconds ?? 10) * 1000;
  const timer =
    enabled && hb > 0
      ? setInterval(
          () => {
            if (performance.now() - last >= hb)
              out(`${label}: ${fmtSeconds(elapsed())} elapsed${est !== undefined ? ` of ~${fmtSeconds(est)}` : ""}`);
          },
          Math.min(hb, 1000),
        )
      : undefined;
  timer?.unref();
  return {
    elapsed,
    update(done, total) {
      const now = performance.now();
      if (ended || (done < total && now - lastUpdate < 2000)) return;
      lastUpdate = now;
      const e = elapsed();
      const left = done > 0 && done < total ? `, ~${fmtSeconds((e * (total - done)) / done)} left` : "";
      out(`${label}: ${done}/${total}, ${fmtSeconds(e)} elapsed${left}`);
    },
    note(msg) {
      if (!ended) out(`${label}: ${msg} (${fmtSeconds(elapsed())})`);
    },
    end(note) {
      if (ended) return;
      ended = true;
      if (timer) clearInterval(timer);
      out(`${label} done in ${fmtSeconds(elapsed())}${note ? ` (${note})` : ""}`);
    },
  };
}

/** Runs `fn` as one step: ends it on success and on failure (then rethrows). */
export async function withStep<T>(label: string, o: StepOptions, fn: (s: Step) => Promise<T>): Promise<T> {
  const s = step(label, o);
  try {
    const r = await fn(s);
    s.end();
    return r;
  } catch (e) {
    s.end("failed");
    throw e;
  }
}
