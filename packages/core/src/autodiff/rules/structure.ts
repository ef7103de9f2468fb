/** Backward rules of reductions, scans and layout ops. */
import { div, equal, mul } from '../../ops/elementwise.js';
import { cast, reshape, slice, transpose } from '../../ops/layout.js';
import { cumsum, sum } from '../../ops/reduce.js';
import type { DType } from '../../dtype.js';
import type { TapeEntry } from '../tape.js';
import { broadcastTo, padInto } from '../shape-grads.js';
import { savedInput, savedOutput, type BackwardRule } from './rule.js';

/** x's shape with the reduced axes kept as size 1. */
function keptShape(e: TapeEntry): number[] {
  const axes = e.attrs['axes'] as readonly number[];
  return e.inputs[0]!.shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/**
 * max/min: the gradient goes to the elements equal to the extreme, split evenly between ties
 * (deterministic, and the mean of the one-sided derivatives).
 */
const extremeRule: BackwardRule = (e, dy) => {
  const x = savedInput(e, 0);
  const kept = keptShape(e);
  const mask = equal(x, reshape(savedOutput(e), kept));
  const count = sum(mask, e.attrs['axes'] as readonly number[], true);
  return [div(mul(mask, reshape(dy, kept)), count)];
};

/** Backward rules of reductions and cumsum. */
export const reductionRules: Record<string, BackwardRule> = {
  sum: (e, dy) => [broadcastTo(reshape(dy, keptShape(e)), e.inputs[0]!.shape)],
  max: extremeRule,
  min: extremeRule,
  // The adjoint of a prefix sum is the same prefix sum taken from the other end.
  cumsum: (e, dy) => [
    cumsum(dy, e.attrs['axis'] as number, {
      exclusive: e.attrs['exclusive'] === true,
      reverse: e.attrs['reverse'] !== true,
    }),
  ],
};

/** Backward rules of the layout ops. */
export const layoutRules: Record<string, BackwardRule> = {
  transpose: (e, dy) => {
    const perm = e.attrs['perm'] as readonly number[];
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return [transpose(dy, inverse)];
  },
  reshape: (e, dy) => [reshape(dy, e.inputs[0]!.shape)],
  concat: (e, dy) => {
    const axis = e.attrs['axis'] as number;
    let offset = 0;
    return e.inputs.map((x, i) => {
      const begin = x.shape.map((_, j) => (j === axis ? offset : 0));
      offset += x.shape[axis]!;
      return e.needsGrad[i] ? slice(dy, begin, x.shape) : undefined;
    });
  },
  slice: (e, dy) => [padInto(dy, e.attrs['begin'] as readonly number[], e.inputs[0]!.shape)],
  cast: (e, dy) => [cast(dy, e.inputs[0]!.dtype as DType)],
};
