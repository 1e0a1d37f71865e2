#include "zkio.h"
int main(void) {
  uint32_t a = 0, b = 1;
  for (int i = 0; i < 40; i++) { uint32_t t = a + b; a = b; b = t; zk_put_u32(a); zk_puts(" "); }
  zk_puts("\n"); return 0;
}
