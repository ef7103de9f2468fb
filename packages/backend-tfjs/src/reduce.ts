/** Reductions over one axis and prefix sums. */
import type { ReduceOp } from '@spectrans/core/backend';
import type { Tensor } from '@tensorflow/tfjs-core';
import { sizeOfShape } from './broadcast.js';
import { run, type Ref, type TfjsRuntime } from './runtime.js';

/**
 * Reduces `x` over `axis` (dropping it). An empty sum is 0, an empty max -Infinity, an empty min
 * +Infinity; `max`/`min` propagate NaN.
 */
export function reduce(rt: TfjsRuntime, op: ReduceOp, x: Ref, axis: number): Tensor {
  const { tf, fixes } = rt;
  const outShape = x.shape.filter((_, i) => i !== axis);
  return run(rt, [x], () => {
    if (sizeOfShape(outShape) === 0) return tf.zeros([...outShape]);
    if (x.shape[axis] === 0) return tf.fill([...outShape], op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity);
    if (op === 'sum') return tf.sum(x.handle, axis);
    const r = op === 'max' ? tf.max(x.handle, axis) : tf.min(x.handle, axis);
    return fixes.nanMinMax ? tf.where(tf.any(tf.isNaN(x.handle), axis), tf.fill(r.shape, NaN), r) : r;
  });
}

/** Inclusive (or exclusive) prefix sum along `axis`, optionally from the end. */
export function cumsum(rt: TfjsRuntime, x: Ref, axis: number, exclusive: boolean, reverse: boolean): Tensor {
  const { tf } = rt;
  return run(rt, [x], () =>
    sizeOfShape(x.shape) === 0 ? tf.zeros([...x.shape]) : tf.cumsum(x.handle, axis, exclusive, reverse),
  );
}
