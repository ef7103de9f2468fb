/**
 * Data movement on heap views without an intermediate array: slice and concat copy contiguous runs
 * with `TypedArray.prototype.set` (a memmove) straight from source to destination views.
 */
import type { FloatArray } from '@spectrans/core/backend';

/**
 * Copies the block at `begin` of extent `size` from `src` (shape `shape`) into `dst`, row-major.
 * Trailing axes taken whole are merged into one contiguous run.
 */
export function sliceInto(
  src: FloatArray,
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  dst: FloatArray,
): void {
  const rank = shape.length;
  if (dst.length === 0) return;
  // Merge trailing axes that are taken whole into the run.
  let axis = rank - 1;
  let run = 1;
  while (axis >= 0 && begin[axis] === 0 && size[axis] === shape[axis]) run *= shape[axis--]!;
  if (axis < 0) {
    dst.set(src.subarray(0, run));
    return;
  }
  const runLen = run * size[axis]!;
  const strides = new Array<number>(rank).fill(1);
  for (let a = rank - 2; a >= 0; a--) strides[a] = strides[a + 1]! * shape[a + 1]!;
  const outer = axis; // axes [0, axis) are iterated; axis `axis` and beyond form one run per step
  const index = new Array<number>(outer).fill(0);
  let count = 1;
  for (let a = 0; a < outer; a++) count *= size[a]!;
  let o = 0;
  for (let r = 0; r < count; r++) {
    let off = begin[axis]! * strides[axis]!;
    for (let a = 0; a < outer; a++) off += (begin[a]! + index[a]!) * strides[a]!;
    dst.set(src.subarray(off, off + runLen), o);
    o += runLen;
    for (let a = outer - 1; a >= 0; a--) {
      if (++index[a]! < size[a]!) break;
      index[a] = 0;
    }
  }
}

/**
 * When a slice reads `rows` equally spaced runs (every axis before the last partial one taken
 * whole), the runs in elements: `{ rows, run, offset, stride }`; otherwise undefined.
 */
export function uniformRows(
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
): { rows: number; run: number; offset: number; stride: number } | undefined {
  let axis = shape.length - 1;
  let whole = 1;
  while (axis >= 0 && begin[axis] === 0 && size[axis] === shape[axis]) whole *= shape[axis--]!;
  if (axis < 0) return undefined;
  let rows = 1;
  for (let a = 0; a < axis; a++) {
    if (begin[a] !== 0 || size[a] !== shape[a]) return undefined;
    rows *= shape[a]!;
  }
  return { rows, run: whole * size[axis]!, offset: begin[axis]! * whole, stride: whole * shape[axis]! };
}

/** Concatenates `srcs` (shapes `shapes`) along `axis` into `dst` of shape `outShape`. */
export function concatInto(
  srcs: readonly FloatArray[],
  shapes: readonly (readonly number[])[],
  axis: number,
  outShape: readonly number[],
  dst: FloatArray,
): void {
  let outer = 1;
  for (let a = 0; a < axis; a++) outer *= outShape[a]!;
  let inner = 1;
  for (let a = axis + 1; a < outShape.length; a++) inner *= outShape[a]!;
  const chunks = shapes.map((s) => s[axis]! * inner);
  let o = 0;
  for (let r = 0; r < outer; r++)
    for (let i = 0; i < srcs.length; i++) {
      const c = chunks[i]!;
      if (c === 0) continue;
      dst.set(srcs[i]!.subarray(r * c, r * c + c), o);
      o += c;
    }
}
