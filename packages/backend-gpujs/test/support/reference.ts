/**
 * float64 reference loops for the unit tests (deliberately plain: index arithmetic by hand), a
 * seeded generator, and an allclose check that reports the worst element.
 */
import type { Precision } from '@spectrans/core';
import type { BinaryOp, ReduceOp, UnaryOp } from '@spectrans/core/backend';
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

export const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** Multi-index of flat index `i` in `shape`. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let k = shape.length - 1; k >= 0; k--) {
    idx[k] = i % shape[k]!;
    i = Math.floor(i / shape[k]!);
  }
  return idx;
}

/** Flat index of `shape` for an output multi-index under broadcasting. */
export function broadcastIndex(idx: readonly number[], shape: readonly number[]): number {
  const lead = idx.length - shape.length;
  const st = strides(shape);
  let flat = 0;
  for (let k = 0; k < shape.length; k++) flat += (shape[k] === 1 ? 0 : idx[k + lead]!) * st[k]!;
  return flat;
}

export function broadcast(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    return da === 1 ? db : da;
  });
}

export const UNARY: Readonly<Record<UnaryOp, (x: number) => number>> = {
  neg: (x) => -x,
  abs: Math.abs,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  square: (x) => x * x,
  reciprocal: (x) => 1 / x,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  relu: (x) => (Number.isNaN(x) ? x : Math.max(x, 0)),
  elu: (x) => (x > 0 ? x : Math.expm1(x)),
  sign: (x) => (Number.isNaN(x) ? x : x > 0 ? 1 : x < 0 ? -1 : 0),
};

export const BINARY: Readonly<Record<BinaryOp, (a: number, b: number) => number>> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
  equal: (a, b) => (a === b ? 1 : 0),
};

/** A reference result with, for accumulations, the magnitude Σ|terms| per element and the term count. */
export interface Ref {
  readonly data: Float64Array;
  readonly shape: number[];
  readonly scale?: Float64Array;
  readonly k?: number;
}

export function binaryRef(op: BinaryOp, a: Float64Array, aShape: number[], b: Float64Array, bShape: number[]): Ref {
  const shape = broadcast(aShape, bShape);
  const data = new Float64Array(size(shape));
  for (let i = 0; i < data.length; i++) {
    const idx = unravel(i, shape);
    data[i] = BINARY[op](a[broadcastIndex(idx, aShape)]!, b[broadcastIndex(idx, bShape)]!);
  }
  return { data, shape };
}

export function reduceRef(op: ReduceOp, x: Float64Array, shape: number[], axis: number): Ref {
  const out = shape.filter((_, i) => i !== axis);
  const data = new Float64Array(size(out)).fill(op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity);
  const scale = new Float64Array(size(out));
  const st = strides(out);
  for (let i = 0; i < x.length; i++) {
    const idx = unravel(i, shape);
    idx.splice(axis, 1);
    const o = idx.reduce((acc, c, k) => acc + c * st[k]!, 0);
    const v = x[i]!;
    scale[o]! += Math.abs(v);
    if (op === 'sum') data[o]! += v;
    else if (Number.isNaN(v) || Number.isNaN(data[o]!)) data[o] = NaN;
    else data[o] = op === 'max' ? Math.max(data[o]!, v) : Math.min(data[o]!, v);
  }
  return { data, shape: out, scale, k: shape[axis]! };
}

export function cumsumRef(x: Float64Array, shape: number[], axis: number, exclusive: boolean, reverse: boolean): Ref {
  const data = new Float64Array(x.length);
  const scale = new Float64Array(x.length);
  const n = shape[axis]!;
  const inner = size(shape.slice(axis + 1));
  const outer = size(shape.slice(0, axis));
  for (let o = 0; o < outer; o++) {
    for (let ii = 0; ii < inner; ii++) {
      let acc = 0;
      let mag = 0;
      for (let t = 0; t < n; t++) {
        const j = reverse ? n - 1 - t : t;
        const at = o * n * inner + j * inner + ii;
        if (exclusive) {
          data[at] = acc;
          scale[at] = mag;
          acc += x[at]!;
          mag += Math.abs(x[at]!);
        } else {
          acc += x[at]!;
          mag += Math.abs(x[at]!);
          data[at] = acc;
          scale[at] = mag;
        }
      }
    }
  }
  return { data, shape: [...shape], scale, k: n };
}

export function transposeRef(x: Float64Array, shape: number[], perm: number[]): Ref {
  const out = perm.map((p) => shape[p]!);
  const st = strides(shape);
  const data = new Float64Array(x.length);
  for (let i = 0; i < data.length; i++) {
    const idx = unravel(i, out);
    data[i] = x[idx.reduce((acc, c, k) => acc + c * st[perm[k]!]!, 0)]!;
  }
  return { data, shape: out };
}

export function sliceRef(x: Float64Array, shape: number[], begin: number[], extent: number[]): Ref {
  const st = strides(shape);
  const data = new Float64Array(size(extent));
  for (let i = 0; i < data.length; i++) {
    const idx = unravel(i, extent);
    data[i] = x[idx.reduce((acc, c, k) => acc + (c + begin[k]!) * st[k]!, 0)]!;
  }
  return { data, shape: [...extent] };
}

export function concatRef(xs: { data: Float64Array; shape: number[] }[], axis: number): Ref {
  const shape = [...xs[0]!.shape];
  shape[axis] = xs.reduce((n, x) => n + x.shape[axis]!, 0);
  const data = new Float64Array(size(shape));
  for (let i = 0; i < data.length; i++) {
    const idx = unravel(i, shape);
    let j = idx[axis]!;
    for (const x of xs) {
      if (j < x.shape[axis]!) {
        const local = [...idx];
        local[axis] = j;
        data[i] = x.data[local.reduce((acc, c, k) => acc + c * strides(x.shape)[k]!, 0)]!;
        break;
      }
      j -= x.shape[axis]!;
    }
  }
  return { data, shape };
}

export function matmulRef(
  a: Float64Array,
  aShape: number[],
  b: Float64Array,
  bShape: number[],
  ta: boolean,
  tb: boolean,
): Ref {
  const [ar, ac] = aShape.slice(-2) as [number, number];
  const [br, bc] = bShape.slice(-2) as [number, number];
  const n = ta ? ac : ar;
  const k = ta ? ar : ac;
  const m = tb ? br : bc;
  const batch = broadcast(aShape.slice(0, -2), bShape.slice(0, -2));
  const shape = [...batch, n, m];
  const data = new Float64Array(size(shape));
  const scale = new Float64Array(size(shape));
  for (let o = 0; o < data.length; o++) {
    const idx = unravel(o, shape);
    const bi = idx.slice(0, -2);
    const i = idx[idx.length - 2]!;
    const j = idx[idx.length - 1]!;
    const aOff = broadcastIndex(bi, aShape.slice(0, -2)) * ar * ac;
    const bOff = broadcastIndex(bi, bShape.slice(0, -2)) * br * bc;
    let acc = 0;
    let mag = 0;
    for (let q = 0; q < k; q++) {
      const av = a[aOff + (ta ? q * ac + i : i * ac + q)]!;
      const bv = b[bOff + (tb ? j * bc + q : q * bc + j)]!;
      acc += av * bv;
      mag += Math.abs(av * bv);
    }
    data[o] = acc;
    scale[o] = mag;
  }
  return { data, shape, scale, k };
}

export function cdistRef(
  x: Float64Array,
  xShape: number[],
  y: Float64Array,
  yShape: number[],
  metric: 'sqeuclidean' | 'l1',
): Ref {
  const d = xShape[xShape.length - 1]!;
  const n = xShape[xShape.length - 2]!;
  const m = yShape[yShape.length - 2]!;
  const batch = broadcast(xShape.slice(0, -2), yShape.slice(0, -2));
  const shape = [...batch, n, m];
  const data = new Float64Array(size(shape));
  const scale = new Float64Array(size(shape));
  for (let o = 0; o < data.length; o++) {
    const idx = unravel(o, shape);
    const bi = idx.slice(0, -2);
    const xo = broadcastIndex(bi, xShape.slice(0, -2)) * n * d + idx[idx.length - 2]! * d;
    const yo = broadcastIndex(bi, yShape.slice(0, -2)) * m * d + idx[idx.length - 1]! * d;
    let acc = 0;
    for (let q = 0; q < d; q++) {
      const diff = x[xo + q]! - y[yo + q]!;
      acc += metric === 'l1' ? Math.abs(diff) : diff * diff;
    }
    data[o] = acc;
    scale[o] = acc;
  }
  return { data, shape, scale, k: d };
}

export function rffRef(
  x: Float64Array,
  xShape: number[],
  omega: Float64Array,
  D: number,
  bias: Float64Array,
  scale: number,
  cosSin: boolean,
): Ref {
  const d = xShape[xShape.length - 1]!;
  const rows = x.length / d;
  const width = cosSin ? 2 * D : D;
  const data = new Float64Array(rows * width);
  const mags = new Float64Array(rows * width);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < D; j++) {
      let p = bias[j]!;
      let mag = Math.abs(p);
      for (let q = 0; q < d; q++) {
        p += x[r * d + q]! * omega[q * D + j]!;
        mag += Math.abs(x[r * d + q]! * omega[q * D + j]!);
      }
      data[r * width + j] = scale * Math.cos(p);
      mags[r * width + j] = Math.abs(scale) * mag;
      if (cosSin) {
        data[r * width + D + j] = scale * Math.sin(p);
        mags[r * width + D + j] = Math.abs(scale) * mag;
      }
    }
  }
  return { data, shape: [...xShape.slice(0, -1), width], scale: mags, k: d + 1 };
}

export function fwhtRef(x: Float64Array, shape: number[]): Ref {
  const n = shape[shape.length - 1]!;
  const data = Float64Array.from(x);
  const scale = Float64Array.from(x, Math.abs);
  for (let row = 0; row < x.length / n; row++) {
    for (let h = 1; h < n; h *= 2) {
      for (let i = 0; i < n; i += 2 * h) {
        for (let j = i; j < i + h; j++) {
          const p = row * n + j;
          const a = data[p]!;
          const b = data[p + h]!;
          data[p] = a + b;
          data[p + h] = a - b;
          const sa = scale[p]!;
          const sb = scale[p + h]!;
          scale[p] = sa + sb;
          scale[p + h] = sa + sb;
        }
      }
    }
  }
  return { data, shape: [...shape], scale, k: Math.log2(n) };
}

/** Kinds of error budget, mirroring the conformance tolerance table. */
export type Kind = 'exact' | 'arithmetic' | 'transcendental' | 'accumulate';

const TABLE: Record<Precision, Record<Kind, { atol: number; rtol: number; perTerm: number }>> = {
  ieee: {
    exact: { atol: 0, rtol: 0, perTerm: 0 },
    arithmetic: { atol: 2 ** -126, rtol: 2 ** -23, perTerm: 0 },
    transcendental: { atol: 2 ** -21, rtol: 2 ** -21, perTerm: 0 },
    accumulate: { atol: 2 ** -126, rtol: 2 ** -23, perTerm: 2 ** -23 },
  },
  reduced: {
    exact: { atol: 0, rtol: 0, perTerm: 0 },
    arithmetic: { atol: 2 ** -126, rtol: 1e-6, perTerm: 0 },
    transcendental: { atol: 1e-5, rtol: 1e-5, perTerm: 0 },
    accumulate: { atol: 2 ** -126, rtol: 1e-6, perTerm: 1e-6 },
  },
};

/**
 * Asserts `actual` matches the float64 reference rounded to float32 within the budget of `kinds`
 * at `precision`: |a − e| <= atol + rtol·|e| + perTerm·k·scale. NaN matches only NaN; infinities
 * match only the same infinity.
 */
export function expectClose(
  actual: ArrayLike<number>,
  ref: Ref,
  precision: Precision,
  kinds: Kind | Kind[],
  what = 'result',
): void {
  const list = typeof kinds === 'string' ? [kinds] : kinds;
  const tol = list.reduce(
    (t, k) => ({
      atol: t.atol + TABLE[precision][k].atol,
      rtol: t.rtol + TABLE[precision][k].rtol,
      perTerm: t.perTerm + TABLE[precision][k].perTerm,
    }),
    { atol: 0, rtol: 0, perTerm: 0 },
  );
  expect(actual.length, `${what}: length`).toBe(ref.data.length);
  let worst: { i: number; excess: number; a: number; e: number; bound: number } | undefined;
  for (let i = 0; i < ref.data.length; i++) {
    const e = Math.fround(ref.data[i]!);
    const a = actual[i]!;
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      if (!Object.is(a, e) && !(Number.isNaN(a) && Number.isNaN(e))) {
        worst = { i, excess: Infinity, a, e, bound: 0 };
        break;
      }
      continue;
    }
    const bound = tol.atol + tol.rtol * Math.abs(e) + tol.perTerm * (ref.k ?? 0) * (ref.scale?.[i] ?? 0);
    const err = Math.abs(a - e);
    if (!(err <= bound) && (!worst || err - bound > worst.excess))
      worst = { i, excess: Number.isNaN(err) ? Infinity : err - bound, a, e, bound };
  }
  if (worst) {
    expect.fail(
      `${what}: element ${worst.i} (of shape [${ref.shape.join(', ')}]) is ${worst.a}, expected ${worst.e} (|delta| ${Math.abs(worst.a - worst.e)} > ${worst.bound})`,
    );
  }
}
