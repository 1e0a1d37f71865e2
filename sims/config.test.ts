import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig, parseConfig } from "./config.ts";
import { SimConfigError } from "./errors.ts";

const dir = new URL("./configs/", import.meta.url).pathname;
const raw = (name: string) => JSON.parse(readFileSync(join(dir, name), "utf8"));

function fieldOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SimConfigError);
    expect((e as SimConfigError).name).toBe("SimConfigError");
    return String((e as SimConfigError).detail.field);
  }
  throw new Error("expected a SimConfigError");
}

describe("simulation configs", () => {
  it("accepts every committed example config", () => {
    for (const f of ["economics.json", "timing.json", "km.json"])
      expect(loadConfig(join(dir, f)).kind).toBe(f.replace(".json", ""));
  });
  it("names a missing field", () => {
    const c = raw("economics.json");
    delete c.felten.C;
    expect(fieldOf(() => parseConfig(c))).toBe("felten.C");
  });
  it("names a field of the wrong type or out of range", () => {
    const c = raw("economics.json");
    c.felten.q = 1.5;
    expect(fieldOf(() => parseConfig(c))).toBe("felten.q");
    const d = raw("km.json");
    d.N[1] = "big";
    expect(fieldOf(() => parseConfig(d))).toBe("N[1]");
  });
  it("rejects an unknown field instead of ignoring a typo", () => {
    const c = raw("km.json");
    c.games.cuont = 3;
    expect(fieldOf(() => parseConfig(c))).toBe("games.cuont");
  });
  it("rejects an unparsable or non-positive fit expression, naming the backend", () => {
    const c = raw("timing.json");
    c.zkml.backends[2].expr = "4800 * P /";
    expect(fieldOf(() => parseConfig(c))).toBe("zkml.backends[2].expr");
    const d = raw("timing.json");
    d.workload.graphNodes = "0 * P";
    expect(fieldOf(() => parseConfig(d))).toBe("workload.graphNodes");
  });
  it("rejects an unknown kind and a kind that does not match the command", () => {
    expect(fieldOf(() => parseConfig({ kind: "weather" }))).toBe("kind");
    expect(fieldOf(() => parseConfig(raw("km.json"), "timing"))).toBe("kind");
  });
  it("reports unreadable and malformed files as config errors", () => {
    expect(fieldOf(() => loadConfig(join(dir, "nope.json")))).toBe("(file)");
    expect(fieldOf(() => loadConfig(new URL("./config.ts", import.meta.url).pathname))).toBe("(file)");
  });
});
