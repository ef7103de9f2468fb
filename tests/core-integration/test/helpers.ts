import { createJsBackend } from '@spectrans/backend-js';
import { RandomGenerator, setBackend, tensor, type Backend, type Tensor } from '@spectrans/core';

/** A backend-js instance made current (float64 capable). */
export async function useJs(): Promise<Backend> {
  return setBackend(createJsBackend());
}

/** A float64 tensor of standard normals with the given shape. */
export function randn(shape: number[], seed: number, scale = 1): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tensor(new RandomGenerator(seed).normal(size, 0, scale), shape, 'float64');
}

/** Max |a − b|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return a.length === b.length ? m : Infinity;
}

/** Row-major host matrix product. */
export function hostMatmul(a: ArrayLike<number>, b: ArrayLike<number>, n: number, k: number, m: number): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += a[i * k + t]! * b[t * m + j]!;
      out[i * m + j] = s;
    }
  return out;
}

/** Host transpose of an (n, m) matrix. */
export function hostTranspose(a: ArrayLike<number>, n: number, m: number): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[j * n + i] = a[i * m + j]!;
  return out;
}
