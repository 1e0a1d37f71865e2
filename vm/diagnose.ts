/**
 * Explanations for a trapped guest that the trap cause alone does not give. Today one case: a load
 * or store through sp (x2) that faults because sp was never set. The zkfp machine starts with every
 * register 0; a Linux loader (qemu-riscv32, a real kernel) instead points sp at a stack holding argc,
 * argv and envp. A guest whose `_start` relies on that (e.g. one linked without vm/guests/lib/crt0.S
 * and vm/guests/link.ld) decrements sp from 0 to 0xffff_fff0 and its first stack store faults. The
 * machine and its twins do not emulate a loader; this only names the cause.
 */
import { decode, isLoad, isStore } from "./isa.ts";
import { CODE_BASE, CODE_END, MEM_SIZE, StatusKind, Trap } from "./layout.ts";
import type { Machine } from "./machine.ts";

const MEMORY_TRAPS: number[] = [Trap.LoadFault, Trap.StoreFault, Trap.MisalignedLoad, Trap.MisalignedStore];

/** A sentence explaining why `m` trapped, or null when the trap cause says it all. */
export function trapHint(m: Machine): string | null {
  if (m.kind !== StatusKind.Trapped || !MEMORY_TRAPS.includes(m.value)) return null;
  const pc = m.pc >>> 0;
  if (pc % 4 !== 0 || pc < CODE_BASE || pc >= CODE_END) return null;
  const d = decode(m.m32[pc >>> 2]!);
  if (!(isLoad(d.op) || isStore(d.op)) || d.rs1 !== 2) return null;
  const sp = m.regs[2]! >>> 0;
  if (sp < MEM_SIZE) return null;
  return (
    `the ${isStore(d.op) ? "store" : "load"} at pc 0x${pc.toString(16)} goes through sp = 0x${sp.toString(16)}, outside the ` +
    `${MEM_SIZE >>> 20} MiB memory: sp was never set. The zkfp machine starts with every register 0 (no Linux loader ` +
    `stack, argc, argv or envp); set sp in _start (vm/guests/lib/crt0.S: la sp, __stack_top) and link with vm/guests/link.ld`
  );
}
