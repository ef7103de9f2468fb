/** Float64 references of the layout ops: transpose, concat, slice. */
import { sizeOf, stridesOf, unravel, type HostArray } from './ndarray.js';

/** Output axis i is input axis perm[i]. */
export function transposeRef(x: HostArray, perm: readonly number[]): HostArray {
  const shape = perm.map((p) => x.shape[p]!);
  const inStrides = stridesOf(x.shape);
  const data = new Float64Array(x.data.length);
  for (let f = 0; f < data.length; f++) {
    const idx = unravel(f, shape);
    let src = 0;
    for (let i = 0; i < perm.length; i++) src += idx[i]! * inStrides[perm[i]!]!;
    data[f] = x.data[src]!;
  }
  return { data, shape };
}

/** Concatenation along `axis`. */
export function concatRef(xs: readonly HostArray[], axis: number): HostArray {
  const first = xs[0];
  if (!first) throw new RangeError('concatRef: no inputs');
  const shape = [...first.shape];
  shape[axis] = xs.reduce((s, x) => s + x.shape[axis]!, 0);
  const outer = sizeOf(first.shape.slice(0, axis));
  const inner = sizeOf(first.shape.slice(axis + 1));
  const data = new Float64Array(sizeOf(shape));
  let at = 0;
  for (let o = 0; o < outer; o++) {
    for (const x of xs) {
      const chunk = x.shape[axis]! * inner;
      data.set(x.data.subarray(o * chunk, (o + 1) * chunk), at);
      at += chunk;
    }
  }
  return { data, shape };
}

/** The block of `x` at `begin` with extent `size`. */
export function sliceRef(x: HostArray, begin: readonly number[], size: readonly number[]): HostArray {
  const inStrides = stridesOf(x.shape);
  const data = new Float64Array(sizeOf(size));
  for (let f = 0; f < data.length; f++) {
    const idx = unravel(f, size);
    let src = 0;
    for (let i = 0; i < idx.length; i++) src += (idx[i]! + begin[i]!) * inStrides[i]!;
    data[f] = x.data[src]!;
  }
  return { data, shape: [...size] };
}
