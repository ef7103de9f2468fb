/**
 * Strided iteration: NumPy broadcasting strides, coalescing of axes that are contiguous for every
 * operand, and a row cursor that walks the outer axes while kernels loop over the innermost one.
 */
import { stridesOf } from '@spectrans/core';


/**
 * Strides of `shape` read as if broadcast to `outShape` (aligned at the trailing axis): the
 * row-major stride of each axis, or 0 where the axis is missing or of size 1.
 */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const own = stridesOf(shape);
  const out = new Array<number>(outShape.length).fill(0);
  const lead = outShape.length - shape.length;
  for (let i = 0; i < shape.length; i++) {
    out[lead + i] = shape[i] === 1 ? 0 : own[i]!;
  }
  return out;
}

/** Axes and per-operand strides after {@link coalesce}. */
export interface StridedLayout {
  /** Extents, outermost first; at least one axis (a scalar becomes `[1]`). */
  readonly dims: number[];
  /** For each operand, its stride along each axis of `dims`. */
  readonly strides: number[][];
}

/**
 * Drops axes of extent 1 and merges each axis into its inner neighbour wherever every operand steps
 * through both as through one (`stride[i] == stride[i + 1] * dims[i + 1]`), so that kernels run
 * over the longest possible innermost rows. Equal shapes collapse to one axis; so does an operand
 * broadcast from a scalar.
 */
export function coalesce(dims: readonly number[], strides: readonly (readonly number[])[]): StridedLayout {
  const keep: number[] = [];
  for (let i = 0; i < dims.length; i++) if (dims[i] !== 1) keep.push(i);
  const outDims: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (const axis of keep) {
    const d = dims[axis]!;
    const last = outDims.length - 1;
    let mergeable = last >= 0;
    if (mergeable) {
      for (let o = 0; o < strides.length; o++) {
        // the new axis is inner to the last kept one: merge when last stride == inner stride * d
        if (outStrides[o]![last]! !== strides[o]![axis]! * d) {
          mergeable = false;
          break;
        }
      }
    }
    if (mergeable) {
      outDims[last] = outDims[last]! * d;
      for (let o = 0; o < strides.length; o++) outStrides[o]![last] = strides[o]![axis]!;
    } else {
      outDims.push(d);
      for (let o = 0; o < strides.length; o++) outStrides[o]!.push(strides[o]![axis]!);
    }
  }
  if (outDims.length === 0) {
    outDims.push(1);
    for (const s of outStrides) s.push(0);
  }
  return { dims: outDims, strides: outStrides };
}

/**
 * Walks every row (all axes but the innermost) of a {@link StridedLayout}, keeping each operand's
 * offset of the row's first element in `offsets`.
 *
 * @example
 * ```ts
 * const cur = new RowCursor(layout);
 * for (let r = 0; r < cur.rows; r++, cur.next()) kernel(cur.offsets[0]!, cur.inner, ...);
 * ```
 */
export class RowCursor {
  /** Number of rows. */
  readonly rows: number;
  /** Length of each row (extent of the innermost axis). */
  readonly inner: number;
  /** Each operand's stride along the innermost axis. */
  readonly innerStrides: number[];
  /** Each operand's offset of the current row's first element. */
  readonly offsets: number[];
  readonly #dims: number[];
  readonly #strides: number[][];
  readonly #index: number[];

  constructor(layout: StridedLayout, base?: readonly number[]) {
    const rank = layout.dims.length;
    this.inner = layout.dims[rank - 1]!;
    this.#dims = layout.dims.slice(0, rank - 1);
    this.#strides = layout.strides.map((s) => s.slice(0, rank - 1));
    this.innerStrides = layout.strides.map((s) => s[rank - 1]!);
    this.offsets = layout.strides.map((_, o) => base?.[o] ?? 0);
    this.#index = new Array<number>(rank - 1).fill(0);
    let rows = 1;
    for (const d of this.#dims) rows *= d;
    this.rows = rows;
  }

  /** Advances to the next row (odometer order, last outer axis fastest). */
  next(): void {
    const dims = this.#dims;
    const index = this.#index;
    const strides = this.#strides;
    const offsets = this.offsets;
    for (let axis = dims.length - 1; axis >= 0; axis--) {
      const i = index[axis]! + 1;
      if (i < dims[axis]!) {
        index[axis] = i;
        for (let o = 0; o < offsets.length; o++) offsets[o]! += strides[o]![axis]!;
        return;
      }
      index[axis] = 0;
      for (let o = 0; o < offsets.length; o++) offsets[o]! -= strides[o]![axis]! * (dims[axis]! - 1);
    }
  }
}

/**
 * Offsets (in matrices) of each operand's matrix for every batch index of a batched matrix op:
 * `batchOffsets([2, 1], [1, 3], [2, 3])` pairs each of the 6 output matrices with its input
 * matrices under broadcasting. Returns one Int32Array per operand, of length `size(outBatch)`.
 */
export function batchOffsets(shapes: readonly (readonly number[])[], outBatch: readonly number[]): Int32Array[] {
  let count = 1;
  for (const d of outBatch) count *= d;
  const result = shapes.map(() => new Int32Array(count));
  if (count === 0) return result;
  const layout = coalesce(outBatch, shapes.map((s) => broadcastStrides(s, outBatch)));
  const cur = new RowCursor(layout);
  let b = 0;
  for (let r = 0; r < cur.rows; r++, cur.next()) {
    for (let i = 0; i < cur.inner; i++, b++) {
      for (let o = 0; o < shapes.length; o++) result[o]![b] = cur.offsets[o]! + i * cur.innerStrides[o]!;
    }
  }
  return result;
}
