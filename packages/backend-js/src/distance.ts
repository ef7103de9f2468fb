/** Pairwise distances between rows, computed directly (never through the Gram matrix). */
import { sizeOf } from '@spectrans/core';
import type { DistanceMetric, DType, FloatArray } from '@spectrans/core';
import { batchedPairwise } from './gemm.js';
import { allocate } from './storage.js';

/**
 * Distances between the rows of x (..., n, d) and y (..., m, d) into `outShape` (..., n, m),
 * leading axes broadcast, without materialising (..., n, m, d).
 *
 * `'sqeuclidean'` accumulates Σ (x − y)² term by term in double precision, so it is accurate even
 * for nearby points and never negative (unlike ‖x‖² + ‖y‖² − 2 x·y); `'l1'` accumulates Σ |x − y|.
 * Both run in the cache-blocked engine of `gemm.ts`, with y read as a d x m matrix.
 */
export function cdist(
  x: FloatArray,
  xShape: readonly number[],
  y: FloatArray,
  yShape: readonly number[],
  metric: DistanceMetric,
  outShape: readonly number[],
  dtype: DType,
): FloatArray {
  if (metric !== 'sqeuclidean' && metric !== 'l1')
    throw new Error(`js backend: unknown distance metric ${String(metric)}`);
  const out = allocate(dtype, sizeOf(outShape));
  const n = xShape[xShape.length - 2]!;
  const m = yShape[yShape.length - 2]!;
  const d = xShape[xShape.length - 1]!;
  return batchedPairwise(
    metric,
    { data: x, batch: xShape.slice(0, -2), matrixSize: n * d, rs: d, cs: 1 },
    { data: y, batch: yShape.slice(0, -2), matrixSize: m * d, rs: 1, cs: d },
    outShape.slice(0, -2),
    n,
    m,
    d,
    out,
  );
}
