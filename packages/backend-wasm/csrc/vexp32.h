/*
 * float32 e^x on f32x4 lanes for the fused kernels (attention.c, features.c): x = n·ln2 + r, a
 * degree-7 Taylor polynomial of e^r (|r| <= ln2/2, truncation below 6e-9) times 2^n built in the
 * exponent bits; within 2 ulp. These loops are bound by latency, not arithmetic: n comes from
 * adding 1.5·2^23 (the sum's low mantissa bits are n, so there is no float→int conversion), and the
 * polynomial is evaluated in Estrin's form (depth 4, not Horner's 7). The constants are loaded from
 * memory once per loop (vconst.h).
 */
#ifndef SPECTRANS_VEXP32_H
#define SPECTRANS_VEXP32_H
#include "common.h"
#include "vconst.h"

typedef struct {
  v128_t ln2hi, ln2lo, log2e, lo, wlo, whi, p7, p6, p5, p4, p3, p2, round, one, zero;
} ExpK;

static inline __attribute__((always_inline)) ExpK exp_consts(void) {
  const float *k = spectrans_exp32;
  ExpK e;
  e.ln2hi = wasm_v128_load32_splat(k + E32_LN2_HI);
  e.ln2lo = wasm_v128_load32_splat(k + E32_LN2_LO);
  e.log2e = wasm_v128_load32_splat(k + E32_LOG2E);
  e.lo = wasm_v128_load32_splat(k + E32_LO);
  e.wlo = wasm_v128_load32_splat(k + E32_WIDE_LO);
  e.whi = wasm_v128_load32_splat(k + E32_WIDE_HI);
  e.p7 = wasm_v128_load32_splat(k + E32_P7);
  e.p6 = wasm_v128_load32_splat(k + E32_P6);
  e.p5 = wasm_v128_load32_splat(k + E32_P5);
  e.p4 = wasm_v128_load32_splat(k + E32_P4);
  e.p3 = wasm_v128_load32_splat(k + E32_P3);
  e.p2 = wasm_v128_load32_splat(k + E32_P2);
  e.round = wasm_v128_load32_splat(k + E32_ROUND);
  e.one = wasm_f32x4_splat(1.0f);
  e.zero = wasm_f32x4_splat(0.0f);
  return e;
}

/* e^r for the reduced argument of xc (clamped); *j gets xc·log2(e) + 1.5·2^23 (n in its low bits). */
static inline __attribute__((always_inline)) v128_t exp_reduced(v128_t xc, const ExpK *e, v128_t *j) {
  *j = wasm_f32x4_add(wasm_f32x4_mul(xc, e->log2e), e->round);
  const v128_t n = wasm_f32x4_sub(*j, e->round);
  v128_t r = wasm_f32x4_sub(xc, wasm_f32x4_mul(n, e->ln2hi));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(n, e->ln2lo));
  const v128_t r2 = wasm_f32x4_mul(r, r), r4 = wasm_f32x4_mul(r2, r2);
  const v128_t p01 = wasm_f32x4_add(e->one, r);
  const v128_t p23 = wasm_f32x4_add(e->p2, wasm_f32x4_mul(e->p3, r));
  const v128_t p45 = wasm_f32x4_add(e->p4, wasm_f32x4_mul(e->p5, r));
  const v128_t p67 = wasm_f32x4_add(e->p6, wasm_f32x4_mul(e->p7, r));
  const v128_t lo = wasm_f32x4_add(p01, wasm_f32x4_mul(p23, r2));
  const v128_t hi = wasm_f32x4_add(p45, wasm_f32x4_mul(p67, r2));
  return wasm_f32x4_add(lo, wasm_f32x4_mul(hi, r4));
}

/*
 * e^x for x <= 0, which is all attention needs (every argument is a log term minus a maximum over
 * it): 0 below −87.34 (under the smallest normal; attention's terms there are below 1e-38 of the
 * largest, which is 1), NaN stays NaN.
 */
static inline __attribute__((always_inline)) v128_t exp_nonpos_f32x4(v128_t x, const ExpK *e) {
  v128_t j;
  const v128_t p = exp_reduced(wasm_f32x4_pmax(x, e->lo), e, &j); /* NaN passes through */
  /* (bits(j) + 127) << 23 = (n + 127) << 23: the bits of 1.5·2^23 above n shift out. */
  const v128_t scale = wasm_i32x4_shl(wasm_i32x4_add(j, wasm_i32x4_splat(127)), 23);
  return wasm_v128_andnot(wasm_f32x4_mul(p, scale), wasm_f32x4_lt(x, e->lo));
}

/*
 * e^x over the whole float32 range: x clamped to [−104, 89] (beyond which the result rounds to 0 or
 * overflows anyway), 2^n applied as 2^(n − n/2)·2^(n/2), two normal factors for every n in
 * [−150, 129], so subnormal results round once and overflow gives +inf. NaN stays NaN.
 */
static inline __attribute__((always_inline)) v128_t exp_f32x4(v128_t x, const ExpK *e) {
  v128_t j;
  const v128_t p = exp_reduced(wasm_f32x4_pmin(wasm_f32x4_pmax(x, e->wlo), e->whi), e, &j);
  const v128_t n = wasm_i32x4_sub(j, e->round), n1 = wasm_i32x4_shr(n, 1);
  const v128_t bias = wasm_i32x4_splat(127);
  const v128_t s1 = wasm_i32x4_shl(wasm_i32x4_add(n1, bias), 23);
  const v128_t s2 = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_sub(n, n1), bias), 23);
  return wasm_f32x4_mul(wasm_f32x4_mul(p, s1), s2);
}

#endif
