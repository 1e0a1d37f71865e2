/* byte/halfword loads and stores, sign extension */
#include "zkio.h"
static uint8_t buf[64];
int main(void) {
  for (int i = 0; i < 64; i++) buf[i] = (uint8_t)(i * 37 + 200);
  int32_t s = 0;
  for (int i = 0; i < 64; i++) s += (int8_t)buf[i];
  for (int i = 0; i < 32; i++) s ^= (int16_t)((uint16_t *)buf)[i];
  for (int i = 0; i < 32; i++) s += ((uint16_t *)buf)[i];
  for (int i = 0; i < 16; i++) ((uint16_t *)buf)[i * 2 + 1] = (uint16_t)s;
  for (int i = 0; i < 16; i++) s += ((int32_t *)buf)[i];
  zk_puts("bytes "); zk_put_i32(s); zk_puts("\n"); return 0;
}
