/**
 * The state root (vm/STATE.md "State and its root"):
 *   core = P4(pc, step, status, regsRoot); io = P4(inputRoot, inputLen, inputPos, outHash)
 *   pre  = P2(preimageKey, preimageOffset); root = P4(core, memRoot, codeRoot, P2(io, pre))
 */
import { poseidon2, poseidon4 } from "./poseidon/index.ts";

export type StateFields = {
  pc: number;
  step: number;
  status: number;
  regsRoot: bigint;
  memRoot: bigint;
  codeRoot: bigint;
  inputRoot: bigint;
  inputLen: number;
  inputPos: number;
  outHash: bigint;
  preimageKey: bigint;
  preimageOffset: number;
};

export const FIELD_ORDER: (keyof StateFields)[] = [
  "pc",
  "step",
  "status",
  "regsRoot",
  "memRoot",
  "codeRoot",
  "inputRoot",
  "inputLen",
  "inputPos",
  "outHash",
  "preimageKey",
  "preimageOffset",
];

export function stateRoot(s: StateFields): bigint {
  const core = poseidon4(BigInt(s.pc), BigInt(s.step), BigInt(s.status), s.regsRoot);
  const io = poseidon4(s.inputRoot, BigInt(s.inputLen), BigInt(s.inputPos), s.outHash);
  const pre = poseidon2(s.preimageKey, BigInt(s.preimageOffset));
  return poseidon4(core, s.memRoot, s.codeRoot, poseidon2(io, pre));
}

export function fieldsToArray(s: StateFields): bigint[] {
  return FIELD_ORDER.map((k) => BigInt(s[k] as number | bigint));
}

export function fieldsFromArray(a: readonly bigint[]): StateFields {
  const n = (x: bigint) => Number(x);
  return {
    pc: n(a[0]!),
    step: n(a[1]!),
    status: n(a[2]!),
    regsRoot: a[3]!,
    memRoot: a[4]!,
    codeRoot: a[5]!,
    inputRoot: a[6]!,
    inputLen: n(a[7]!),
    inputPos: n(a[8]!),
    outHash: a[9]!,
    preimageKey: a[10]!,
    preimageOffset: n(a[11]!),
  };
}
