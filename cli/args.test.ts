/** cli/args.ts, cli/checks.ts and cli/progress.ts in process: the rules every command inherits. */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { closest, parseArgs, UsageError, type OptionSpec } from "./args.ts";
import { checkOutPath, checkRpcUrl, OutPathError, RpcUrlError } from "./checks.ts";
import { EXIT, exitCodeFor } from "./exit.ts";
import { configureProgress, fmtSeconds, step } from "./progress.ts";

const spec: Record<string, OptionSpec> = {
  k: { type: "number", desc: "", default: 3 },
  "max-steps": { type: "number", desc: "" },
  name: { type: "string", desc: "" },
  json: { type: "boolean", desc: "" },
  help: { type: "boolean", desc: "" },
};
const err = (f: () => unknown): UsageError => {
  try {
    f();
  } catch (e) {
    return e as UsageError;
  }
  throw new Error("no error");
};
const dir = mkdtempSync(join(tmpdir(), "zkfp-args-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => configureProgress({ enabled: false }));

describe("parseArgs", () => {
  it("parses values, defaults and what was given", () => {
    const p = parseArgs(["x", "--k=5", "--name", "-3", "--json", "--", "--not-an-option"], spec, [
      { name: "a", desc: "" },
      { name: "b", desc: "" },
    ]);
    expect(p.opts).toMatchObject({ k: 5, name: "-3", json: true });
    expect(p.positionals).toEqual(["x", "--not-an-option"]);
    expect([...p.given].sort()).toEqual(["json", "k", "name"]);
    expect(parseArgs([], spec, []).opts.k).toBe(3);
    expect(parseArgs(["--max-steps", "1e9"], spec, []).opts["max-steps"]).toBe(1e9);
  });

  it("rejects unknown, repeated, value-less and malformed options with a suggestion", () => {
    expect(err(() => parseArgs(["--max-step", "3"], spec)).detail).toMatchObject({
      option: "max-step",
      suggestion: "max-steps",
    });
    expect(err(() => parseArgs(["--zzzzzz"], spec)).detail.suggestion).toBeUndefined();
    expect(err(() => parseArgs(["-x"], spec)).message).toMatch(/unknown option -x/);
    expect(parseArgs(["-h"], spec).opts.help).toBe(true);
    expect(err(() => parseArgs(["--k", "1", "--k", "2"], spec)).message).toMatch(/given twice/);
    expect(err(() => parseArgs(["--name"], spec)).message).toMatch(/needs a value/);
    expect(err(() => parseArgs(["--name", "--json"], spec)).message).toMatch(/needs a value/);
    for (const bad of ["", " ", "abc", "1,2", "Infinity", "NaN"])
      expect(err(() => parseArgs(["--k", bad], spec)).detail, bad).toMatchObject({ option: "k" });
    expect(err(() => parseArgs(["--json=yes"], spec)).detail).toMatchObject({ option: "json", value: "yes" });
  });

  it("enforces declared positionals", () => {
    expect(err(() => parseArgs(["a"], spec, [])).detail).toMatchObject({ argument: "a" });
    expect(err(() => parseArgs(["a", "b"], spec, [{ name: "x", desc: "" }])).detail).toMatchObject({
      argument: "b",
      extra: ["b"],
    });
    expect(err(() => parseArgs([], spec, [{ name: "elf", desc: "guest", required: true }])).message).toMatch(
      /missing argument <elf>/,
    );
  });

  it("refuses an option whose positional has another value, before asking for its value", () => {
    const sp: Record<string, OptionSpec> = {
      tokens: { type: "string", desc: "", when: { arg: 0, is: ["stories260K"] } },
    };
    const m = [{ name: "model", desc: "" }];
    expect(parseArgs(["stories260K", "--tokens", "1"], sp, m).opts.tokens).toBe("1");
    expect(err(() => parseArgs(["mnist", "--tokens", "1"], sp, m)).detail).toMatchObject({
      option: "tokens",
      argument: "mnist",
    });
    expect(err(() => parseArgs(["--tokens", "1", "mnist"], sp, m)).detail).toMatchObject({
      option: "tokens",
      argument: "mnist",
    });
    expect(err(() => parseArgs(["mnist", "--tokens"], sp, m)).message).toMatch(/does not apply to mnist/);
    expect(err(() => parseArgs(["stories260K", "--tokens"], sp, m)).message).toMatch(/needs a value/);
  });

  it("suggests by prefix or small edit distance only", () => {
    expect(closest("chec", ["checkpoint-every", "config"])).toBe("checkpoint-every");
    expect(closest("rpcurl", ["rpc-url", "out"])).toBe("rpc-url");
    expect(closest("banana", ["rpc-url", "out"])).toBeUndefined();
  });
});

describe("checks and exit codes", () => {
  it("validates output paths", () => {
    expect(() => checkOutPath(join(dir, "new", "deeper", "f.csv"))).not.toThrow();
    writeFileSync(join(dir, "file"), "");
    expect(() => checkOutPath(join(dir, "file", "x"))).toThrow(OutPathError);
    expect(() => checkOutPath("")).toThrow(OutPathError);
    if (process.getuid?.() !== 0) {
      const ro = join(dir, "ro");
      writeFileSync(join(dir, "ro-file"), "");
      chmodSync(join(dir, "ro-file"), 0o444);
      expect(() => checkOutPath(join(dir, "ro-file"))).toThrow(OutPathError);
      void ro;
    }
  });

  it("rejects non-http RPC URLs without a request", async () => {
    for (const u of ["notaurl", "ws://127.0.0.1:8545", "file:///etc/passwd", ""])
      await expect(checkRpcUrl(u), u).rejects.toBeInstanceOf(RpcUrlError);
  });

  it("maps error classes to exit codes in one table", () => {
    const named = (name: string) => Object.assign(new Error("x"), { name });
    expect(exitCodeFor(new UsageError("x"))).toBe(EXIT.USAGE);
    expect(exitCodeFor(new OutPathError("x"))).toBe(64);
    expect(exitCodeFor(named("DemoConfigError"))).toBe(64);
    expect(exitCodeFor(named("ElfError"))).toBe(65);
    expect(exitCodeFor(named("ProofFileError"))).toBe(65);
    expect(exitCodeFor(named("TypeError"))).toBe(70);
    expect(exitCodeFor("a string")).toBe(70);
    expect(exitCodeFor(named("InterruptedError"))).toBe(130);
  });
});

describe("progress", () => {
  it("prints start, updates with time left, notes and the duration; silent when off", () => {
    const lines: string[] = [];
    configureProgress({ enabled: true, write: (l) => lines.push(l) });
    const s = step("setup m=2", { estimateSeconds: 100 });
    s.update(1, 4);
    s.note("ptau ready");
    s.update(4, 4);
    s.end();
    s.end();
    expect(lines[0]).toBe("zkfp: setup m=2 ... (estimate ~1m40s)");
    expect(lines[1]).toMatch(/^zkfp: setup m=2: 1\/4, [\d.]+s elapsed, ~[\d.]+s left$/);
    expect(lines[2]).toMatch(/^zkfp: setup m=2: ptau ready \([\d.]+s\)$/);
    expect(lines[3]).toMatch(/^zkfp: setup m=2: 4\/4, [\d.]+s elapsed$/);
    expect(lines[4]).toMatch(/^zkfp: setup m=2 done in [\d.]+s$/);
    expect(lines).toHaveLength(5);
    configureProgress({ enabled: false });
    step("quiet").end();
    expect(lines).toHaveLength(5);
    expect([fmtSeconds(3.21), fmtSeconds(75), fmtSeconds(4000)]).toEqual(["3.2s", "1m15s", "1h07m"]);
    // rounded before the split: never "1m60s" / "59m60s" / "9.96 -> 10.0s"
    expect([119.6, 59.6, 3599.7, 9.96, 7199].map(fmtSeconds)).toEqual(["2m00s", "1m00s", "1h00m", "10s", "2h00m"]);
  });
});
