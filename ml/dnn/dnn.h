/*
 * zkfp DNN library, guest side (C, freestanding, RV32IM + libgcc soft float).
 *
 * Twin: ml/dnn/ops.ts + ml/dnn/math.ts (TypeScript). Every function here has a TS twin that returns
 * bit-identical results; ml/dnn/ops.test.ts checks it on >= 10^4 random inputs per op under qemu and
 * the zkfp VM. The op codes, parameter lists and byte layouts are specified in ml/FORMAT.md.
 *
 * Numerics:
 *  - float32: only + - * / (libgcc soft-fp, IEEE correctly rounded, round-to-nearest-even), compares,
 *    int<->float conversions, and this library's own exp / sqrt / sin / cos (no libm). gcc does not
 *    contract a*b+c into an fma on RV32IM (no F extension) and never reassociates without
 *    -ffast-math, so the evaluation order written here is the order executed.
 *  - every NaN a kernel produces is the canonical quiet NaN 0x7fc00000 (libgcc's RISC-V soft-fp
 *    default NaN); kernels never negate a value that may be NaN, and NaN inputs of exp/sin/cos are
 *    replaced by the canonical NaN, so the TS twin can canonicalise every stored NaN.
 *  - integers: int32 sums wrap (computed in uint32, no UB); requantisation uses an exact int64
 *    product and an arithmetic shift (floor).
 */
#ifndef ZKFP_DNN_H
#define ZKFP_DNN_H
#include <stdint.h>
#include <stddef.h>

/* op codes: keep in sync with OP in ml/dnn/ops.ts and the table in ml/FORMAT.md */
enum {
  DNN_MATMUL_F32 = 1,   /* [out, in]           W f32[out*in], x f32[in]          -> f32[out] */
  DNN_ADD_F32 = 2,      /* [n]                 a f32[n], b f32[n]                 -> f32[n] */
  DNN_RELU_F32 = 3,     /* [n]                 x                                  -> f32[n] */
  DNN_RMSNORM_F32 = 4,  /* [n]                 x f32[n], w f32[n]                 -> f32[n] */
  DNN_SOFTMAX_F32 = 5,  /* [n]                 x                                  -> f32[n] */
  DNN_ROPE_F32 = 6,     /* [n, head_size, pos] x f32[n], freq f32[head_size/2]    -> f32[n] */
  DNN_SILU_F32 = 7,     /* [n]                 x                                  -> f32[n] */
  DNN_SWIGLU_F32 = 8,   /* [n]                 a, b: silu(a) * b                   -> f32[n] */
  DNN_ATTENTION_F32 = 9,/* [n_heads, n_kv_heads, head_size, npos] q, kcache, vcache -> f32[n_heads*hs] */
  DNN_CONCAT = 10,      /* [alen, blen] bytes  a, b                               -> bytes[alen+blen] */
  DNN_EMBED_F32 = 11,   /* [vocab, dim]        table f32[vocab*dim], tok i32[1]   -> f32[dim] */
  DNN_ARGMAX_F32 = 12,  /* [n]                 x f32[n]                           -> i32[1] */
  DNN_MATMUL_I8 = 13,   /* [out, in]           W i8[out*in], x i8[in], b i32[out] -> i32[out] */
  DNN_REQUANT_I8 = 14,  /* [n, src, M, S, lo, hi] x (src 0 i32, 1 u8, 2 i8)     -> i8[n] */
  DNN_ADD_I32 = 15,     /* [n]                 a, b                               -> i32[n] */
  DNN_RELU_I32 = 16,    /* [n]                 x                                  -> i32[n] */
  DNN_ARGMAX_I32 = 17,  /* [n]                 x i32[n]                           -> i32[1] */
  DNN_EXP_F32 = 18,     /* [n] elementwise primitives, exposed so they can be tested and used alone */
  DNN_SQRT_F32 = 19,
  DNN_SIN_F32 = 20,
  DNN_COS_F32 = 21,
  DNN_OP_MAX = 21
};

/* errors returned (negative) by dnn_run */
#define DNN_EBADOP (-1)     /* unknown op code */
#define DNN_EPARAMS (-2)    /* wrong parameter count or a parameter out of range */
#define DNN_EINPUTS (-3)    /* wrong input count or an input of the wrong byte length */
#define DNN_ERANGE (-4)     /* data-dependent range error (token id outside the vocabulary) */

#define DNN_MAX_INPUTS 4
#define DNN_MAX_PARAMS 8

float dnn_expf(float x);
float dnn_sqrtf(float x);
float dnn_sinf(float x);
float dnn_cosf(float x);

void dnn_matmul_f32(float *y, const float *w, const float *x, int out, int in);
void dnn_rmsnorm_f32(float *y, const float *x, const float *w, int n);
void dnn_softmax_f32(float *x, int n);
void dnn_rope_f32(float *x, const float *freq, int n, int head_size, int pos);
float dnn_silu_f32(float x);
void dnn_attention_f32(float *out, const float *q, const float *kc, const float *vc, float *scratch,
                       int n_heads, int n_kv_heads, int head_size, int npos);
int32_t dnn_argmax_f32(const float *x, int n);
void dnn_matmul_i8(int32_t *y, const int8_t *w, const int8_t *x, const int32_t *b, int out, int in);
int8_t dnn_requant(int32_t x, int32_t m, int32_t s, int32_t lo, int32_t hi);
int32_t dnn_argmax_i32(const int32_t *x, int n);

/* Output byte length of op with params (the same function as outLen() in ops.ts), or < 0. */
int32_t dnn_out_len(uint32_t op, const int32_t *p, int np);
/* Expected byte length of input i, or < 0 if op/params/i are invalid. */
int32_t dnn_in_len(uint32_t op, const int32_t *p, int np, int i);
int dnn_n_inputs(uint32_t op);
/* Runs one node: validates params and input lengths, writes dnn_out_len bytes to out (4-aligned).
   scratch must hold at least npos floats for attention. Returns the output length or a DNN_E*. */
int32_t dnn_run(uint32_t op, const int32_t *p, int np, const void *const *in, const int32_t *in_len, int ni,
                void *out, float *scratch);
#endif
