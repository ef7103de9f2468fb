/*
 * f64x2 exp, sin and cos used by the float32 kernels: each float32 argument is promoted, evaluated
 * with a double-precision range reduction and polynomial (error around 1e-12 relative, far below
 * float32's 6e-8), and rounded once to float32, so float32 results are correctly rounded except in
 * rare ties. Arguments beyond the reduction's range go through JavaScript's Math (callers check).
 */
#ifndef SPECTRANS_VMATH_H
#define SPECTRANS_VMATH_H
#include "common.h"

/* Largest |x| the Cody–Waite reduction below handles exactly (q * PIO2_1 stays exact). */
#define TRIG_VECTOR_LIMIT 1.0e6

static const double TWO_OVER_PI = 0.63661977236758134308;
/* pi/2 as a sum of three doubles of 33, 33 and 53 significant bits. */
static const double PIO2_1 = 1.57079632673412561417e+00;
static const double PIO2_2 = 6.07710050630396597660e-11;
static const double PIO2_3 = 2.02226624871116645580e-21;

static inline v128_t splat64(double v) { return wasm_f64x2_splat(v); }
#define MADD(a, b, c) wasm_f64x2_add(wasm_f64x2_mul(a, b), c)

/* sin(r) and cos(r) for |r| <= pi/4: Taylor series to r^11 and r^12 (truncation below 1e-11). */
static inline void sincos_kernel(v128_t r, v128_t *s, v128_t *c) {
  const v128_t r2 = wasm_f64x2_mul(r, r);
  v128_t ps = splat64(-1.0 / 39916800.0);
  ps = MADD(ps, r2, splat64(1.0 / 362880.0));
  ps = MADD(ps, r2, splat64(-1.0 / 5040.0));
  ps = MADD(ps, r2, splat64(1.0 / 120.0));
  ps = MADD(ps, r2, splat64(-1.0 / 6.0));
  *s = MADD(wasm_f64x2_mul(ps, r2), r, r);
  v128_t pc = splat64(1.0 / 479001600.0);
  pc = MADD(pc, r2, splat64(-1.0 / 3628800.0));
  pc = MADD(pc, r2, splat64(1.0 / 40320.0));
  pc = MADD(pc, r2, splat64(-1.0 / 720.0));
  pc = MADD(pc, r2, splat64(1.0 / 24.0));
  pc = MADD(pc, r2, splat64(-0.5));
  *c = MADD(pc, r2, splat64(1.0));
}

/*
 * sin(x) and cos(x) for |x| <= TRIG_VECTOR_LIMIT: x = q*pi/2 + r, then the quadrant q mod 4 picks
 * and signs the kernel values. Either output pointer may be null.
 */
static inline void sincos_f64x2(v128_t x, v128_t *sinOut, v128_t *cosOut) {
  const v128_t q = wasm_f64x2_nearest(wasm_f64x2_mul(x, splat64(TWO_OVER_PI)));
  v128_t r = wasm_f64x2_sub(x, wasm_f64x2_mul(q, splat64(PIO2_1)));
  r = wasm_f64x2_sub(r, wasm_f64x2_mul(q, splat64(PIO2_2)));
  r = wasm_f64x2_sub(r, wasm_f64x2_mul(q, splat64(PIO2_3)));
  v128_t s, c;
  sincos_kernel(r, &s, &c);
  const v128_t qi = wasm_i64x2_extend_low_i32x4(wasm_i32x4_trunc_sat_f64x2_zero(q));
  const v128_t one = wasm_i64x2_splat(1), two = wasm_i64x2_splat(2);
  const v128_t odd = wasm_i64x2_eq(wasm_v128_and(qi, one), one);
  const v128_t signBit = wasm_i64x2_splat((i64)0x8000000000000000ULL);
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
static inline int trig_out_of_range(v128_t x) {
  return wasm_v128_any_true(wasm_f64x2_gt(wasm_f64x2_abs(x), splat64(TRIG_VECTOR_LIMIT)));
}

/*
 * exp(x) for float32-range results: x clamped to [-200, 200] (beyond float32's range either way),
 * x = n*ln2 + r with |r| <= ln2/2, Taylor series to r^10, times 2^n built in the exponent bits.
 */
static inline v128_t exp_f64x2(v128_t x) {
  x = wasm_f64x2_pmin(wasm_f64x2_pmax(x, splat64(-200.0)), splat64(200.0));
  const v128_t n = wasm_f64x2_nearest(wasm_f64x2_mul(x, splat64(1.4426950408889634074)));
  v128_t r = wasm_f64x2_sub(x, wasm_f64x2_mul(n, splat64(6.93147180369123816490e-01)));
  r = wasm_f64x2_sub(r, wasm_f64x2_mul(n, splat64(1.90821492927058770002e-10)));
  v128_t p = splat64(1.0 / 3628800.0);
  p = MADD(p, r, splat64(1.0 / 362880.0));
  p = MADD(p, r, splat64(1.0 / 40320.0));
  p = MADD(p, r, splat64(1.0 / 5040.0));
  p = MADD(p, r, splat64(1.0 / 720.0));
  p = MADD(p, r, splat64(1.0 / 120.0));
  p = MADD(p, r, splat64(1.0 / 24.0));
  p = MADD(p, r, splat64(1.0 / 6.0));
  p = MADD(p, r, splat64(0.5));
  p = MADD(p, r, splat64(1.0));
  p = MADD(p, r, splat64(1.0));
  const v128_t ni = wasm_i64x2_extend_low_i32x4(wasm_i32x4_trunc_sat_f64x2_zero(n));
  const v128_t scale = wasm_i64x2_shl(wasm_i64x2_add(ni, wasm_i64x2_splat(1023)), 52);
  return wasm_f64x2_mul(p, scale);
}

/* The low and high halves of an f32x4 as f64x2, and back. */
static inline v128_t lo64(v128_t v) { return wasm_f64x2_promote_low_f32x4(v); }
static inline v128_t hi64(v128_t v) { return wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3)); }
static inline v128_t to32(v128_t lo, v128_t hi) {
  return wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(lo), wasm_f32x4_demote_f64x2_zero(hi), 0, 1, 4, 5);
}

#endif
