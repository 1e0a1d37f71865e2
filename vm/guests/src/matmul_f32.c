/* compute-heavy soft-float guest (the VM speed benchmark): float32 matmul through libgcc */
#include "zkio.h"
#define N 40
static float A[N][N], B[N][N], C[N][N];
int main(void) {
  uint32_t s = 7;
  for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) {
    s = s * 1664525u + 1013904223u; A[i][j] = (float)(int32_t)(s >> 8) / 16777216.0f;
    s = s * 1664525u + 1013904223u; B[i][j] = (float)(int32_t)(s >> 8) / 8388608.0f - 1.0f;
  }
  for (int r = 0; r < 3; r++)
    for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) { float acc = 0.0f; for (int k = 0; k < N; k++) acc += A[i][k] * B[k][j]; C[i][j] = acc / (1.0f + (float)r); }
  uint32_t h = 0;
  for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) { union { float f; uint32_t u; } x = { C[i][j] }; h = h * 33 ^ x.u; }
  zk_puts("matmul_f32 "); zk_put_hex(h); zk_puts("\n"); return 0;
}
