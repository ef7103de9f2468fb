/** Row-major float64 arrays on the host: the form every reference result takes. */
import { sizeOf, stridesOf } from '@spectrans/core/backend';

// Sizes and row-major strides are core's (backend authors use the same two).
export { sizeOf, stridesOf };

/** A host array: float64 data with its shape, row-major. */
export interface HostArray {
  readonly data: Float64Array;
  readonly shape: readonly number[];
}

/** The multi-index of flat index `flat` in `shape`. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    idx[i] = d === 0 ? 0 : flat % d;
    flat = d === 0 ? 0 : Math.floor(flat / d);
  }
  return idx;
}

/** NumPy broadcast of two shapes (the caller guarantees they broadcast). */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1)
      throw new RangeError(`broadcastShape: [${a.join(', ')}] and [${b.join(', ')}]`);
    out.push(da === 1 ? db : da);
  }
  return out;
}

/**
 * For each flat index of `outShape`, the flat index of the element of an array of shape `inShape`
 * that broadcasting maps to it.
 */
export function broadcastIndex(inShape: readonly number[], outShape: readonly number[]): Int32Array {
  const n = sizeOf(outShape);
  const map = new Int32Array(n);
  const inStrides = stridesOf(inShape);
  const offset = outShape.length - inShape.length;
  for (let f = 0; f < n; f++) {
    const idx = unravel(f, outShape);
    let src = 0;
    for (let i = 0; i < inShape.length; i++) {
      if (inShape[i]! !== 1) src += idx[i + offset]! * inStrides[i]!;
    }
    map[f] = src;
  }
  return map;
}

/** A host array of `data` (copied to float64) with `shape`. */
export function hostArray(data: ArrayLike<number>, shape: readonly number[]): HostArray {
  return { data: Float64Array.from(data), shape: [...shape] };
}

/** Formats a shape as `[2, 3]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
