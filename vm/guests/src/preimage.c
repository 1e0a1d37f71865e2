/* selects a preimage blob by the 8-word key given on the input stream, then sums its words */
#include "zkio.h"
int main(void) {
  uint32_t key[8];
  for (int i = 0; i < 8; i++) if (!zk_read_u32(&key[i])) { zk_puts("no key\n"); return 2; }
  zk_preimage_select(key);
  uint32_t w, n = 0, h = 0;
  while (zk_read(ZK_FD_PREIMAGE_DATA, &w, 4) == 4) { h = h * 31 + w; n++; }
  zk_puts("blob words "); zk_put_u32(n); zk_puts(" hash "); zk_put_hex(h); zk_puts("\n"); return 0;
}
