/**
 * Size limits, checked before anything is allocated, so an impossible size fails at once with a
 * coded error instead of a raw `RangeError` or an hour of work.
 */
import { SpectransError } from './errors.js';

/**
 * The documented limits. Each is a hard bound on one kind of size; the error for a size above it
 * names the argument, the size and the limit.
 */
export const LIMITS = Object.freeze({
  /** Elements of one tensor (and of one op's output): 2^31 − 1, the largest typed-array length every engine allows. */
  maxTensorElements: 2 ** 31 - 1,
  /** Elements of one parameter drawn on the host (e.g. d·D frequencies): 2^26 (64 Mi, 512 MiB in float64). */
  maxParameterElements: 2 ** 26,
  /** `inputDim`, `numFeatures`, `rank` and padded widths: 2^24. */
  maxDimension: 2 ** 24,
  /** Host work of orthogonal blocks, numFeatures·inputDim² (⌈D/d⌉ QR factorisations of d×d): 2^33 (seconds, not hours). */
  maxOrthogonalWork: 2 ** 33,
  /** Variates one `RandomGenerator` call may draw: 2^28. */
  maxRandomCount: 2 ** 28,
  /** `powerIterations` of the randomized SVD. */
  maxPowerIterations: 64,
  /** `oversample` of the randomized SVD. */
  maxOversample: 4096,
  /** `redrawInterval` of the attention features. */
  maxRedrawInterval: 2 ** 31 - 1,
});

/**
 * Throws `ERR_INVALID_ARGUMENT` when `size` exceeds `limit`.
 * @param argument - what is being sized, e.g. `'numFeatures'` or `'GaussianRFFKernel: omega (inputDim·numFeatures)'`.
 * @param limitName - the {@link LIMITS} entry, for the message.
 */
export function checkLimit(argument: string, size: number, limit: number, limitName: string): void {
  if (size > limit) {
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `${argument} is ${size}, above the limit of ${limit} (LIMITS.${limitName})`,
    );
  }
}

/**
 * Throws `ERR_INVALID_SHAPE` when a shape holds more than {@link LIMITS}.maxTensorElements elements.
 * @param what - the tensor being made, e.g. `'matmul: output'`.
 */
export function checkTensorSize(what: string, shape: readonly number[]): void {
  let size = 1;
  for (const d of shape) size *= d;
  if (size > LIMITS.maxTensorElements) {
    throw new SpectransError(
      'ERR_INVALID_SHAPE',
      `${what} would have shape [${shape.join(', ')}] = ${size} elements, above the limit of ${LIMITS.maxTensorElements} (LIMITS.maxTensorElements)`,
    );
  }
}
