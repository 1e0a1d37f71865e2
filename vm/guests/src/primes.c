#include "zkio.h"
static uint8_t sieve[20000];
int main(void) {
  uint32_t count = 0;
  for (uint32_t i = 2; i < sizeof sieve; i++) {
    if (sieve[i]) continue;
    count++;
    for (uint32_t j = i * i; j < sizeof sieve; j += i) sieve[j] = 1;
  }
  zk_puts("primes below 20000: "); zk_put_u32(count); zk_puts("\n");
  return count == 2262 ? 0 : 1;
}
