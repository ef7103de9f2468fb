/** Cases of qr, eigh and svd, native or through core's float64 host fallback, checked by invariants. */
import { eigh, qr, svd, type DType } from '@spectrans/core';
import type { CaseContext, ConformanceCase } from '../../types.js';
import { dtypeCase, size } from '../helpers.js';
import { needsNativeOrReadSync } from '../ops/features.js';
import {
  checkColumnSigns,
  checkOrder,
  checkOrthonormalColumns,
  checkResidual,
  decompositionBound,
  frobenius,
  lowRank,
  matmulHost,
  randomSymmetric,
  symmetricWithSpectrum,
  transposeHost,
} from './invariants.js';

/** Splits a batch of row-major matrices. */
function matrices(data: Float64Array, count: number): Float64Array[] {
  const step = data.length / Math.max(count, 1);
  return Array.from({ length: count }, (_, b) => data.subarray(b * step, (b + 1) * step));
}

async function checkQr(ctx: CaseContext, shape: number[], values: ArrayLike<number>): Promise<void> {
  const [m, n] = shape.slice(-2) as [number, number];
  const k = Math.min(m, n);
  const count = size(shape.slice(0, -2));
  const a = ctx.hostInput(values, shape);
  const out = ctx.track(qr(ctx.input(a)));
  const q = await ctx.read(out.q, 'q');
  const r = await ctx.read(out.r, 'r');
  ctx.check(
    out.q.shape.join() === [...shape.slice(0, -2), m, k].join() &&
      out.r.shape.join() === [...shape.slice(0, -2), k, n].join(),
    () => `qr shapes q [${out.q.shape.join(', ')}], r [${out.r.shape.join(', ')}]`,
  );
  const bound = decompositionBound(ctx, Math.max(m, n));
  const as = matrices(a.data, count);
  const qs = matrices(q, count);
  const rs = matrices(r, count);
  for (let b = 0; b < count; b++) {
    const qb = qs[b]!;
    const rb = rs[b]!;
    const norm = frobenius(as[b]!);
    checkResidual(ctx, matmulHost(qb, rb, m, k, n), as[b]!, bound, `qr batch ${b}: ‖QR − A‖/‖A‖`);
    checkOrthonormalColumns(ctx, qb, m, k, bound, `qr batch ${b}: Q`);
    for (let i = 0; i < k; i++) {
      ctx.check(
        rb[i * n + i]! >= -bound * norm,
        () => `qr batch ${b}: R[${i}, ${i}] = ${rb[i * n + i]} is negative; the convention is diag(R) >= 0`,
      );
      for (let j = 0; j < Math.min(i, n); j++) {
        ctx.check(
          Math.abs(rb[i * n + j]!) <= bound * norm,
          () => `qr batch ${b}: R is not upper triangular: R[${i}, ${j}] = ${rb[i * n + j]}`,
        );
      }
    }
  }
}

/** `linalg/qr/{square,tall,wide,batched,rank-deficient,column}/<dtype>`. */
export function qrCases(dtype: DType): ConformanceCase[] {
  const extra = { optionalOp: 'linalg/qr' as const, applies: needsNativeOrReadSync('linalg/qr') };
  const random = (name: string, shape: number[]): ConformanceCase =>
    dtypeCase(`linalg/qr/${name}`, dtype, (ctx) => checkQr(ctx, shape, ctx.rng.normals(size(shape))), extra);
  return [
    random('square', [6, 6]),
    random('tall', [9, 4]),
    random('wide', [3, 7]),
    random('batched', [2, 3, 5, 4]),
    random('column', [5, 1]),
    dtypeCase('linalg/qr/rank-deficient', dtype, (ctx) => checkQr(ctx, [7, 5], lowRank(ctx, 7, 5, 2)), extra),
  ];
}

async function checkEigh(ctx: CaseContext, shape: number[], values: ArrayLike<number>): Promise<void> {
  const n = shape[shape.length - 1]!;
  const count = size(shape.slice(0, -2));
  const a = ctx.hostInput(values, shape);
  const out = ctx.track(eigh(ctx.input(a)));
  const lam = await ctx.read(out.values, 'values');
  const vec = await ctx.read(out.vectors, 'vectors');
  const bound = decompositionBound(ctx, n);
  const as = matrices(a.data, count);
  const ls = matrices(lam, count);
  const vs = matrices(vec, count);
  for (let b = 0; b < count; b++) {
    const v = vs[b]!;
    const l = ls[b]!;
    const norm = frobenius(as[b]!);
    const vl = v.map((x, idx) => x * l[idx % n]!);
    checkResidual(
      ctx,
      matmulHost(vl, transposeHost(v, n, n), n, n, n),
      as[b]!,
      bound,
      `eigh batch ${b}: ‖V Λ Vᵀ − A‖/‖A‖`,
    );
    checkOrthonormalColumns(ctx, v, n, n, bound, `eigh batch ${b}: V`);
    checkOrder(ctx, l, 'ascending', bound * norm, `eigh batch ${b}: eigenvalues`);
    checkColumnSigns(ctx, v, n, n, bound, `eigh batch ${b}: eigenvectors`);
  }
}

/** `linalg/eigh/{random,batched,repeated-eigenvalues,diagonal,indefinite}/<dtype>`. */
export function eighCases(dtype: DType): ConformanceCase[] {
  const extra = { optionalOp: 'linalg/eigh' as const, applies: needsNativeOrReadSync('linalg/eigh') };
  return [
    dtypeCase('linalg/eigh/random', dtype, (ctx) => checkEigh(ctx, [7, 7], randomSymmetric(ctx, 7)), extra),
    dtypeCase(
      'linalg/eigh/batched',
      dtype,
      (ctx) => {
        const data = [...randomSymmetric(ctx, 4), ...randomSymmetric(ctx, 4), ...randomSymmetric(ctx, 4)];
        return checkEigh(ctx, [3, 1, 4, 4], data);
      },
      extra,
    ),
    dtypeCase(
      'linalg/eigh/repeated-eigenvalues',
      dtype,
      (ctx) => checkEigh(ctx, [5, 5], symmetricWithSpectrum(ctx, [2, -1, 2, 2, 5])),
      extra,
    ),
    dtypeCase(
      'linalg/eigh/diagonal',
      dtype,
      (ctx) => {
        const n = 6;
        const d = ctx.rng.permutation(n).map((i) => i - 2.5);
        return checkEigh(
          ctx,
          [n, n],
          Array.from({ length: n * n }, (_, i) => (Math.floor(i / n) === i % n ? d[i % n]! : 0)),
        );
      },
      extra,
    ),
    dtypeCase('linalg/eigh/one-by-one', dtype, (ctx) => checkEigh(ctx, [2, 1, 1], [-3, 4]), extra),
  ];
}

async function checkSvd(ctx: CaseContext, shape: number[], values: ArrayLike<number>): Promise<void> {
  const [m, n] = shape.slice(-2) as [number, number];
  const k = Math.min(m, n);
  const count = size(shape.slice(0, -2));
  const a = ctx.hostInput(values, shape);
  const out = ctx.track(svd(ctx.input(a)));
  const u = await ctx.read(out.u, 'u');
  const s = await ctx.read(out.s, 's');
  const v = await ctx.read(out.v, 'v');
  const bound = decompositionBound(ctx, Math.max(m, n));
  const as = matrices(a.data, count);
  const us = matrices(u, count);
  const ss = matrices(s, count);
  const vs = matrices(v, count);
  for (let b = 0; b < count; b++) {
    const ub = us[b]!;
    const sb = ss[b]!;
    const vb = vs[b]!;
    const norm = frobenius(as[b]!);
    const us_ = ub.map((x, idx) => x * sb[idx % k]!);
    checkResidual(
      ctx,
      matmulHost(us_, transposeHost(vb, n, k), m, k, n),
      as[b]!,
      bound,
      `svd batch ${b}: ‖U S Vᵀ − A‖/‖A‖`,
    );
    checkOrthonormalColumns(ctx, ub, m, k, bound, `svd batch ${b}: U`);
    checkOrthonormalColumns(ctx, vb, n, k, bound, `svd batch ${b}: V`);
    checkOrder(ctx, sb, 'descending', bound * norm, `svd batch ${b}: singular values`);
    for (let i = 0; i < k; i++)
      ctx.check(sb[i]! >= -bound * norm, () => `svd batch ${b}: singular value ${i} = ${sb[i]} is negative`);
    checkColumnSigns(ctx, vb, n, k, bound, `svd batch ${b}: V`);
  }
}

/** `linalg/svd/{square,tall,wide,batched,rank-deficient,large-magnitude}/<dtype>`. */
export function svdCases(dtype: DType): ConformanceCase[] {
  const extra = { optionalOp: 'linalg/svd' as const, applies: needsNativeOrReadSync('linalg/svd') };
  const random = (name: string, shape: number[]): ConformanceCase =>
    dtypeCase(`linalg/svd/${name}`, dtype, (ctx) => checkSvd(ctx, shape, ctx.rng.normals(size(shape))), extra);
  return [
    random('square', [6, 6]),
    random('tall', [8, 3]),
    random('wide', [3, 8]),
    random('batched', [2, 2, 4, 5]),
    dtypeCase('linalg/svd/rank-deficient', dtype, (ctx) => checkSvd(ctx, [7, 5], lowRank(ctx, 7, 5, 2)), extra),
    dtypeCase(
      'linalg/svd/large-magnitude',
      dtype,
      (ctx) => {
        const scale = dtype === 'float32' ? 1e15 : 1e100;
        return checkSvd(
          ctx,
          [5, 4],
          ctx.rng.normals(20).map((x) => x * scale),
        );
      },
      extra,
    ),
  ];
}
