#include "zkio.h"
static int32_t v[3000];
static void qs(int32_t *a, int lo, int hi) {
  while (lo < hi) {
    int32_t p = a[(lo + hi) / 2]; int i = lo, j = hi;
    while (i <= j) { while (a[i] < p) i++; while (a[j] > p) j--; if (i <= j) { int32_t t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; } }
    if (j - lo < hi - i) { qs(a, lo, j); lo = i; } else { qs(a, i, hi); hi = j; }
  }
}
int main(void) {
  uint32_t s = 12345;
  for (int i = 0; i < 3000; i++) { s = s * 1103515245u + 12345u; v[i] = (int32_t)s >> 3; }
  qs(v, 0, 2999);
  uint32_t h = 0; int ok = 1;
  for (int i = 0; i < 3000; i++) { h = h * 31 + (uint32_t)v[i]; if (i && v[i - 1] > v[i]) ok = 0; }
  zk_puts("sorted checksum "); zk_put_hex(h); zk_puts(ok ? " ok\n" : " BAD\n");
  return ok ? 0 : 1;
}
