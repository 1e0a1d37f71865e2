/* zkfp guest I/O (header-only). Syscalls use Linux RISC-V numbers so the same ELF runs on
 * qemu-riscv32. The zkfp VM moves at most 4 bytes per read/write call and never crosses a word
 * boundary of the buffer (short reads/writes; see vm/STATE.md), so these helpers always ask for
 * aligned chunks of <= 4 bytes: both machines then return identical values, step for step. */
#ifndef ZKIO_H
#define ZKIO_H
#include <stdint.h>
#include <stddef.h>

#define ZK_FD_INPUT 0
#define ZK_FD_STDOUT 1
#define ZK_FD_PREIMAGE_DATA 5
#define ZK_FD_PREIMAGE_KEY 6

static inline long zk_syscall3(long n, long a0, long a1, long a2) {
  register long r0 asm("a0") = a0;
  register long r1 asm("a1") = a1;
  register long r2 asm("a2") = a2;
  register long r7 asm("a7") = n;
  asm volatile("ecall" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r7) : "memory");
  return r0;
}

static inline __attribute__((noreturn)) void zk_exit(int code) {
  zk_syscall3(93, code, 0, 0);
  __builtin_unreachable();
}

/* chunk length: at most 4 bytes, never crossing a word boundary of p */
static inline size_t zk_chunk(uintptr_t p, size_t n) {
  size_t c = 4 - (p & 3);
  return n < c ? n : c;
}

static inline size_t zk_write(int fd, const void *buf, size_t n) {
  const uint8_t *p = (const uint8_t *)buf;
  size_t done = 0;
  while (done < n) {
    long r = zk_syscall3(64, fd, (long)(p + done), (long)zk_chunk((uintptr_t)(p + done), n - done));
    if (r <= 0) break;
    done += (size_t)r;
  }
  return done;
}

/* reads n bytes from fd (0 = claim input, 5 = preimage); returns bytes read (< n at EOF).
   For lock-step equality with qemu, call it with buf aligned to 4 and at stream offsets that are
   multiples of 4 (zk_read_u32 does). */
static inline size_t zk_read(int fd, void *buf, size_t n) {
  uint8_t *p = (uint8_t *)buf;
  size_t done = 0;
  while (done < n) {
    long r = zk_syscall3(63, fd, (long)(p + done), (long)zk_chunk((uintptr_t)(p + done), n - done));
    if (r <= 0) break;
    done += (size_t)r;
  }
  return done;
}

static inline int zk_read_u32(uint32_t *out) { return zk_read(ZK_FD_INPUT, out, 4) == 4; }

/* select a preimage by its 8-word key (most significant word first) */
static inline void zk_preimage_select(const uint32_t key[8]) {
  for (int i = 0; i < 8; i++) zk_syscall3(64, ZK_FD_PREIMAGE_KEY, (long)&key[i], 4);
}

static inline size_t zk_strlen(const char *s) { size_t n = 0; while (s[n]) n++; return n; }
static inline void zk_puts(const char *s) { zk_write(ZK_FD_STDOUT, s, zk_strlen(s)); }
static inline void zk_put_u32(uint32_t v) {
  char b[12]; int i = 11; b[i] = 0;
  do { b[--i] = (char)('0' + v % 10); v /= 10; } while (v);
  zk_puts(&b[i]);
}
static inline void zk_put_i32(int32_t v) {
  if (v < 0) { zk_puts("-"); zk_put_u32((uint32_t)0 - (uint32_t)v); } else zk_put_u32((uint32_t)v);
}
static inline void zk_put_hex(uint32_t v) {
  static const char h[] = "0123456789abcdef";
  char b[9]; for (int i = 0; i < 8; i++) b[i] = h[(v >> (28 - 4 * i)) & 15]; b[8] = 0; zk_puts(b);
}

/* gcc may emit calls to these for struct copies / zeroing even with -nostdlib */
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
#endif
