/* zkfp guest entry: set sp to the top of the 4 MiB memory, call main(), exit with its result.
   Registers start at 0 in the zkfp VM; under qemu-riscv32 sp is set by the loader, so we set it
   explicitly first. gp is not used (link with --no-relax). */
  .section .text.start
  .globl _start
_start:
  la sp, __stack_top
  call main
  li a7, 93
  ecall
1: j 1b
