/*
 * The RFF features epilogue (GEMM + bias + cos, and sin with cosSin) on f32x4 lanes: four phases per
 * vector op instead of two through the f64x2 path of vmath.h, with a float32 Cody–Waite reduction
 * and minimax polynomials (absolute error of cos/sin around 1e-7, i.e. about one float32 ulp of
 * 1, which the phase's own float32 rounding already exceeds for |phase| > 1). Phases beyond
 * TRIG32_LIMIT, where the three-part pi/2 stops being exact, go through the f64x2 path.
 */
#include "common.h"
#include "vmath.h"

/* |x| up to which q * PIO2_1 and q * PIO2_2 are exact in float32 (q < 2^12 with their 8 and 11 bits). */
#define TRIG32_LIMIT 4096.0f

enum { F_TWO_OVER_PI, F_PIO2_1, F_PIO2_2, F_PIO2_3, F_S1, F_S2, F_S3, F_C1, F_C2, F_C3, F_HALF, F_ONE, F_LIMIT, F_COUNT };

/*
 * Splat table, loaded where used (a v128.const would be rematerialised inside the loops); not
 * const, so clang keeps the loads instead of folding them back into immediates.
 */
#define X4(v) v, v, v, v
__attribute__((aligned(16))) float spectrans_rff_k32[F_COUNT * 4] = {
    X4(0.636619772367581343f),    /* 2/pi */
    X4(1.5703125f),               /* pi/2 = PIO2_1 + PIO2_2 + PIO2_3; PIO2_1 has 8 significant bits, */
    X4(4.837512969970703125e-4f), /* PIO2_2 11 */
    X4(7.54978995489188216e-8f),
    X4(-1.6666654611e-1f), /* sin(r) = r + r^3 (S1 + r^2 (S2 + r^2 S3)) for |r| <= pi/4 */
    X4(8.3321608736e-3f),
    X4(-1.9515295891e-4f),
    X4(4.166664568298827e-2f), /* cos(r) = 1 - r^2/2 + r^4 (C1 + r^2 (C2 + r^2 C3)) */
    X4(-1.388731625493765e-3f),
    X4(2.443315711809948e-5f),
    X4(0.5f),
    X4(1.0f),
    X4(TRIG32_LIMIT),
};

#define K32(name) wasm_v128_load(&spectrans_rff_k32[4 * (name)])
#define FMADD(a, b, c) wasm_f32x4_add(wasm_f32x4_mul(a, b), c)

/* sin and cos of four float32 phases with |x| <= TRIG32_LIMIT (NaN lanes stay NaN). */
static inline __attribute__((always_inline)) void sincos_f32x4(v128_t x, v128_t *sinOut, v128_t *cosOut) {
  const v128_t q = wasm_f32x4_nearest(wasm_f32x4_mul(x, K32(F_TWO_OVER_PI)));
  v128_t r = wasm_f32x4_sub(x, wasm_f32x4_mul(q, K32(F_PIO2_1)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(q, K32(F_PIO2_2)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(q, K32(F_PIO2_3)));
  const v128_t z = wasm_f32x4_mul(r, r);
  v128_t ps = FMADD(K32(F_S3), z, K32(F_S2));
  ps = FMADD(ps, z, K32(F_S1));
  const v128_t s = FMADD(wasm_f32x4_mul(ps, z), r, r);
  v128_t pc = FMADD(K32(F_C3), z, K32(F_C2));
  pc = FMADD(pc, z, K32(F_C1));
  const v128_t c = wasm_f32x4_add(wasm_f32x4_sub(K32(F_ONE), wasm_f32x4_mul(z, K32(F_HALF))), wasm_f32x4_mul(wasm_f32x4_mul(z, z), pc));
  const v128_t qi = wasm_i32x4_trunc_sat_f32x4(q);
  const v128_t one = wasm_i32x4_splat(1), two = wasm_i32x4_splat(2), signBit = wasm_i32x4_splat((int)0x80000000u);
  const v128_t odd = wasm_i32x4_eq(wasm_v128_and(qi, one), one);
  if (sinOut) {
    /* q: 0 sin, 1 cos, 2 -sin, 3 -cos */
    const v128_t neg = wasm_i32x4_eq(wasm_v128_and(qi, two), two);
    *sinOut = wasm_v128_xor(wasm_v128_bitselect(c, s, odd), wasm_v128_and(neg, signBit));
  }
  if (cosOut) {
    /* q: 0 cos, 1 -sin, 2 -cos, 3 sin */
    const v128_t neg = wasm_i32x4_eq(wasm_v128_and(wasm_i32x4_add(qi, one), two), two);
    *cosOut = wasm_v128_xor(wasm_v128_bitselect(s, c, odd), wasm_v128_and(neg, signBit));
  }
}

/* scale * cos(p) and scale * sin(p) of four phases beyond TRIG32_LIMIT: the f64x2 path (exact Math beyond its range). */
static void sincos_wide(v128_t p, double scale, v128_t *cs, v128_t *sn, int cosSin) {
  const v128_t lo = lo64(p), hi = hi64(p), sc = wasm_f64x2_splat(scale);
  if (trig_out_of_range(lo) || trig_out_of_range(hi)) {
    float pc[4] __attribute__((aligned(16))), ps[4] __attribute__((aligned(16))), pp[4] __attribute__((aligned(16)));
    wasm_v128_store(pp, p);
    for (int q = 0; q < 4; q++) {
      pc[q] = (float)(scale * js_cos((double)pp[q]));
      ps[q] = (float)(scale * js_sin((double)pp[q]));
    }
    *cs = wasm_v128_load(pc);
    *sn = wasm_v128_load(ps);
    return;
  }
  v128_t slo, shi, clo, chi;
  sincos_f64x2(lo, cosSin ? &slo : 0, &clo);
  sincos_f64x2(hi, cosSin ? &shi : 0, &chi);
  *cs = to32(wasm_f64x2_mul(clo, sc), wasm_f64x2_mul(chi, sc));
  *sn = cosSin ? to32(wasm_f64x2_mul(slo, sc), wasm_f64x2_mul(shi, sc)) : p;
}

/*
 * RFF epilogue on a block of p = x·omega (rows x cols, row stride ldc): out = scale * cos(p + bias),
 * and with cosSin also scale * sin(p + bias) D columns further. `bias` points at the block's first column.
 */
void rff_epilogue_f32(float *c, int ldc, int rows, int cols, const float *bias, double scale, int cosSin, int D) {
  const v128_t sc = wasm_f32x4_splat((float)scale);
  for (int r = 0; r < rows; r++) {
    float *row = c + r * ldc;
    for (int j = 0; j < cols; j += 4) {
      const int w = imin(4, cols - j);
      v128_t p;
      float t[4] __attribute__((aligned(16))) = {0, 0, 0, 0};
      if (w == 4) {
        p = wasm_f32x4_add(wasm_v128_load(row + j), wasm_v128_load(bias + j));
      } else {
        for (int q = 0; q < w; q++) t[q] = row[j + q] + bias[j + q];
        p = wasm_v128_load(t);
      }
      v128_t cs, sn = p;
      if (wasm_v128_any_true(wasm_f32x4_gt(wasm_f32x4_abs(p), K32(F_LIMIT)))) {
        sincos_wide(p, scale, &cs, &sn, cosSin);
      } else {
        sincos_f32x4(p, cosSin ? &sn : 0, &cs);
        cs = wasm_f32x4_mul(cs, sc);
        if (cosSin) sn = wasm_f32x4_mul(sn, sc);
      }
      if (w == 4) {
        wasm_v128_store(row + j, cs);
        if (cosSin) wasm_v128_store(row + D + j, sn);
      } else {
        wasm_v128_store(t, cs);
        for (int q = 0; q < w; q++) row[j + q] = t[q];
        if (cosSin) {
          wasm_v128_store(t, sn);
          for (int q = 0; q < w; q++) row[D + j + q] = t[q];
        }
      }
    }
  }
}
