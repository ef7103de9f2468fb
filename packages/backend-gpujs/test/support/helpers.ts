/**
 * Test data and the comparison of this package's unit tests. The float64 references themselves
 * come from `@spectrans/conformance/reference`, the tolerance table and allclose from
 * `@spectrans/conformance`: one definition of each for the suite and these tests.
 */
import type { Precision } from '@spectrans/core';
import { allclose, roundAllTo, toleranceFor, type ToleranceKind } from '@spectrans/conformance';
import { formatShape } from '@spectrans/conformance/reference';
import { expect } from 'vitest';

/** Mulberry32: a small seeded generator for test data. */
export function rng(seed: number): {
  uniform(lo?: number, hi?: number): number;
  normal(): number;
  int(lo: number, hi: number): number;
} {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    uniform: (lo = 0, hi = 1) => lo + (hi - lo) * next(),
    normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
  };
}

/** `n` float32-representable values from `gen`. */
export function values(n: number, gen: () => number): Float64Array {
  return Float64Array.from({ length: n }, () => Math.fround(gen()));
}

/** A float64 reference result; accumulations add Σ|terms| per element (`scale`) and the term count `k`. */
export interface Ref {
  readonly data: Float64Array;
  readonly shape: readonly number[];
  readonly scale?: ArrayLike<number>;
  readonly k?: number;
}

/**
 * Asserts `actual` matches the float64 reference rounded to float32 within the conformance
 * tolerance of `kinds` at `precision` (float32 is the only dtype of this backend).
 */
export function expectClose(
  actual: ArrayLike<number>,
  ref: Ref,
  precision: Precision,
  kinds: ToleranceKind | ToleranceKind[],
  what = 'result',
): void {
  expect(actual.length, `${what}: length`).toBe(ref.data.length);
  const tolerance = toleranceFor('float32', precision, kinds);
  const spec = ref.scale ? { tolerance, k: ref.k ?? 1, scale: ref.scale } : { tolerance };
  const result = allclose(actual, roundAllTo('float32', ref.data), spec);
  const w = result.worst;
  if (!result.ok && w) {
    expect.fail(
      `${what}: element ${w.index} (of shape ${formatShape(ref.shape)}) is ${w.actual}, expected ${w.expected} (|delta| ${w.delta} > ${w.tolerance}; ${result.mismatches} outside)`,
    );
  }
}
