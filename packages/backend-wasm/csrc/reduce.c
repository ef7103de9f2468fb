/*
 * float32 reductions over one axis and prefix sums, on a tensor viewed as (outer, len, inner).
 * Sums accumulate in double (f64x2 lanes) and round once, so a float32 sum is correctly rounded up
 * to the double accumulation error (len · 2^-53 relative to the sum of magnitudes); max/min use
 * f32x4 max/min, which propagate NaN.
 *
 * Job record: 0 kind, 1 op (0 sum, 1 max, 2 min; for cumsum: bit 0 exclusive, bit 1 reverse),
 *   2 outer, 3 len, 4 inner, 5 x, 6 out, 7 double scratch (inner doubles per thread... see below).
 * Threads split `outer` when it has at least nt rows, else the inner columns; the scratch holds
 * `inner` doubles per thread at scratch + tid·inner·8.
 */
#include "common.h"

enum { R_SUM, R_MAX, R_MIN };

static void split_outer_inner(int outer, int inner, int tid, int nt, int *o0, int *o1, int *j0, int *j1) {
  if (outer >= nt || inner < 4 * nt) {
    share(outer, tid, nt, o0, o1);
    *j0 = 0;
    *j1 = inner;
  } else {
    *o0 = 0;
    *o1 = outer;
    share(inner, tid, nt, j0, j1);
  }
}

static float row_extreme(const float *x, int len, int isMax) {
  const float init = isMax ? -__builtin_inff() : __builtin_inff();
  v128_t a = wasm_f32x4_splat(init);
  int i = 0;
  for (; i + 4 <= len; i += 4) a = isMax ? wasm_f32x4_max(a, wasm_v128_load(x + i)) : wasm_f32x4_min(a, wasm_v128_load(x + i));
  float t[4] __attribute__((aligned(16)));
  wasm_v128_store(t, a);
  for (; i < len; i++) {
    const v128_t v = wasm_f32x4_splat(x[i]);
    const v128_t m = isMax ? wasm_f32x4_max(wasm_f32x4_splat(t[0]), v) : wasm_f32x4_min(wasm_f32x4_splat(t[0]), v);
    t[0] = wasm_f32x4_extract_lane(m, 0);
  }
  v128_t r = wasm_f32x4_splat(t[0]);
  for (int q = 1; q < 4; q++) r = isMax ? wasm_f32x4_max(r, wasm_f32x4_splat(t[q])) : wasm_f32x4_min(r, wasm_f32x4_splat(t[q]));
  return wasm_f32x4_extract_lane(r, 0);
}

void reduce_f32_job(const i32 *job, int tid, int nt) {
  const int op = job[1], outer = job[2], len = job[3], inner = job[4];
  const float *x = (const float *)job[5];
  float *out = (float *)job[6];
  double *acc = (double *)job[7] + (i64)tid * inner;
  int o0, o1, j0, j1;
  split_outer_inner(outer, inner, tid, nt, &o0, &o1, &j0, &j1);
  for (int o = o0; o < o1; o++) {
    const float *xo = x + (i64)o * len * inner;
    float *oo = out + (i64)o * inner;
    if (inner == 1) {
      oo[0] = op == R_SUM ? sum_in_double(xo, len, 0) : row_extreme(xo, len, op == R_MAX);
      continue;
    }
    if (op == R_SUM) {
      for (int j = j0; j < j1; j++) acc[j] = 0.0;
      for (int l = 0; l < len; l++) {
        const float *row = xo + (i64)l * inner;
        int j = j0;
        for (; j + 2 <= j1; j += 2) {
          const v128_t v = wasm_f64x2_make((double)row[j], (double)row[j + 1]);
          wasm_v128_store(acc + j, wasm_f64x2_add(wasm_v128_load(acc + j), v));
        }
        for (; j < j1; j++) acc[j] += (double)row[j];
      }
      for (int j = j0; j < j1; j++) oo[j] = (float)acc[j];
    } else {
      const int isMax = op == R_MAX;
      const float init = isMax ? -__builtin_inff() : __builtin_inff();
      for (int j = j0; j < j1; j++) oo[j] = init;
      for (int l = 0; l < len; l++) {
        const float *row = xo + (i64)l * inner;
        int j = j0;
        for (; j + 4 <= j1; j += 4) {
          const v128_t a = wasm_v128_load(oo + j), v = wasm_v128_load(row + j);
          wasm_v128_store(oo + j, isMax ? wasm_f32x4_max(a, v) : wasm_f32x4_min(a, v));
        }
        for (; j < j1; j++) {
          const v128_t m = isMax ? wasm_f32x4_max(wasm_f32x4_splat(oo[j]), wasm_f32x4_splat(row[j])) : wasm_f32x4_min(wasm_f32x4_splat(oo[j]), wasm_f32x4_splat(row[j]));
          oo[j] = wasm_f32x4_extract_lane(m, 0);
        }
      }
    }
  }
}

void cumsum_f32_job(const i32 *job, int tid, int nt) {
  const int flags = job[1], outer = job[2], len = job[3], inner = job[4];
  const int exclusive = flags & 1, reverse = (flags >> 1) & 1;
  const float *x = (const float *)job[5];
  float *out = (float *)job[6];
  double *acc = (double *)job[7] + (i64)tid * inner;
  int o0, o1, j0, j1;
  split_outer_inner(outer, inner, tid, nt, &o0, &o1, &j0, &j1);
  const i64 step = reverse ? -(i64)inner : (i64)inner;
  for (int o = o0; o < o1; o++) {
    for (int j = j0; j < j1; j++) acc[j] = 0.0;
    i64 base = (i64)o * len * inner + (reverse ? (i64)(len - 1) * inner : 0);
    for (int l = 0; l < len; l++, base += step) {
      const float *row = x + base;
      float *orow = out + base;
      for (int j = j0; j < j1; j++) {
        const double v = (double)row[j];
        if (exclusive) orow[j] = (float)acc[j];
        acc[j] += v;
        if (!exclusive) orow[j] = (float)acc[j];
      }
    }
  }
}
