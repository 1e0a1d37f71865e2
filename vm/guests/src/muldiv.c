/* M extension edge cases: division by zero and overflow per the RISC-V spec */
#include "zkio.h"
static volatile int32_t vals[] = { 0, 1, -1, 2, -2, 7, -7, 0x7fffffff, (int32_t)0x80000000, 12345678, -98765 };
int main(void) {
  uint32_t h = 0; int n = sizeof vals / sizeof vals[0];
  for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
    int32_t a = vals[i], b = vals[j]; int32_t r[8];
    asm volatile("mul %0,%1,%2" : "=r"(r[0]) : "r"(a), "r"(b));
    asm volatile("mulh %0,%1,%2" : "=r"(r[1]) : "r"(a), "r"(b));
    asm volatile("mulhsu %0,%1,%2" : "=r"(r[2]) : "r"(a), "r"(b));
    asm volatile("mulhu %0,%1,%2" : "=r"(r[3]) : "r"(a), "r"(b));
    asm volatile("div %0,%1,%2" : "=r"(r[4]) : "r"(a), "r"(b));
    asm volatile("divu %0,%1,%2" : "=r"(r[5]) : "r"(a), "r"(b));
    asm volatile("rem %0,%1,%2" : "=r"(r[6]) : "r"(a), "r"(b));
    asm volatile("remu %0,%1,%2" : "=r"(r[7]) : "r"(a), "r"(b));
    for (int k = 0; k < 8; k++) h = (h << 5 | h >> 27) ^ (uint32_t)r[k];
  }
  zk_puts("muldiv "); zk_put_hex(h); zk_puts("\n"); return 0;
}
