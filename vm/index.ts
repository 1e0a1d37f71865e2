/** Public API of the zkfp machine (see vm/STATE.md). */
export { loadElf, ElfError, type Program } from "./elf.ts";
export { Machine, MachineError, blobKey, makeBlob, type RunResult, type Status } from "./machine.ts";
export { stateRoot, type StateFields } from "./state.ts";
export { initPoseidon, poseidon2, poseidon4 } from "./poseidon/index.ts";
export * from "./layout.ts";
