/**
 * Test helpers: the two engines that install from npm, a seeded generator and an assertion on
 * conformance's allclose that prints the worst element. The float64 references come from
 * `@spectrans/conformance/reference`.
 */
import { expect } from 'vitest';
import { allclose } from '@spectrans/conformance';
import { setBackend, tensor, type Backend, type Tensor } from '@spectrans/core';
import type { Tensor as TfTensor } from '@tensorflow/tfjs-core';
import { createTfjsBackend, type TfjsEngine } from '../src/index.js';

/** Engines available from npm here (tfjs-node needs libtensorflow from outside npm). */
export const ENGINES: readonly ('cpu' | 'wasm')[] = ['cpu', 'wasm'];

const instances = new Map<TfjsEngine, Promise<Backend<TfTensor>>>();

/** One backend instance per engine for the whole test file. */
export function backendFor(engine: TfjsEngine): Promise<Backend<TfTensor>> {
  let b = instances.get(engine);
  if (!b) {
    b = createTfjsBackend({ engine });
    instances.set(engine, b);
  }
  return b;
}

/** Makes the engine's backend current in core and returns it. */
export async function useEngine(engine: TfjsEngine): Promise<Backend<TfTensor>> {
  const b = await backendFor(engine);
  await setBackend(b);
  return b;
}

/** float32 unit roundoff. */
export const U = 2 ** -24;

/** mulberry32: seeded uniforms in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `size` float32-representable uniforms in [lo, hi). */
export function uniforms(size: number, seed: number, lo = -1, hi = 1): number[] {
  const r = rng(seed);
  return Array.from({ length: size }, () => Math.fround(lo + (hi - lo) * r()));
}

/** Tolerance of a comparison: |a - e| <= atol + rtol·|e| + allowance_i. */
export interface Tol {
  atol?: number;
  rtol?: number;
  /** Per-element absolute allowance (e.g. k·u·|A||B|). */
  allowance?: ArrayLike<number>;
}

/**
 * Asserts elementwise closeness with conformance's `allclose` (the allowance is its per-element
 * `perTerm·k·s` term); NaN matches only NaN, infinities only the same infinity.
 */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: Tol = {},
  what = 'result',
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const tolerance = { atol: tol.atol ?? 0, rtol: tol.rtol ?? 0, perTerm: tol.allowance ? 1 : 0 };
  const result = allclose(actual, expected, tol.allowance ? { tolerance, k: 1, scale: tol.allowance } : { tolerance });
  const w = result.worst;
  if (!result.ok && w) {
    expect.fail(
      `${what}: element ${w.index}: actual ${w.actual}, expected ${w.expected}, |delta| ${w.delta} exceeds tolerance ${w.tolerance} (${result.mismatches} outside)`,
    );
  }
}

/** Uploads float32 data with a shape through core. */
export function t(data: ArrayLike<number>, shape: number[]): Tensor {
  return tensor(Float32Array.from(data), shape);
}

/** Reads a tensor, disposes it, returns its values. */
export async function values(x: Tensor): Promise<Float32Array> {
  const d = (await x.data()) as Float32Array;
  x.dispose();
  return d;
}

/** `v` rounded to float32, elementwise. */
export function f32(v: ArrayLike<number>): number[] {
  return Array.from(v, (x) => Math.fround(x));
}
