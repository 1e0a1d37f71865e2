/* soft float: add, sub, mul, div, compare, int<->float conversions, doubles */
#include "zkio.h"
static volatile float xs[] = { 0.0f, -0.0f, 1.0f, -1.5f, 3.14159f, 1e-30f, 1e30f, 65504.0f, 0.1f, -7.25f };
int main(void) {
  uint32_t h = 0; int n = sizeof xs / sizeof xs[0];
  for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
    float a = xs[i], b = xs[j]; union { float f; uint32_t u; } r;
    r.f = a + b; h = h * 31 + r.u; r.f = a - b; h = h * 31 + r.u; r.f = a * b; h = h * 31 + r.u;
    if (b != 0.0f) { r.f = a / b; h = h * 31 + r.u; }
    h += (a < b) + 2 * (a == b); h += (uint32_t)(int32_t)(a * 100.0f);
    double d = (double)a * (double)b + 1.0; union { double d; uint32_t u[2]; } q = { d }; h ^= q.u[0] + q.u[1];
  }
  zk_puts("float_ops "); zk_put_hex(h); zk_puts("\n"); return 0;
}
