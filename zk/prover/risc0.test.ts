/** The risc0 adapter's command construction, tool detection and output parsing (risc0 itself is not installable here). */
import { describe, expect, it } from "vitest";
import {
  Risc0Error,
  Risc0NotInstalledError,
  Risc0Prover,
  detectRisc0,
  encodeGuestInput,
  parseJournal,
  parseVersion,
  proveCommand,
} from "./risc0.ts";

type R = { status: number | null; stdout: string; stderr: string; error?: NodeJS.ErrnoException };
const enoent = (): R => ({
  status: null,
  stdout: "",
  stderr: "",
  error: Object.assign(new Error("spawn ENOENT"), { code: "ENOENT" }),
});

describe("risc0 adapter", () => {
  it("builds the r0vm prove command", () => {
    expect(proveCommand({ guest: "g.elf", inputFile: "in.bin", receipt: "out.receipt" })).toEqual({
      cmd: "r0vm",
      args: ["--elf", "g.elf", "--initial-input", "in.bin", "--receipt", "out.receipt"],
    });
  });

  it("parses tool versions", () => {
    expect(parseVersion("r0vm 1.2.3\n")).toBe("1.2.3");
    expect(parseVersion("cargo-risczero 0.21.0")).toBe("0.21.0");
    expect(parseVersion("risc0-r0vm v2.0.0-rc.1")).toBe("2.0.0-rc.1");
    expect(parseVersion("bash: command not found")).toBeNull();
  });

  it("detects tools through the runner and reports absence", () => {
    const calls: string[] = [];
    const found = detectRisc0((cmd, args) => {
      calls.push([cmd, ...args].join(" "));
      return cmd === "r0vm" ? { status: 0, stdout: "r0vm 1.2.0", stderr: "" } : enoent();
    });
    expect(found).toEqual({ r0vm: "1.2.0", cargoRisczero: null });
    expect(calls).toEqual(["r0vm --version", "cargo risczero --version"]);
    expect(detectRisc0(() => enoent())).toEqual({ r0vm: null, cargoRisczero: null });
  });

  it("throws Risc0NotInstalledError when r0vm is absent", async () => {
    const p = new Risc0Prover({ run: () => enoent() });
    await expect(p.prove({ m: 1 })).rejects.toBeInstanceOf(Risc0NotInstalledError);
    await expect(p.verify()).rejects.toBeInstanceOf(Risc0NotInstalledError);
  });

  it("encodes the guest input and parses the journal", () => {
    const w = Array.from({ length: 165 }, (_, i) => BigInt(i));
    const inp = encodeGuestInput(0xabcdn, 7, [w, w]);
    expect(inp.length).toBe(48 + 2 * 165 * 32);
    expect(inp[31]).toBe(0xcd);
    expect(inp[30]).toBe(0xab);
    expect(new DataView(inp.buffer).getBigUint64(32, true)).toBe(7n);
    expect(new DataView(inp.buffer).getBigUint64(40, true)).toBe(2n);
    expect(() => encodeGuestInput(0n, 0, [[1n]])).toThrow(Risc0Error);
    const j = new Uint8Array(80);
    j[31] = 1;
    j[63] = 2;
    j[64] = 5;
    j[72] = 16;
    expect(parseJournal(j)).toEqual({
      preRoot: "0x" + "00".repeat(31) + "01",
      postRoot: "0x" + "00".repeat(31) + "02",
      fromStep: 5,
      m: 16,
    });
    expect(() => parseJournal(new Uint8Array(79))).toThrow(Risc0Error);
  });
});
