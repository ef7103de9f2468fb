/**
 * Strided-iteration helpers for backend authors: NumPy broadcasting strides, and merging of axes
 * that every operand walks contiguously so kernels loop over as few, as long, axes as possible.
 */
import { stridesOf } from '../shape.js';

/**
 * Strides of `shape` read as if broadcast to `outShape` (aligned at the trailing axis): the
 * row-major stride of each axis, or 0 where the axis is missing or has size 1.
 *
 * @example
 * ```ts
 * broadcastStrides([3, 1], [2, 3, 4]); // [0, 1, 0]
 * ```
 */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const own = stridesOf(shape);
  const lead = outShape.length - shape.length;
  return outShape.map((_, k) => {
    const j = k - lead;
    return j < 0 || shape[j] === 1 ? 0 : own[j]!;
  });
}

/** Axes and per-operand strides after {@link coalesceAxes}. */
export interface CoalescedAxes {
  /** Extents, outermost first (empty when every axis had extent 1). */
  readonly dims: number[];
  /** For each operand, its stride along each axis of `dims`. */
  readonly strides: number[][];
}

/**
 * Drops axes of extent 1 and merges each axis into its outer neighbour wherever every operand steps
 * through both as through one (outer stride = inner stride × inner extent). Equal shapes collapse
 * to one axis; so does an operand broadcast from a scalar.
 *
 * @example
 * ```ts
 * coalesceAxes([2, 3, 4], [[12, 4, 1], [0, 0, 0]]); // { dims: [24], strides: [[1], [0]] }
 * ```
 */
export function coalesceAxes(dims: readonly number[], strides: readonly (readonly number[])[]): CoalescedAxes {
  const outDims: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let k = 0; k < dims.length; k++) {
    const d = dims[k]!;
    if (d === 1) continue;
    const last = outDims.length - 1;
    const mergeable = last >= 0 && strides.every((s, j) => outStrides[j]![last] === s[k]! * d);
    if (mergeable) {
      outDims[last] = outDims[last]! * d;
      strides.forEach((s, j) => (outStrides[j]![last] = s[k]!));
    } else {
      outDims.push(d);
      strides.forEach((s, j) => outStrides[j]!.push(s[k]!));
    }
  }
  return { dims: outDims, strides: outStrides };
}
