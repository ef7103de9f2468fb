/** Float64 references of reductions and scans, with the magnitudes their tolerances scale by. */
import type { ReduceOp } from '@spectrans/core/backend';
import { sizeOf, type HostArray } from './ndarray.js';

/** A reference result plus `scale` (Σ|terms| per output element) and `k` (terms per element). */
export interface AccumulatedRef extends HostArray {
  readonly scale: Float64Array;
  readonly k: number;
}

function split(shape: readonly number[], axis: number): [outer: number, n: number, inner: number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis]!, sizeOf(shape.slice(axis + 1))];
}

/** `op` over `axis` (the axis is dropped); max/min propagate NaN; an empty sum is 0. */
export function reduceRef(op: ReduceOp, x: HostArray, axis: number): AccumulatedRef {
  const [outer, n, inner] = split(x.shape, axis);
  const data = new Float64Array(outer * inner);
  const scale = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let acc = op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity;
      let mag = 0;
      let nan = false;
      for (let j = 0; j < n; j++) {
        const v = x.data[(o * n + j) * inner + i]!;
        if (Number.isNaN(v)) nan = true;
        if (op === 'sum') acc += v;
        else if (op === 'max') acc = Math.max(acc, v);
        else acc = Math.min(acc, v);
        mag += Math.abs(v);
      }
      data[o * inner + i] = nan ? NaN : acc;
      scale[o * inner + i] = op === 'sum' ? mag : 0;
    }
  }
  return { data, shape: x.shape.filter((_, i) => i !== axis), scale, k: op === 'sum' ? n : 1 };
}

/** Inclusive or exclusive prefix sums along `axis`, optionally from the end. */
export function cumsumRef(x: HostArray, axis: number, exclusive: boolean, reverse: boolean): AccumulatedRef {
  const [outer, n, inner] = split(x.shape, axis);
  const data = new Float64Array(x.data.length);
  const scale = new Float64Array(x.data.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let acc = 0;
      let mag = 0;
      for (let step = 0; step < n; step++) {
        const j = reverse ? n - 1 - step : step;
        const at = (o * n + j) * inner + i;
        const v = x.data[at]!;
        if (exclusive) {
          data[at] = acc;
          scale[at] = mag;
          acc += v;
          mag += Math.abs(v);
        } else {
          acc += v;
          mag += Math.abs(v);
          data[at] = acc;
          scale[at] = mag;
        }
      }
    }
  }
  return { data, shape: x.shape, scale, k: Math.max(n, 1) };
}
