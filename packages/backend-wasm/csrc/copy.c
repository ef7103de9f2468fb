/* Strided row copies for slice: memory.copy (bulk memory) is a native memmove, where JS's
 * TypedArray.set on a shared buffer copies element by element with relaxed atomics. */
#include "common.h"

/* Copies `rows` runs of `run_bytes` bytes, read every `src_stride_bytes`, to consecutive runs at dst. */
EXPORT(copy_rows) void copy_rows(char *dst, const char *src, int rows, int run_bytes, int src_stride_bytes) {
  for (int r = 0; r < rows; r++) __builtin_memcpy(dst + r * run_bytes, src + r * src_stride_bytes, (unsigned)run_bytes);
}

/*
 * dst[i] = (float)src[i], rounded to nearest, for uploads of float64 host data to float32 tensors:
 * V8's TypedArray.set converts element by element on a slow path (about twice as slow again into a
 * shared memory), where f32x4.demote converts two doubles per instruction.
 */
EXPORT(f64_to_f32) void f64_to_f32(const double *src, int n, float *dst) {
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t lo = wasm_f32x4_demote_f64x2_zero(wasm_v128_load(src + i));
    const v128_t hi = wasm_f32x4_demote_f64x2_zero(wasm_v128_load(src + i + 2));
    wasm_v128_store(dst + i, wasm_i32x4_shuffle(lo, hi, 0, 1, 4, 5));
  }
  for (; i < n; i++) dst[i] = (float)src[i];
}

/* x[0 .. n) = value, for fill: JS's TypedArray.fill on a shared memory stores element by element. */
EXPORT(fill_f32) void fill_f32(float *x, int n, float value) {
  const v128_t v = wasm_f32x4_splat(value);
  int i = 0;
  for (; i + 16 <= n; i += 16) {
    wasm_v128_store(x + i, v);
    wasm_v128_store(x + i + 4, v);
    wasm_v128_store(x + i + 8, v);
    wasm_v128_store(x + i + 12, v);
  }
  for (; i < n; i++) x[i] = value;
}

EXPORT(fill_f64) void fill_f64(double *x, int n, double value) {
  const v128_t v = wasm_f64x2_splat(value);
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    wasm_v128_store(x + i, v);
    wasm_v128_store(x + i + 2, v);
    wasm_v128_store(x + i + 4, v);
    wasm_v128_store(x + i + 6, v);
  }
  for (; i < n; i++) x[i] = value;
}
