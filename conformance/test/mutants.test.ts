/**
 * Mutation coverage: each mutant is backend-js with one plausible bug, and the suite must report at
 * least one failure in the group that owns it (and only there where noted).
 */
import { describe, expect, test } from 'vitest';
import type { JsHandle } from '@spectrans/backend-js';
import type { Backend, DType, FloatArray } from '@spectrans/core';
import type { TensorRef } from '@spectrans/core/backend';
import { runCases } from '../src/index.js';
import { derive } from './fixtures/broken-backends.js';

type B = Backend<JsHandle>;
type Ref = TensorRef<JsHandle>;

/** Replaces a result's data by `fn(result data, ...)`, disposing the original handle. */
function remap(base: B, h: JsHandle, shape: readonly number[], dtype: DType, fn: (d: FloatArray) => void): JsHandle {
  const d = base.readSync!({ handle: h, shape, dtype });
  base.dispose(h);
  fn(d);
  return base.fromArray(d, shape, dtype);
}

const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** float64 exp as 2^(x·log2 e) with log2 e rounded to float32: relative errors near 1e-8·|x|. */
const coarseExp = (base: B): Partial<B> => ({
  unary: (op, x) =>
    op === 'exp' && x.dtype === 'float64'
      ? remap(base, base.unary('exp', x), x.shape, x.dtype, (v) =>
          v.forEach((e, i) => (v[i] = 2 ** (Math.log(e) * Math.fround(Math.LOG2E)))),
        )
      : base.unary(op, x),
});

const MUTANTS: readonly { name: string; filter: string; build: (base: B) => Partial<B> }[] = [
  {
    name: 'where treats a NaN condition as false',
    filter: 'ops/where',
    build: (base) => ({
      where(c: Ref, a: Ref, b: Ref, out) {
        const cleaned = base.fromArray(
          Float64Array.from(c.handle.data, (v) => (Number.isNaN(v) ? 0 : v)),
          c.shape,
          'float64',
        );
        const cast = base.cast({ handle: cleaned, shape: c.shape, dtype: 'float64' }, c.dtype);
        base.dispose(cleaned);
        try {
          return base.where({ handle: cast, shape: c.shape, dtype: c.dtype }, a, b, out);
        } finally {
          base.dispose(cast);
        }
      },
    }),
  },
  {
    name: 'cumsum ignores exclusive',
    filter: 'ops/cumsum',
    build: (base) => ({ cumsum: (x, axis, _e, r) => base.cumsum(x, axis, false, r) }),
  },
  {
    name: 'cumsum ignores reverse',
    filter: 'ops/cumsum',
    build: (base) => ({ cumsum: (x, axis, e) => base.cumsum(x, axis, e, false) }),
  },
  {
    name: 'transpose reverses axes whatever the permutation',
    filter: 'ops/transpose',
    build: (base) => ({
      transpose: (x, perm) =>
        base.transpose(
          x,
          perm.map((_, i) => perm.length - 1 - i),
        ),
    }),
  },
  {
    name: 'slice ignores begin',
    filter: 'ops/slice',
    build: (base) => ({
      slice: (x, begin, s) =>
        base.slice(
          x,
          begin.map(() => 0),
          s,
        ),
    }),
  },
  {
    name: 'concat appends flat buffers whatever the axis',
    filter: 'ops/concat',
    build: (base) => ({
      concat(xs, axis, out) {
        if (axis === 0) return base.concat(xs, axis, out);
        const dtype = xs[0]!.dtype;
        const parts = xs.map((x) => Array.from(x.handle.data));
        const flat = parts.flat();
        return base.fromArray(dtype === 'float64' ? Float64Array.from(flat) : Float32Array.from(flat), out, dtype);
      },
    }),
  },
  {
    name: 'cdist sqeuclidean by the unclamped expansion |x|² + |y|² − 2x·y in the dtype',
    filter: 'ops/cdist/sqeuclidean',
    build: (base) => ({
      cdist(x, y, metric, out) {
        if (metric !== 'sqeuclidean') return base.cdist(x, y, metric, out);
        const dot = base.matmul(x, y, false, true, out);
        const d = x.shape[x.shape.length - 1]!;
        const n = x.shape[x.shape.length - 2]!;
        const m = y.shape[y.shape.length - 2]!;
        const norms = (t: Ref, rows: number): number[] =>
          Array.from({ length: size(t.shape) / Math.max(d, 1) }, (_, r) => {
            let s = 0;
            for (let k = 0; k < d; k++)
              s =
                t.dtype === 'float32'
                  ? Math.fround(s + Math.fround(t.handle.data[r * d + k]! ** 2))
                  : s + t.handle.data[r * d + k]! ** 2;
            return s;
          }).slice(0, Math.max(rows, size(t.shape) / Math.max(d, 1)));
        const nx = norms(x, n);
        const ny = norms(y, m);
        return remap(base, dot, out, x.dtype, (v) => {
          for (let i = 0; i < v.length; i++) {
            const j = i % m;
            const r = Math.floor(i / m) % n;
            const bx = Math.floor(i / (m * n)) % Math.max(1, nx.length / n);
            const by = Math.floor(i / (m * n)) % Math.max(1, ny.length / m);
            v[i] = nx[bx * n + r]! + ny[by * m + j]! - 2 * v[i]!;
          }
        });
      },
    }),
  },
  {
    name: 'fwht normalised by 1/sqrt(n)',
    filter: 'ops/fwht',
    build: (base) => ({
      fwht(x) {
        const n = x.shape[x.shape.length - 1]!;
        return remap(base, base.fwht!(x), x.shape, x.dtype, (v) => {
          for (let i = 0; i < v.length; i++) v[i] = v[i]! / Math.sqrt(n);
        });
      },
    }),
  },
  {
    name: 'qr without the sign fix (first column of Q and row of R negated)',
    filter: 'linalg/qr',
    build: (base) => ({
      linalg: {
        ...base.linalg,
        qr(x: Ref) {
          const { q, r } = base.linalg!.qr!(x);
          const m = x.shape[x.shape.length - 2]!;
          const nn = x.shape[x.shape.length - 1]!;
          const k = Math.min(m, nn);
          const batch = x.shape.slice(0, -2);
          return {
            q: remap(base, q, [...batch, m, k], x.dtype, (v) => {
              for (let i = 0; i < v.length; i += k) v[i] = -v[i]!;
            }),
            r: remap(base, r, [...batch, k, nn], x.dtype, (v) => {
              for (let b = 0; b < v.length; b += k * nn) for (let j = 0; j < nn; j++) v[b + j] = -v[b + j]!;
            }),
          };
        },
      },
    }),
  },
  {
    name: 'eigh returns eigenvalues descending',
    filter: 'linalg/eigh',
    build: (base) => ({
      linalg: {
        ...base.linalg,
        eigh(x: Ref) {
          const { values, vectors } = base.linalg!.eigh!(x);
          const n = x.shape[x.shape.length - 1]!;
          const batch = x.shape.slice(0, -2);
          return {
            values: remap(base, values, [...batch, n], x.dtype, (v) => {
              for (let b = 0; b < v.length; b += n) v.subarray(b, b + n).reverse();
            }),
            vectors: remap(base, vectors, [...batch, n, n], x.dtype, (v) => {
              for (let r = 0; r < v.length; r += n) v.subarray(r, r + n).reverse();
            }),
          };
        },
      },
    }),
  },
  {
    name: 'svd with both singular vectors of the first pair negated',
    filter: 'linalg/svd',
    build: (base) => ({
      linalg: {
        ...base.linalg,
        svd(x: Ref) {
          const { u, s, v } = base.linalg!.svd!(x);
          const m = x.shape[x.shape.length - 2]!;
          const nn = x.shape[x.shape.length - 1]!;
          const k = Math.min(m, nn);
          const batch = x.shape.slice(0, -2);
          const neg0 = (a: FloatArray): void => {
            for (let i = 0; i < a.length; i += k) a[i] = -a[i]!;
          };
          return {
            u: remap(base, u, [...batch, m, k], x.dtype, neg0),
            s,
            v: remap(base, v, [...batch, nn, k], x.dtype, neg0),
          };
        },
      },
    }),
  },
  {
    name: 'sign(0) = 1',
    filter: 'ops/sign',
    build: (base) => ({
      unary: (op, x) =>
        op === 'sign'
          ? remap(base, base.unary('sign', x), x.shape, x.dtype, (v) => v.forEach((e, i) => (v[i] = e === 0 ? 1 : e)))
          : base.unary(op, x),
    }),
  },
  {
    name: 'maximum as a > b ? a : b (drops NaN)',
    filter: 'ops/maximum',
    build: (base) => ({
      binary(op, a, b, out) {
        const h = base.binary(op, a, b, out);
        if (op !== 'maximum') return h;
        return remap(base, h, out, a.dtype, (v) => v.forEach((e, i) => (v[i] = Number.isNaN(e) ? 0 : e)));
      },
    }),
  },
  {
    name: 'binaryScalar ignores scalarFirst',
    filter: 'ops/sub',
    build: (base) => ({ binaryScalar: (op, x, s) => base.binaryScalar(op, x, s, false) }),
  },
  {
    name: 'broadcasting by modulo of the flat index',
    filter: 'ops/add/broadcast',
    build: (base) => ({
      binary(op, a, b, out) {
        const n = size(out);
        const d = new Float64Array(n);
        for (let i = 0; i < n; i++)
          d[i] = a.handle.data[i % a.handle.data.length]! + b.handle.data[i % b.handle.data.length]!;
        return op === 'add'
          ? base.fromArray(a.dtype === 'float64' ? d : Float32Array.from(d), out, a.dtype)
          : base.binary(op, a, b, out);
      },
    }),
  },
  {
    name: 'cast to float32 truncates toward zero',
    filter: 'ops/cast',
    build: (base) => ({
      cast(x, dtype) {
        if (dtype !== 'float32' || x.dtype !== 'float64') return base.cast(x, dtype);
        const d = Float32Array.from(x.handle.data, (v) => {
          const f = Math.fround(v);
          return Math.abs(f) > Math.abs(v)
            ? f > 0
              ? Math.fround(f - f * 2 ** -24)
              : Math.fround(f + Math.abs(f) * 2 ** -24)
            : f;
        });
        return base.fromArray(d, x.shape, 'float32');
      },
    }),
  },
  {
    name: 'read returns the stored array itself',
    filter: 'storage',
    build: () => ({ read: (x) => Promise.resolve(x.handle.data) }),
  },
  {
    name: 'an op that writes its result into its input',
    filter: 'ops/neg',
    build: (base) => ({
      unary(op, x) {
        const h = base.unary(op, x);
        if (op === 'neg') (x.handle.data as FloatArray).set(h.data);
        return h;
      },
    }),
  },
  {
    name: 'rffFeatures ignores scale',
    filter: 'ops/rff-features',
    build: (base) => ({ rffFeatures: (x, o, b, _s, c, out) => base.rffFeatures!(x, o, b, 1, c, out) }),
  },
  {
    name: 'matmul uses the first batch of b for every batch',
    filter: 'ops/matmul/batch-broadcast',
    build: (base) => ({
      matmul(a, b, ta, tb, out) {
        if (b.shape.length <= 2) return base.matmul(a, b, ta, tb, out);
        const [r, c] = b.shape.slice(-2) as [number, number];
        const first = base.fromArray(b.handle.data.slice(0, r * c), [r, c], b.dtype);
        try {
          return base.matmul(a, { handle: first, shape: [r, c], dtype: b.dtype }, ta, tb, out);
        } finally {
          base.dispose(first);
        }
      },
    }),
  },
  // The kernel and attention cases compose ops, so one op's bug shows in their comparisons with the
  // float64 oracle and with host references.
  {
    name: 'exp through float32 log2(e), seen by a kernel against the oracle',
    filter: 'kernels/gaussian-rff/exact',
    build: coarseExp,
  },
  {
    name: 'exp through float32 log2(e), seen by FAVOR+ against the host Performer',
    filter: 'attention/linear/favor-equals-host-performer',
    build: coarseExp,
  },
];

describe('each mutant of backend-js is caught in its group', () => {
  for (const mutant of MUTANTS) {
    test(mutant.name, async () => {
      const results = await runCases(
        { name: mutant.name, create: () => derive(mutant.name, mutant.build) },
        { filter: mutant.filter },
      );
      expect(results.length).toBeGreaterThan(0);
      const failures = results.filter((r) => r.status === 'fail');
      expect(failures.length, `no case of ${mutant.filter} failed`).toBeGreaterThan(0);
      // Caught by values, not as a side effect of a leak in the mutant itself.
      expect(failures.some((r) => !(r.message ?? '').startsWith('leak:'))).toBe(true);
      expect(
        failures.every((r) => !(r.message ?? '').includes('leak:')),
        'the mutant leaks',
      ).toBe(true);
    });
  }
});
