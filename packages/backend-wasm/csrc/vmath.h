/*
 * f64x2 exp, expm1, log, sin and cos used by the float32 kernels: each float32 argument is promoted,
 * evaluated with a double-precision range reduction and polynomial (error around 1e-12 relative, far
 * below float32's 6e-8), and rounded once to float32, so float32 results are correctly rounded except
 * in rare ties. Trig arguments beyond the reduction's range go through JavaScript's Math (callers
 * check). Promotion also makes float32 subnormals normal doubles: no special path for them.
 */
#ifndef SPECTRANS_VMATH_H
#define SPECTRANS_VMATH_H
#include "common.h"
#include "vconst.h"

/* |x| up to which the Cody–Waite reduction below is exact enough (q * PIO2_1 stays exact): 1e6. */

#define MADD(a, b, c) wasm_f64x2_add(wasm_f64x2_mul(a, b), c)

/* sin(r) and cos(r) for |r| <= pi/4: Taylor series to r^11 and r^12 (truncation below 1e-11). */
static inline __attribute__((always_inline)) void sincos_kernel(v128_t r, v128_t *s, v128_t *c) {
  const v128_t r2 = wasm_f64x2_mul(r, r);
  v128_t ps = KF(K_S11);
  ps = MADD(ps, r2, KF(K_S9));
  ps = MADD(ps, r2, KF(K_S7));
  ps = MADD(ps, r2, KF(K_S5));
  ps = MADD(ps, r2, KF(K_S3));
  *s = MADD(wasm_f64x2_mul(ps, r2), r, r);
  v128_t pc = KF(K_C12);
  pc = MADD(pc, r2, KF(K_C10));
  pc = MADD(pc, r2, KF(K_C8));
  pc = MADD(pc, r2, KF(K_C6));
  pc = MADD(pc, r2, KF(K_C4));
  pc = MADD(pc, r2, KF(K_C2));
  *c = MADD(pc, r2, KF(K_ONE));
}

/*
 * sin(x) and cos(x) for |x| <= 1e6: x = q*pi/2 + r (pi/2 in three parts of 33, 33 and 53 bits),
 * then the quadrant q mod 4 picks and signs the kernel values. Either output pointer may be null.
 */
static inline __attribute__((always_inline)) void sincos_f64x2(v128_t x, v128_t *sinOut, v128_t *cosOut) {
  const v128_t q = wasm_f64x2_nearest(wasm_f64x2_mul(x, KF(K_TWO_OVER_PI)));
  v128_t r = wasm_f64x2_sub(x, wasm_f64x2_mul(q, KF(K_PIO2_1)));
  r = wasm_f64x2_sub(r, wasm_f64x2_mul(q, KF(K_PIO2_2)));
  r = wasm_f64x2_sub(r, wasm_f64x2_mul(q, KF(K_PIO2_3)));
  v128_t s, c;
  sincos_kernel(r, &s, &c);
  const v128_t qi = wasm_i64x2_extend_low_i32x4(wasm_i32x4_trunc_sat_f64x2_zero(q));
  const v128_t one = KI(K_I_ONE), two = KI(K_I_TWO);
  const v128_t odd = wasm_i64x2_eq(wasm_v128_and(qi, one), one);
  const v128_t signBit = KI(K_I_SIGN);
  if (sinOut) {
    /* q: 0 sin, 1 cos, 2 -sin, 3 -cos */
    const v128_t v = wasm_v128_bitselect(c, s, odd);
    const v128_t neg = wasm_i64x2_eq(wasm_v128_and(qi, two), two);
    *sinOut = wasm_v128_xor(v, wasm_v128_and(neg, signBit));
  }
  if (cosOut) {
    /* q: 0 cos, 1 -sin, 2 -cos, 3 sin */
    const v128_t v = wasm_v128_bitselect(s, c, odd);
    const v128_t q1 = wasm_i64x2_add(qi, one);
    const v128_t neg = wasm_i64x2_eq(wasm_v128_and(q1, two), two);
    *cosOut = wasm_v128_xor(v, wasm_v128_and(neg, signBit));
  }
}

/* True when some lane is outside the vector trig range (NaN lanes are fine: they stay NaN). */
static inline __attribute__((always_inline)) int trig_out_of_range(v128_t x) {
  return wasm_v128_any_true(wasm_f64x2_gt(wasm_f64x2_abs(x), KF(K_TRIG_LIMIT)));
}

/* x = n*ln2 + r with |r| <= ln2/2 (Cody–Waite: ln2 split in two so n*ln2_hi is exact); sets *n. */
static inline __attribute__((always_inline)) v128_t exp_reduce(v128_t x, v128_t *n) {
  *n = wasm_f64x2_nearest(wasm_f64x2_mul(x, KF(K_LOG2E)));
  const v128_t r = wasm_f64x2_sub(x, wasm_f64x2_mul(*n, KF(K_LN2_HI)));
  return wasm_f64x2_sub(r, wasm_f64x2_mul(*n, KF(K_LN2_LO)));
}

/* 1/2! + r/3! + ... + r^8/10!: exp's Taylor series from the r^2 term on, divided by r^2. */
static inline __attribute__((always_inline)) v128_t exp_tail(v128_t r) {
  v128_t p = KF(K_E10);
  p = MADD(p, r, KF(K_E9));
  p = MADD(p, r, KF(K_E8));
  p = MADD(p, r, KF(K_E7));
  p = MADD(p, r, KF(K_E6));
  p = MADD(p, r, KF(K_E5));
  p = MADD(p, r, KF(K_E4));
  p = MADD(p, r, KF(K_E3));
  return MADD(p, r, KF(K_E2));
}

/* 2^n for integral n in the normal double range, built in the exponent bits. */
static inline __attribute__((always_inline)) v128_t pow2_f64x2(v128_t n) {
  const v128_t ni = wasm_i64x2_extend_low_i32x4(wasm_i32x4_trunc_sat_f64x2_zero(n));
  return wasm_i64x2_shl(wasm_i64x2_add(ni, KI(K_I_BIAS)), 52);
}

/*
 * exp(x) for float32-range results: x clamped to [-200, 200] (beyond float32's range either way),
 * x = n*ln2 + r, Taylor series to r^10, times 2^n.
 */
static inline __attribute__((always_inline)) v128_t exp_f64x2(v128_t x) {
  x = wasm_f64x2_pmin(wasm_f64x2_pmax(x, KF(K_EXP_LO)), KF(K_EXP_HI));
  v128_t n;
  const v128_t r = exp_reduce(x, &n);
  const v128_t p = MADD(MADD(exp_tail(r), r, KF(K_ONE)), r, KF(K_ONE));
  return wasm_f64x2_mul(p, pow2_f64x2(n));
}

/*
 * expm1(x) for x <= 0 (and NaN, which passes): x clamped at -200 (beyond float32's resolution of
 * -1), x = n*ln2 + r, expm1(r) = r + r^2·P(r) from exp's Taylor coefficients (truncation below
 * 1e-12 relative, and no cancellation: for n = 0 the result is that sum alone), then
 * expm1(x) = 2^n·expm1(r) + (2^n - 1), where 2^n - 1 is exact and, for n <= -1, the result is at
 * least 0.29 in magnitude so the final sum loses nothing. Returns +0 for -0 (callers keep x's zero).
 */
static inline __attribute__((always_inline)) v128_t expm1_neg_f64x2(v128_t x) {
  x = wasm_f64x2_pmax(x, KF(K_EXP_LO));
  v128_t n;
  const v128_t r = exp_reduce(x, &n);
  const v128_t em = MADD(wasm_f64x2_mul(r, r), exp_tail(r), r);
  const v128_t scale = pow2_f64x2(n);
  return MADD(scale, em, wasm_f64x2_sub(scale, KF(K_ONE)));
}

/*
 * Natural log with IEEE special values: log(±0) = -inf, log(x < 0) = NaN, log(+inf) = +inf, NaN
 * passes. x = 2^k·z with z in [sqrt(1/2), sqrt(2)) taken from the bits (the offset trick: subtract
 * the bits of sqrt(1/2), the exponent field of the difference is k), f = z - 1 exactly (Sterbenz),
 * s = f/(2 + f) (|s| <= 0.172) and log z = 2s(1 + s^2/3 + ... + s^16/17), the atanh series with
 * truncation below 1e-15 relative. log x = k·ln2_hi + (k·ln2_lo + log z): k·ln2_hi is exact, and near
 * x = 1 (k = 0) the result is log z alone, accurate to a few double ulps relative. Overall relative
 * error a few 2^-53 for every positive normal double (float32 subnormals included once promoted).
 */
static inline __attribute__((always_inline)) v128_t log_f64x2(v128_t x) {
  const v128_t tmp = wasm_i64x2_sub(x, KI(K_I_SQRT_HALF));
  const v128_t z = wasm_i64x2_sub(x, wasm_v128_and(tmp, KI(K_I_EXP_FIELD)));
  const v128_t k = wasm_i64x2_shr(tmp, 52);
  const v128_t kf = wasm_f64x2_convert_low_i32x4(wasm_i32x4_shuffle(k, k, 0, 2, 0, 2));
  const v128_t f = wasm_f64x2_sub(z, KF(K_ONE));
  const v128_t s = wasm_f64x2_div(f, wasm_f64x2_add(f, KF(K_TWO)));
  const v128_t w = wasm_f64x2_mul(s, s);
  v128_t p = KF(K_LOG_C17);
  p = MADD(p, w, KF(K_LOG_C15));
  p = MADD(p, w, KF(K_LOG_C13));
  p = MADD(p, w, KF(K_LOG_C11));
  p = MADD(p, w, KF(K_LOG_C9));
  p = MADD(p, w, KF(K_LOG_C7));
  p = MADD(p, w, KF(K_LOG_C5));
  p = MADD(p, w, KF(K_LOG_C3));
  const v128_t s2 = wasm_f64x2_add(s, s);
  const v128_t logz = MADD(wasm_f64x2_mul(s2, w), p, s2);
  const v128_t r = MADD(kf, KF(K_LN2_HI), MADD(kf, KF(K_LN2_LO), logz));
  /* Lanes outside (0, inf): 0 -> -inf, negative -> NaN, +inf and NaN pass as they are. */
  const v128_t ok = wasm_v128_and(wasm_f64x2_gt(x, wasm_f64x2_splat(0.0)), wasm_f64x2_lt(x, KF(K_INF)));
  if (wasm_i64x2_all_true(ok)) return r;
  const v128_t zero = wasm_f64x2_eq(x, wasm_f64x2_splat(0.0));
  const v128_t fix = wasm_v128_bitselect(KF(K_NEG_INF), wasm_v128_bitselect(KF(K_NAN), x, wasm_f64x2_lt(x, wasm_f64x2_splat(0.0))), zero);
  return wasm_v128_bitselect(r, fix, ok);
}

/* The low and high halves of an f32x4 as f64x2, and back. */
static inline __attribute__((always_inline)) v128_t lo64(v128_t v) { return wasm_f64x2_promote_low_f32x4(v); }
static inline __attribute__((always_inline)) v128_t hi64(v128_t v) { return wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3)); }
static inline __attribute__((always_inline)) v128_t to32(v128_t lo, v128_t hi) {
  return wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(lo), wasm_f32x4_demote_f64x2_zero(hi), 0, 1, 4, 5);
}

#endif
