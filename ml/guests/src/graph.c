/*
 * zkfp graph program: runs a whole model graph (ZKB, ml/graph/format.ts) embedded in .rodata with
 * .incbin (ml/guests/src/model.S), node by node with the DNN library — the in-VM execution of a
 * model. Twin: the native executor ml/graph/executor.ts (same kernels, same node order).
 *
 * Input stream: u32 count, then per sample the bytes of every input node in graph order, each
 * zero-padded to 4 bytes. Output: per sample, the bytes of every graph output, zero-padded to 4.
 * Exit: 0 ok; 2 malformed stream; 3 out of memory; 5 bad embedded graph; 16 + (-dnn error).
 */
#include "zkio.h"
#include "dnn.h"

#define MAX_NODES 4096
#define HEAP_END 0x200000u
extern const uint32_t zkfp_model[];
extern uint8_t __heap_start[];
static uint8_t *heap;
static const void *val[MAX_NODES];
static int32_t vlen[MAX_NODES];
static const uint32_t *desc[MAX_NODES];

static void *alloc(uint32_t n) {
  uint8_t *p = heap;
  n = (n + 3) & ~3u;
  if ((uint32_t)(HEAP_END - (uintptr_t)p) < n) zk_exit(3);
  heap = p + n;
  return p;
}

int main(void) {
  heap = __heap_start;
  const uint32_t *w = zkfp_model;
  if (w[0] != 0x31424b5au) return 5;
  uint32_t nn = w[1], no = w[2];
  if (nn > MAX_NODES) return 5;
  const uint32_t *outs = w + 3;
  const uint32_t *q = outs + no;
  for (uint32_t i = 0; i < nn; i++) {           /* index the embedded graph once */
    desc[i] = q;
    uint32_t kind = q[0], len = q[1];
    vlen[i] = (int32_t)len;
    if (kind == 0) { val[i] = q + 2; q += 2 + ((len + 3) >> 2); }
    else if (kind == 1) q += 2;
    else if (kind == 2) { uint32_t np = q[3]; uint32_t ni = q[4 + np]; q += 5 + np + ni; }
    else return 5;
  }
  uint32_t count;
  if (!zk_read_u32(&count)) return 2;
  uint8_t *mark = heap;
  for (uint32_t s = 0; s < count; s++) {
    heap = mark;
    for (uint32_t i = 0; i < nn; i++) {
      const uint32_t *d = desc[i];
      if (d[0] == 0) continue;
      uint32_t len = d[1];
      void *out = alloc(len + 4);
      if (d[0] == 1) {
        if (zk_read(ZK_FD_INPUT, out, (len + 3) & ~3u) != ((len + 3) & ~3u)) return 2;
      } else {
        uint32_t op = d[2], np = d[3], ni = d[4 + np];
        const uint32_t *in = d + 5 + np;
        const void *iv[DNN_MAX_INPUTS]; int32_t il[DNN_MAX_INPUTS];
        if (np > DNN_MAX_PARAMS || ni > DNN_MAX_INPUTS) return 5;
        for (uint32_t k = 0; k < ni; k++) { if (in[k] >= i) return 5; iv[k] = val[in[k]]; il[k] = vlen[in[k]]; }
        float *scratch = op == DNN_ATTENTION_F32 ? alloc(4u * d[4 + 3] + 4) : 0;
        int32_t r = dnn_run(op, (const int32_t *)(d + 4), (int)np, iv, il, (int)ni, out, scratch);
        if (r < 0) return 16 - r;
        if ((uint32_t)r != len) return 5;
      }
      for (uint32_t b = len; b < ((len + 3) & ~3u); b++) ((uint8_t *)out)[b] = 0;
      val[i] = out;
    }
    for (uint32_t o = 0; o < no; o++) zk_write(ZK_FD_STDOUT, val[outs[o]], ((uint32_t)vlen[outs[o]] + 3) & ~3u);
  }
  return 0;
}
