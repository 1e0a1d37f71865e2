/**
 * A PLONK / FFLONK setup starts from the ptau power its cache remembers (`<backend>.power`). Whoever
 * can write the cache could plant 28 there and make the next setup generate a 2^28 dev ptau (days,
 * ~130 GB): a hint outside the range the circuit's size allows is ignored.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readPowerHint } from "../snark.ts";

const dir = mkdtempSync(join(tmpdir(), "zkfp-hint-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a planted ptau power hint", () => {
  const file = join(dir, "plonk.power");
  it.each([
    ["28", undefined],
    ["12", undefined],
    ["16", 16],
    ["14\n", 14],
    ["1e1", undefined],
    ["15.5", undefined],
    ["-16", undefined],
    ["", undefined],
  ])("hint %j in [13, 18] reads as %j", (text, want) => {
    writeFileSync(file, text);
    expect(readPowerHint(file, 13, 18)).toBe(want);
  });
  it("a missing hint is undefined", () => {
    expect(readPowerHint(join(dir, "none"), 13, 18)).toBeUndefined();
  });
});
