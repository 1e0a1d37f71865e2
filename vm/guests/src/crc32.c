#include "zkio.h"
int main(void) {
  uint32_t crc = 0xffffffffu;
  for (uint32_t i = 0; i < 5000; i++) {
    crc ^= (uint8_t)(i * 13);
    for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
  }
  zk_puts("crc32 "); zk_put_hex(~crc); zk_puts("\n"); return 0;
}
