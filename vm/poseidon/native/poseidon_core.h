/*
 * Poseidon permutation core (BN254, circomlib parameters, t = 3 and t = 5), plain C without Node:
 * field arithmetic, the optimized permutation and the limb-level entry points poseidon2_limbs /
 * poseidon4_limbs. See poseidon.c for the algorithm, the limb format and the pitfalls.
 */
#ifndef ZKFP_POSEIDON_CORE_H
#define ZKFP_POSEIDON_CORE_H
#include <stdint.h>
#include <string.h>

#if !defined(__SIZEOF_INT128__)
#error "needs unsigned __int128 (gcc or clang on a 64-bit target)"
#endif
#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "limb format assumes a little-endian host"
#endif

typedef unsigned __int128 u128;
typedef struct {
  uint64_t v[4];
} fe;

#include "poseidon_constants.h"

#define INLINE static inline __attribute__((always_inline))

/* r = a - p if a >= p else a (a < 2p). Branch-free: the outcome depends on secret-free data but
 * branches here mispredict half the time. */
INLINE void fe_reduce_once(fe *r, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3) {
  u128 d;
  uint64_t b, s0, s1, s2, s3;
  d = (u128)a0 - FE_P.v[0];
  s0 = (uint64_t)d;
  b = (uint64_t)(d >> 64) & 1;
  d = (u128)a1 - FE_P.v[1] - b;
  s1 = (uint64_t)d;
  b = (uint64_t)(d >> 64) & 1;
  d = (u128)a2 - FE_P.v[2] - b;
  s2 = (uint64_t)d;
  b = (uint64_t)(d >> 64) & 1;
  d = (u128)a3 - FE_P.v[3] - b;
  s3 = (uint64_t)d;
  b = (uint64_t)(d >> 64) & 1;
  uint64_t keep = (uint64_t)0 - b; /* all ones if a < p */
  r->v[0] = (a0 & keep) | (s0 & ~keep);
  r->v[1] = (a1 & keep) | (s1 & ~keep);
  r->v[2] = (a2 & keep) | (s2 & ~keep);
  r->v[3] = (a3 & keep) | (s3 & ~keep);
}

INLINE void fe_add(fe *r, const fe *a, const fe *b) {
  /* a, b < p < 2^254: the sum cannot overflow 256 bits */
  u128 s;
  uint64_t c, r0, r1, r2, r3;
  s = (u128)a->v[0] + b->v[0];
  r0 = (uint64_t)s;
  c = (uint64_t)(s >> 64);
  s = (u128)a->v[1] + b->v[1] + c;
  r1 = (uint64_t)s;
  c = (uint64_t)(s >> 64);
  s = (u128)a->v[2] + b->v[2] + c;
  r2 = (uint64_t)s;
  c = (uint64_t)(s >> 64);
  r3 = a->v[3] + b->v[3] + c;
  fe_reduce_once(r, r0, r1, r2, r3);
}

/* Montgomery product a * b / 2^256 mod p, CIOS without the extra carry word (gnark's "no-carry"). */
INLINE void fe_mul(fe *r, const fe *a, const fe *b) {
  uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0;
  const uint64_t b0 = b->v[0], b1 = b->v[1], b2 = b->v[2], b3 = b->v[3];
  for (int i = 0; i < 4; i++) {
    const uint64_t ai = a->v[i];
    u128 x;
    uint64_t c, d, m;
    x = (u128)ai * b0 + t0;
    t0 = (uint64_t)x;
    c = (uint64_t)(x >> 64);
    x = (u128)ai * b1 + t1 + c;
    t1 = (uint64_t)x;
    c = (uint64_t)(x >> 64);
    x = (u128)ai * b2 + t2 + c;
    t2 = (uint64_t)x;
    c = (uint64_t)(x >> 64);
    x = (u128)ai * b3 + t3 + c;
    t3 = (uint64_t)x;
    d = (uint64_t)(x >> 64);

    m = t0 * FE_INV;
    x = (u128)m * FE_P.v[0] + t0;
    c = (uint64_t)(x >> 64);
    x = (u128)m * FE_P.v[1] + t1 + c;
    t0 = (uint64_t)x;
    c = (uint64_t)(x >> 64);
    x = (u128)m * FE_P.v[2] + t2 + c;
    t1 = (uint64_t)x;
    c = (uint64_t)(x >> 64);
    x = (u128)m * FE_P.v[3] + t3 + c;
    t2 = (uint64_t)x;
    c = (uint64_t)(x >> 64);
    t3 = c + d;
  }
  fe_reduce_once(r, t0, t1, t2, t3);
}


#if defined(__x86_64__)
#define ZK_HAVE_ADX 1
static const uint64_t fe_inv_mem = FE_INV;
/* ---- x86-64 BMI2/ADX: Montgomery dot product  sum_j row[j] * s[j] / 2^256 mod p, n <= 4 terms.
 * CIOS over all terms at once: for each 64-bit word i of the s[j], add every row[j] * s[j].v[i]
 * (two carry chains: adox for low halves, adcx for high halves), then one reduction step.
 * Bounds (W = sum_j w[j], all w[j], s[j] < p): after each word the running value is
 * < (t + W s_j-part + m p) / 2^64 < W + p by induction, so it fits 4 words iff W + p < 2^256 --
 * always true for n <= 4 (p < 0.19 * 2^256); for n = 5 the generator checks it per constant row.
 * The result is < W p / 2^256 + p < 2p: one conditional subtraction.
 * n = 1 is the plain Montgomery product. Registers rotate: the word freed by a reduction step
 * becomes the next top word. */
#define ZK_S(x) #x
#define ZK_TERM0(J, I, T0, T1, T2, T3, T4)                   \
  "movq " ZK_S(J) "*32+" ZK_S(I) "*8(%[s]), %%rdx\n\t"       \
  "xorl %k[z], %k[z]\n\t"                                    \
  "mulxq " ZK_S(J) "*32(%[w]), %[lo], %[hi]\n\t"             \
  "adoxq %[lo], %[" #T0 "]\n\t"                              \
  "adcxq %[hi], %[" #T1 "]\n\t"                              \
  "mulxq " ZK_S(J) "*32+8(%[w]), %[lo], %[hi]\n\t"           \
  "adoxq %[lo], %[" #T1 "]\n\t"                              \
  "adcxq %[hi], %[" #T2 "]\n\t"                              \
  "mulxq " ZK_S(J) "*32+16(%[w]), %[lo], %[hi]\n\t"          \
  "adoxq %[lo], %[" #T2 "]\n\t"                              \
  "adcxq %[hi], %[" #T3 "]\n\t"                              \
  "mulxq " ZK_S(J) "*32+24(%[w]), %[lo], %[" #T4 "]\n\t"     \
  "adoxq %[lo], %[" #T3 "]\n\t"                              \
  "adcxq %[z], %[" #T4 "]\n\t"                               \
  "adoxq %[z], %[" #T4 "]\n\t"
#define ZK_TERM(J, I, T0, T1, T2, T3, T4)                    \
  "movq " ZK_S(J) "*32+" ZK_S(I) "*8(%[s]), %%rdx\n\t"       \
  "xorl %k[z], %k[z]\n\t"                                    \
  "mulxq " ZK_S(J) "*32(%[w]), %[lo], %[hi]\n\t"             \
  "adoxq %[lo], %[" #T0 "]\n\t"                              \
  "adcxq %[hi], %[" #T1 "]\n\t"                              \
  "mulxq " ZK_S(J) "*32+8(%[w]), %[lo], %[hi]\n\t"           \
  "adoxq %[lo], %[" #T1 "]\n\t"                              \
  "adcxq %[hi], %[" #T2 "]\n\t"                              \
  "mulxq " ZK_S(J) "*32+16(%[w]), %[lo], %[hi]\n\t"          \
  "adoxq %[lo], %[" #T2 "]\n\t"                              \
  "adcxq %[hi], %[" #T3 "]\n\t"                              \
  "mulxq " ZK_S(J) "*32+24(%[w]), %[lo], %[hi]\n\t"          \
  "adoxq %[lo], %[" #T3 "]\n\t"                              \
  "adcxq %[hi], %[" #T4 "]\n\t"                              \
  "adoxq %[z], %[" #T4 "]\n\t"
#define ZK_REDUCE(T0, T1, T2, T3, T4)                        \
  "movq %[" #T0 "], %%rdx\n\t"                               \
  "imulq %[inv], %%rdx\n\t"                                  \
  "xorl %k[z], %k[z]\n\t"                                    \
  "mulxq 0(%[p]), %[lo], %[hi]\n\t"                          \
  "adoxq %[lo], %[" #T0 "]\n\t"                              \
  "adcxq %[hi], %[" #T1 "]\n\t"                              \
  "mulxq 8(%[p]), %[lo], %[hi]\n\t"                          \
  "adoxq %[lo], %[" #T1 "]\n\t"                              \
  "adcxq %[hi], %[" #T2 "]\n\t"                              \
  "mulxq 16(%[p]), %[lo], %[hi]\n\t"                         \
  "adoxq %[lo], %[" #T2 "]\n\t"                              \
  "adcxq %[hi], %[" #T3 "]\n\t"                              \
  "mulxq 24(%[p]), %[lo], %[hi]\n\t"                         \
  "adoxq %[lo], %[" #T3 "]\n\t"                              \
  "adcxq %[hi], %[" #T4 "]\n\t"                              \
  "adoxq %[z], %[" #T4 "]\n\t"

/* one word i of all n terms, then a reduction; registers (a,b,c,d,e) in rotation */
#define ZK_WORD1(I, A, B, C, D, E) ZK_TERM0(0, I, A, B, C, D, E) ZK_REDUCE(A, B, C, D, E)
#define ZK_WORD2(I, A, B, C, D, E) ZK_TERM0(0, I, A, B, C, D, E) ZK_TERM(1, I, A, B, C, D, E) ZK_REDUCE(A, B, C, D, E)
#define ZK_WORD3(I, A, B, C, D, E) \
  ZK_TERM0(0, I, A, B, C, D, E) ZK_TERM(1, I, A, B, C, D, E) ZK_TERM(2, I, A, B, C, D, E) ZK_REDUCE(A, B, C, D, E)
#define ZK_WORD4(I, A, B, C, D, E)                                                           \
  ZK_TERM0(0, I, A, B, C, D, E) ZK_TERM(1, I, A, B, C, D, E) ZK_TERM(2, I, A, B, C, D, E) \
  ZK_TERM(3, I, A, B, C, D, E) ZK_REDUCE(A, B, C, D, E)

#define ZK_WORD5(I, A, B, C, D, E)                                                           \
  ZK_TERM0(0, I, A, B, C, D, E) ZK_TERM(1, I, A, B, C, D, E) ZK_TERM(2, I, A, B, C, D, E) \
  ZK_TERM(3, I, A, B, C, D, E) ZK_TERM(4, I, A, B, C, D, E) ZK_REDUCE(A, B, C, D, E)
/* word 0 of term 0 while the accumulator is still zero: plain products, one carry chain */
#define ZK_FIRST(T0, T1, T2, T3, T4)             \
  "movq 0(%[s]), %%rdx\n\t"                     \
  "mulxq 0(%[w]), %[" #T0 "], %[" #T1 "]\n\t"   \
  "mulxq 8(%[w]), %[lo], %[" #T2 "]\n\t"        \
  "addq %[lo], %[" #T1 "]\n\t"                  \
  "mulxq 16(%[w]), %[lo], %[" #T3 "]\n\t"       \
  "adcq %[lo], %[" #T2 "]\n\t"                  \
  "mulxq 24(%[w]), %[lo], %[" #T4 "]\n\t"       \
  "adcq %[lo], %[" #T3 "]\n\t"                  \
  "adcq $0, %[" #T4 "]\n\t"
#define ZK_WORD0_1(A, B, C, D, E) ZK_FIRST(A, B, C, D, E) ZK_REDUCE(A, B, C, D, E)
#define ZK_WORD0_2(A, B, C, D, E) ZK_FIRST(A, B, C, D, E) ZK_TERM(1, 0, A, B, C, D, E) ZK_REDUCE(A, B, C, D, E)
#define ZK_WORD0_3(A, B, C, D, E) \
  ZK_FIRST(A, B, C, D, E) ZK_TERM(1, 0, A, B, C, D, E) ZK_TERM(2, 0, A, B, C, D, E) ZK_REDUCE(A, B, C, D, E)
#define ZK_WORD0_4(A, B, C, D, E)                                                             \
  ZK_FIRST(A, B, C, D, E) ZK_TERM(1, 0, A, B, C, D, E) ZK_TERM(2, 0, A, B, C, D, E) \
  ZK_TERM(3, 0, A, B, C, D, E) ZK_REDUCE(A, B, C, D, E)
#define ZK_WORD0_5(A, B, C, D, E)                                                             \
  ZK_FIRST(A, B, C, D, E) ZK_TERM(1, 0, A, B, C, D, E) ZK_TERM(2, 0, A, B, C, D, E) \
  ZK_TERM(3, 0, A, B, C, D, E) ZK_TERM(4, 0, A, B, C, D, E) ZK_REDUCE(A, B, C, D, E)

#define ZK_DOT_BODY(WORD, N)                                                                          \
  uint64_t r0, r1, r2, r3, r4, lo, hi, z;                                                          \
  __asm__(ZK_WORD0_##N(r0, r1, r2, r3, r4) WORD(1, r1, r2, r3, r4, r0)                             \
              WORD(2, r2, r3, r4, r0, r1) WORD(3, r3, r4, r0, r1, r2)                               \
          "movq %[r4], %[lo]\n\t"                                                                  \
          "movq %[r0], %[hi]\n\t"                                                                  \
          "movq %[r1], %[z]\n\t"                                                                   \
          "movq %[r2], %[r3]\n\t"                                                                  \
          "subq 0(%[p]), %[lo]\n\t"                                                                \
          "sbbq 8(%[p]), %[hi]\n\t"                                                                \
          "sbbq 16(%[p]), %[z]\n\t"                                                                \
          "sbbq 24(%[p]), %[r3]\n\t"                                                               \
          "cmovcq %[r4], %[lo]\n\t"                                                                \
          "cmovcq %[r0], %[hi]\n\t"                                                                \
          "cmovcq %[r1], %[z]\n\t"                                                                 \
          "cmovcq %[r2], %[r3]\n\t"                                                                \
          : [r0] "=&r"(r0), [r1] "=&r"(r1), [r2] "=&r"(r2), [r3] "=&r"(r3), [r4] "=&r"(r4),       \
            [lo] "=&r"(lo), [hi] "=&r"(hi), [z] "=&r"(z)                                           \
          : [w] "r"(w), [s] "r"(s), [p] "r"(FE_P.v), [inv] "m"(fe_inv_mem), "m"(FE_P),            \
            "m"(*(const fe(*)[N])w), "m"(*(const fe(*)[N])s)                                       \
          : "rdx", "cc");                                                                          \
  r->v[0] = lo;                                                                                    \
  r->v[1] = hi;                                                                                    \
  r->v[2] = z;                                                                                     \
  r->v[3] = r3;

/* w[j], s[j]: arrays of n consecutive field elements */
INLINE void fe_dot1_adx(fe *r, const fe *w, const fe *s) { ZK_DOT_BODY(ZK_WORD1, 1) }
INLINE void fe_dot2_adx(fe *r, const fe *w, const fe *s) { ZK_DOT_BODY(ZK_WORD2, 2) }
INLINE void fe_dot3_adx(fe *r, const fe *w, const fe *s) { ZK_DOT_BODY(ZK_WORD3, 3) }
INLINE void fe_dot4_adx(fe *r, const fe *w, const fe *s) { ZK_DOT_BODY(ZK_WORD4, 4) }
/* n = 5 is valid only for rows with sum_j w_j + p < 2^256: gen-constants.mjs checks every row used. */
INLINE void fe_dot5_adx(fe *r, const fe *w, const fe *s) { ZK_DOT_BODY(ZK_WORD5, 5) }

INLINE void fe_mul_adx(fe *r, const fe *a, const fe *b) { fe_dot1_adx(r, a, b); }

/* a + b mod p for a, b < p (the sum fits in 256 bits because p < 2^254). */
INLINE void fe_add_asm(fe *r, const fe *a, const fe *b) {
  uint64_t r0, r1, r2, r3, s0, s1, s2, s3;
  __asm__(
      "movq 0(%[a]), %[r0]\n\t"
      "movq 8(%[a]), %[r1]\n\t"
      "movq 16(%[a]), %[r2]\n\t"
      "movq 24(%[a]), %[r3]\n\t"
      "addq 0(%[b]), %[r0]\n\t"
      "adcq 8(%[b]), %[r1]\n\t"
      "adcq 16(%[b]), %[r2]\n\t"
      "adcq 24(%[b]), %[r3]\n\t"
      "movq %[r0], %[s0]\n\t"
      "movq %[r1], %[s1]\n\t"
      "movq %[r2], %[s2]\n\t"
      "movq %[r3], %[s3]\n\t"
      "subq 0(%[p]), %[s0]\n\t"
      "sbbq 8(%[p]), %[s1]\n\t"
      "sbbq 16(%[p]), %[s2]\n\t"
      "sbbq 24(%[p]), %[s3]\n\t"
      "cmovcq %[r0], %[s0]\n\t"
      "cmovcq %[r1], %[s1]\n\t"
      "cmovcq %[r2], %[s2]\n\t"
      "cmovcq %[r3], %[s3]\n\t"
      : [r0] "=&r"(r0), [r1] "=&r"(r1), [r2] "=&r"(r2), [r3] "=&r"(r3), [s0] "=&r"(s0), [s1] "=&r"(s1),
        [s2] "=&r"(s2), [s3] "=&r"(s3)
      : [a] "r"(a->v), [b] "r"(b->v), [p] "r"(FE_P.v), "m"(FE_P), "m"(*(const uint64_t(*)[4])a->v),
        "m"(*(const uint64_t(*)[4])b->v)
      : "cc");
  r->v[0] = s0;
  r->v[1] = s1;
  r->v[2] = s2;
  r->v[3] = s3;
}
#endif

/* Montgomery reduction of a 512-bit T < p * 2^256 to T / 2^256 mod p. */
INLINE void fe_redc512(fe *r, uint64_t T[8]) {
  uint64_t hc = 0; /* carry out of the high half, accumulated across rows */
  for (int i = 0; i < 4; i++) {
    uint64_t m = T[i] * FE_INV, c;
    u128 x;
    x = (u128)m * FE_P.v[0] + T[i];
    c = (uint64_t)(x >> 64);
    x = (u128)m * FE_P.v[1] + T[i + 1] + c;
    T[i + 1] = (uint64_t)x;
    c = (uint64_t)(x >> 64);
    x = (u128)m * FE_P.v[2] + T[i + 2] + c;
    T[i + 2] = (uint64_t)x;
    c = (uint64_t)(x >> 64);
    x = (u128)m * FE_P.v[3] + T[i + 3] + c;
    T[i + 3] = (uint64_t)x;
    c = (uint64_t)(x >> 64);
    x = (u128)T[i + 4] + c + hc;
    T[i + 4] = (uint64_t)x;
    hc = (uint64_t)(x >> 64);
  }
  /* result < 2p < 2^256, so hc == 0 here */
  fe_reduce_once(r, T[4], T[5], T[6], T[7]);
}

/* r = sum_j row[j] * s[j] (Montgomery), n <= 5, summed in 512 bits by columns then reduced once. */
INLINE void fe_dot(fe *r, const fe *row, const fe *s, int n) {
  uint64_t T[8];
  u128 lo = 0;   /* column accumulator, low 128 bits */
  uint64_t hi = 0; /* bits 128..191 of the column accumulator */
  for (int k = 0; k < 7; k++) {
    for (int j = 0; j < n; j++) {
      for (int i = (k > 3 ? k - 3 : 0); i <= (k < 3 ? k : 3); i++) {
        u128 p = (u128)row[j].v[i] * s[j].v[k - i];
        lo += p;
        hi += (lo < p);
      }
    }
    T[k] = (uint64_t)lo;
    lo = (lo >> 64) | ((u128)hi << 64);
    hi = 0;
  }
  T[7] = (uint64_t)lo;
  fe_redc512(r, T);
}

#ifdef ZK_HAVE_ADX
#define FMUL(r, a, b) (adx ? fe_mul_adx(r, a, b) : fe_mul(r, a, b))
#define FADD(r, a, b) (adx ? fe_add_asm(r, a, b) : fe_add(r, a, b))
#else
#define FMUL(r, a, b) fe_mul(r, a, b)
#define FADD(r, a, b) fe_add(r, a, b)
#endif

/* r = sum_j row[j] * s[j] for n = 3 or 5 (the two state widths). Both paths reduce once per
 * 64-bit word (ADX) or once per dot product (portable), not once per term. */
INLINE void fe_dotp(fe *r, const fe *row, const fe *s, const int n, const int adx) {
#ifdef ZK_HAVE_ADX
  if (adx) {
    if (n == 3) {
      fe_dot3_adx(r, row, s);
    } else {
      fe_dot5_adx(r, row, s);
    }
    return;
  }
#endif
  {
    fe_dot(r, row, s, n);
  }
}

INLINE void fe_pow5(fe *x, const int adx) {
  (void)adx;
  fe x2, x4;
  FMUL(&x2, x, x);
  FMUL(&x4, &x2, &x2);
  FMUL(x, &x4, x);
}

/* state: t Montgomery elements; follows poseidon_opt.js line by line. */
INLINE void permute(fe *state, const int t, const int nRP, const fe *C, const fe *S, const fe *MT, const fe *PT, const int adx) {
  (void)adx;
  fe tmp[5];
  for (int i = 0; i < t; i++) FADD(&state[i], &state[i], &C[i]);
  for (int r = 0; r < 3; r++) {
    for (int i = 0; i < t; i++) {
      fe_pow5(&state[i], adx);
      FADD(&state[i], &state[i], &C[(r + 1) * t + i]);
    }
    for (int i = 0; i < t; i++) fe_dotp(&tmp[i], &MT[i * t], state, t, adx);
    memcpy(state, tmp, sizeof(fe) * t);
  }
  for (int i = 0; i < t; i++) {
    fe_pow5(&state[i], adx);
    FADD(&state[i], &state[i], &C[4 * t + i]);
  }
  for (int i = 0; i < t; i++) fe_dotp(&tmp[i], &PT[i * t], state, t, adx);
  memcpy(state, tmp, sizeof(fe) * t);
  for (int r = 0; r < nRP; r++) {
    const fe *Sr = &S[(2 * t - 1) * r];
    fe s0;
    fe_pow5(&state[0], adx);
    FADD(&state[0], &state[0], &C[5 * t + r]);
    fe_dotp(&s0, Sr, state, t, adx);
    for (int k = 1; k < t; k++) {
      fe m;
      FMUL(&m, &state[0], &Sr[t + k - 1]);
      FADD(&state[k], &state[k], &m);
    }
    state[0] = s0;
  }
  for (int r = 0; r < 3; r++) {
    for (int i = 0; i < t; i++) {
      fe_pow5(&state[i], adx);
      FADD(&state[i], &state[i], &C[5 * t + nRP + r * t + i]);
    }
    for (int i = 0; i < t; i++) fe_dotp(&tmp[i], &MT[i * t], state, t, adx);
    memcpy(state, tmp, sizeof(fe) * t);
  }
  for (int i = 0; i < t; i++) fe_pow5(&state[i], adx);
  /* only state[0] is output: one row of the last matrix product */
  fe_dotp(&tmp[0], &MT[0], state, t, adx);
  state[0] = tmp[0];
}

INLINE int fe_is_canonical(const uint64_t x[4]) {
  /* lexicographic x < p from the top limb down */
  for (int i = 3; i >= 0; i--) {
    if (x[i] < FE_P.v[i]) return 1;
    if (x[i] > FE_P.v[i]) return 0;
  }
  return 0; /* x == p */
}

/* One hash on limbs: in holds N = t - 1 canonical elements, out gets the canonical result. */
INLINE void poseidon_limbs(uint64_t out[4], const uint64_t *in, const int t, const int adx) {
  (void)adx;
  fe st[5];
  memset(&st[0], 0, sizeof(fe));
  for (int i = 1; i < t; i++) {
    fe x;
    memcpy(x.v, in + 4 * (i - 1), 32);
    FMUL(&st[i], &x, &FE_R2);
  }
  if (t == 3)
    permute(st, 3, T3_NRP, T3_C, T3_S, T3_MT, T3_PT, adx);
  else
    permute(st, 5, T5_NRP, T5_C, T5_S, T5_MT, T5_PT, adx);
  static const fe one = {{1, 0, 0, 0}};
  fe r;
  FMUL(&r, &st[0], &one);
  memcpy(out, r.v, 32);
}

static void p2_portable(uint64_t out[4], const uint64_t in[8]) { poseidon_limbs(out, in, 3, 0); }
static void p4_portable(uint64_t out[4], const uint64_t in[16]) { poseidon_limbs(out, in, 5, 0); }
#ifdef ZK_HAVE_ADX
static void p2_adx(uint64_t out[4], const uint64_t in[8]) { poseidon_limbs(out, in, 3, 1); }
static void p4_adx(uint64_t out[4], const uint64_t in[16]) { poseidon_limbs(out, in, 5, 1); }
#endif

typedef void (*poseidon_fn)(uint64_t out[4], const uint64_t *in);
static poseidon_fn poseidon2_limbs = p2_portable;
static poseidon_fn poseidon4_limbs = p4_portable;
static const char *poseidon_impl = "portable";

/* Picks the mulx/adcx/adox path when the CPU has BMI2 and ADX (checked at run time, so a binary built
 * here still runs on an older x86-64). ZKFP_POSEIDON_NO_ADX forces the portable path (for tests). */
static void poseidon_select(int allow_adx) {
  poseidon2_limbs = p2_portable;
  poseidon4_limbs = p4_portable;
  poseidon_impl = "portable";
#ifdef ZK_HAVE_ADX
  __builtin_cpu_init();
  if (allow_adx && __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("adx")) {
    poseidon2_limbs = p2_adx;
    poseidon4_limbs = p4_adx;
    poseidon_impl = "adx";
  }
#else
  (void)allow_adx;
#endif
}
#endif
