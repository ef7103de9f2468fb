/**
 * Test helpers: a seeded generator, straightforward float64 reference loops (index by index, no
 * cleverness) and comparisons. The references are deliberately naive so that they check the
 * backend's blocking, coalescing and fast paths rather than repeat them. They are not taken from
 * @spectrans/conformance/reference because conformance depends on backend-js (its oracle): a dev
 * dependency back would make a workspace cycle.
 */
import { afterEach, beforeAll, expect } from 'vitest';
import { setBackend, tidy, type Backend, type DType, type FloatArray, type Tensor } from '@spectrans/core';
import { createJsBackend } from '../src/index.js';

/** Both dtypes, for `describe.each`. */
export const DTYPES_UNDER_TEST: readonly DType[] = ['float32', 'float64'];

/** mulberry32: a small seeded generator of uniforms in [0, 1). */
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

/** `size` uniforms in [lo, hi), rounded to `dtype` so references see exactly the stored values. */
export function randomData(size: number, seed: number, dtype: DType, lo = -1, hi = 1): number[] {
  const r = rng(seed);
  const out: number[] = [];
  for (let i = 0; i < size; i++) out.push(round(lo + (hi - lo) * r(), dtype));
  return out;
}

/** `v` rounded to `dtype`. */
export function round(v: number, dtype: DType): number {
  return dtype === 'float32' ? Math.fround(v) : v;
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Multi-index of flat index `i` in a row-major `shape`. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length).fill(0);
  for (let a = shape.length - 1; a >= 0; a--) {
    const d = shape[a]!;
    idx[a] = i % d;
    i = Math.floor(i / d);
  }
  return idx;
}

/** Flat row-major index of a multi-index. */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let f = 0;
  for (let a = 0; a < shape.length; a++) f = f * shape[a]! + idx[a]!;
  return f;
}

/** Flat index into `shape` of the element that output multi-index `outIdx` reads under broadcasting. */
export function broadcastIndex(outIdx: readonly number[], shape: readonly number[]): number {
  const lead = outIdx.length - shape.length;
  return ravel(
    shape.map((d, a) => (d === 1 ? 0 : outIdx[lead + a]!)),
    shape,
  );
}

/** NumPy broadcast of shapes (the tests only build valid ones). */
export function broadcastShape(...shapes: (readonly number[])[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    let d = 1;
    for (const s of shapes) {
      const v = s[s.length - rank + i] ?? 1;
      if (v !== 1) d = v;
    }
    out.push(d);
  }
  return out;
}

/** Reference elementwise binary op with broadcasting. */
export function refBroadcast(
  f: (...v: number[]) => number,
  operands: { data: readonly number[]; shape: readonly number[] }[],
): { data: number[]; shape: number[] } {
  const shape = broadcastShape(...operands.map((o) => o.shape));
  const data: number[] = [];
  for (let i = 0; i < sizeOf(shape); i++) {
    const idx = unravel(i, shape);
    data.push(f(...operands.map((o) => o.data[broadcastIndex(idx, o.shape)]!)));
  }
  return { data, shape };
}

/** Reference batched matmul (naive triple loop per batch element, double accumulation). */
export function refMatmul(
  a: readonly number[],
  aShape: readonly number[],
  b: readonly number[],
  bShape: readonly number[],
  ta: boolean,
  tb: boolean,
): { data: number[]; shape: number[] } {
  const ar = aShape[aShape.length - 2]!;
  const ac = aShape[aShape.length - 1]!;
  const br = bShape[bShape.length - 2]!;
  const bc = bShape[bShape.length - 1]!;
  const n = ta ? ac : ar;
  const k = ta ? ar : ac;
  const m = tb ? br : bc;
  const aBatch = aShape.slice(0, -2);
  const bBatch = bShape.slice(0, -2);
  const batch = broadcastShape(aBatch, bBatch);
  const data: number[] = [];
  for (let t = 0; t < sizeOf(batch); t++) {
    const idx = unravel(t, batch);
    const ao = broadcastIndex(idx, aBatch) * ar * ac;
    const bo = broadcastIndex(idx, bBatch) * br * bc;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const av = ta ? a[ao + p * ac + i]! : a[ao + i * ac + p]!;
          const bv = tb ? b[bo + j * bc + p]! : b[bo + p * bc + j]!;
          s += av * bv;
        }
        data.push(s);
      }
    }
  }
  return { data, shape: [...batch, n, m] };
}

/** Reference pairwise distances with broadcasting over the batch axes. */
export function refCdist(
  x: readonly number[],
  xShape: readonly number[],
  y: readonly number[],
  yShape: readonly number[],
  metric: 'sqeuclidean' | 'l1',
): { data: number[]; shape: number[] } {
  const n = xShape[xShape.length - 2]!;
  const m = yShape[yShape.length - 2]!;
  const d = xShape[xShape.length - 1]!;
  const xBatch = xShape.slice(0, -2);
  const yBatch = yShape.slice(0, -2);
  const batch = broadcastShape(xBatch, yBatch);
  const data: number[] = [];
  for (let t = 0; t < sizeOf(batch); t++) {
    const idx = unravel(t, batch);
    const xo = broadcastIndex(idx, xBatch) * n * d;
    const yo = broadcastIndex(idx, yBatch) * m * d;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let p = 0; p < d; p++) {
          const diff = x[xo + i * d + p]! - y[yo + j * d + p]!;
          s += metric === 'l1' ? Math.abs(diff) : diff * diff;
        }
        data.push(s);
      }
    }
  }
  return { data, shape: [...batch, n, m] };
}

/** Exact equality, element by element, treating NaN as equal to NaN and telling +0 from -0 apart only when asked. */
export function expectExact(actual: ArrayLike<number>, expected: ArrayLike<number>, what = 'values'): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e)) {
      expect(Number.isNaN(a), `${what}[${i}]: expected NaN, got ${a}`).toBe(true);
    } else if (a !== e) {
      expect.fail(`${what}[${i}]: expected ${e}, got ${a}`);
    }
  }
}

/** |actual − expected| <= atol + rtol·|expected| elementwise (NaN and infinities must match exactly). */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rtol: number,
  atol = 0,
  what = 'values',
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!Number.isFinite(e)) {
      if (Number.isNaN(e) ? !Number.isNaN(a) : a !== e) expect.fail(`${what}[${i}]: expected ${e}, got ${a}`);
      continue;
    }
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      expect.fail(`${what}[${i}]: expected ${e}, got ${a} (|diff| ${Math.abs(a - e)} > ${atol} + ${rtol}·|expected|)`);
    }
  }
}

/** The typed-array class of a dtype. */
export function arrayType(dtype: DType): typeof Float32Array | typeof Float64Array {
  return dtype === 'float32' ? Float32Array : Float64Array;
}

/** Asserts `x` is a typed array of `dtype`. */
export function expectDType(x: FloatArray, dtype: DType): void {
  expect(x).toBeInstanceOf(arrayType(dtype));
}

/** Makes a fresh backend-js current for the test file and checks after each test that no handle is left. */
export function useLeakCheckedBackend(): Backend {
  const backend = createJsBackend();
  beforeAll(async () => {
    await setBackend(backend);
  });
  afterEach(() => {
    expect(backend.memory!()).toEqual({ handles: 0, bytes: 0 });
  });
  return backend;
}

/** Runs `fn` in a tidy scope, reads its result (checking the dtype) and disposes it. */
export function run(fn: () => Tensor, dtype: DType): { data: Float32Array | Float64Array; shape: readonly number[] } {
  const t = tidy(fn);
  const data = t.dataSync();
  const shape = t.shape;
  t.dispose();
  expectDType(data, dtype);
  return { data, shape };
}
