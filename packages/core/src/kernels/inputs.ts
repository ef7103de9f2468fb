/** Checks on kernel inputs, shared by every kernel. */
import type { DType } from '../dtype.js';
import { SpectransError } from '../errors.js';
import { asTensor } from '../ops/dispatch.js';
import type { Tensor } from '../tensor.js';

/**
 * What `compute(x)` without y says: the reference's `compute` takes both point sets (a call without
 * y is a TypeError there), so this port does not guess a Gram matrix either, and names the method that computes it.
 */
export const COMPUTE_WITHOUT_Y = 'compute(x, y) takes two point sets; for the Gram matrix k(x, x) call gramMatrix(x)';

/** What `kernelApproximation(x)` without y says (the maps have no gramMatrix). */
export const APPROXIMATION_WITHOUT_Y = 'kernelApproximation(x, y) takes two point sets; for φ(x) φ(x)ᵀ pass x twice';

/**
 * Checks a point set (..., n, d): a live Tensor of rank >= `minRank`, n >= 1 and, when given, d = `inputDim`.
 * `ifMissing` is the advice given when the argument was left out (`undefined`).
 * @throws SpectransError `ERR_INVALID_ARGUMENT` (not a tensor, or missing), `ERR_INVALID_SHAPE` (rank, empty), `ERR_SHAPE_MISMATCH` (d),
 *   `ERR_DTYPE_MISMATCH` (dtype differs from the kernel's).
 */
export function checkPoints(
  value: unknown,
  argument: string,
  options: { inputDim?: number; minRank?: number; owner: string; dtype?: DType; ifMissing?: string },
): Tensor {
  if (value === undefined && options.ifMissing !== undefined) {
    throw new SpectransError('ERR_INVALID_ARGUMENT', `${options.owner}: ${argument} is missing: ${options.ifMissing}`);
  }
  const x = asTensor(value, `${options.owner}: ${argument}`);
  x.ref(`${options.owner}: ${argument}`);
  const minRank = options.minRank ?? 2;
  if (x.rank < minRank) {
    throw new SpectransError(
      'ERR_INVALID_SHAPE',
      `${options.owner}: ${argument} must have shape ${minRank >= 2 ? '(..., n, d)' : '(..., d)'}, got [${x.shape.join(', ')}]`,
    );
  }
  if (x.shape.some((s) => s === 0)) {
    throw new SpectransError(
      'ERR_INVALID_SHAPE',
      `${options.owner}: ${argument} is empty (shape [${x.shape.join(', ')}])`,
    );
  }
  if (options.dtype !== undefined && x.dtype !== options.dtype) {
    throw new SpectransError(
      'ERR_DTYPE_MISMATCH',
      `${options.owner}: ${argument} is ${x.dtype} but the kernel's parameters are ${options.dtype}; build the kernel with dtype '${x.dtype}' or cast ${argument}`,
    );
  }
  const d = x.shape[x.rank - 1];
  if (options.inputDim !== undefined && d !== options.inputDim) {
    throw new SpectransError(
      'ERR_SHAPE_MISMATCH',
      `${options.owner}: ${argument} has last dimension ${d} but inputDim is ${options.inputDim} (shape [${x.shape.join(', ')}])`,
    );
  }
  return x;
}

/** Checks that x and y agree on their last dimension. */
export function checkSameDim(x: Tensor, y: Tensor, owner: string): void {
  if (x.shape[x.rank - 1] !== y.shape[y.rank - 1]) {
    throw new SpectransError(
      'ERR_SHAPE_MISMATCH',
      `${owner}: x [${x.shape.join(', ')}] and y [${y.shape.join(', ')}] differ in their last dimension`,
    );
  }
}
