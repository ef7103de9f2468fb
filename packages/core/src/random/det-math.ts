/**
 * Deterministic elementary functions built from IEEE-754 basic operations only (`+ - * /`,
 * `Math.sqrt` and exact bit manipulation), so that they return bit-identical results on every
 * JavaScript engine and platform. `Math.log` and friends carry no such guarantee.
 */

const view = new DataView(new ArrayBuffer(8));

const LN2_HI = 6.9314718036912381649e-1; /* 3fe62e42 fee00000 */
const LN2_LO = 1.90821492927058770002e-10; /* 3dea39ef 35793c76 */
const TWO54 = 1.8014398509481984e16; /* 43500000 00000000 */
const LG1 = 6.66666666666673513e-1; /* 3FE55555 55555593 */
const LG2 = 3.999999999940941908e-1; /* 3FD99999 9997FA04 */
const LG3 = 2.857142874366239149e-1; /* 3FD24924 94229359 */
const LG4 = 2.222219843214978396e-1; /* 3FCC71C5 1D8E78AF */
const LG5 = 1.818357216161805012e-1; /* 3FC74664 96CB03DE */
const LG6 = 1.531383769920937332e-1; /* 3FC39A09 D078C69F */
const LG7 = 1.479819860511658591e-1; /* 3FC2F112 DF3E5244 */

/**
 * Natural logarithm, bit-identical on every engine and platform.
 *
 * @param x - the argument.
 * @returns `ln(x)`, with an error below 1 ulp; `-Infinity` for `±0`, `NaN` for `x < 0` or `NaN`,
 *   `Infinity` for `Infinity`.
 *
 * @remarks
 * A transcription of fdlibm's `__ieee754_log` (Sun Microsystems, `e_log.c`, 1993), the algorithm
 * behind Java's `StrictMath.log`: `x = 2^k (1 + f)` with `1 + f` in `[sqrt(2)/2, sqrt(2))` via
 * exponent extraction (a big-endian `DataView`, so independent of platform byte order), then
 * `log(1 + f) = 2s + s R(s^2)` with `s = f / (2 + f)` and a degree-14 minimax polynomial `R`, and
 * `k ln 2` added in two parts. Every step is a correctly rounded IEEE-754 operation, and JavaScript
 * never contracts them into fused multiply-adds, so the result is reproducible bit for bit.
 */
export function detLog(x: number): number {
  view.setFloat64(0, x);
  let hx = view.getInt32(0);
  const lx = view.getUint32(4);
  let k = 0;
  if (hx < 0x00100000) {
    // x < 2^-1022
    if (((hx & 0x7fffffff) | lx) === 0) return -Infinity; // log(+-0)
    if (hx < 0) return NaN; // log(-#)
    k -= 54;
    x *= TWO54; // subnormal: scale up
    view.setFloat64(0, x);
    hx = view.getInt32(0);
  }
  if (hx >= 0x7ff00000) return x + x; // +Inf or NaN
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  let i = (hx + 0x95f64) & 0x100000;
  view.setInt32(0, hx | (i ^ 0x3ff00000)); // normalise x or x/2 (low word unchanged)
  x = view.getFloat64(0);
  k += i >> 20;
  const f = x - 1.0;
  if ((0x000fffff & (2 + hx)) < 3) {
    // |f| < 2^-20
    if (f === 0) {
      if (k === 0) return 0;
      return k * LN2_HI + k * LN2_LO;
    }
    const R = f * f * (0.5 - 0.3333333333333333 * f);
    if (k === 0) return f - R;
    return k * LN2_HI - (R - k * LN2_LO - f);
  }
  const s = f / (2.0 + f);
  const dk = k;
  const z = s * s;
  i = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  i |= j;
  const R = t2 + t1;
  if (i > 0) {
    const hfsq = 0.5 * f * f;
    if (k === 0) return f - (hfsq - s * (hfsq + R));
    return dk * LN2_HI - (hfsq - (s * (hfsq + R) + dk * LN2_LO) - f);
  }
  if (k === 0) return f - s * (f - R);
  return dk * LN2_HI - (s * (f - R) - dk * LN2_LO - f);
}
