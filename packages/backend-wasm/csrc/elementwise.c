/*
 * float32 elementwise kernels on f32x4, plus the squared-distance GEMM epilogue (RFF: rff.c).
 *
 * Unary job: 0 kind, 1 op, 2 n, 3 x, 4 out.
 * Binary job: 0 kind, 1 op, 2 rows, 3 inner, 4 a, 5 a row stride, 6 a inner stride (0 or 1),
 *   7 b, 8 b row stride, 9 b inner stride (0 or 1), 10 out (contiguous rows x inner).
 * Op codes are mirrored in src/jobs.ts.
 */
#include "common.h"
#include "vexp32.h"
#include "vmath.h"

enum { U_NEG, U_ABS, U_EXP, U_SQRT, U_SQUARE, U_RECIPROCAL, U_SIN, U_COS, U_RELU, U_SIGN, U_LOG, U_TANH, U_ELU };
enum { B_ADD, B_SUB, B_MUL, B_DIV, B_MAX, B_MIN, B_GT, B_GE, B_LT, B_LE, B_EQ, B_POW };

/* sin or cos of four float32 lanes, exact Math fallbacks for huge arguments. */
static inline __attribute__((always_inline)) v128_t trig4(v128_t v, int isCos) {
  const v128_t lo = lo64(v), hi = hi64(v);
  if (trig_out_of_range(lo) || trig_out_of_range(hi)) {
    float in[4] __attribute__((aligned(16))), out[4] __attribute__((aligned(16)));
    wasm_v128_store(in, v);
    for (int i = 0; i < 4; i++) out[i] = (float)(isCos ? js_cos((double)in[i]) : js_sin((double)in[i]));
    return wasm_v128_load(out);
  }
  v128_t rlo, rhi;
  if (isCos) {
    sincos_f64x2(lo, 0, &rlo);
    sincos_f64x2(hi, 0, &rhi);
  } else {
    sincos_f64x2(lo, &rlo, 0);
    sincos_f64x2(hi, &rhi, 0);
  }
  return to32(rlo, rhi);
}

/*
 * tanh(x) = sign(x)·(-e)/(2 + e) with e = expm1(-2|x|) in [-1, 0]: no cancellation anywhere (tiny
 * |x| gives e ≈ -2|x| and tanh ≈ x to double precision), and e rounds to exactly -1 for |x| >= 19,
 * so large arguments saturate to exactly ±1. ±0 keep their sign, NaN passes.
 */
static inline __attribute__((always_inline)) v128_t tanh_f64x2(v128_t x) {
  const v128_t e = expm1_neg_f64x2(wasm_f64x2_mul(wasm_f64x2_abs(x), wasm_f64x2_splat(-2.0)));
  const v128_t t = wasm_f64x2_div(e, wasm_f64x2_add(e, KF(K_TWO))); /* -tanh|x|, <= 0 */
  return wasm_v128_or(wasm_f64x2_abs(t), wasm_v128_and(x, KI(K_I_SIGN)));
}

/* elu (alpha 1): x for x >= 0 (±0 kept), expm1(x) below, NaN passes (it takes the expm1 side). */
static inline __attribute__((always_inline)) v128_t elu4(v128_t v) {
  const v128_t zero = wasm_f64x2_splat(0.0);
  const v128_t lo = wasm_f64x2_pmin(lo64(v), zero), hi = wasm_f64x2_pmin(hi64(v), zero);
  const v128_t e = to32(expm1_neg_f64x2(lo), expm1_neg_f64x2(hi));
  return wasm_v128_bitselect(v, e, wasm_f32x4_ge(v, wasm_f32x4_splat(0.0f)));
}

/* |a|^b = exp(b·log|a|) in double for two lanes (log: specials included, see log_f64x2). */
static inline __attribute__((always_inline)) v128_t pow_abs_f64x2(v128_t a, v128_t b) {
  return exp_f64x2(wasm_f64x2_mul(b, log_f64x2(wasm_f64x2_abs(a))));
}

/*
 * Math.pow(a, b) on float32 lanes. The magnitude is exp(b·log|a|) in double: log|a| has a relative
 * error of a few 2^-53, so t = b·log|a| is off by at most |t|·2^-50 ≈ 1e-13 for every |t| <= 104 that
 * gives a finite nonzero float32 (|t| > 104 over/underflows either way), and exp adds about 1e-13
 * relative: the double result is within ~2e-13 relative of the true power, i.e. 0.5 ulp + 4e-6 ulp
 * after the one rounding to float32. Special cases of Math.pow fall out of the IEEE arithmetic
 * (log 0 = -inf, log inf = inf, 0·inf = NaN for |a| = 1 with b = ±inf, NaN propagating, exp
 * clamping ±inf) except three fixed below: the sign for a negative base (or -0, -inf) with an odd
 * integer b, NaN for a finite negative base with a non-integer b, and 1 for b = ±0 (even a NaN base).
 */
static inline __attribute__((always_inline)) v128_t pow4(v128_t a, v128_t b) {
  v128_t r = to32(pow_abs_f64x2(lo64(a), lo64(b)), pow_abs_f64x2(hi64(a), hi64(b)));
  const v128_t isInt = wasm_f32x4_eq(wasm_f32x4_nearest(b), b); /* ±inf count as (even) integers */
  const v128_t half = wasm_f32x4_mul(b, wasm_f32x4_splat(0.5f));
  const v128_t odd = wasm_v128_andnot(isInt, wasm_f32x4_eq(wasm_f32x4_nearest(half), half));
  const v128_t sign = wasm_i32x4_splat((int)0x80000000);
  r = wasm_v128_xor(r, wasm_v128_and(wasm_v128_and(a, sign), odd));
  const v128_t negFinite = wasm_v128_and(wasm_f32x4_lt(a, wasm_f32x4_splat(0.0f)), wasm_f32x4_gt(a, wasm_f32x4_splat(-__builtin_inff())));
  r = wasm_v128_bitselect(wasm_f32x4_splat(__builtin_nanf("")), r, wasm_v128_andnot(negFinite, isInt));
  return wasm_v128_bitselect(wasm_f32x4_splat(1.0f), r, wasm_f32x4_eq(b, wasm_f32x4_splat(0.0f)));
}

/* log on four float32 lanes. */
static inline __attribute__((always_inline)) v128_t log4(v128_t v) { return to32(log_f64x2(lo64(v)), log_f64x2(hi64(v))); }

static inline __attribute__((always_inline)) v128_t unary4(int op, v128_t v) {
  const v128_t zero = wasm_f32x4_splat(0.0f), one = wasm_f32x4_splat(1.0f);
  switch (op) {
    case U_NEG: return wasm_f32x4_neg(v);
    case U_ABS: return wasm_f32x4_abs(v);
    case U_EXP: return to32(exp_f64x2(lo64(v)), exp_f64x2(hi64(v)));
    case U_SQRT: return wasm_f32x4_sqrt(v);
    case U_SQUARE: return wasm_f32x4_mul(v, v);
    case U_RECIPROCAL: return wasm_f32x4_div(one, v);
    case U_SIN: return trig4(v, 0);
    case U_COS: return trig4(v, 1);
    case U_RELU: /* v > 0 or NaN keeps v; everything else (±0 included) is +0 */
      return wasm_v128_bitselect(v, zero, wasm_v128_or(wasm_f32x4_gt(v, zero), wasm_f32x4_ne(v, v)));
    case U_SIGN: {
      const v128_t pos = wasm_v128_and(wasm_f32x4_gt(v, zero), one);
      const v128_t neg = wasm_v128_and(wasm_f32x4_lt(v, zero), wasm_f32x4_splat(-1.0f));
      const v128_t nan = wasm_v128_and(wasm_f32x4_ne(v, v), v);
      return wasm_v128_or(wasm_v128_or(pos, neg), nan);
    }
    case U_LOG: return log4(v);
    case U_TANH: return to32(tanh_f64x2(lo64(v)), tanh_f64x2(hi64(v)));
    case U_ELU: return elu4(v);
  }
  return v;
}

/*
 * o[i] = op(x[i]) for i in [b, e). Always inlined with a constant op, so each op gets its own loop:
 * a switch inside the loop kept the op out of line (a call per vector, 5-8x slower for cheap ops).
 */
static inline __attribute__((always_inline)) void unary_span(const int op, const float *x, float *o, int b, int e) {
  int i = b;
  for (; i + 4 <= e; i += 4) wasm_v128_store(o + i, unary4(op, wasm_v128_load(x + i)));
  if (i < e) {
    float t[4] __attribute__((aligned(16))) = {0, 0, 0, 0};
    for (int j = i; j < e; j++) t[j - i] = x[j];
    wasm_v128_store(t, unary4(op, wasm_v128_load(t)));
    for (int j = i; j < e; j++) o[j] = t[j - i];
  }
}

void unary_f32_job(const i32 *job, int tid, int nt) {
  const int op = job[1], n = job[2];
  const float *x = (const float *)job[3];
  float *o = (float *)job[4];
  int b, e;
  share((n + 3) / 4, tid, nt, &b, &e);
  b *= 4;
  e = imin(n, e * 4);
  switch (op) {
    case U_NEG: unary_span(U_NEG, x, o, b, e); break;
    case U_ABS: unary_span(U_ABS, x, o, b, e); break;
    case U_EXP: unary_span(U_EXP, x, o, b, e); break;
    case U_SQRT: unary_span(U_SQRT, x, o, b, e); break;
    case U_SQUARE: unary_span(U_SQUARE, x, o, b, e); break;
    case U_RECIPROCAL: unary_span(U_RECIPROCAL, x, o, b, e); break;
    case U_SIN: unary_span(U_SIN, x, o, b, e); break;
    case U_COS: unary_span(U_COS, x, o, b, e); break;
    case U_RELU: unary_span(U_RELU, x, o, b, e); break;
    case U_SIGN: unary_span(U_SIGN, x, o, b, e); break;
    case U_LOG: unary_span(U_LOG, x, o, b, e); break;
    case U_TANH: unary_span(U_TANH, x, o, b, e); break;
    case U_ELU: unary_span(U_ELU, x, o, b, e); break;
  }
}

static inline __attribute__((always_inline)) v128_t binary4(int op, v128_t a, v128_t b) {
  const v128_t one = wasm_f32x4_splat(1.0f);
  switch (op) {
    case B_ADD: return wasm_f32x4_add(a, b);
    case B_SUB: return wasm_f32x4_sub(a, b);
    case B_MUL: return wasm_f32x4_mul(a, b);
    case B_DIV: return wasm_f32x4_div(a, b);
    case B_MAX: return wasm_f32x4_max(a, b); /* propagates NaN, -0 < +0: Math.max */
    case B_MIN: return wasm_f32x4_min(a, b);
    case B_GT: return wasm_v128_and(wasm_f32x4_gt(a, b), one);
    case B_GE: return wasm_v128_and(wasm_f32x4_ge(a, b), one);
    case B_LT: return wasm_v128_and(wasm_f32x4_lt(a, b), one);
    case B_LE: return wasm_v128_and(wasm_f32x4_le(a, b), one);
    case B_EQ: return wasm_v128_and(wasm_f32x4_eq(a, b), one);
    case B_POW: return pow4(a, b);
  }
  return a;
}

/*
 * o[i] = op(a[i*as], b[i*bs]) for i < n, as and bs each 0 (broadcast) or 1. Always inlined with a
 * constant op and strides (see binary_row), so the loop holds no branch and no call.
 */
static inline __attribute__((always_inline)) void binary_span(const int op, const float *a, const int as, const float *b,
                                                              const int bs, float *o, int n) {
  int i = 0;
  const v128_t sa = wasm_f32x4_splat(a[0]), sb = wasm_f32x4_splat(b[0]);
  for (; i + 4 <= n; i += 4) {
    const v128_t va = as ? wasm_v128_load(a + i) : sa;
    const v128_t vb = bs ? wasm_v128_load(b + i) : sb;
    wasm_v128_store(o + i, binary4(op, va, vb));
  }
  if (i < n) {
    float ta[4] __attribute__((aligned(16))) = {0, 0, 0, 0}, tb[4] __attribute__((aligned(16))) = {0, 0, 0, 0};
    for (int j = i; j < n; j++) {
      ta[j - i] = a[j * as];
      tb[j - i] = b[j * bs];
    }
    wasm_v128_store(ta, binary4(op, wasm_v128_load(ta), wasm_v128_load(tb)));
    for (int j = i; j < n; j++) o[j] = ta[j - i];
  }
}

/* One span per stride pattern (both full, a broadcast, b broadcast; both broadcast is rare). */
static inline __attribute__((always_inline)) void binary_strides(const int op, const float *a, int as, const float *b,
                                                                 int bs, float *o, int n) {
  if (as && bs) binary_span(op, a, 1, b, 1, o, n);
  else if (as) binary_span(op, a, 1, b, 0, o, n);
  else if (bs) binary_span(op, a, 0, b, 1, o, n);
  else binary_span(op, a, 0, b, 0, o, n);
}

/* binary_span with its op made a constant: one specialised loop per op. */
static void binary_row(int op, const float *a, int as, const float *b, int bs, float *o, int n) {
  switch (op) {
    case B_ADD: binary_strides(B_ADD, a, as, b, bs, o, n); break;
    case B_SUB: binary_strides(B_SUB, a, as, b, bs, o, n); break;
    case B_MUL: binary_strides(B_MUL, a, as, b, bs, o, n); break;
    case B_DIV: binary_strides(B_DIV, a, as, b, bs, o, n); break;
    case B_MAX: binary_strides(B_MAX, a, as, b, bs, o, n); break;
    case B_MIN: binary_strides(B_MIN, a, as, b, bs, o, n); break;
    case B_GT: binary_strides(B_GT, a, as, b, bs, o, n); break;
    case B_GE: binary_strides(B_GE, a, as, b, bs, o, n); break;
    case B_LT: binary_strides(B_LT, a, as, b, bs, o, n); break;
    case B_LE: binary_strides(B_LE, a, as, b, bs, o, n); break;
    case B_EQ: binary_strides(B_EQ, a, as, b, bs, o, n); break;
    case B_POW: binary_strides(B_POW, a, as, b, bs, o, n); break;
  }
}

void binary_f32_job(const i32 *job, int tid, int nt) {
  const int op = job[1], rows = job[2], inner = job[3];
  const float *a = (const float *)job[4], *b = (const float *)job[7];
  float *o = (float *)job[10];
  const int ars = job[5], ais = job[6], brs = job[8], bis = job[9];
  if (rows == 1) {
    /* one long row: split it */
    int s, e;
    share((inner + 3) / 4, tid, nt, &s, &e);
    s *= 4;
    e = imin(inner, e * 4);
    if (s < e) binary_row(op, a + s * ais, ais, b + s * bis, bis, o + s, e - s);
    return;
  }
  int r0, r1;
  share(rows, tid, nt, &r0, &r1);
  for (int r = r0; r < r1; r++) binary_row(op, a + r * ars, ais, b + r * brs, bis, o + r * inner, inner);
}

/*
 * Squared-distance epilogue on a rows x cols block: c = max(0, xn[i] + yn[j] - 2c), and with `withExp`
 * then c = exp(rate * c) (the exact Gaussian kernel), while the block is in cache.
 */
void sqdist_epilogue_f32(float *c, int ldc, int rows, int cols, const float *xn, const float *yn, int withExp, float rate) {
  const v128_t zero = wasm_f32x4_splat(0.0f), two = wasm_f32x4_splat(2.0f), vrate = wasm_f32x4_splat(rate);
  const ExpK e = exp_consts();
  for (int r = 0; r < rows; r++) {
    float *row = c + r * ldc;
    const v128_t xr = wasm_f32x4_splat(xn[r]);
    int j = 0;
    for (; j + 4 <= cols; j += 4) {
      const v128_t v = wasm_f32x4_sub(wasm_f32x4_add(xr, wasm_v128_load(yn + j)), wasm_f32x4_mul(two, wasm_v128_load(row + j)));
      const v128_t dist = wasm_f32x4_pmax(v, zero);
      wasm_v128_store(row + j, withExp ? exp_f32x4(wasm_f32x4_mul(dist, vrate), &e) : dist);
    }
    if (j < cols) {
      /* the tail through a padded vector, so that it takes the same exp as the body */
      float t[4] = {0.0f, 0.0f, 0.0f, 0.0f};
      for (int q = 0; j + q < cols; q++) {
        const float v = xn[r] + yn[j + q] - 2.0f * row[j + q];
        t[q] = v > 0.0f || v != v ? v : 0.0f;
      }
      const v128_t dist = wasm_v128_load(t);
      wasm_v128_store(t, withExp ? exp_f32x4(wasm_f32x4_mul(dist, vrate), &e) : dist);
      for (int q = 0; j + q < cols; q++) row[j + q] = t[q];
    }
  }
}

/*
 * where: out = cond != 0 ? a : b (NaN counts as true), operands broadcast like binary_f32_job.
 * Job: 0 kind, 1 rows, 2 inner, 3 cond, 4 row stride, 5 inner stride, 6 a, 7, 8, 9 b, 10, 11, 12 out.
 */
static void where_row(const float *c, int cs, const float *a, int as, const float *b, int bs, float *o, int n) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  const v128_t sc = wasm_f32x4_splat(c[0]), sa = wasm_f32x4_splat(a[0]), sb = wasm_f32x4_splat(b[0]);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t vc = cs ? wasm_v128_load(c + i) : sc;
    const v128_t va = as ? wasm_v128_load(a + i) : sa;
    const v128_t vb = bs ? wasm_v128_load(b + i) : sb;
    wasm_v128_store(o + i, wasm_v128_bitselect(va, vb, wasm_f32x4_ne(vc, zero)));
  }
  for (; i < n; i++) {
    const float cv = c[i * cs];
    o[i] = (cv != 0.0f || cv != cv) ? a[i * as] : b[i * bs];
  }
}

void where_f32_job(const i32 *job, int tid, int nt) {
  const int rows = job[1], inner = job[2];
  const float *c = (const float *)job[3], *a = (const float *)job[6], *b = (const float *)job[9];
  float *o = (float *)job[12];
  const int crs = job[4], cis = job[5], ars = job[7], ais = job[8], brs = job[10], bis = job[11];
  if (rows == 1) {
    int s, e;
    share((inner + 3) / 4, tid, nt, &s, &e);
    s *= 4;
    e = imin(inner, e * 4);
    if (s < e) where_row(c + s * cis, cis, a + s * ais, ais, b + s * bis, bis, o + s, e - s);
    return;
  }
  int r0, r1;
  share(rows, tid, nt, &r0, &r1);
  for (int r = r0; r < r1; r++) where_row(c + r * crs, cis, a + r * ars, ais, b + r * brs, bis, o + r * inner, inner);
}
