/*
 * Positive random features after their GEMM (src/features.ts drives both): z = x ω (rows x D,
 * float32) becomes, in place, scale·exp(t) with
 *   'none'   t = z − h,
 *   'row'    t = z − max_j z_j,
 *   'global' t = (z − h) − M, M the largest z − h over each group of `group` consecutive rows,
 * h = ‖x‖²/2 per row. Every step rounds as core's composed chain does (squares in float32 summed in
 * double and rounded once, then halved; each subtraction and the final product in float32; maxima
 * propagate NaN), so only exp differs from it (float32, within 2 ulp; vexp32.h).
 *
 * Job: 0 kind, 1 mode (0 none, 1 row, 2 global), 2 phase (global: 0 row maxima, 1 features),
 *   3 rows, 4 d, 5 D, 6 x, 7 z (the output), 8 scale (float32 bits), 9 group, 10 row maxima
 *   (rows floats, global only). Threads split the rows.
 */
#include "common.h"
#include "vexp32.h"

enum { PF_NONE, PF_ROW, PF_GLOBAL };

/* fl(fl(Σ fl(x_q²)) / 2): core's sum(mul(x, x)) · 0.5. */
static inline float half_sqnorm(const float *x, int d) { return sum_in_double(x, d, 1) * 0.5f; }

/* Loads lanes [j, j + 4) of a row of D floats; past D, `pad`. */
static inline v128_t load_lanes(const float *row, int j, int D, float pad) {
  if (j + 4 <= D) return wasm_v128_load(row + j);
  float t[4] __attribute__((aligned(16))) = {pad, pad, pad, pad};
  for (int i = j; i < D; i++) t[i - j] = row[i];
  return wasm_v128_load(t);
}

static inline void store_lanes(float *row, int j, int D, v128_t v) {
  if (j + 4 <= D) {
    wasm_v128_store(row + j, v);
    return;
  }
  float t[4] __attribute__((aligned(16)));
  wasm_v128_store(t, v);
  for (int i = j; i < D; i++) row[i] = t[i - j];
}

/* max_j (z_j − shift) of one row, NaN propagating (pad −inf lanes never win). */
static float row_max(const float *z, int D, float shift) {
  const v128_t s = wasm_f32x4_splat(shift);
  v128_t m = wasm_f32x4_splat(-__builtin_inff());
  for (int j = 0; j < D; j += 4) {
    const v128_t t = wasm_f32x4_sub(load_lanes(z, j, D, -__builtin_inff()), s);
    m = wasm_f32x4_max(m, t); /* propagates NaN */
  }
  return hmax(m);
}

/* z ← scale·exp((z − a) − b) on one row; `full` selects the whole-range exp (t may be positive). */
static inline __attribute__((always_inline)) void row_features(float *z, int D, float a, float b, v128_t scale, int full,
                                                              const ExpK *e) {
  const v128_t va = wasm_f32x4_splat(a), vb = wasm_f32x4_splat(b);
  int j = 0;
  for (; j + 8 <= D; j += 8) {
    const v128_t t0 = wasm_f32x4_sub(wasm_f32x4_sub(wasm_v128_load(z + j), va), vb);
    const v128_t t1 = wasm_f32x4_sub(wasm_f32x4_sub(wasm_v128_load(z + j + 4), va), vb);
    const v128_t p0 = full ? exp_f32x4(t0, e) : exp_nonpos_f32x4(t0, e);
    const v128_t p1 = full ? exp_f32x4(t1, e) : exp_nonpos_f32x4(t1, e);
    wasm_v128_store(z + j, wasm_f32x4_mul(p0, scale));
    wasm_v128_store(z + j + 4, wasm_f32x4_mul(p1, scale));
  }
  for (; j < D; j += 4) {
    const v128_t t = wasm_f32x4_sub(wasm_f32x4_sub(load_lanes(z, j, D, 0.0f), va), vb);
    store_lanes(z, j, D, wasm_f32x4_mul(full ? exp_f32x4(t, e) : exp_nonpos_f32x4(t, e), scale));
  }
}

void pos_features_f32_job(const i32 *job, int tid, int nt) {
  const int mode = job[1], phase = job[2], rows = job[3], d = job[4], D = job[5];
  const float *X = (const float *)job[6];
  float *Z = (float *)job[7];
  const float scale = *(const float *)&job[8];
  const int group = job[9];
  float *maxima = (float *)job[10];
  const ExpK e = exp_consts();
  const v128_t vs = wasm_f32x4_splat(scale);
  int r0, r1;
  share(rows, tid, nt, &r0, &r1);
  int lastGroup = -1;
  float M = 0.0f;
  for (int r = r0; r < r1; r++) {
    float *z = Z + (i64)r * D;
    if (mode == PF_ROW) {
      /* z − max z: the row's constant −h cancels against its own maximum, so it is never formed. */
      row_features(z, D, row_max(z, D, 0.0f), 0.0f, vs, 0, &e);
      continue;
    }
    const float h = half_sqnorm(X + (i64)r * d, d);
    if (mode == PF_NONE) {
      row_features(z, D, h, 0.0f, vs, 1, &e);
    } else if (phase == 0) {
      maxima[r] = row_max(z, D, h);
    } else {
      const int g = r / group;
      if (g != lastGroup) {
        M = -__builtin_inff();
        for (int i = g * group; i < (g + 1) * group; i++) M = fmaxp(M, maxima[i]);
        lastGroup = g;
      }
      row_features(z, D, h, M, vs, 0, &e);
    }
  }
}
