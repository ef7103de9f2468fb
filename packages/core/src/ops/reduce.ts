/** Reductions and scans. */
import type { Backend, ReduceOp } from '../backend/contract.js';
import type { DType } from '../dtype.js';
import { taped, untaped } from '../autodiff/tape.js';
import { checkOptions } from '../options.js';
import { SpectransError } from '../errors.js';
import { describe, normalizeAxis } from '../shape.js';
import { booleanCheck } from '../validate.js';
import type { Tensor } from '../tensor.js';
import { prepare, wrap } from './dispatch.js';
import { reshape } from './layout.js';
import { mul } from './elementwise.js';

/** Which axes to reduce: one axis, several, or all (`undefined`). */
export type Axes = number | readonly number[] | undefined;

function reduceOp(op: ReduceOp, x: Tensor, axes: Axes, keepDims: boolean): Tensor {
  const { backend, dtype } = prepare(op, [[x, 'x']]);
  checkAxesArgument(op, axes);
  booleanCheck(keepDims, `${op}: keepDims`);
  const list =
    axes === undefined
      ? x.shape.map((_, i) => i)
      : (typeof axes === 'number' ? [axes] : axes).map((a) => normalizeAxis(a, x.rank, 'axis'));
  const sorted = [...new Set(list)].sort((a, b) => b - a); // reduce the last axis first so indices stay valid
  return taped(
    op,
    [x],
    untaped(() => reduceAxes(op, x, sorted, keepDims, backend, dtype)),
    { axes: sorted, keepDims },
  );
}

function reduceAxes(
  op: ReduceOp,
  x: Tensor,
  sorted: readonly number[],
  keepDims: boolean,
  backend: Backend,
  dtype: DType,
): Tensor {
  let current = x;
  for (const axis of sorted) {
    const ref = current.ref('x');
    const shape = current.shape.filter((_, i) => i !== axis);
    const next = wrap(backend, backend.reduce(op, ref, axis), shape, dtype);
    if (current !== x) current.dispose();
    current = next;
  }
  if (current === x) current = reshape(x, x.shape); // nothing to reduce: still return a new tensor
  if (keepDims) {
    const kept = x.shape.map((d, i) => (sorted.includes(i) ? 1 : d));
    const out = reshape(current, kept);
    current.dispose();
    return out;
  }
  return current;
}

/** Throws `ERR_INVALID_ARGUMENT` unless `axes` is a number, an array of numbers or undefined. */
function checkAxesArgument(op: string, axes: unknown): void {
  if (axes === undefined || typeof axes === 'number') return;
  if (!Array.isArray(axes) || axes.some((a) => typeof a !== 'number')) {
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `${op}: axes must be an axis, an array of axes or undefined, got ${describe(axes)}`,
    );
  }
}

/** Sum over `axes` (all by default). */
export const sum = (x: Tensor, axes?: Axes, keepDims = false): Tensor => reduceOp('sum', x, axes, keepDims);
/** Maximum over `axes` (all by default); NaN propagates. */
export const max = (x: Tensor, axes?: Axes, keepDims = false): Tensor => reduceOp('max', x, axes, keepDims);
/** Minimum over `axes` (all by default); NaN propagates. */
export const min = (x: Tensor, axes?: Axes, keepDims = false): Tensor => reduceOp('min', x, axes, keepDims);

/** Mean over `axes` (all by default). */
export function mean(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  const s = sum(x, axes, keepDims);
  const count = x.size / Math.max(s.size, 1);
  try {
    return mul(s, 1 / count);
  } finally {
    s.dispose();
  }
}

/**
 * Prefix sum along `axis`: inclusive by default, `exclusive` starts from 0, `reverse` sums from the end.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` for an axis out of range.
 */
export function cumsum(x: Tensor, axis: number, options: { exclusive?: boolean; reverse?: boolean } = {}): Tensor {
  const { backend, refs, dtype } = prepare('cumsum', [[x, 'x']]);
  const a = normalizeAxis(axis, x.rank, 'axis');
  checkOptions('cumsum', options, ['exclusive', 'reverse']);
  const exclusive = booleanCheck(options.exclusive ?? false, 'cumsum: exclusive');
  const reverse = booleanCheck(options.reverse ?? false, 'cumsum: reverse');
  return taped('cumsum', [x], wrap(backend, backend.cumsum(refs[0]!, a, exclusive, reverse), x.shape, dtype), {
    axis: a,
    exclusive,
    reverse,
  });
}
