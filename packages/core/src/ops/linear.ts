/** Matrix products and pairwise distances. */
import type { DistanceMetric } from '../backend/contract.js';
import { SpectransError } from '../errors.js';
import { checkTensorSize } from '../limits.js';
import { checkOptions } from '../options.js';
import { broadcastShapes, describe } from '../shape.js';
import { booleanCheck } from '../validate.js';
import type { Tensor } from '../tensor.js';
import { prepare, wrap } from './dispatch.js';
import { taped } from '../autodiff/tape.js';

/** Options of `matmul`. */
export interface MatmulOptions {
  /** Use the transpose of a's last two axes. */
  transposeA?: boolean;
  /** Use the transpose of b's last two axes. */
  transposeB?: boolean;
}

/**
 * Batched matrix product over the last two axes; leading axes broadcast (like `torch.matmul` for rank >= 2).
 *
 * @throws SpectransError `ERR_INVALID_SHAPE` for rank < 2; `ERR_SHAPE_MISMATCH` for unequal inner
 *   dimensions or non-broadcastable batch axes.
 * @example
 * ```ts
 * const c = matmul(a, b, { transposeB: true }); // a (..., n, k), b (..., m, k) -> (..., n, m)
 * ```
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  const { backend, refs, dtype } = prepare('matmul', [
    [a, 'a'],
    [b, 'b'],
  ]);
  checkOptions('matmul', options, ['transposeA', 'transposeB']);
  const ta = booleanCheck(options.transposeA ?? false, 'matmul: transposeA');
  const tb = booleanCheck(options.transposeB ?? false, 'matmul: transposeB');
  for (const [t, name] of [
    [a, 'a'],
    [b, 'b'],
  ] as const) {
    if (t.rank < 2)
      throw new SpectransError(
        'ERR_INVALID_SHAPE',
        `matmul: ${name} must have rank >= 2, got shape [${t.shape.join(', ')}]`,
      );
  }
  const [n, ka] = ta ? [a.shape[a.rank - 1]!, a.shape[a.rank - 2]!] : [a.shape[a.rank - 2]!, a.shape[a.rank - 1]!];
  const [kb, m] = tb ? [b.shape[b.rank - 1]!, b.shape[b.rank - 2]!] : [b.shape[b.rank - 2]!, b.shape[b.rank - 1]!];
  if (ka !== kb) {
    throw new SpectransError(
      'ERR_SHAPE_MISMATCH',
      `matmul: inner dimensions differ: a [${a.shape.join(', ')}]${ta ? 'ᵀ' : ''} has ${ka}, b [${b.shape.join(', ')}]${tb ? 'ᵀ' : ''} has ${kb}`,
    );
  }
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), 'matmul: batch axes of a and b');
  const outShape = [...batch, n, m];
  checkTensorSize('matmul: output', outShape);
  return taped('matmul', [a, b], wrap(backend, backend.matmul(refs[0]!, refs[1]!, ta, tb, outShape), outShape, dtype), {
    transposeA: ta,
    transposeB: tb,
  });
}

/**
 * Pairwise distances between the rows of x (..., n, d) and y (..., m, d): (..., n, m), leading axes
 * broadcast, computed without the (n, m, d) difference tensor.
 *
 * @param metric - `'sqeuclidean'` (‖xᵢ − yⱼ‖², never negative) or `'l1'` (Σ|xᵢ − yⱼ|).
 * @throws SpectransError `ERR_INVALID_SHAPE` for rank < 2; `ERR_SHAPE_MISMATCH` when d differs;
 *   `ERR_INVALID_ARGUMENT` for an unknown metric.
 */
export function cdist(x: Tensor, y: Tensor, metric: DistanceMetric = 'sqeuclidean'): Tensor {
  const { backend, refs, dtype } = prepare('cdist', [
    [x, 'x'],
    [y, 'y'],
  ]);
  if (metric !== 'sqeuclidean' && metric !== 'l1') {
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `cdist: metric must be 'sqeuclidean' or 'l1', got ${describe(metric)}`,
    );
  }
  for (const [t, name] of [
    [x, 'x'],
    [y, 'y'],
  ] as const) {
    if (t.rank < 2)
      throw new SpectransError(
        'ERR_INVALID_SHAPE',
        `cdist: ${name} must have rank >= 2 (..., rows, d), got shape [${t.shape.join(', ')}]`,
      );
  }
  const d = x.shape[x.rank - 1]!;
  if (y.shape[y.rank - 1] !== d) {
    throw new SpectransError(
      'ERR_SHAPE_MISMATCH',
      `cdist: last axes differ: x [${x.shape.join(', ')}], y [${y.shape.join(', ')}]`,
    );
  }
  const batch = broadcastShapes(x.shape.slice(0, -2), y.shape.slice(0, -2), 'cdist: batch axes of x and y');
  const outShape = [...batch, x.shape[x.rank - 2]!, y.shape[y.rank - 2]!];
  checkTensorSize('cdist: output', outShape);
  return taped('cdist', [x, y], wrap(backend, backend.cdist(refs[0]!, refs[1]!, metric, outShape), outShape, dtype), {
    metric,
  });
}
