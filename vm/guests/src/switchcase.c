/* jump tables (JALR through .rodata) */
#include "zkio.h"
static int f(int op, int a) {
  switch (op) { case 0: return a + 1; case 1: return a * 3; case 2: return a ^ 0x55; case 3: return a - 7; case 4: return a << 2; case 5: return a >> 1; case 6: return ~a; default: return a; }
}
int main(void) { int a = 1; for (int i = 0; i < 5000; i++) a = f((a ^ i) & 7, a) & 0xffff; zk_puts("switch "); zk_put_i32(a); zk_puts("\n"); return 0; }
