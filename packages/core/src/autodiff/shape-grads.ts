/** Shape plumbing of backward rules: undoing broadcasting, broadcasting back, and padding a slice's gradient. */
import { fill } from '../ops/creation.js';
import { add } from '../ops/elementwise.js';
import { concat, reshape } from '../ops/layout.js';
import { sum } from '../ops/reduce.js';
import { shapesEqual, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** Sums g over the axes broadcasting added or stretched, so it has `shape` (an input's shape). */
export function unbroadcast(g: Tensor, shape: Shape): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const reduced = axes.length > 0 ? sum(g, axes, true) : g;
  return reshape(reduced, shape);
}

/** g broadcast to `shape` (g's shape must broadcast to it). */
export function broadcastTo(g: Tensor, shape: Shape): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  return add(g, zerosLike(shape, g));
}

/** A zero tensor of `shape` on g's backend, in g's dtype. */
export function zerosLike(shape: Shape, g: Tensor): Tensor {
  return fill(shape, 0, g.dtype, { backend: g.backend });
}

/** g placed at `begin` inside zeros of `shape` (the adjoint of slice). */
export function padInto(g: Tensor, begin: readonly number[], shape: Shape): Tensor {
  let out = g;
  for (let axis = 0; axis < shape.length; axis++) {
    const before = begin[axis]!;
    const after = shape[axis]! - before - out.shape[axis]!;
    if (before === 0 && after === 0) continue;
    const parts: Tensor[] = [];
    const side = (extent: number): Tensor =>
      zerosLike(
        out.shape.map((d, i) => (i === axis ? extent : d)),
        g,
      );
    if (before > 0) parts.push(side(before));
    parts.push(out);
    if (after > 0) parts.push(side(after));
    out = concat(parts, axis);
  }
  return out;
}
