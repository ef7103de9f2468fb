/**
 * Shared helpers of this package's tests: refs, a seeded generator and a first-mismatch finder. The
 * float64 references come from `@spectrans/conformance/reference`.
 */
import type { DType, Shape, TensorRef } from '@spectrans/core/backend';
import type { WasmBackend, WasmHandle } from '../src/index.js';

/** A tensor ref over a handle. */
export function ref(handle: WasmHandle, shape: Shape, dtype: DType = 'float32'): TensorRef<WasmHandle> {
  return { handle, shape, dtype };
}

/** Uploads `data` and returns its ref. */
export function upload(
  b: WasmBackend,
  data: ArrayLike<number>,
  shape: Shape,
  dtype: DType = 'float32',
): TensorRef<WasmHandle> {
  const arr = dtype === 'float64' ? Float64Array.from(data) : Float32Array.from(data);
  return ref(b.fromArray(arr, shape, dtype), shape, dtype);
}

/** Deterministic uniform numbers in [lo, hi) (xorshift32), rounded to float32. */
export function uniforms(count: number, seed: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(count);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = lo + ((s >>> 0) / 2 ** 32) * (hi - lo);
  }
  return out;
}

/** Index of the first element outside |got − want| <= rel·mag + abs, or -1. */
export function firstMismatch(got: ArrayLike<number>, want: ArrayLike<number>, tol: (i: number) => number): number {
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (g === w) continue;
    if (Number.isNaN(w) ? !Number.isNaN(g) : !(Math.abs(g - w) <= tol(i))) return i;
  }
  return got.length === want.length ? -1 : want.length;
}

/** Distance in float32 ulps (at the larger magnitude; subnormals count their own spacing). */
export function ulps(a: number, b: number): number {
  if (a === b) return 0;
  const m = Math.max(Math.abs(a), Math.abs(b));
  const spacing = m < 2 ** -126 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(m)) - 23);
  return Math.abs(a - b) / spacing;
}
