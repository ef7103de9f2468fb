/**
 * Native decompositions for the js backend: each matrix of a batch goes through core's float64
 * host linear algebra (`hostLinalg.qr`, `hostLinalg.eigh`, `hostLinalg.svd` of `@spectrans/core`), reading the
 * tensor's array directly and writing the outputs in the input dtype.
 */
import { hostLinalg, type DType, type FloatArray } from '@spectrans/core';
import { allocate } from './storage.js';

/** Batch count and the last two axes of a shape of rank >= 2. */
function matrices(shape: readonly number[]): [count: number, m: number, n: number] {
  let count = 1;
  for (let i = 0; i < shape.length - 2; i++) count *= shape[i]!;
  return [count, shape[shape.length - 2]!, shape[shape.length - 1]!];
}

/** Runs `fn` on a float64 copy of each m x n matrix and stacks its outputs (of the given sizes). */
function perMatrix(
  x: FloatArray,
  shape: readonly number[],
  dtype: DType,
  sizes: readonly number[],
  fn: (a: Float64Array, m: number, n: number) => readonly Float64Array[],
): FloatArray[] {
  const [count, m, n] = matrices(shape);
  const outs = sizes.map((s) => allocate(dtype, count * s));
  for (let b = 0; b < count; b++) {
    const a = Float64Array.from(x.subarray(b * m * n, (b + 1) * m * n));
    const results = fn(a, m, n);
    for (let i = 0; i < outs.length; i++) outs[i]!.set(results[i]!, b * sizes[i]!);
  }
  return outs;
}

/** Reduced QR of (..., m, n): q (..., m, k), r (..., k, n), k = min(m, n), diag(r) >= 0. */
export function qr(x: FloatArray, shape: readonly number[], dtype: DType): { q: FloatArray; r: FloatArray } {
  const [, m, n] = matrices(shape);
  const k = Math.min(m, n);
  const [q, r] = perMatrix(x, shape, dtype, [m * k, k * n], (a) => {
    const res = hostLinalg.qr(a, m, n);
    return [res.q, res.r];
  });
  return { q: q!, r: r! };
}

/** Symmetric eigendecomposition of (..., n, n): values (..., n) ascending, vectors (..., n, n) as columns. */
export function eigh(
  x: FloatArray,
  shape: readonly number[],
  dtype: DType,
): { values: FloatArray; vectors: FloatArray } {
  const [, , n] = matrices(shape);
  const [values, vectors] = perMatrix(x, shape, dtype, [n, n * n], (a) => {
    const res = hostLinalg.eigh(a, n);
    return [res.values, res.vectors];
  });
  return { values: values!, vectors: vectors! };
}

/** Thin SVD of (..., m, n): u (..., m, k), s (..., k) descending, v (..., n, k). */
export function svd(
  x: FloatArray,
  shape: readonly number[],
  dtype: DType,
): { u: FloatArray; s: FloatArray; v: FloatArray } {
  const [, m, n] = matrices(shape);
  const k = Math.min(m, n);
  const [u, s, v] = perMatrix(x, shape, dtype, [m * k, k, n * k], (a) => {
    const res = hostLinalg.svd(a, m, n);
    return [res.u, res.s, res.v];
  });
  return { u: u!, s: s!, v: v! };
}
