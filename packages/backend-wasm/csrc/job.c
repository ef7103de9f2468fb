/*
 * The one entry point JavaScript calls, on the main thread and on every pool worker alike:
 * job_run(job, tid, nt) runs thread tid's share of the job record at `job` (see src/jobs.ts).
 * Also a row-norm helper for squared distances.
 */
#include "common.h"

enum { JOB_GEMM_F32 = 1, JOB_GEMM_F64 = 2, JOB_UNARY_F32 = 3, JOB_BINARY_F32 = 4, JOB_REDUCE_F32 = 5, JOB_CUMSUM_F32 = 6, JOB_WHERE_F32 = 7 };

EXPORT(job_run) void job_run(const i32 *job, int tid, int nt) {
  switch (job[0]) {
    case JOB_GEMM_F32: gemm_f32_job(job, tid, nt); break;
    case JOB_GEMM_F64: gemm_f64_job(job, tid, nt); break;
    case JOB_UNARY_F32: unary_f32_job(job, tid, nt); break;
    case JOB_BINARY_F32: binary_f32_job(job, tid, nt); break;
    case JOB_REDUCE_F32: reduce_f32_job(job, tid, nt); break;
    case JOB_CUMSUM_F32: cumsum_f32_job(job, tid, nt); break;
    case JOB_WHERE_F32: where_f32_job(job, tid, nt); break;
    default: break;
  }
}

/* out[r] = sum_p x[r*d + p]^2 for r < rows (float32, f32x4 lanes). */
EXPORT(row_sqnorms_f32) void row_sqnorms_f32(const float *x, int rows, int d, float *out) {
  for (int r = 0; r < rows; r++) {
    const float *row = x + r * d;
    v128_t acc = wasm_f32x4_splat(0.0f);
    int p = 0;
    for (; p + 4 <= d; p += 4) {
      const v128_t v = wasm_v128_load(row + p);
      acc = wasm_f32x4_add(acc, wasm_f32x4_mul(v, v));
    }
    float s = wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1) + wasm_f32x4_extract_lane(acc, 2) + wasm_f32x4_extract_lane(acc, 3);
    for (; p < d; p++) s += row[p] * row[p];
    out[r] = s;
  }
}

/* L1 distances of one matrix pair: out[i*m + j] = sum_p |x[i, p] - y[j, p]|. */
EXPORT(cdist_l1_f32) void cdist_l1_f32(const float *x, const float *y, int n, int m, int d, float *out) {
  for (int i = 0; i < n; i++) {
    const float *xi = x + i * d;
    for (int j = 0; j < m; j++) {
      const float *yj = y + j * d;
      v128_t acc = wasm_f32x4_splat(0.0f);
      int p = 0;
      for (; p + 4 <= d; p += 4) acc = wasm_f32x4_add(acc, wasm_f32x4_abs(wasm_f32x4_sub(wasm_v128_load(xi + p), wasm_v128_load(yj + p))));
      float s = wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1) + wasm_f32x4_extract_lane(acc, 2) + wasm_f32x4_extract_lane(acc, 3);
      for (; p < d; p++) {
        const float v = xi[p] - yj[p];
        s += v < 0.0f ? -v : v;
      }
      out[i * m + j] = s;
    }
  }
}

/* Unnormalised Walsh–Hadamard transform of `rows` contiguous rows of length n (a power of two), in place. */
EXPORT(fwht_f32) void fwht_f32(float *x, int rows, int n) {
  for (int r = 0; r < rows; r++) {
    float *v = x + r * n;
    int h = 1;
    for (; h < n && h < 4; h *= 2)
      for (int i = 0; i < n; i += 2 * h)
        for (int j = i; j < i + h; j++) {
          const float a = v[j], b = v[j + h];
          v[j] = a + b;
          v[j + h] = a - b;
        }
    for (; h < n; h *= 2)
      for (int i = 0; i < n; i += 2 * h)
        for (int j = i; j < i + h; j += 4) {
          const v128_t a = wasm_v128_load(v + j), b = wasm_v128_load(v + j + h);
          wasm_v128_store(v + j, wasm_f32x4_add(a, b));
          wasm_v128_store(v + j + h, wasm_f32x4_sub(a, b));
        }
  }
}
