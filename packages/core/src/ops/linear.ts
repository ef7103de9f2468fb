/** Matrix products, pairwise distances and their exponential (the exact Gaussian and Laplacian kernels). */
import type { DistanceMetric } from '../backend/contract.js';
import { SpectransError } from '../errors.js';
import { checkTensorSize } from '../limits.js';
import { checkOptions } from '../options.js';
import { broadcastShapes, describe } from '../shape.js';
import { booleanCheck, scalarCheck } from '../validate.js';
import { tidy } from '../scope.js';
import type { Tensor } from '../tensor.js';
import { prepare, wrap } from './dispatch.js';
import { recordsAny, taped } from '../autodiff/tape.js';
import { exp, mul } from './elementwise.js';

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
  const outShape = distanceShape('cdist', x, y, metric);
  return taped('cdist', [x, y], wrap(backend, backend.cdist(refs[0]!, refs[1]!, metric, outShape), outShape, dtype), {
    metric,
  });
}

/**
 * `exp(scale · cdist(x, y, metric))`: the exact Gaussian (`'sqeuclidean'`, scale −1/(2σ²)) and
 * Laplacian (`'l1'`, scale −1/σ) kernel matrices. A backend with the optional fused op computes
 * the exp while the distances are still in cache (one pass instead of three); while a gradient is
 * recorded, or on a backend without it, it runs as `exp(mul(cdist(x, y, metric), scale))`, so
 * gradients flow as through that chain.
 *
 * @param metric - as for {@link cdist}.
 * @param scale - the factor of the distances, finite (any sign).
 * @returns (..., n, m), leading axes broadcast.
 * @throws SpectransError as {@link cdist}; `ERR_INVALID_ARGUMENT` for a non-finite scale.
 * @example
 * ```ts
 * const K = expCdist(x, y, 'sqeuclidean', -1 / (2 * sigma ** 2)); // Gaussian kernel matrix
 * ```
 */
export function expCdist(x: Tensor, y: Tensor, metric: DistanceMetric, scale: number): Tensor {
  const { backend, refs, dtype } = prepare('expCdist', [
    [x, 'x'],
    [y, 'y'],
  ]);
  const outShape = distanceShape('expCdist', x, y, metric);
  scalarCheck(scale, 'expCdist: scale', { finite: true });
  if (backend.expCdist && !recordsAny([x, y])) {
    const h = backend.expCdist(refs[0]!, refs[1]!, metric, scale, outShape);
    if (h !== undefined) return wrap(backend, h, outShape, dtype);
  }
  return tidy(() => exp(mul(cdist(x, y, metric), scale)));
}

/** Checks cdist's arguments (metric, ranks, equal d, broadcastable batch axes); returns the output shape. */
function distanceShape(op: string, x: Tensor, y: Tensor, metric: DistanceMetric): number[] {
  if (metric !== 'sqeuclidean' && metric !== 'l1') {
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `${op}: metric must be 'sqeuclidean' or 'l1', got ${describe(metric)}`,
    );
  }
  for (const [t, name] of [
    [x, 'x'],
    [y, 'y'],
  ] as const) {
    if (t.rank < 2)
      throw new SpectransError(
        'ERR_INVALID_SHAPE',
        `${op}: ${name} must have rank >= 2 (..., rows, d), got shape [${t.shape.join(', ')}]`,
      );
  }
  const d = x.shape[x.rank - 1]!;
  if (y.shape[y.rank - 1] !== d) {
    throw new SpectransError(
      'ERR_SHAPE_MISMATCH',
      `${op}: last axes differ: x [${x.shape.join(', ')}], y [${y.shape.join(', ')}]`,
    );
  }
  const batch = broadcastShapes(x.shape.slice(0, -2), y.shape.slice(0, -2), `${op}: batch axes of x and y`);
  const outShape = [...batch, x.shape[x.rank - 2]!, y.shape[y.rank - 2]!];
  checkTensorSize(`${op}: output`, outShape);
  return outShape;
}
