/**
 * Loading and validating simulation configs. A config file is JSON with a `kind`
 * (`economics` | `timing` | `km`) and the fields of that kind's spec (economics/run.ts,
 * timing/run.ts, km/run.ts). A bad config throws SimConfigError naming the field path.
 */
import { readFileSync } from "node:fs";
import { SimConfigError } from "./errors.ts";
import { economicsSpec, type EconomicsConfig } from "./economics/run.ts";
import { timingSpec, type TimingConfig } from "./timing/run.ts";
import { kmSpec, type KmConfig } from "./km/run.ts";

export type SimKind = "economics" | "timing" | "km";
export const SIM_KINDS: SimKind[] = ["economics", "timing", "km"];
export type AnyConfig =
  | { kind: "economics"; cfg: EconomicsConfig }
  | { kind: "timing"; cfg: TimingConfig }
  | { kind: "km"; cfg: KmConfig };

export function parseConfig(raw: unknown, expected?: SimKind): AnyConfig {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new SimConfigError("(root)", "expected a JSON object", raw);
  const kind = (raw as { kind?: unknown }).kind;
  if (typeof kind !== "string" || !(SIM_KINDS as string[]).includes(kind))
    throw new SimConfigError("kind", `expected one of ${SIM_KINDS.join("|")}`, kind);
  if (expected && kind !== expected)
    throw new SimConfigError("kind", `config is for "${kind}" but the command runs "${expected}"`, kind);
  if (kind === "economics") return { kind, cfg: economicsSpec(raw, "") };
  if (kind === "timing") return { kind, cfg: timingSpec(raw, "") };
  return { kind: "km", cfg: kmSpec(raw, "") };
}

export function loadConfig(path: string, expected?: SimKind): AnyConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new SimConfigError("(file)", `cannot read ${path}: ${(e as Error).message}`, path);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new SimConfigError("(file)", `${path} is not valid JSON: ${(e as Error).message}`, path);
  }
  return parseConfig(raw, expected);
}
