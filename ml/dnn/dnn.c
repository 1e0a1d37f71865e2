/*
 * zkfp DNN library kernels (guest side). Header: dnn.h (numerics contract). Twin: ml/dnn/ops.ts,
 * ml/dnn/math.ts. The loops fix the float evaluation order (llama2.c's order for matmul, rmsnorm,
 * softmax, RoPE, attention and SwiGLU); the TS twin runs the same order with Math.fround after each op.
 *
 * exp: cephes expf (Cody-Waite reduction by ln2 split in two floats, degree-6 polynomial), scaled
 *      by 2^k through exponent bits, in two steps near overflow/underflow.
 * sqrt: fdlibm's bit-by-bit integer square root of the significand: correctly rounded (RNE), so
 *      its twin is Math.fround(Math.sqrt(x)) (a double sqrt rounded to float is correctly rounded:
 *      53 >= 2*24 + 2).
 * sin/cos: reduction by pi/2 split in three floats (k*P1 and k*P2 are exact for |k| < 2^13), cephes
 *      sinf/cosf polynomials on [-pi/4, pi/4], quadrant select. Domain |x| < 2^24 (else NaN);
 *      accuracy degrades beyond |x| ~ 10^4 but the result stays deterministic.
 */
#include "dnn.h"

typedef union { uint32_t u; float f; } fbits;
static inline float F(uint32_t u) { fbits b; b.u = u; return b.f; }
static inline uint32_t B(float f) { fbits b; b.f = f; return b.u; }
#define CANON_NAN 0x7fc00000u

float dnn_expf(float x) {
  if (x != x) return F(CANON_NAN);
  if (x > F(0x42b17218)) return F(0x7f800000);   /* 88.72283935546875 */
  if (x < F(0xc2cff1b5)) return 0.0f;             /* -103.97208404541016 */
  float fk = x * F(0x3fb8aa3b);                   /* log2(e) */
  int32_t k = (int32_t)(fk + (fk < 0.0f ? -0.5f : 0.5f));
  float kf = (float)k;
  float r = x - kf * F(0x3f318000);               /* C1 = 0.693359375 */
  r = r - kf * F(0xb95e8083);                     /* C2 = -2.12194440e-4 */
  float z = r * r;
  float p = F(0x39506967);
  p = p * r + F(0x3ab743ce);
  p = p * r + F(0x3c088908);
  p = p * r + F(0x3d2aa9c1);
  p = p * r + F(0x3e2aaaaa);
  p = p * r + 0.5f;
  p = p * z + r;
  p = p + 1.0f;
  if (k > 127) { p = p * F(0x7f000000); k -= 127; }      /* 2^127 */
  if (k < -126) { p = p * F(0x00800000); k += 126; }     /* 2^-126 */
  return p * F((uint32_t)(k + 127) << 23);
}

float dnn_sqrtf(float x) {
  uint32_t ix = B(x);
  if ((ix & 0x7fffffffu) == 0) return x;                  /* +-0 */
  if (ix > 0x7f800000u) return F(CANON_NAN);              /* NaN or negative */
  if (ix == 0x7f800000u) return x;                        /* +inf */
  int32_t m = (int32_t)(ix >> 23);
  if (m == 0) { int32_t i; for (i = 0; (ix & 0x00800000u) == 0; i++) ix <<= 1; m -= i - 1; }
  m -= 127;
  ix = (ix & 0x007fffffu) | 0x00800000u;
  if (m & 1) ix += ix;
  m >>= 1;
  ix += ix;
  uint32_t q = 0, s = 0, r = 0x01000000u;
  while (r != 0) {
    uint32_t t = s + r;
    if (t <= ix) { s = t + r; ix -= t; q += r; }
    ix += ix;
    r >>= 1;
  }
  if (ix != 0) q += (q & 1);                              /* round to nearest even (no ties exist) */
  return F((q >> 1) + 0x3f000000u + ((uint32_t)m << 23));
}

static float sincos(float x, int32_t shift) {
  if (x != x) return F(CANON_NAN);
  uint32_t ax = B(x) & 0x7fffffffu;
  if (ax >= 0x4b800000u) return F(CANON_NAN);            /* |x| >= 2^24 (and inf): outside the domain */
  float fk = x * F(0x3f22f983);                            /* 2/pi */
  int32_t k = (int32_t)(fk + (fk < 0.0f ? -0.5f : 0.5f));
  float kf = (float)k;
  float r = x - kf * F(0x3fc90000);
  r = r - kf * F(0x39fda000);
  r = r - kf * F(0x33a22169);
  float z = r * r;
  float s = F(0xb94ca1f9);
  s = s * z + F(0x3c08839e);
  s = s * z + F(0xbe2aaaa3);
  s = s * z;
  s = s * r + r;
  float c = F(0x37ccf5ce);
  c = c * z + F(0xbab6061a);
  c = c * z + F(0x3d2aaaa5);
  c = c * z;
  c = c * z;
  c = c - 0.5f * z;
  c = c + 1.0f;
  switch ((uint32_t)(k + shift) & 3) {
    case 0: return s;
    case 1: return c;
    case 2: return 0.0f - s;
    default: return 0.0f - c;
  }
}
float dnn_sinf(float x) { return sincos(x, 0); }
float dnn_cosf(float x) { return sincos(x, 1); }

void dnn_matmul_f32(float *y, const float *w, const float *x, int out, int in) {
  for (int i = 0; i < out; i++) {
    float v = 0.0f;
    const float *row = w + (size_t)i * in;
    for (int j = 0; j < in; j++) v += row[j] * x[j];
    y[i] = v;
  }
}

void dnn_rmsnorm_f32(float *y, const float *x, const float *w, int n) {
  float ss = 0.0f;
  for (int j = 0; j < n; j++) ss += x[j] * x[j];
  ss = ss / (float)n;
  ss = ss + F(0x3727c5ac);                                 /* 1e-5f */
  ss = 1.0f / dnn_sqrtf(ss);
  for (int j = 0; j < n; j++) y[j] = w[j] * (ss * x[j]);
}

void dnn_softmax_f32(float *x, int n) {
  float mx = x[0];
  for (int i = 1; i < n; i++) if (x[i] > mx) mx = x[i];
  float sum = 0.0f;
  for (int i = 0; i < n; i++) { x[i] = dnn_expf(x[i] - mx); sum += x[i]; }
  for (int i = 0; i < n; i++) x[i] = x[i] / sum;
}

void dnn_rope_f32(float *x, const float *freq, int n, int head_size, int pos) {
  float fpos = (float)pos;
  for (int i = 0; i < n; i += 2) {
    float val = fpos * freq[(i % head_size) / 2];
    float fcr = dnn_cosf(val), fci = dnn_sinf(val);
    float v0 = x[i], v1 = x[i + 1];
    x[i] = v0 * fcr - v1 * fci;
    x[i + 1] = v0 * fci + v1 * fcr;
  }
}

float dnn_silu_f32(float x) { return x * (1.0f / (1.0f + dnn_expf(0.0f - x))); }

void dnn_attention_f32(float *out, const float *q, const float *kc, const float *vc, float *att,
                       int n_heads, int n_kv_heads, int head_size, int npos) {
  int kv_dim = n_kv_heads * head_size, kv_mul = n_heads / n_kv_heads;
  float scale = dnn_sqrtf((float)head_size);
  for (int h = 0; h < n_heads; h++) {
    const float *qh = q + h * head_size;
    int ko = (h / kv_mul) * head_size;
    for (int t = 0; t < npos; t++) {
      const float *k = kc + (size_t)t * kv_dim + ko;
      float score = 0.0f;
      for (int i = 0; i < head_size; i++) score += qh[i] * k[i];
      att[t] = score / scale;
    }
    dnn_softmax_f32(att, npos);
    float *o = out + h * head_size;
    for (int i = 0; i < head_size; i++) o[i] = 0.0f;
    for (int t = 0; t < npos; t++) {
      const float *v = vc + (size_t)t * kv_dim + ko;
      float a = att[t];
      for (int i = 0; i < head_size; i++) o[i] += a * v[i];
    }
  }
}

int32_t dnn_argmax_f32(const float *x, int n) {
  int32_t best = 0; float mx = x[0];
  for (int i = 1; i < n; i++) if (x[i] > mx) { mx = x[i]; best = i; }
  return best;
}

void dnn_matmul_i8(int32_t *y, const int8_t *w, const int8_t *x, const int32_t *b, int out, int in) {
  for (int i = 0; i < out; i++) {
    uint32_t acc = (uint32_t)b[i];
    const int8_t *row = w + (size_t)i * in;
    for (int j = 0; j < in; j++) acc += (uint32_t)((int32_t)row[j] * (int32_t)x[j]);
    y[i] = (int32_t)acc;
  }
}

int8_t dnn_requant(int32_t x, int32_t m, int32_t s, int32_t lo, int32_t hi) {
  int64_t p = (int64_t)x * (int64_t)m;
  if (s > 0) p += (int64_t)1 << (s - 1);
  p >>= s;                                                  /* arithmetic shift: floor */
  if (p < lo) p = lo;
  if (p > hi) p = hi;
  return (int8_t)p;
}

int32_t dnn_argmax_i32(const int32_t *x, int n) {
  int32_t best = 0, mx = x[0];
  for (int i = 1; i < n; i++) if (x[i] > mx) { mx = x[i]; best = i; }
  return best;
}

/* ---- node dispatch: parameter and length checks shared with ops.ts ---- */

#define MAXN (1 << 22) /* element-count bound keeps every byte length below 2^31 */
static int okn(int32_t n) { return n >= 1 && n <= MAXN; }

static const int8_t n_params[DNN_OP_MAX + 1] = {0, 2, 1, 1, 1, 1, 3, 1, 1, 4, 2, 2, 1, 2, 6, 1, 1, 1, 1, 1, 1, 1};
static const int8_t n_inputs[DNN_OP_MAX + 1] = {0, 2, 2, 1, 2, 1, 2, 1, 2, 3, 2, 2, 1, 3, 1, 2, 1, 1, 1, 1, 1, 1};

int dnn_n_inputs(uint32_t op) { return op >= 1 && op <= DNN_OP_MAX ? n_inputs[op] : -1; }

static int params_ok(uint32_t op, const int32_t *p, int np) {
  if (op < 1 || op > DNN_OP_MAX || np != n_params[op]) return 0;
  switch (op) {
    case DNN_MATMUL_F32: case DNN_MATMUL_I8: case DNN_EMBED_F32:
      return okn(p[0]) && okn(p[1]) && (int64_t)p[0] * p[1] <= MAXN;
    case DNN_ROPE_F32:
      return okn(p[0]) && p[1] >= 2 && p[1] <= p[0] && (p[1] & 1) == 0 && p[0] % p[1] == 0 && p[2] >= 0 && p[2] < (1 << 24);
    case DNN_ATTENTION_F32:
      return p[0] >= 1 && p[1] >= 1 && p[2] >= 1 && p[3] >= 1 && p[0] <= 4096 && p[2] <= 4096 && p[3] <= MAXN &&
             p[0] % p[1] == 0 && (int64_t)p[0] * p[2] <= MAXN && (int64_t)p[3] * p[1] * p[2] <= MAXN;
    case DNN_CONCAT:
      return p[0] >= 0 && p[1] >= 0 && p[0] <= 4 * MAXN && p[1] <= 4 * MAXN;
    case DNN_REQUANT_I8:
      return okn(p[0]) && p[1] >= 0 && p[1] <= 2 && p[3] >= 0 && p[3] <= 31 && p[4] >= -128 && p[4] <= p[5] && p[5] <= 127;
    default:
      return okn(p[0]);
  }
}

int32_t dnn_out_len(uint32_t op, const int32_t *p, int np) {
  if (!params_ok(op, p, np)) return DNN_EPARAMS;
  switch (op) {
    case DNN_MATMUL_F32: case DNN_MATMUL_I8: return 4 * p[0];
    case DNN_EMBED_F32: return 4 * p[1];
    case DNN_ATTENTION_F32: return 4 * p[0] * p[2];
    case DNN_CONCAT: return p[0] + p[1];
    case DNN_ARGMAX_F32: case DNN_ARGMAX_I32: return 4;
    case DNN_REQUANT_I8: return p[0];
    default: return 4 * p[0];
  }
}

int32_t dnn_in_len(uint32_t op, const int32_t *p, int np, int i) {
  if (!params_ok(op, p, np) || i < 0 || i >= n_inputs[op]) return DNN_EPARAMS;
  switch (op) {
    case DNN_MATMUL_F32: return i == 0 ? 4 * p[0] * p[1] : 4 * p[1];
    case DNN_MATMUL_I8: return i == 0 ? p[0] * p[1] : i == 1 ? p[1] : 4 * p[0];
    case DNN_EMBED_F32: return i == 0 ? 4 * p[0] * p[1] : 4;
    case DNN_ROPE_F32: return i == 0 ? 4 * p[0] : 4 * (p[1] / 2);
    case DNN_ATTENTION_F32: return i == 0 ? 4 * p[0] * p[2] : 4 * p[3] * p[1] * p[2];
    case DNN_CONCAT: return p[i];
    case DNN_REQUANT_I8: return p[1] == 0 ? 4 * p[0] : p[0];
    default: return 4 * p[0];
  }
}

int32_t dnn_run(uint32_t op, const int32_t *p, int np, const void *const *in, const int32_t *in_len, int ni,
                void *out, float *scratch) {
  if (op < 1 || op > DNN_OP_MAX) return DNN_EBADOP;
  int32_t ol = dnn_out_len(op, p, np);
  if (ol < 0) return ol;
  if (ni != n_inputs[op]) return DNN_EINPUTS;
  for (int i = 0; i < ni; i++) if (in_len[i] != dnn_in_len(op, p, np, i)) return DNN_EINPUTS;
  const float *a = (const float *)in[0], *b = ni > 1 ? (const float *)in[1] : 0;
  float *y = (float *)out;
  int32_t *yi = (int32_t *)out;
  int32_t n = p[0];
  switch (op) {
    case DNN_MATMUL_F32: dnn_matmul_f32(y, a, b, p[0], p[1]); break;
    case DNN_ADD_F32: for (int i = 0; i < n; i++) y[i] = a[i] + b[i]; break;
    case DNN_RELU_F32: for (int i = 0; i < n; i++) y[i] = a[i] > 0.0f ? a[i] : 0.0f; break;
    case DNN_RMSNORM_F32: dnn_rmsnorm_f32(y, a, b, n); break;
    case DNN_SOFTMAX_F32: for (int i = 0; i < n; i++) y[i] = a[i]; dnn_softmax_f32(y, n); break;
    case DNN_ROPE_F32: for (int i = 0; i < n; i++) y[i] = a[i]; dnn_rope_f32(y, b, n, p[1], p[2]); break;
    case DNN_SILU_F32: for (int i = 0; i < n; i++) y[i] = dnn_silu_f32(a[i]); break;
    case DNN_SWIGLU_F32: for (int i = 0; i < n; i++) y[i] = dnn_silu_f32(a[i]) * b[i]; break;
    case DNN_ATTENTION_F32:
      dnn_attention_f32(y, a, b, (const float *)in[2], scratch, p[0], p[1], p[2], p[3]); break;
    case DNN_CONCAT: {
      uint8_t *o = (uint8_t *)out; const uint8_t *x0 = (const uint8_t *)in[0], *x1 = (const uint8_t *)in[1];
      for (int32_t i = 0; i < p[0]; i++) o[i] = x0[i];
      for (int32_t i = 0; i < p[1]; i++) o[p[0] + i] = x1[i];
      break;
    }
    case DNN_EMBED_F32: {
      int32_t tok = *(const int32_t *)in[1];
      if (tok < 0 || tok >= p[0]) return DNN_ERANGE;
      for (int i = 0; i < p[1]; i++) y[i] = a[(size_t)tok * p[1] + i];
      break;
    }
    case DNN_ARGMAX_F32: yi[0] = dnn_argmax_f32(a, n); break;
    case DNN_MATMUL_I8:
      dnn_matmul_i8(yi, (const int8_t *)in[0], (const int8_t *)in[1], (const int32_t *)in[2], p[0], p[1]); break;
    case DNN_REQUANT_I8: {
      int8_t *o = (int8_t *)out;
      for (int i = 0; i < n; i++) {
        int32_t v = p[1] == 0 ? ((const int32_t *)in[0])[i] : p[1] == 1 ? (int32_t)((const uint8_t *)in[0])[i]
                                                                      : (int32_t)((const int8_t *)in[0])[i];
        o[i] = dnn_requant(v, p[2], p[3], p[4], p[5]);
      }
      break;
    }
    case DNN_ADD_I32: {
      const int32_t *x0 = (const int32_t *)in[0], *x1 = (const int32_t *)in[1];
      for (int i = 0; i < n; i++) yi[i] = (int32_t)((uint32_t)x0[i] + (uint32_t)x1[i]);
      break;
    }
    case DNN_RELU_I32: { const int32_t *x0 = (const int32_t *)in[0]; for (int i = 0; i < n; i++) yi[i] = x0[i] > 0 ? x0[i] : 0; break; }
    case DNN_ARGMAX_I32: yi[0] = dnn_argmax_i32((const int32_t *)in[0], n); break;
    case DNN_EXP_F32: for (int i = 0; i < n; i++) y[i] = dnn_expf(a[i]); break;
    case DNN_SQRT_F32: for (int i = 0; i < n; i++) y[i] = dnn_sqrtf(a[i]); break;
    case DNN_SIN_F32: for (int i = 0; i < n; i++) y[i] = dnn_sinf(a[i]); break;
    case DNN_COS_F32: for (int i = 0; i < n; i++) y[i] = dnn_cosf(a[i]); break;
  }
  return ol;
}
