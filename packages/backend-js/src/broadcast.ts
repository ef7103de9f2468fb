/**
 * Strided iteration: NumPy broadcasting strides, coalescing of axes that are contiguous for every
 * operand, and a row cursor that walks the outer axes while kernels loop over the innermost one.
 */
import { broadcastStrides, coalesceAxes, type CoalescedAxes } from '@spectrans/core/backend';

export { broadcastStrides };

/** Axes and per-operand strides after {@link coalesce}. */
export type StridedLayout = CoalescedAxes;

/**
 * {@link coalesceAxes}, keeping at least one axis (a scalar layout becomes `[1]` with stride 0), so
 * a {@link RowCursor} always has an innermost row to run over.
 */
export function coalesce(dims: readonly number[], strides: readonly (readonly number[])[]): StridedLayout {
  const layout = coalesceAxes(dims, strides);
  if (layout.dims.length > 0) return layout;
  return { dims: [1], strides: layout.strides.map(() => [0]) };
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
  const layout = coalesce(
    outBatch,
    shapes.map((s) => broadcastStrides(s, outBatch)),
  );
  const cur = new RowCursor(layout);
  let b = 0;
  for (let r = 0; r < cur.rows; r++, cur.next()) {
    for (let i = 0; i < cur.inner; i++, b++) {
      for (let o = 0; o < shapes.length; o++) result[o]![b] = cur.offsets[o]! + i * cur.innerStrides[o]!;
    }
  }
  return result;
}
