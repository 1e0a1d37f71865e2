#include "zkio.h"
void *memmove(void *, const void *, size_t);
int memcmp(const void *, const void *, size_t);
static char a[200], b[200];
int main(void) {
  for (int i = 0; i < 200; i++) a[i] = (char)('a' + i % 26);
  memcpy(b, a + 3, 150); memmove(b + 10, b, 100); memset(b + 150, '#', 20); b[199] = 0;
  int c = memcmp(a, b, 50);
  zk_write(1, b, 60); zk_puts("\ncmp "); zk_put_i32(c); zk_puts("\n"); return 0;
}
