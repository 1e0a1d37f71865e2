import { describe, expect, it } from "vitest";
import { aggregate, byPoint, replicateTasks, summarise, t975, REPLICATE_STRIDE } from "./replicates.ts";

describe("Monte Carlo replicates", () => {
  it("gives replicates distinct task indices and regroups results per grid point", () => {
    const t = replicateTasks([{ index: 0 }, { index: 1 }], 3);
    expect(t.map((x) => x.index)).toEqual([
      0,
      1,
      REPLICATE_STRIDE,
      REPLICATE_STRIDE + 1,
      2 * REPLICATE_STRIDE,
      2 * REPLICATE_STRIDE + 1,
    ]);
    expect(
      byPoint(
        t.map((x) => x.index),
        2,
      ),
    ).toEqual([
      [0, REPLICATE_STRIDE, 2 * REPLICATE_STRIDE],
      [1, REPLICATE_STRIDE + 1, 2 * REPLICATE_STRIDE + 1],
    ]);
  });
  it("computes the mean, the SE of the mean and a Student-t 95 % half-width", () => {
    const s = summarise([1, 2, 3, 4]);
    expect(s.mean).toBe(2.5);
    expect(s.se).toBeCloseTo(Math.sqrt(5 / 3) / 2, 12);
    expect(s.ci95).toBeCloseTo(3.182 * s.se, 12);
    expect(t975(19)).toBe(2.093);
  });
  it("never reports a zero interval when all replicates agree but each run has sampling error", () => {
    const a = aggregate(
      [
        { d: 1, se: 0.01 },
        { d: 1, se: 0.01 },
        { d: 1, se: 0.01 },
        { d: 1, se: 0.01 },
      ],
      { d: "se" },
    );
    expect(a.d).toBe(1);
    expect(a.se).toBeCloseTo(0.005, 12);
    expect(a.ci95_d).toBeCloseTo(3.182 * 0.005, 12);
  });
});
