/**
 * What the decompositions share: the matrix-shape check and the host fallback that reads a batch
 * back, runs a float64 routine of core's linalg on each matrix and uploads the results.
 */
import type { Backend, TensorRef } from '../backend/contract.js';
import { allocate, type FloatArray } from '../dtype.js';
import { SpectransError } from '../errors.js';
import { sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { tapedFactors } from '../autodiff/tape.js';
import { readForFallback, upload } from './dispatch.js';

/** The batch shape and matrix size of x (..., m, n). */
export function requireMatrix(op: string, x: Tensor): [batch: number[], m: number, n: number] {
  if (x.rank < 2)
    throw new SpectransError(
      'ERR_INVALID_SHAPE',
      `${op}: x must have rank >= 2 (..., m, n), got shape [${x.shape.join(', ')}]`,
    );
  const m = x.shape[x.rank - 2]!;
  const n = x.shape[x.rank - 1]!;
  if (m === 0 || n === 0)
    throw new SpectransError(
      'ERR_INVALID_SHAPE',
      `${op}: matrices must be non-empty, got shape [${x.shape.join(', ')}]`,
    );
  return [x.shape.slice(0, -2), m, n];
}

/** Runs `fn` on each float64 matrix of a batch and uploads the outputs (one array per output). */
export function hostBatched(
  backend: Backend,
  ref: TensorRef<unknown>,
  op: string,
  batch: number[],
  m: number,
  n: number,
  outputs: readonly { shape: number[] }[],
  fn: (a: Float64Array) => Float64Array[],
): Tensor[] {
  const data = readForFallback(backend, ref, op);
  const count = sizeOf(batch);
  const outs: FloatArray[] = outputs.map((o) => allocate(ref.dtype, count * sizeOf(o.shape)));
  for (let b = 0; b < count; b++) {
    const a = Float64Array.from(data.subarray(b * m * n, (b + 1) * m * n));
    fn(a).forEach((r, i) => outs[i]!.set(r, b * r.length));
  }
  return outs.map((o, i) => upload(backend, o, [...batch, ...outputs[i]!.shape], ref.dtype));
}

/** Records the factors of a decomposition of x as one tape entry (in the order the rule expects). */
export function recordFactors<T extends Record<string, Tensor>>(op: 'qr' | 'eigh' | 'svd', x: Tensor, factors: T): T {
  return tapedFactors(op, [x], factors);
}
