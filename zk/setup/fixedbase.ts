/**
 * Fixed-base scalar multiplication on BN254 G1/G2 in snarkjs' wasm worker threads: given scalars
 * s_0..s_{n-1} (Fr, Montgomery form, 32 bytes each), returns s_i * g as affine points in the
 * "LEM" layout ptau files store (x, y little-endian Montgomery; G1 64 bytes, G2 128 bytes).
 *
 * Method: a comb with 32 windows of 8 bits. A table T[j][d] = d * 2^(8j) * g (32 x 256 affine
 * points, built once per call inside a worker) turns each multiplication into at most 32 mixed
 * (Jacobian + affine) additions instead of the ~254 doublings + ~127 additions of a generic
 * `timesScalar`; the accumulators are normalised with one batched inversion per chunk
 * (`g?m_batchToAffine`). Work is split into chunks queued on ffjavascript's thread manager, so
 * it uses every worker thread.
 *
 * Why hand-written: ffjavascript only offers generic per-point scalar multiplication
 * (`timesFr`, `batchApplyKey` for geometric scalar sequences); the dev ptau (devptau.ts) needs
 * ~15 * 2^power multiplications of the two generators by arbitrary scalars (Lagrange bases).
 *
 * Pitfalls: a zero scalar yields the point at infinity, whose affine LEM encoding is all zeros
 * (what ptau files use for it). The wasm functions are called by name through the task manager's
 * CALL command: `g1m_add(pA, pB, pR)`, `g1m_addMixed(pJac, pAff, pR)`, `g1m_batchToAffine(pIn, n, pOut)`.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;

const WINDOWS = 32;
const WBITS = 8;
const DIGITS = 1 << WBITS;
const CHUNK = 1024;

type Group = "G1" | "G2";

const tables = new WeakMap<object, Partial<Record<Group, Promise<Uint8Array>>>>();

/** The comb table of `group`'s generator, built once per curve instance. */
function buildTable(curve: Any, group: Group): Promise<Uint8Array> {
  let t = tables.get(curve);
  if (!t) tables.set(curve, (t = {}));
  return (t[group] ??= makeTable(curve, group));
}

async function makeTable(curve: Any, group: Group): Promise<Uint8Array> {
  const G = curve[group];
  const sJ = G.F.n8 * 3;
  const sA = G.F.n8 * 2;
  const pre = group === "G1" ? "g1m" : "g2m";
  // bases 2^(8j) * g in Jacobian form, computed on the main thread (256 doublings in total)
  const bases = new Uint8Array(WINDOWS * sJ);
  let b = G.g;
  for (let j = 0; j < WINDOWS; j++) {
    bases.set(b, j * sJ);
    for (let k = 0; k < WBITS; k++) b = G.double(b);
  }
  const task: Any[] = [
    { cmd: "ALLOCSET", var: 0, buff: bases },
    { cmd: "ALLOC", var: 1, len: WINDOWS * DIGITS * sJ },
    { cmd: "ALLOC", var: 2, len: WINDOWS * DIGITS * sA },
  ];
  for (let j = 0; j < WINDOWS; j++) {
    const row = j * DIGITS;
    task.push({ cmd: "CALL", fnName: `${pre}_zero`, params: [{ var: 1, offset: row * sJ }] });
    for (let d = 1; d < DIGITS; d++) {
      task.push({
        cmd: "CALL",
        fnName: `${pre}_add`,
        params: [
          { var: 1, offset: (row + d - 1) * sJ },
          { var: 0, offset: j * sJ },
          { var: 1, offset: (row + d) * sJ },
        ],
      });
    }
  }
  task.push({
    cmd: "CALL",
    fnName: `${pre}_batchToAffine`,
    params: [{ var: 1 }, { val: WINDOWS * DIGITS }, { var: 2 }],
  });
  task.push({ cmd: "GET", out: 0, var: 2, len: WINDOWS * DIGITS * sA });
  const [res] = await curve.tm.queueAction(task);
  return res as Uint8Array;
}

/**
 * s_i * g for every 32-byte Montgomery scalar in `scalarsM`. Returns n affine LEM points.
 */
export async function fixedBaseMul(
  curve: Any,
  group: Group,
  scalarsM: Uint8Array,
  table?: Uint8Array,
): Promise<Uint8Array> {
  const G = curve[group];
  const sJ = G.F.n8 * 3;
  const sA = G.F.n8 * 2;
  const pre = group === "G1" ? "g1m" : "g2m";
  const n = scalarsM.byteLength / 32;
  const tab = table ?? (await buildTable(curve, group));
  const scalars: Uint8Array = await curve.Fr.batchFromMontgomery(scalarsM);
  const out = new Uint8Array(n * sA);
  const jobs: Promise<void>[] = [];
  for (let start = 0; start < n; start += CHUNK) {
    const k = Math.min(CHUNK, n - start);
    const task: Any[] = [
      { cmd: "ALLOCSET", var: 0, buff: tab },
      { cmd: "ALLOC", var: 1, len: k * sJ },
      { cmd: "ALLOC", var: 2, len: k * sA },
    ];
    for (let i = 0; i < k; i++) {
      const acc = { var: 1, offset: i * sJ };
      task.push({ cmd: "CALL", fnName: `${pre}_zero`, params: [acc] });
      const base = (start + i) * 32;
      for (let j = 0; j < WINDOWS; j++) {
        const d = scalars[base + j]!;
        if (d === 0) continue;
        task.push({
          cmd: "CALL",
          fnName: `${pre}_addMixed`,
          params: [acc, { var: 0, offset: (j * DIGITS + d) * sA }, acc],
        });
      }
    }
    task.push({ cmd: "CALL", fnName: `${pre}_batchToAffine`, params: [{ var: 1 }, { val: k }, { var: 2 }] });
    task.push({ cmd: "GET", out: 0, var: 2, len: k * sA });
    jobs.push(
      curve.tm.queueAction(task).then((r: Uint8Array[]) => {
        out.set(r[0]!, start * sA);
      }),
    );
    // bounded in-flight tasks: each holds ~33k command objects, and 2^18+ points queued at once
    // exhausted node's default 4 GB heap (measured at 2^18)
    if (jobs.length >= 2 * curve.tm.concurrency) await Promise.all(jobs.splice(0));
  }
  await Promise.all(jobs);
  return out;
}

export { buildTable as buildFixedBaseTable };
