/**
 * `kernels/<kernel>/<statistic>`: approximation quality with fixed seeds: the Gram error shrinks like
 * 1/√D, orthogonal features beat i.i.d. ones at D = d, softmax features estimate exp(x·y) unbiased.
 */
import {
  GaussianRFFKernel,
  LaplacianRFFKernel,
  OrthogonalRandomFeatures,
  RFFAttentionKernel,
  type DType,
  type KernelFunction,
  type RandomFeatureMap,
  type Tensor,
} from '@spectrans/core';
import type { CaseContext, ConformanceCase } from '../../types.js';
import { dtypeCase, take } from '../helpers.js';
import { logLogSlope, mean, relativeFrobenius } from './convergence.js';
import { hostPoints, points } from './points.js';

/** Relative Frobenius error of a feature map's Gram approximation, one per seed (each map disposed after use). */
async function gramErrors(
  ctx: CaseContext,
  make: (seed: number) => RandomFeatureMap,
  exact: KernelFunction,
  x: Tensor,
  seeds: readonly number[],
): Promise<number[]> {
  const truth = await take(ctx, exact.gramMatrix(x));
  const errors: number[] = [];
  for (const seed of seeds) {
    const map = ctx.track(make(seed));
    errors.push(relativeFrobenius(await take(ctx, map.kernelApproximation(x, x)), truth));
    ctx.dispose(map);
  }
  return errors;
}

function slopeCase(
  name: string,
  dtype: DType,
  make: (ctx: CaseContext, D: number, seed: number) => RandomFeatureMap & KernelFunction,
): ConformanceCase {
  return dtypeCase(`kernels/${name}/error-shrinks-like-inverse-sqrt-d`, dtype, async (ctx) => {
    const x = points(ctx, [24, 4], 11, 0.6);
    const exact = ctx.track(make(ctx, 1, 0));
    const Ds = [64, 256, 1024, 4096];
    const errs: number[] = [];
    for (const D of Ds) errs.push(mean(await gramErrors(ctx, (s) => make(ctx, D, s), exact, x, [1, 2, 3, 4])));
    const fitted = logLogSlope(Ds, errs);
    ctx.check(
      fitted > -0.7 && fitted < -0.35,
      () =>
        `error slope ${fitted.toFixed(3)} over D = ${Ds.join(', ')} (errors ${errs.map((e) => e.toExponential(2)).join(', ')}); expected about -0.5`,
    );
    ctx.check(errs[errs.length - 1]! < 0.05, () => `error at D = 4096 is ${errs[errs.length - 1]}, expected < 0.05`);
  });
}

function orthogonalBeatsIidCase(variant: 'qr' | 'sorf', dtype: DType): ConformanceCase {
  return dtypeCase(`kernels/orthogonal-rff/${variant}-beats-iid-at-d-features`, dtype, async (ctx) => {
    const d = 16;
    const x = points(ctx, [16, d], 21, 0.25);
    const exact = ctx.track(
      new GaussianRFFKernel({ inputDim: d, numFeatures: 1, seed: 0, backend: ctx.backend, dtype: ctx.dtype }),
    );
    const seeds = Array.from({ length: 40 }, (_, i) => 100 + i);
    const iid = await gramErrors(
      ctx,
      (seed) => new GaussianRFFKernel({ inputDim: d, numFeatures: d, seed, backend: ctx.backend, dtype: ctx.dtype }),
      exact,
      x,
      seeds,
    );
    const orth = await gramErrors(
      ctx,
      (seed) =>
        new OrthogonalRandomFeatures({
          inputDim: d,
          numFeatures: d,
          useHadamard: variant === 'sorf',
          seed,
          backend: ctx.backend,
          dtype: ctx.dtype,
        }),
      exact,
      x,
      seeds,
    );
    const mseIid = mean(iid.map((e) => e * e));
    const mseOrth = mean(orth.map((e) => e * e));
    ctx.check(
      mseOrth < 0.8 * mseIid,
      () =>
        `${variant}: mean squared error ${mseOrth.toExponential(3)} is not below 0.8 x i.i.d.'s ${mseIid.toExponential(3)} (40 seeds, d = D = 16)`,
    );
  });
}

/** The mean of 48 softmax-feature estimates lies within 4.5 standard errors of exp(x·y). */
async function softmaxEstimatesExpDot(ctx: CaseContext): Promise<void> {
  const host = hostPoints(ctx, [6, 4], 31, 0.3);
  const x = ctx.input(host);
  const xs = host.data;
  const exact = Float64Array.from({ length: 36 }, (_, k) => {
    const i = Math.floor(k / 6);
    const j = k % 6;
    let dot = 0;
    for (let t = 0; t < 4; t++) dot += xs[i * 4 + t]! * xs[j * 4 + t]!;
    return Math.exp(dot);
  });
  const S = 48;
  const sums = new Float64Array(36);
  const squares = new Float64Array(36);
  for (let s = 0; s < S; s++) {
    const kernel = ctx.track(
      new RFFAttentionKernel({ inputDim: 4, numFeatures: 128, seed: 500 + s, backend: ctx.backend, dtype: ctx.dtype }),
    );
    const est = await take(ctx, kernel.kernelApproximation(x, x));
    ctx.dispose(kernel);
    est.forEach((v, k) => {
      sums[k]! += v;
      squares[k]! += v * v;
    });
  }
  for (let k = 0; k < 36; k++) {
    const m = sums[k]! / S;
    const sd = Math.sqrt(Math.max(squares[k]! / S - m * m, 0));
    const se = sd / Math.sqrt(S);
    ctx.check(
      Math.abs(m - exact[k]!) <= 4.5 * se + 1e-3 * exact[k]!,
      () =>
        `entry ${k}: mean estimate ${m} vs exp(x·y) = ${exact[k]} (standard error ${se.toExponential(2)}, ${S} seeds)`,
    );
  }
}

/** Every statistical case. */
export function statisticalCases(dtype: DType): ConformanceCase[] {
  return [
    slopeCase(
      'gaussian-rff',
      dtype,
      (ctx, D, seed) =>
        new GaussianRFFKernel({ inputDim: 4, numFeatures: D, sigma: 1, seed, backend: ctx.backend, dtype: ctx.dtype }),
    ),
    slopeCase(
      'laplacian-rff',
      dtype,
      (ctx, D, seed) =>
        new LaplacianRFFKernel({ inputDim: 4, numFeatures: D, sigma: 2, seed, backend: ctx.backend, dtype: ctx.dtype }),
    ),
    orthogonalBeatsIidCase('qr', dtype),
    orthogonalBeatsIidCase('sorf', dtype),
    dtypeCase('kernels/rff-attention/softmax-estimates-exp-dot-without-bias', dtype, softmaxEstimatesExpDot),
  ];
}
