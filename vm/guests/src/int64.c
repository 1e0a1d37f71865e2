/* 64-bit arithmetic through libgcc helpers */
#include "zkio.h"
int main(void) {
  uint64_t x = 0x0123456789abcdefull, h = 0; int64_t s = -1234567890123ll;
  for (int i = 1; i < 300; i++) { x = x * 6364136223846793005ull + 1442695040888963407ull; h ^= x / (uint64_t)(i * 977) + x % 1000003ull; s = s / 3 + (int64_t)(x >> 20) % 1000; }
  zk_puts("int64 "); zk_put_hex((uint32_t)(h >> 32)); zk_put_hex((uint32_t)h); zk_puts(" "); zk_put_i32((int32_t)s); zk_puts("\n"); return 0;
}
