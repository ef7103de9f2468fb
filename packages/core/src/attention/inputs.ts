/** Checks shared by the attention functions. */
import type { DType } from '../dtype.js';
import { SpectransError } from '../errors.js';
import { equal, sub } from '../ops/elementwise.js';
import { cast, reshape } from '../ops/layout.js';
import { tensor } from '../ops/creation.js';
import { tidy } from '../scope.js';
import { asTensor } from '../ops/dispatch.js';
import { broadcastShapes } from '../shape.js';
import type { Tensor } from '../tensor.js';

/**
 * Checks q (..., n, d), k (..., m, d), v (..., m, dv) with broadcastable leading axes.
 * @throws SpectransError `ERR_INVALID_SHAPE` (rank, empty), `ERR_SHAPE_MISMATCH` (d, m, batch axes).
 */
export function checkAttentionInputs(
  owner: string,
  q: Tensor,
  k: Tensor,
  v: Tensor,
  names: readonly [string, string, string] = ['q', 'k', 'v'],
): { n: number; m: number; d: number; dv: number } {
  const [qn, kn, vn] = names;
  for (const [t, name] of [
    [q, qn],
    [k, kn],
    [v, vn],
  ] as const) {
    asTensor(t, `${owner}: ${name}`).ref(`${owner}: ${name}`);
    if (t.rank < 2)
      throw new SpectransError(
        'ERR_INVALID_SHAPE',
        `${owner}: ${name} must have shape (..., rows, dim), got [${t.shape.join(', ')}]`,
      );
    if (t.shape.some((s) => s === 0))
      throw new SpectransError('ERR_INVALID_SHAPE', `${owner}: ${name} is empty (shape [${t.shape.join(', ')}])`);
  }
  const last = (t: Tensor, i: number): number => t.shape[t.rank - i]!;
  if (last(q, 1) !== last(k, 1)) {
    throw new SpectransError(
      'ERR_SHAPE_MISMATCH',
      `${owner}: ${qn} [${q.shape.join(', ')}] and ${kn} [${k.shape.join(', ')}] differ in their last axis`,
    );
  }
  if (last(k, 2) !== last(v, 2)) {
    throw new SpectransError(
      'ERR_SHAPE_MISMATCH',
      `${owner}: ${kn} [${k.shape.join(', ')}] and ${vn} [${v.shape.join(', ')}] differ in the number of keys m`,
    );
  }
  broadcastShapes(
    broadcastShapes(q.shape.slice(0, -2), k.shape.slice(0, -2), `${owner}: batch axes of ${qn} and ${kn}`),
    v.shape.slice(0, -2),
    `${owner}: batch axes of ${qn}, ${kn} and ${vn}`,
  );
  return { n: last(q, 2), m: last(k, 2), d: last(q, 1), dv: last(v, 1) };
}

/**
 * Checks a key padding mask (..., m) against keys (..., m, d).
 * @throws SpectransError `ERR_SHAPE_MISMATCH` naming both shapes.
 */
export function checkMask(owner: string, mask: Tensor, k: Tensor): void {
  asTensor(mask, `${owner}: mask`).ref(`${owner}: mask`);
  const m = k.shape[k.rank - 2]!;
  if (mask.rank < 1 || mask.shape[mask.rank - 1] !== m) {
    throw new SpectransError(
      'ERR_SHAPE_MISMATCH',
      `${owner}: mask must have shape (..., m) with m = ${m}, got [${mask.shape.join(', ')}]`,
    );
  }
  broadcastShapes(mask.shape.slice(0, -1), k.shape.slice(0, -2), `${owner}: batch axes of mask and k`);
}

/** The mask as 1/0 multipliers (..., m, 1) in `dtype` (nonzero keeps a key), to scale rows of φ(K). */
export function maskMultiplier(mask: Tensor, dtype: DType): Tensor {
  return tidy(() => {
    const keep = sub(1, equal(mask.dtype === dtype ? mask : cast(mask, dtype), 0));
    return reshape(keep, [...mask.shape, 1]);
  });
}

/** The (n × n) lower-triangular ones matrix (j <= i), on like's backend and in its dtype. */
export function lowerTriangle(n: number, like: Tensor): Tensor {
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) data[i * n + j] = 1;
  return tensor(data, [n, n], like.dtype, { backend: like.backend });
}
