/** Seeded inputs: the same numbers, uploaded to every backend. */
import { RandomGenerator, tensor, type Backend, type DType, type Tensor } from '@spectrans/core';

/** Seeds of the workloads' inputs and kernel parameters (fixed: every run and backend sees the same). */
export const SEEDS = { x: 1001, y: 1002, q: 2001, k: 2002, v: 2003, a: 3001, b: 3002, kernel: 42 } as const;

const cache = new Map<string, Float64Array>();

/** N(0, std²) values of `size` elements from the seeded Philox stream of `seed` (cached). */
export function normals(seed: number, size: number, std = 1): Float64Array {
  const key = `${seed}:${size}:${std}`;
  let v = cache.get(key);
  if (!v) {
    v = new RandomGenerator(seed).normal(size, 0, std);
    cache.set(key, v);
  }
  return v;
}

/** Forgets cached inputs (large W4 inputs live in child processes only). */
export function clearInputs(): void {
  cache.clear();
}

/** A seeded N(0, std²) tensor of `shape` on `backend`. */
export function normalTensor(
  backend: Backend,
  seed: number,
  shape: readonly number[],
  std = 1,
  dtype: DType = 'float32',
): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const host = normals(seed, size, std);
  return tensor(dtype === 'float32' ? Float32Array.from(host) : host, [...shape], dtype, { backend });
}
