/**
 * Test helpers: the two engines that install from npm, a seeded generator, plain float64 reference
 * loops (index by index, deliberately naive) and an allclose that prints the worst element.
 */
import { expect } from 'vitest';
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

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Multi-index of flat index `i` in `shape`. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length).fill(0);
  for (let a = shape.length - 1; a >= 0; a--) {
    idx[a] = i % shape[a]!;
    i = Math.floor(i / shape[a]!);
  }
  return idx;
}

/** Flat index of a multi-index. */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let f = 0;
  for (let a = 0; a < shape.length; a++) f = f * shape[a]! + idx[a]!;
  return f;
}

/** Flat index into `shape` read by output multi-index `outIdx` under broadcasting. */
export function broadcastIndex(outIdx: readonly number[], shape: readonly number[]): number {
  const lead = outIdx.length - shape.length;
  return ravel(
    shape.map((d, a) => (d === 1 ? 0 : outIdx[lead + a]!)),
    shape,
  );
}

/** NumPy broadcast of valid shapes. */
export function broadcastShape(...shapes: (readonly number[])[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  return Array.from({ length: rank }, (_, i) => {
    let d = 1;
    for (const s of shapes) {
      const v = s[s.length - rank + i] ?? 1;
      if (v !== 1) d = v;
    }
    return d;
  });
}

/** Elementwise reference with broadcasting: out[i] = fn(a[...], b[...]). */
export function broadcastRef(
  fn: (a: number, b: number) => number,
  a: ArrayLike<number>,
  aShape: number[],
  b: ArrayLike<number>,
  bShape: number[],
): { data: number[]; shape: number[] } {
  const shape = broadcastShape(aShape, bShape);
  const data = Array.from({ length: sizeOf(shape) }, (_, i) => {
    const idx = unravel(i, shape);
    return fn(a[broadcastIndex(idx, aShape)]!, b[broadcastIndex(idx, bShape)]!);
  });
  return { data, shape };
}

/** Matrix of (..., r, c) as element getter honouring a transpose of the last two axes. */
function matrixGetter(
  data: ArrayLike<number>,
  shape: number[],
  transpose: boolean,
): { rows: number; cols: number; batch: number[]; at: (b: number[], i: number, j: number) => number } {
  const r = shape[shape.length - 2]!;
  const c = shape[shape.length - 1]!;
  const batch = shape.slice(0, -2);
  return {
    rows: transpose ? c : r,
    cols: transpose ? r : c,
    batch,
    at: (bIdx, i, j) => {
      const [ri, ci] = transpose ? [j, i] : [i, j];
      const base = broadcastIndex(bIdx, batch) * r * c;
      return data[base + ri * c + ci]!;
    },
  };
}

/** Batched matmul in float64, with |A|·|B| for the error bound. */
export function matmulRef(
  a: ArrayLike<number>,
  aShape: number[],
  b: ArrayLike<number>,
  bShape: number[],
  ta = false,
  tb = false,
): { data: number[]; shape: number[]; scale: number[]; k: number } {
  const A = matrixGetter(a, aShape, ta);
  const B = matrixGetter(b, bShape, tb);
  const batch = broadcastShape(A.batch, B.batch);
  const n = A.rows;
  const m = B.cols;
  const k = A.cols;
  const data: number[] = [];
  const scale: number[] = [];
  for (let bi = 0; bi < sizeOf(batch); bi++) {
    const bIdx = unravel(bi, batch);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        let s = 0;
        let mag = 0;
        for (let p = 0; p < k; p++) {
          const t = A.at(bIdx, i, p) * B.at(bIdx, p, j);
          s += t;
          mag += Math.abs(t);
        }
        data.push(s);
        scale.push(mag);
      }
    }
  }
  return { data, shape: [...batch, n, m], scale, k };
}

/** Pairwise distances in float64. */
export function cdistRef(
  x: ArrayLike<number>,
  xShape: number[],
  y: ArrayLike<number>,
  yShape: number[],
  metric: 'sqeuclidean' | 'l1',
): { data: number[]; shape: number[]; scale: number[]; k: number } {
  const d = xShape[xShape.length - 1]!;
  const n = xShape[xShape.length - 2]!;
  const m = yShape[yShape.length - 2]!;
  const xb = xShape.slice(0, -2);
  const yb = yShape.slice(0, -2);
  const batch = broadcastShape(xb, yb);
  const data: number[] = [];
  const scale: number[] = [];
  for (let bi = 0; bi < sizeOf(batch); bi++) {
    const idx = unravel(bi, batch);
    const xo = broadcastIndex(idx, xb) * n * d;
    const yo = broadcastIndex(idx, yb) * m * d;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        let s = 0;
        let mag = 0;
        for (let p = 0; p < d; p++) {
          const u = x[xo + i * d + p]!;
          const v = y[yo + j * d + p]!;
          s += metric === 'l1' ? Math.abs(u - v) : (u - v) ** 2;
          mag += metric === 'l1' ? Math.abs(u) + Math.abs(v) : (Math.abs(u) + Math.abs(v)) ** 2;
        }
        data.push(s);
        scale.push(mag);
      }
    }
  }
  return { data, shape: [...batch, n, m], scale, k: d };
}

/** Unnormalised Walsh–Hadamard transform of each row in float64: H[i][j] = (-1)^popcount(i & j). */
export function fwhtRef(x: ArrayLike<number>, n: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < x.length / n; r++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) {
        let bits = i & j;
        let parity = 0;
        while (bits) {
          parity ^= bits & 1;
          bits >>= 1;
        }
        s += (parity ? -1 : 1) * x[r * n + j]!;
      }
      out.push(s);
    }
  }
  return out;
}

/** Tolerance of a comparison: |a - e| <= atol + rtol·|e| + perTerm·scale_i. */
export interface Tol {
  atol?: number;
  rtol?: number;
  /** Per-element absolute allowance (e.g. k·u·|A||B|). */
  allowance?: ArrayLike<number>;
}

/** Asserts elementwise closeness; NaN matches only NaN, infinities only the same infinity. */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: Tol = {},
  what = 'result',
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const atol = tol.atol ?? 0;
  const rtol = tol.rtol ?? 0;
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e) || Number.isNaN(a)) {
      if (Number.isNaN(e) !== Number.isNaN(a)) {
        worst = i;
        worstExcess = Infinity;
        break;
      }
      continue;
    }
    if (!Number.isFinite(e) || !Number.isFinite(a)) {
      if (a !== e) {
        worst = i;
        worstExcess = Infinity;
        break;
      }
      continue;
    }
    const bound = atol + rtol * Math.abs(e) + (tol.allowance ? tol.allowance[i]! : 0);
    const excess = Math.abs(a - e) - bound;
    if (excess > worstExcess || (excess > 0 && worst < 0)) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    expect.fail(
      `${what}: element ${worst}: actual ${actual[worst]}, expected ${expected[worst]}, |delta| ${Math.abs(actual[worst]! - expected[worst]!)} exceeds tolerance by ${worstExcess}`,
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
