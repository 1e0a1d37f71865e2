#include "zkio.h"
#define N 24
static int32_t A[N][N], B[N][N], C[N][N];
int main(void) {
  for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) { A[i][j] = (i * 7 + j * 3) % 17 - 8; B[i][j] = (i * 5 - j * 11) % 13; }
  for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) { int32_t s = 0; for (int k = 0; k < N; k++) s += A[i][k] * B[k][j]; C[i][j] = s; }
  uint32_t h = 2166136261u;
  for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) { h ^= (uint32_t)C[i][j]; h *= 16777619u; }
  zk_puts("matmul_int fnv "); zk_put_hex(h); zk_puts("\n"); return 0;
}
