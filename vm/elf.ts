/**
 * ELF32 loader for RV32IM guests (little-endian, ET_EXEC, EM_RISCV). Only PT_LOAD program headers
 * matter: each copies p_filesz bytes from the file to p_vaddr and zero-fills up to p_memsz
 * (.bss). Every segment must lie inside memory [0, MEM_SIZE); executable segments must lie
 * inside the code region (vm/STATE.md); segments must not overlap. Any violation is an ElfError
 * naming the fault and the offending value — a malformed file never yields a partial program.
 */
import { ZkfpError } from "./errors.ts";
import { CODE_BASE, CODE_END, MEM_SIZE } from "./layout.ts";

export class ElfError extends ZkfpError {
  override readonly name = "ElfError";
}

export type Segment = { vaddr: number; memsz: number; data: Uint8Array; flags: number };
export type Program = { entry: number; segments: Segment[] /** memory image, MEM_SIZE bytes */; image: Uint8Array };

const PT_LOAD = 1;
const PF_X = 1;

export function loadElf(bytes: Uint8Array): Program {
  if (!(bytes instanceof Uint8Array)) throw new ElfError("ELF input must be bytes", { type: typeof bytes });
  if (bytes.length < 52) throw new ElfError("truncated ELF header", { length: bytes.length, need: 52 });
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, false) !== 0x7f454c46)
    throw new ElfError("not an ELF file (bad magic)", { magic: dv.getUint32(0, false).toString(16) });
  if (bytes[4] !== 1) throw new ElfError("wrong ELF class: need ELF32", { class: bytes[4] });
  if (bytes[5] !== 1) throw new ElfError("wrong data encoding: need little-endian", { encoding: bytes[5] });
  const type = dv.getUint16(16, true);
  if (type !== 2) throw new ElfError("not an executable (ET_EXEC)", { e_type: type });
  const machine = dv.getUint16(18, true);
  if (machine !== 243) throw new ElfError("wrong machine: need RISC-V (243)", { e_machine: machine });
  const entry = dv.getUint32(24, true);
  const phoff = dv.getUint32(28, true);
  const phentsize = dv.getUint16(42, true);
  const phnum = dv.getUint16(44, true);
  if (phnum === 0) throw new ElfError("no program headers", { phnum });
  if (phentsize < 32) throw new ElfError("bad program header size", { phentsize });
  if (phoff + phnum * phentsize > bytes.length)
    throw new ElfError("truncated program header table", { phoff, phnum, phentsize, length: bytes.length });
  const segments: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    if (dv.getUint32(o, true) !== PT_LOAD) continue;
    const offset = dv.getUint32(o + 4, true);
    const vaddr = dv.getUint32(o + 8, true);
    const filesz = dv.getUint32(o + 16, true);
    const memsz = dv.getUint32(o + 20, true);
    const flags = dv.getUint32(o + 24, true);
    if (filesz > memsz) throw new ElfError("segment filesz exceeds memsz", { segment: i, filesz, memsz });
    if (offset + filesz > bytes.length)
      throw new ElfError("segment data beyond end of file", { segment: i, offset, filesz, length: bytes.length });
    if (vaddr + memsz > MEM_SIZE)
      throw new ElfError("segment outside memory", {
        segment: i,
        vaddr: hex(vaddr),
        end: hex(vaddr + memsz),
        memSize: hex(MEM_SIZE),
      });
    if (flags & PF_X && (vaddr < CODE_BASE || vaddr + memsz > CODE_END))
      throw new ElfError("executable segment outside the code region", {
        segment: i,
        vaddr: hex(vaddr),
        end: hex(vaddr + memsz),
        code: [hex(CODE_BASE), hex(CODE_END)],
      });
    segments.push({ vaddr, memsz, data: bytes.subarray(offset, offset + filesz), flags });
  }
  if (segments.length === 0) throw new ElfError("no PT_LOAD segments", {});
  const sorted = [...segments].sort((a, b) => a.vaddr - b.vaddr);
  for (let i = 1; i < sorted.length; i++) {
    const p = sorted[i - 1]!,
      s = sorted[i]!;
    if (p.vaddr + p.memsz > s.vaddr)
      throw new ElfError("segments overlap", { a: hex(p.vaddr), aEnd: hex(p.vaddr + p.memsz), b: hex(s.vaddr) });
  }
  if (entry < CODE_BASE || entry >= CODE_END || entry % 4 !== 0)
    throw new ElfError("entry point outside the code region or misaligned", { entry: hex(entry) });
  const image = new Uint8Array(MEM_SIZE);
  for (const s of segments) image.set(s.data, s.vaddr);
  return { entry, segments, image };
}

function hex(n: number): string {
  return "0x" + n.toString(16);
}
