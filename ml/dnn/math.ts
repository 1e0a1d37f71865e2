/**
 * Deterministic float32 exp, sqrt, sin, cos: the TypeScript twin of dnn_expf / dnn_sqrtf /
 * dnn_sinf / dnn_cosf in ml/dnn/dnn.c (same constants as bit patterns, same operation order).
 *
 * Every float32 operation is a double operation rounded with Math.fround. For + - * / that is
 * exactly the correctly rounded float32 result libgcc's soft float computes: the double result is
 * itself correctly rounded and 53 >= 2*24 + 2 makes the second rounding innocuous (Figueroa's
 * theorem); the same holds for sqrt. So dnn_sqrtf (an integer bit-by-bit square root, correctly
 * rounded) has the twin Math.fround(Math.sqrt(x)). ml/dnn/ops.test.ts checks all four on random
 * bit patterns, special values included, against the RV32IM build.
 *
 * Pitfall: C's (int32_t) cast of a float truncates and (float)k of k = 0 is +0; Math.trunc keeps -0,
 * so k is normalised with `| 0` before it is used as a float again.
 */
const f = Math.fround;
const bits = new Uint32Array(1);
const fl = new Float32Array(bits.buffer);
/** the float32 whose bit pattern is u */
export function F(u: number): number {
  bits[0] = u >>> 0;
  return fl[0]!;
}
/** the bit pattern of float32 value x (NaN payloads as stored by this engine) */
export function B(x: number): number {
  fl[0] = x;
  return bits[0]!;
}
export const CANON_NAN_BITS = 0x7fc00000;

const MAXX = F(0x42b17218),
  MINX = F(0xc2cff1b5),
  LOG2E = F(0x3fb8aa3b),
  C1 = F(0x3f318000),
  C2 = F(0xb95e8083);
const E5 = F(0x39506967),
  E4 = F(0x3ab743ce),
  E3 = F(0x3c088908),
  E2 = F(0x3d2aa9c1),
  E1 = F(0x3e2aaaaa);
const TWO127 = F(0x7f000000),
  TWOM126 = F(0x00800000);

export function expf(x: number): number {
  if (x !== x) return NaN;
  if (x > MAXX) return Infinity;
  if (x < MINX) return 0;
  const fk = f(x * LOG2E);
  let k = Math.trunc(f(fk + (fk < 0 ? -0.5 : 0.5))) | 0;
  const kf = k;
  let r = f(x - f(kf * C1));
  r = f(r - f(kf * C2));
  const z = f(r * r);
  let p = E5;
  p = f(f(p * r) + E4);
  p = f(f(p * r) + E3);
  p = f(f(p * r) + E2);
  p = f(f(p * r) + E1);
  p = f(f(p * r) + 0.5);
  p = f(f(p * z) + r);
  p = f(p + 1);
  if (k > 127) {
    p = f(p * TWO127);
    k -= 127;
  }
  if (k < -126) {
    p = f(p * TWOM126);
    k += 126;
  }
  return f(p * F((k + 127) << 23));
}

export function sqrtf(x: number): number {
  return f(Math.sqrt(x));
}

const TWO_OVER_PI = F(0x3f22f983),
  P1 = F(0x3fc90000),
  P2 = F(0x39fda000),
  P3 = F(0x33a22169);
const S3 = F(0xb94ca1f9),
  S2 = F(0x3c08839e),
  S1 = F(0xbe2aaaa3);
const K3 = F(0x37ccf5ce),
  K2 = F(0xbab6061a),
  K1 = F(0x3d2aaaa5);
const DOMAIN = F(0x4b800000);

function sincos(x: number, shift: number): number {
  if (x !== x) return NaN;
  if (Math.abs(x) >= DOMAIN) return NaN;
  const fk = f(x * TWO_OVER_PI);
  const k = Math.trunc(f(fk + (fk < 0 ? -0.5 : 0.5))) | 0;
  let r = f(x - f(k * P1));
  r = f(r - f(k * P2));
  r = f(r - f(k * P3));
  const z = f(r * r);
  let s = S3;
  s = f(f(s * z) + S2);
  s = f(f(s * z) + S1);
  s = f(s * z);
  s = f(f(s * r) + r);
  let c = K3;
  c = f(f(c * z) + K2);
  c = f(f(c * z) + K1);
  c = f(c * z);
  c = f(c * z);
  c = f(c - f(0.5 * z));
  c = f(c + 1);
  switch ((k + shift) & 3) {
    case 0:
      return s;
    case 1:
      return c;
    case 2:
      return f(0 - s);
    default:
      return f(0 - c);
  }
}
export const sinf = (x: number): number => sincos(x, 0);
export const cosf = (x: number): number => sincos(x, 1);
