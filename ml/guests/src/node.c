/*
 * zkfp node program: runs graph nodes (one op each) with the DNN library (ml/dnn/dnn.c).
 * Twin: the native graph executor ml/graph/executor.ts (through ml/dnn/ops.ts).
 *
 * Input stream (little-endian u32 words; ml/graph/phase.ts builds it, ml/FORMAT.md specifies it):
 *   magic 0x314e4b5a ("ZKN1"), mode
 *   mode 0 (batch, inline tensors; for tests and qemu): records
 *     op, np, params[np], ni, { len, bytes padded to 4 } x ni       ... until op == 0
 *     each record's output is written to stdout, zero-padded to a multiple of 4 bytes
 *   mode 1 (phase link, one node, inputs from the preimage oracle):
 *     op, np, params[np], ni, { len, key[8] (most significant word first) } x ni
 *     input i is the blob with preimage key key_i (= the node's output leaf in the graph tree); it must
 *     be exactly len bytes long. The output is written to memory at OUT_ADDR = 0x200000 (the rest of
 *     the aligned 4^k-word subtree stays zero, so that subtree of the final memory tree, lifted with
 *     empty siblings, is the output's blob root) and to stdout.
 * Exit codes: 0 ok; 2 malformed stream; 3 out of memory; 4 input blob of the wrong length;
 *   16 + (-dnn error) when dnn_run rejects the node (17 bad op, 18 params, 19 inputs, 20 range).
 */
#include "zkio.h"
#include "dnn.h"

#define OUT_ADDR 0x200000u
extern uint8_t __heap_start[];
static uint8_t *heap;

static void *alloc(uint32_t n) {
  uint8_t *p = heap;
  n = (n + 3) & ~3u;
  if ((uint32_t)(OUT_ADDR - (uintptr_t)p) < n) zk_exit(3);
  heap = p + n;
  return p;
}

static uint32_t rd(void) {
  uint32_t v;
  if (!zk_read_u32(&v)) zk_exit(2);
  return v;
}

static void read_into(int fd, void *buf, uint32_t n) {
  if (zk_read(fd, buf, n) != n) zk_exit(fd == ZK_FD_INPUT ? 2 : 4);
}

typedef struct { uint32_t op; int np, ni; int32_t p[DNN_MAX_PARAMS]; const void *in[DNN_MAX_INPUTS]; int32_t len[DNN_MAX_INPUTS]; } node_t;

static int read_header(node_t *nd) {
  nd->op = rd();
  if (nd->op == 0) return 0;
  nd->np = (int)rd();
  if (nd->np < 0 || nd->np > DNN_MAX_PARAMS) zk_exit(2);
  for (int i = 0; i < nd->np; i++) nd->p[i] = (int32_t)rd();
  nd->ni = (int)rd();
  if (nd->ni < 0 || nd->ni > DNN_MAX_INPUTS) zk_exit(2);
  return 1;
}

static int32_t run(node_t *nd, void *out) {
  float *scratch = 0;
  if (nd->op == DNN_ATTENTION_F32 && nd->np == 4 && nd->p[3] >= 1 && nd->p[3] <= (1 << 22)) scratch = alloc(4u * (uint32_t)nd->p[3]);
  return dnn_run(nd->op, nd->p, nd->np, nd->in, nd->len, nd->ni, out, scratch);
}

int main(void) {
  heap = __heap_start;
  if (rd() != 0x314e4b5au) return 2;
  uint32_t mode = rd();
  node_t nd;
  if (mode == 0) {
    while (read_header(&nd)) {
      uint8_t *mark = heap;
      for (int i = 0; i < nd.ni; i++) {
        uint32_t n = rd();
        if (n > 0x7fffffffu) zk_exit(2);
        void *b = alloc(n);
        read_into(ZK_FD_INPUT, b, (n + 3) & ~3u);
        nd.in[i] = b; nd.len[i] = (int32_t)n;
      }
      int32_t ol = dnn_out_len(nd.op, nd.p, nd.np);
      if (ol < 0) return 16 - ol;
      void *out = alloc((uint32_t)ol);
      int32_t r = run(&nd, out);
      if (r < 0) return 16 - r;
      uint32_t padded = ((uint32_t)r + 3) & ~3u;
      for (uint32_t i = (uint32_t)r; i < padded; i++) ((uint8_t *)out)[i] = 0;
      zk_write(ZK_FD_STDOUT, out, padded);
      heap = mark;
    }
    return 0;
  }
  if (mode != 1 || !read_header(&nd)) return 2;
  uint32_t keys[DNN_MAX_INPUTS][8];
  for (int i = 0; i < nd.ni; i++) {
    uint32_t n = rd();
    if (n > 0x7fffffffu) zk_exit(2);
    nd.len[i] = (int32_t)n;
    for (int j = 0; j < 8; j++) keys[i][j] = rd();
  }
  for (int i = 0; i < nd.ni; i++) {
    uint32_t n = (uint32_t)nd.len[i];
    void *b = alloc(n + 4);
    zk_preimage_select(keys[i]);
    read_into(ZK_FD_PREIMAGE_DATA, b, n);
    if (zk_read(ZK_FD_PREIMAGE_DATA, (uint8_t *)b + ((n + 3) & ~3u), 1) != 0) return 4; /* blob longer than claimed */
    nd.in[i] = b;
  }
  int32_t r = run(&nd, (void *)OUT_ADDR);
  if (r < 0) return 16 - r;
  zk_write(ZK_FD_STDOUT, (void *)OUT_ADDR, ((uint32_t)r + 3) & ~3u);
  return 0;
}
