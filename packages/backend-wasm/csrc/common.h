/*
 * Shared definitions of the spectrans wasm kernels: freestanding C (no libc) compiled by clang for
 * wasm32 with SIMD128. Pointers are byte offsets into the one linear memory that JavaScript owns.
 */
#ifndef SPECTRANS_COMMON_H
#define SPECTRANS_COMMON_H

#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name), visibility("default")))
#define IMPORT(name) __attribute__((import_module("env"), import_name(#name)))

typedef int i32;
typedef unsigned int u32;
typedef long long i64;

static inline int imin(int a, int b) { return a < b ? a : b; }
static inline int imax(int a, int b) { return a > b ? a : b; }

/* NaN-propagating max, as core's `max` and `maximum`. */
static inline float fmaxp(float a, float b) { return a != a || b != b ? a + b : a > b ? a : b; }

/* The largest of four lanes, NaN propagating (f32x4 max does). */
static inline float hmax(v128_t v) {
  const v128_t a = wasm_f32x4_max(v, wasm_i32x4_shuffle(v, v, 2, 3, 0, 1));
  const v128_t b = wasm_f32x4_max(a, wasm_i32x4_shuffle(a, a, 1, 0, 3, 2));
  return wasm_f32x4_extract_lane(b, 0);
}

/*
 * Σ x_i over len floats, or Σ fl(x_i²) with `squares` (a constant where it is inlined), accumulated
 * in double lanes and rounded once: core's float32 sum.
 */
static inline __attribute__((always_inline)) float sum_in_double(const float *x, int len, int squares) {
  v128_t a0 = wasm_f64x2_splat(0.0), a1 = a0;
  int i = 0;
  for (; i + 4 <= len; i += 4) {
    v128_t v = wasm_v128_load(x + i);
    if (squares) v = wasm_f32x4_mul(v, v);
    a0 = wasm_f64x2_add(a0, wasm_f64x2_promote_low_f32x4(v));
    a1 = wasm_f64x2_add(a1, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3)));
  }
  const v128_t a = wasm_f64x2_add(a0, a1);
  double s = wasm_f64x2_extract_lane(a, 0) + wasm_f64x2_extract_lane(a, 1);
  for (; i < len; i++) s += squares ? (double)(x[i] * x[i]) : (double)x[i];
  return (float)s;
}

/* The [begin, end) share of `total` items that thread `tid` of `nt` takes (contiguous, balanced). */
static inline void share(int total, int tid, int nt, int *begin, int *end) {
  *begin = (int)((i64)total * tid / nt);
  *end = (int)((i64)total * (tid + 1) / nt);
}

/* Exact JavaScript Math functions, for the rare arguments the SIMD polynomials do not cover. */
IMPORT(cos) double js_cos(double);
IMPORT(sin) double js_sin(double);

/* Kernels dispatched by job_run (job.c). Each takes the job record, its thread index and count. */
void gemm_f32_job(const i32 *job, int tid, int nt);
void gemm_f64_job(const i32 *job, int tid, int nt);
void unary_f32_job(const i32 *job, int tid, int nt);
void binary_f32_job(const i32 *job, int tid, int nt);
void reduce_f32_job(const i32 *job, int tid, int nt);
void cumsum_f32_job(const i32 *job, int tid, int nt);
void where_f32_job(const i32 *job, int tid, int nt);
void cdist_l1_f32_job(const i32 *job, int tid, int nt);
void pos_features_f32_job(const i32 *job, int tid, int nt);
void la_keys_f32_job(const i32 *job, int tid, int nt);
void la_queries_f32_job(const i32 *job, int tid, int nt);
void la_causal_f32_job(const i32 *job, int tid, int nt);

#endif
