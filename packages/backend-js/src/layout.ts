/**
 * Ops that move elements without arithmetic: transpose, concat and slice. (`reshape` shares the
 * array and lives in the backend itself.)
 */
import { sizeOf } from '@spectrans/core';
import { stridesOf } from '@spectrans/core/backend';
import type { DType, FloatArray } from '@spectrans/core';
import { coalesce, RowCursor } from './broadcast.js';
import { allocate } from './storage.js';

/** Tile edge of the blocked transpose: a 32 x 32 tile of doubles fits L1 twice over. */
const TILE = 32;

/** Copies `n` elements from `src[s]` to `dst[d]` (`set` for long runs, a loop for short ones). */
function copyRun(dst: FloatArray, d: number, src: FloatArray, s: number, n: number): void {
  if (n >= 32) {
    dst.set(src.subarray(s, s + n), d);
  } else {
    for (let i = 0; i < n; i++) dst[d + i] = src[s + i]!;
  }
}

/**
 * Permutes axes: output axis i is input axis `perm[i]`. Axes that stay adjacent are merged first;
 * a remaining swap of the two innermost axes is done in 32 x 32 tiles so that both the reads and
 * the writes stay within cache lines.
 */
export function transpose(x: FloatArray, shape: readonly number[], perm: readonly number[], dtype: DType): FloatArray {
  const outShape = perm.map((p) => shape[p]!);
  const size = sizeOf(outShape);
  const out = allocate(dtype, size);
  if (size === 0) return out;
  const inStrides = stridesOf(shape);
  const layout = coalesce(outShape, [stridesOf(outShape), perm.map((p) => inStrides[p]!)]);
  const rank = layout.dims.length;
  const srcStrides = layout.strides[1]!;
  if (srcStrides[rank - 1] === 1) {
    // innermost rows are contiguous in the input too: plain row copies
    const cur = new RowCursor(layout);
    for (let r = 0; r < cur.rows; r++, cur.next()) copyRun(out, cur.offsets[0]!, x, cur.offsets[1]!, cur.inner);
    return out;
  }
  if (rank === 1) {
    const s = srcStrides[0]!;
    for (let i = 0, j = 0; i < size; i++, j += s) out[i] = x[j]!;
    return out;
  }
  // Tile the two innermost output axes (rows r with input stride sr, columns c with input stride sc).
  const rowsN = layout.dims[rank - 2]!;
  const colsN = layout.dims[rank - 1]!;
  const sr = srcStrides[rank - 2]!;
  const sc = srcStrides[rank - 1]!;
  const outer = coalesce(layout.dims.slice(0, rank - 2), [
    layout.strides[0]!.slice(0, rank - 2),
    srcStrides.slice(0, rank - 2),
  ]);
  const cur = new RowCursor({ dims: [...outer.dims, 1], strides: outer.strides.map((s) => [...s, 0]) });
  for (let m = 0; m < cur.rows; m++, cur.next()) {
    const ob = cur.offsets[0]!;
    const ib = cur.offsets[1]!;
    for (let r0 = 0; r0 < rowsN; r0 += TILE) {
      const r1 = Math.min(r0 + TILE, rowsN);
      for (let c0 = 0; c0 < colsN; c0 += TILE) {
        const c1 = Math.min(c0 + TILE, colsN);
        for (let r = r0; r < r1; r++) {
          let o = ob + r * colsN + c0;
          let i = ib + r * sr + c0 * sc;
          for (let c = c0; c < c1; c++, o++, i += sc) out[o] = x[i]!;
        }
      }
    }
  }
  return out;
}

/** Concatenates `xs` (with shapes `shapes`) along `axis` into `outShape`. */
export function concat(
  xs: readonly FloatArray[],
  shapes: readonly (readonly number[])[],
  axis: number,
  outShape: readonly number[],
  dtype: DType,
): FloatArray {
  const out = allocate(dtype, sizeOf(outShape));
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= outShape[i]!;
  const outChunk = outer === 0 ? 0 : out.length / outer;
  let start = 0;
  for (let t = 0; t < xs.length; t++) {
    const x = xs[t]!;
    const shape = shapes[t]!;
    const chunk = outer === 0 ? 0 : sizeOf(shape) / outer;
    if (chunk > 0) {
      for (let o = 0; o < outer; o++) copyRun(out, o * outChunk + start, x, o * chunk, chunk);
    }
    start += chunk;
  }
  return out;
}

/** The block of `x` starting at `begin` with extent `size`. */
export function slice(
  x: FloatArray,
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  dtype: DType,
): FloatArray {
  const n = sizeOf(size);
  const out = allocate(dtype, n);
  if (n === 0) return out;
  const strides = stridesOf(shape);
  let base = 0;
  for (let i = 0; i < shape.length; i++) base += begin[i]! * strides[i]!;
  const layout = coalesce(size, [stridesOf(size), strides]);
  const cur = new RowCursor(layout, [0, base]);
  const s = cur.innerStrides[1]!;
  for (let r = 0; r < cur.rows; r++, cur.next()) {
    if (s === 1) {
      copyRun(out, cur.offsets[0]!, x, cur.offsets[1]!, cur.inner);
    } else {
      // only when the innermost sliced axis has extent 1 and was dropped: gather with a stride
      for (let i = 0, o = cur.offsets[0]!, j = cur.offsets[1]!; i < cur.inner; i++, o++, j += s) out[o] = x[j]!;
    }
  }
  return out;
}
