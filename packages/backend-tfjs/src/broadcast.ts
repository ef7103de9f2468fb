/**
 * Shape arithmetic for broadcasting on tfjs: pure functions, no tensors.
 *
 * XNNPACK (the wasm engine) silently returns wrong values when a broadcasting elementwise op has
 * more than 6 axes, and tfjs's batched matmul only broadcasts a batch of size 1. These helpers
 * rewrite shapes so that every engine sees calls it handles.
 */
import type { Shape } from '@spectrans/core';

/** Broadcast patterns with more axes than this are materialised (tiled) before an elementwise op. */
export const MAX_BROADCAST_RANK = 4;

/** `shape` left-padded with ones to `rank` axes. */
export function padShape(shape: Shape, rank: number): number[] {
  return [...new Array<number>(Math.max(0, rank - shape.length)).fill(1), ...shape];
}

/** Product of the sizes (1 for `[]`). */
export function sizeOfShape(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** True when two shapes are equal. */
export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Rewrites a broadcast of `shapes` to `outShape` with as few axes as possible: axes of output size 1
 * are dropped, and runs of adjacent axes along which every operand is either whole or broadcast alike
 * are merged. Reshaping each operand to its returned shape, applying the op, and reshaping the result
 * to `outShape` gives the same values.
 *
 * @example
 * ```ts
 * coalesceBroadcast([[2, 3, 4], [4]], [2, 3, 4]); // { shapes: [[6, 4], [1, 4]], outShape: [6, 4] }
 * ```
 */
export function coalesceBroadcast(
  shapes: readonly Shape[],
  outShape: Shape,
): { shapes: number[][]; outShape: number[] } {
  const rank = outShape.length;
  const padded = shapes.map((s) => padShape(s, rank));
  const out: number[] = [];
  const merged: number[][] = shapes.map(() => []);
  let previous = '';
  for (let axis = 0; axis < rank; axis++) {
    const size = outShape[axis]!;
    if (size === 1) continue;
    const pattern = padded.map((s) => (s[axis] === 1 ? '0' : '1')).join('');
    if (pattern === previous) {
      out[out.length - 1]! *= size;
      padded.forEach((s, i) => {
        const row = merged[i]!;
        row[row.length - 1]! *= s[axis]!;
      });
    } else {
      out.push(size);
      padded.forEach((s, i) => merged[i]!.push(s[axis]!));
      previous = pattern;
    }
  }
  return { shapes: merged, outShape: out };
}

/**
 * How to run a batched matmul whose batch axes broadcast: the batch shape of each operand after
 * broadcasting, and whether tfjs can broadcast it itself (equal batches, or one batch of size 1).
 */
export function matmulBatchPlan(
  aBatch: Shape,
  bBatch: Shape,
  outBatch: Shape,
): { a: number[]; b: number[]; native: boolean } {
  const rank = outBatch.length;
  const a = padShape(aBatch, rank);
  const b = padShape(bBatch, rank);
  const sa = sizeOfShape(a);
  const sb = sizeOfShape(b);
  const native = sa === 1 || sb === 1 || (sameShape(a, outBatch) && sameShape(b, outBatch));
  return { a, b, native };
}
