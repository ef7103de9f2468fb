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
