#include "zkio.h"
static int solve(int n, int row, uint32_t cols, uint32_t d1, uint32_t d2) {
  if (row == n) return 1;
  int c = 0; uint32_t avail = ~(cols | d1 | d2) & ((1u << n) - 1);
  while (avail) { uint32_t b = avail & (0u - avail); avail ^= b; c += solve(n, row + 1, cols | b, (d1 | b) << 1, (d2 | b) >> 1); }
  return c;
}
int main(void) { int r = solve(7, 0, 0, 0, 0); zk_puts("queens7 "); zk_put_u32(r); zk_puts("\n"); return r == 40 ? 0 : 1; }
