#include "zkio.h"
static uint32_t ack(uint32_t m, uint32_t n) { return m == 0 ? n + 1 : n == 0 ? ack(m - 1, 1) : ack(m - 1, ack(m, n - 1)); }
int main(void) { uint32_t r = ack(2, 40); zk_puts("ack(2,40) "); zk_put_u32(r); zk_puts("\n"); return 0; }
