/*
 * The one entry point JavaScript calls, on the main thread and on every pool worker alike:
 * job_run(job, tid, nt) runs thread tid's share of the job record at `job` (see src/jobs.ts).
 * Also a row-norm helper for squared distances.
 */
#include "common.h"
#include "vexp32.h"

enum { JOB_GEMM_F32 = 1, JOB_GEMM_F64 = 2, JOB_UNARY_F32 = 3, JOB_BINARY_F32 = 4, JOB_REDUCE_F32 = 5, JOB_CUMSUM_F32 = 6, JOB_WHERE_F32 = 7, JOB_CDIST_L1_F32 = 8, JOB_POS_FEATURES_F32 = 9 };

/* Fused log-space linear attention (attention.c), numbered apart from the op kernels. */
enum { JOB_LA_KEYS_F32 = 20, JOB_LA_QUERIES_F32 = 21, JOB_LA_CAUSAL_F32 = 22 };

EXPORT(job_run) void job_run(const i32 *job, int tid, int nt) {
  switch (job[0]) {
    case JOB_GEMM_F32: gemm_f32_job(job, tid, nt); break;
    case JOB_GEMM_F64: gemm_f64_job(job, tid, nt); break;
    case JOB_UNARY_F32: unary_f32_job(job, tid, nt); break;
    case JOB_BINARY_F32: binary_f32_job(job, tid, nt); break;
    case JOB_REDUCE_F32: reduce_f32_job(job, tid, nt); break;
    case JOB_CUMSUM_F32: cumsum_f32_job(job, tid, nt); break;
    case JOB_WHERE_F32: where_f32_job(job, tid, nt); break;
    case JOB_CDIST_L1_F32: cdist_l1_f32_job(job, tid, nt); break;
    case JOB_POS_FEATURES_F32: pos_features_f32_job(job, tid, nt); break;
    case JOB_LA_KEYS_F32: la_keys_f32_job(job, tid, nt); break;
    case JOB_LA_QUERIES_F32: la_queries_f32_job(job, tid, nt); break;
    case JOB_LA_CAUSAL_F32: la_causal_f32_job(job, tid, nt); break;
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

/* dst (cols x rows) = src (rows x cols) transposed, for `count` consecutive matrices. */
EXPORT(transpose_f32) void transpose_f32(const float *src, int count, int rows, int cols, float *dst) {
  for (int t = 0; t < count; t++, src += rows * cols, dst += rows * cols)
    for (int i0 = 0; i0 < rows; i0 += 32)
      for (int j0 = 0; j0 < cols; j0 += 32)
        for (int i = i0; i < imin(rows, i0 + 32); i++)
          for (int j = j0; j < imin(cols, j0 + 32); j++) dst[j * rows + i] = src[i * cols + j];
}

/* The last m − j (< 16) L1 distances of row x, through a padded vector so that they take the body's exp. */
static void l1_tail(const float *x, const float *yT, float *o, int j, int m, int d, int withExp, v128_t rate, const ExpK *e) {
  float tail[16] = {0};
  for (int q = 0; j + q < m; q++) {
    float s = 0.0f;
    for (int p = 0; p < d; p++) {
      const float v = x[p] - yT[p * m + j + q];
      s += v < 0.0f ? -v : v;
    }
    tail[q] = s;
  }
  if (withExp)
    for (int q = 0; q < 16; q += 4) wasm_v128_store(tail + q, exp_f32x4(wasm_f32x4_mul(wasm_v128_load(tail + q), rate), e));
  for (int q = 0; j + q < m; q++) o[j + q] = tail[q];
}

/*
 * L1 distances: out[t][i, j] = sum_p |x[t][i, p] - y[t][j, p]|, with y given transposed (d x m per
 * matrix), 16 columns of two rows of x at a time in eight f32x4 accumulators (each y vector loaded
 * once serves both rows, and eight independent sums keep both add pipes busy); with `withExp`
 * stored as exp(rate * distance) (the exact Laplacian kernel). Each sum runs over p in order, so the
 * result does not depend on the pairing or the thread count.
 * Job: 0 kind, 1 batches, 2 n, 3 m, 4 d, 5 x, 6 yT, 7 out, 8 x batch offsets, 9 y batch offsets,
 * 10 withExp, 11 rate (float32 bits). Threads split the batches x n rows.
 */
void cdist_l1_f32_job(const i32 *job, int tid, int nt) {
  const int batches = job[1], n = job[2], m = job[3], d = job[4], withExp = job[10];
  const float *X = (const float *)job[5], *YT = (const float *)job[6];
  float *out = (float *)job[7];
  const i32 *xoffs = (const i32 *)job[8], *yoffs = (const i32 *)job[9];
  const v128_t rate = wasm_v128_load32_splat(&job[11]);
  const ExpK e = exp_consts();
#define L1_STORE(ptr, acc) wasm_v128_store(ptr, withExp ? exp_f32x4(wasm_f32x4_mul(acc, rate), &e) : (acc))
#define L1_TERM(acc, xv, yv) acc = wasm_f32x4_add(acc, wasm_f32x4_abs(wasm_f32x4_sub(xv, yv)))
  int u0, u1;
  share(batches * n, tid, nt, &u0, &u1);
  for (int u = u0; u < u1;) {
    const int t = u / n, i = u % n;
    const int pair = u + 1 < u1 && i + 1 < n; /* the next row is this thread's and in the same matrix */
    const float *x0 = X + xoffs[t] + i * d, *x1 = pair ? x0 + d : x0;
    const float *yT = YT + yoffs[t];
    float *o0 = out + ((i64)t * n + i) * m, *o1 = o0 + m;
    int j = 0;
    for (; j + 16 <= m; j += 16) {
      v128_t a0 = wasm_f32x4_splat(0.0f), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
      for (int p = 0; p < d; p++) {
        const v128_t xa = wasm_v128_load32_splat(x0 + p), xb = wasm_v128_load32_splat(x1 + p);
        const float *yr = yT + p * m + j;
        const v128_t y0 = wasm_v128_load(yr), y1 = wasm_v128_load(yr + 4), y2 = wasm_v128_load(yr + 8), y3 = wasm_v128_load(yr + 12);
        L1_TERM(a0, xa, y0);
        L1_TERM(a1, xa, y1);
        L1_TERM(a2, xa, y2);
        L1_TERM(a3, xa, y3);
        L1_TERM(b0, xb, y0);
        L1_TERM(b1, xb, y1);
        L1_TERM(b2, xb, y2);
        L1_TERM(b3, xb, y3);
      }
      L1_STORE(o0 + j, a0);
      L1_STORE(o0 + j + 4, a1);
      L1_STORE(o0 + j + 8, a2);
      L1_STORE(o0 + j + 12, a3);
      if (pair) {
        L1_STORE(o1 + j, b0);
        L1_STORE(o1 + j + 4, b1);
        L1_STORE(o1 + j + 8, b2);
        L1_STORE(o1 + j + 12, b3);
      }
    }
    if (j < m) {
      l1_tail(x0, yT, o0, j, m, d, withExp, rate, &e);
      if (pair) l1_tail(x1, yT, o1, j, m, d, withExp, rate, &e);
    }
    u += pair ? 2 : 1;
  }
#undef L1_TERM
#undef L1_STORE
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
