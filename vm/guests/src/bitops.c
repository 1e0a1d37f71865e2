#include "zkio.h"
int main(void) {
  uint32_t x = 0x9e3779b9u, h = 0;
  for (int i = 0; i < 2000; i++) {
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    int32_t sx = (int32_t)x; uint32_t sh = x & 31;
    h += (x >> sh) ^ (uint32_t)(sx >> sh) ^ (x << sh) ^ (uint32_t)__builtin_popcount(x) ^ (uint32_t)(sx < 0) ^ (x < 0x80000000u);
  }
  zk_puts("bitops "); zk_put_hex(h); zk_puts("\n"); return 0;
}
