/** Batched matrix products with NumPy batch broadcasting. */
import type { Shape } from '@spectrans/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { matmulBatchPlan, sizeOfShape } from './broadcast.js';
import { run, type Ref, type TfjsRuntime } from './runtime.js';

/**
 * op(a) (..., n, k) times op(b) (..., k, m), batch axes broadcast. tfjs's batched matmul only
 * broadcasts a batch of size 1, so other batch broadcasts are tiled first; a rank-2 `b` with an
 * untransposed `a` becomes one (batch·n, k) x (k, m) product.
 */
export function matmul(
  rt: TfjsRuntime,
  a: Ref,
  b: Ref,
  transposeA: boolean,
  transposeB: boolean,
  outShape: Shape,
): Tensor {
  const { tf } = rt;
  return run(rt, [a, b], () => {
    const k = a.shape[transposeA ? a.shape.length - 2 : a.shape.length - 1]!;
    if (sizeOfShape(outShape) === 0 || k === 0) return tf.zeros([...outShape]);
    return tf.reshape(batchedMatmul(rt, a.handle, b.handle, transposeA, transposeB, outShape.slice(0, -2)), [
      ...outShape,
    ]);
  });
}

/**
 * tfjs's `matMul`, with an odd shared dimension made even by a zero on both sides where the
 * engine reads the padding lanes of its packed textures (`fixes.oddSharedDim`). Call inside a tidy.
 */
export function matMul(rt: TfjsRuntime, a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  const { tf } = rt;
  const k = a.shape[transposeA ? a.rank - 2 : a.rank - 1]!;
  if (!rt.fixes.oddSharedDim || k % 2 === 0) return tf.matMul(a, b, transposeA, transposeB);
  // One zero appended along the shared axis: axis −2 of a transposed a and of an untransposed b.
  const padShared = (t: Tensor, axisFromEnd: 1 | 2): Tensor =>
    tf.pad(
      t,
      t.shape.map((_, i): [number, number] => (i === t.rank - axisFromEnd ? [0, 1] : [0, 0])),
    );
  return tf.matMul(padShared(a, transposeA ? 2 : 1), padShared(b, transposeB ? 1 : 2), transposeA, transposeB);
}

/**
 * The product as (B, n, m) (or (n·rows, m) when folded); `outBatch` is the broadcast batch shape.
 * Call inside a tidy.
 */
export function batchedMatmul(
  rt: TfjsRuntime,
  a: Tensor,
  b: Tensor,
  transposeA: boolean,
  transposeB: boolean,
  outBatch: Shape,
): Tensor {
  const { tf } = rt;
  const aMat = a.shape.slice(-2);
  const bMat = b.shape.slice(-2);
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  if (sizeOfShape(bBatch) === 1 && !transposeA) {
    // (B..., n, k) x (k, m): one product of (B·n, k) rows
    return matMul(rt, tf.reshape(a, [-1, aMat[1]!]), tf.reshape(b, bMat), false, transposeB);
  }
  const plan = matmulBatchPlan(aBatch, bBatch, outBatch);
  const batch = sizeOfShape(outBatch);
  const as3d = (t: Tensor, own: number[], mat: number[]): Tensor =>
    plan.native
      ? tf.reshape(t, [sizeOfShape(own), mat[0]!, mat[1]!])
      : tf.reshape(tf.broadcastTo(tf.reshape(t, [...own, ...mat]), [...outBatch, ...mat]), [batch, mat[0]!, mat[1]!]);
  return matMul(rt, as3d(a, plan.a, aMat), as3d(b, plan.b, bMat), transposeA, transposeB);
}
