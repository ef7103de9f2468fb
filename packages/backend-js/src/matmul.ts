/** Batched matrix products with optional transposes and batch broadcasting. */
import { sizeOf } from '@spectrans/core';
import type { DType, FloatArray } from '@spectrans/core';
import { batchedPairwise } from './gemm.js';
import { allocate } from './storage.js';

/**
 * op(a) (..., n, k) times op(b) (..., k, m) into `outShape` (..., n, m), where op transposes the
 * last two axes when asked; leading axes broadcast. Products accumulate in double precision in the
 * cache-blocked engine of `gemm.ts`; transposes are absorbed by packing, never materialised.
 */
export function matmul(
  a: FloatArray,
  aShape: readonly number[],
  b: FloatArray,
  bShape: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
  outShape: readonly number[],
  dtype: DType,
): FloatArray {
  const out = allocate(dtype, sizeOf(outShape));
  const ar = aShape[aShape.length - 2]!;
  const ac = aShape[aShape.length - 1]!;
  const br = bShape[bShape.length - 2]!;
  const bc = bShape[bShape.length - 1]!;
  const n = outShape[outShape.length - 2]!;
  const m = outShape[outShape.length - 1]!;
  const k = transposeA ? ar : ac;
  return batchedPairwise(
    'dot',
    { data: a, batch: aShape.slice(0, -2), matrixSize: ar * ac, rs: transposeA ? 1 : ac, cs: transposeA ? ac : 1 },
    { data: b, batch: bShape.slice(0, -2), matrixSize: br * bc, rs: transposeB ? 1 : bc, cs: transposeB ? bc : 1 },
    outShape.slice(0, -2),
    n,
    m,
    k,
    out,
  );
}
