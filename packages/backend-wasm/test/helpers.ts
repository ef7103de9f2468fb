/** Shared helpers of this package's tests: refs, a seeded generator and float64 references. */
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

/** op(a) op(b) in float64 with |op(a)|·|op(b)| for error bounds; a (n0, n1), b (m0, m1) row-major. */
export function matmulRef(
  a: ArrayLike<number>,
  aRows: number,
  aCols: number,
  b: ArrayLike<number>,
  bRows: number,
  bCols: number,
  tA: boolean,
  tB: boolean,
): { c: Float64Array; mag: Float64Array; n: number; m: number; k: number } {
  const n = tA ? aCols : aRows;
  const k = tA ? aRows : aCols;
  const m = tB ? bRows : bCols;
  const c = new Float64Array(n * m);
  const mag = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let p = 0; p < k; p++) {
      const av = tA ? a[p * aCols + i]! : a[i * aCols + p]!;
      for (let j = 0; j < m; j++) {
        const bv = tB ? b[j * bCols + p]! : b[p * bCols + j]!;
        c[i * m + j]! += av * bv;
        mag[i * m + j]! += Math.abs(av * bv);
      }
    }
  return { c, mag, n, m, k };
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
