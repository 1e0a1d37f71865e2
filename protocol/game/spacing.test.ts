import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { rounds, width, checkpointCount, checkpointIndices, segment, type Interval } from "./spacing.ts";
import { checkpointRoot, checkpointProof, verifyCheckpoint } from "./merkle.ts";
import { rootFromField } from "./types.ts";

const arbN = fc.bigInt({ min: 1n, max: 1n << 44n });
const arbK = fc.integer({ min: 1, max: 255 });
const arbM = fc.bigInt({ min: 1n, max: 1n << 12n });

describe("checkpoint spacing", () => {
  it("R is the least r with m (k+1)^r >= N", () => {
    fc.assert(
      fc.property(arbN, arbK, arbM, (n, k, m) => {
        const r = rounds(n, k, m);
        const b = BigInt(k + 1);
        expect(m * b ** BigInt(r) >= n).toBe(true);
        if (r > 0) expect(m * b ** BigInt(r - 1) < n).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("every path of a phase has exactly R rounds and every segment is non-empty", () => {
    fc.assert(
      fc.property(
        arbN,
        fc.integer({ min: 1, max: 63 }),
        arbM,
        fc.array(fc.nat(), { minLength: 64, maxLength: 64 }),
        (n, k, m, picks) => {
          const R = rounds(n, k, m);
          let iv: Interval = { lo: 0n, hi: n, level: R };
          let steps = 0;
          while (iv.level > 0) {
            const s = width(iv.level, k, m);
            expect(iv.hi - iv.lo >= 1n && iv.hi - iv.lo <= BigInt(k + 1) * s).toBe(true);
            const c = checkpointCount(iv.hi - iv.lo, s, k);
            const idx = checkpointIndices(iv, k, m);
            expect(idx.length).toBe(c);
            for (const x of idx) expect(x > iv.lo && x < iv.hi).toBe(true);
            iv = segment(iv, picks[steps]! % (c + 1), k, m);
            expect(iv.hi > iv.lo).toBe(true);
            steps++;
          }
          expect(steps).toBe(R);
          expect(iv.hi - iv.lo <= m).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("worked example N = 10, k = 2, m = 1 from the NatSpec", () => {
    expect(rounds(10n, 2, 1n)).toBe(3);
    expect(checkpointIndices({ lo: 0n, hi: 10n, level: 3 }, 2, 1n)).toEqual([9n]);
    expect(checkpointIndices({ lo: 0n, hi: 9n, level: 2 }, 2, 1n)).toEqual([3n, 6n]);
    expect(checkpointIndices({ lo: 9n, hi: 10n, level: 2 }, 2, 1n)).toEqual([]);
  });
});

describe("checkpoint Merkle commitment", () => {
  it("opens each leaf and rejects a wrong leaf, index or proof length", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.nat(), fc.bigInt({ min: 0n, max: 1n << 200n }), (c, i0, seed) => {
        const leaves = Array.from({ length: c }, (_, j) => rootFromField(seed + BigInt(j) * 7919n));
        const root = checkpointRoot(leaves);
        const i = i0 % c;
        const proof = checkpointProof(leaves, i);
        expect(verifyCheckpoint(root, c, i, leaves[i]!, proof)).toBe(true);
        expect(verifyCheckpoint(root, c, i, rootFromField((seed + 1n) << 10n), proof)).toBe(false);
        if (c > 1) expect(verifyCheckpoint(root, c, (i + 1) % c, leaves[i]!, proof)).toBe(false);
        expect(verifyCheckpoint(root, c, i, leaves[i]!, [...proof, root])).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
