/**
 * Reductions over one axis and prefix sums. A tensor is viewed as (outer, len, inner) around the
 * axis; sums use Neumaier's compensated summation in double precision.
 */
import type { DType, FloatArray } from '@spectrans/core';
import type { ReduceOp } from '@spectrans/core/backend';
import { allocate } from './storage.js';

/** Sizes before, at and after `axis`. */
function around(shape: readonly number[], axis: number): [outer: number, len: number, inner: number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  return [outer, shape[axis]!, inner];
}

/** The compensated total `s + c`, or `s` alone once it is infinite or NaN (then `c` is meaningless). */
function total(s: number, c: number): number {
  return s - s === 0 ? s + c : s;
}

/**
 * Reduces `x` over `axis`; the result drops that axis. An empty sum is 0, an empty max -Infinity,
 * an empty min +Infinity; `max`/`min` propagate NaN.
 */
export function reduce(op: ReduceOp, x: FloatArray, shape: readonly number[], axis: number, dtype: DType): FloatArray {
  const [outer, len, inner] = around(shape, axis);
  const out = allocate(dtype, outer * inner);
  if (op === 'sum') {
    if (inner === 1) {
      for (let o = 0; o < outer; o++) {
        let s = 0;
        let c = 0;
        for (let i = o * len, end = i + len; i < end; i++) {
          const v = x[i]!;
          const t = s + v;
          c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
          s = t;
        }
        out[o] = total(s, c);
      }
    } else {
      const s = new Float64Array(inner);
      const c = new Float64Array(inner);
      for (let o = 0; o < outer; o++) {
        s.fill(0);
        c.fill(0);
        for (let l = 0; l < len; l++) {
          const base = (o * len + l) * inner;
          for (let j = 0; j < inner; j++) {
            const v = x[base + j]!;
            const sj = s[j]!;
            const t = sj + v;
            c[j] = c[j]! + (Math.abs(sj) >= Math.abs(v) ? sj - t + v : v - t + sj);
            s[j] = t;
          }
        }
        for (let j = 0; j < inner; j++) out[o * inner + j] = total(s[j]!, c[j]!);
      }
    }
    return out;
  }
  const isMax = op === 'max';
  if (!isMax && op !== 'min') throw new Error(`js backend: unknown reduce op ${String(op)}`);
  const init = isMax ? -Infinity : Infinity;
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(init);
    for (let l = 0; l < len; l++) {
      const base = (o * len + l) * inner;
      if (isMax) {
        for (let j = 0; j < inner; j++) {
          const v = x[base + j]!;
          if (v > acc[j]! || v !== v) acc[j] = v; // once NaN, nothing compares greater: NaN stays
        }
      } else {
        for (let j = 0; j < inner; j++) {
          const v = x[base + j]!;
          if (v < acc[j]! || v !== v) acc[j] = v;
        }
      }
    }
    out.set(acc, o * inner);
  }
  return out;
}

/**
 * Inclusive (or `exclusive`) prefix sum along `axis`, from the end when `reverse`; same shape as x.
 * Running sums are compensated, so the last inclusive entry equals `reduce('sum')` of the row.
 */
export function cumsum(
  x: FloatArray,
  shape: readonly number[],
  axis: number,
  exclusive: boolean,
  reverse: boolean,
  dtype: DType,
): FloatArray {
  const [outer, len, inner] = around(shape, axis);
  const out = allocate(dtype, x.length);
  const s = new Float64Array(inner);
  const c = new Float64Array(inner);
  const step = reverse ? -inner : inner;
  for (let o = 0; o < outer; o++) {
    s.fill(0);
    c.fill(0);
    let base = o * len * inner + (reverse ? (len - 1) * inner : 0);
    for (let l = 0; l < len; l++, base += step) {
      for (let j = 0; j < inner; j++) {
        const v = x[base + j]!;
        const sj = s[j]!;
        if (exclusive) out[base + j] = total(sj, c[j]!);
        const t = sj + v;
        c[j] = c[j]! + (Math.abs(sj) >= Math.abs(v) ? sj - t + v : v - t + sj);
        s[j] = t;
        if (!exclusive) out[base + j] = total(t, c[j]!);
      }
    }
  }
  return out;
}
