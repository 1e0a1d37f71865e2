#include "zkio.h"
int main(void) {
  uint32_t best = 0, arg = 0;
  for (uint32_t i = 1; i < 3000; i++) { uint32_t x = i, n = 0; while (x != 1) { x = (x & 1) ? 3 * x + 1 : x >> 1; n++; } if (n > best) { best = n; arg = i; } }
  zk_puts("collatz "); zk_put_u32(arg); zk_puts(" "); zk_put_u32(best); zk_puts("\n"); return 0;
}
