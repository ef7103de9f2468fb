/** Ops that move elements: transpose, reshape, concat, slice. */
import type { Shape } from '@spectrans/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { sizeOfShape } from './broadcast.js';
import { run, type Ref, type TfjsRuntime } from './runtime.js';

/** Output axis i is input axis `perm[i]`. */
export function transpose(rt: TfjsRuntime, x: Ref, perm: readonly number[]): Tensor {
  const { tf } = rt;
  const outShape = perm.map((p) => x.shape[p]!);
  return run(rt, [x], () =>
    sizeOfShape(outShape) === 0 ? tf.zeros([...outShape]) : tf.transpose(x.handle, [...perm]),
  );
}

/** Same elements, new shape (the storage is shared, the handle is new). */
export function reshape(rt: TfjsRuntime, x: Ref, shape: Shape): Tensor {
  return run(rt, [x], () => rt.tf.reshape(x.handle, [...shape]));
}

/** Concatenation along `axis`; inputs empty along it are skipped. */
export function concat(rt: TfjsRuntime, xs: readonly Ref[], axis: number, outShape: Shape): Tensor {
  const { tf } = rt;
  return run(rt, xs, () => {
    if (sizeOfShape(outShape) === 0) return tf.zeros([...outShape]);
    const parts = xs.filter((r) => r.shape[axis] !== 0).map((r) => r.handle);
    return parts.length === 1 ? tf.clone(parts[0]!) : tf.concat(parts, axis);
  });
}

/** The block at `begin` of extent `size`. */
export function slice(rt: TfjsRuntime, x: Ref, begin: readonly number[], size: Shape): Tensor {
  const { tf } = rt;
  return run(rt, [x], () =>
    sizeOfShape(size) === 0 ? tf.zeros([...size]) : tf.slice(x.handle, [...begin], [...size]),
  );
}
