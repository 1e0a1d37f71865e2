/**
 * Constants of the zkfp machine layout (normative text: vm/STATE.md). Shared by the interpreter,
 * the witness builder and the fixture writers for the Solidity and circom twins.
 */
export const MEM_SIZE = 0x400000; // 4 MiB
export const MEM_WORDS = MEM_SIZE >>> 2; // 2^20
export const CODE_BASE = 0x10000;
export const CODE_SIZE = 0x10000; // 64 KiB
export const CODE_END = CODE_BASE + CODE_SIZE;
export const CODE_WORDS = CODE_SIZE >>> 2; // 2^14

export const MEM_TREE = { arity: 4, depth: 10 } as const;
export const CODE_TREE = { arity: 4, depth: 7 } as const;
export const REG_TREE = { arity: 2, depth: 5 } as const;
export const INPUT_TREE = { arity: 4, depth: 10 } as const;
export const BLOB_TREE = { arity: 4, depth: 10 } as const;
export const MAX_INPUT_BYTES = MEM_SIZE;
export const MAX_BLOB_BYTES = MEM_SIZE;

export const enum StatusKind {
  Running = 0,
  Exited = 1,
  Trapped = 2,
}

/** Trap causes (status value when kind = Trapped). */
export const Trap = {
  IllegalInstruction: 1,
  MisalignedFetch: 2,
  FetchOutOfCode: 3,
  MisalignedLoad: 4,
  MisalignedStore: 5,
  LoadFault: 6,
  StoreFault: 7,
  Breakpoint: 8,
} as const;
export type TrapCause = (typeof Trap)[keyof typeof Trap];
export const TRAP_NAMES: Record<number, string> = Object.fromEntries(Object.entries(Trap).map(([k, v]) => [v, k]));

export const Syscall = { Exit: 93, ExitGroup: 94, Write: 64, Read: 63 } as const;
export const Fd = { Input: 0, Stdout: 1, Stderr: 2, PreimageData: 5, PreimageKey: 6 } as const;
export const Errno = { EBADF: -9, EFAULT: -14, EINVAL: -22, ENOSYS: -38 } as const;

/** Step witness layout (flat array of field elements), offsets as in vm/STATE.md. */
export const W = {
  PRE: 0,
  INSN: 12,
  CODE_PROOF: 13,
  REG_READS: 34, // 4 x (index, value, proof[5])
  REG_WRITE: 62, // (index, old, proof[5])
  MEM: 69, // (wordAddr, old, proof[30])
  INPUT: 101, // (value, proof[30])
  BLOB: 132, // (root, len, value, proof[30])
  LENGTH: 165,
} as const;
