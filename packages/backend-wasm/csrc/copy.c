/* Strided row copies for slice: memory.copy (bulk memory) is a native memmove, where JS's
 * TypedArray.set on a shared buffer copies element by element with relaxed atomics. */
#include "common.h"

/* Copies `rows` runs of `run_bytes` bytes, read every `src_stride_bytes`, to consecutive runs at dst. */
EXPORT(copy_rows) void copy_rows(char *dst, const char *src, int rows, int run_bytes, int src_stride_bytes) {
  for (int r = 0; r < rows; r++) __builtin_memcpy(dst + r * run_bytes, src + r * src_stride_bytes, (unsigned)run_bytes);
}
