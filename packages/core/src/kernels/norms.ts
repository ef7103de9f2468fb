/** Row normalisation with pre-scaling, so rows of any finite magnitude normalise without overflow. */
import { add, abs, div, maximum, mul, sqrt } from '../ops/elementwise.js';
import { max, sum } from '../ops/reduce.js';
import { DTYPE_MIN_NORMAL } from '../numeric-range.js';
import { tidy } from '../scope.js';
import type { Tensor } from '../tensor.js';

/**
 * x / (‖x‖ + eps) (`'add'`) or x / max(‖x‖, eps) (`'clamp'`) along the last axis.
 *
 * @remarks Each row is first divided by its largest magnitude s (at least the dtype's smallest
 * normal number), so ‖x/s‖ lies in [1, √d] and squaring cannot overflow or underflow:
 * x / (‖x‖ + eps) = (x/s) / (‖x/s‖ + eps/s). A row of 1e20s in float32 gives unit norm, not 0.
 */
export function normalizeRows(x: Tensor, eps: number, mode: 'add' | 'clamp'): Tensor {
  return tidy(() => {
    const scale = maximum(max(abs(x), -1, true), DTYPE_MIN_NORMAL[x.dtype]);
    const y = div(x, scale);
    const norm = sqrt(sum(mul(y, y), -1, true));
    const floor = div(eps, scale);
    return div(y, mode === 'add' ? add(norm, floor) : maximum(norm, floor));
  });
}

/** ‖x‖ along the last axis (keeping it), computed with the same pre-scaling as {@link normalizeRows}. */
export function rowNorms(x: Tensor): Tensor {
  return tidy(() => {
    const scale = maximum(max(abs(x), -1, true), DTYPE_MIN_NORMAL[x.dtype]);
    const y = div(x, scale);
    return mul(sqrt(sum(mul(y, y), -1, true)), scale);
  });
}
