/**
 * `kernels/<kernel>/<property>`: mathematical properties that hold on every backend: symmetric Gram
 * matrices, positive definiteness, the cosine range, positive softmax features, one shared draw
 * under `redraw`, SORF's two application paths, stabilised rows and reproducible reported seeds.
 */
import {
  GaussianRFFKernel,
  LaplacianRFFKernel,
  OrthogonalRandomFeatures,
  RFFAttentionKernel,
  createKernel,
  type Backend,
  type DType,
  type KernelFunction,
} from '@spectrans/core';
import type { CaseContext, ConformanceCase } from '../../types.js';
import { dtypeCase, expectWithin, take } from '../helpers.js';
import { CONFIG_INPUT_DIM, KERNEL_CONFIGS, buildConfig } from './configs.js';
import { points } from './points.js';
import { spectralDensityCases } from './spectral-density.js';

/** Configurations whose `compute(x, x)` is a symmetric Gram matrix. */
const SYMMETRIC: readonly string[] = [
  'gaussian-rff/exact',
  'laplacian-rff/exact',
  'cosine/add-eps',
  'polynomial/degree-3',
  'polynomial-spectral/cosine',
  'fourier-kernel/gaussian',
  'truncated-svd/raw',
];

/** The n × n transpose of a row-major matrix. */
function transposed(g: Float64Array, n: number): Float64Array {
  return Float64Array.from(g, (_, k) => g[(k % n) * n + Math.floor(k / n)]!);
}

function gramSymmetricCases(dtype: DType): ConformanceCase[] {
  return KERNEL_CONFIGS.filter((c) => SYMMETRIC.includes(c.id)).map((config) =>
    dtypeCase(`kernels/${config.id}/gram-symmetric`, dtype, async (ctx) => {
      const kernel = ctx.track(buildConfig(config, ctx.backend, dtype) as KernelFunction);
      const x = points(ctx, [7, CONFIG_INPUT_DIM], 3);
      const g = await take(ctx, kernel.gramMatrix(x));
      expectWithin(ctx, g, transposed(g, 7), ctx.tolerance('pipeline'), 'G vs Gᵀ');
    }),
  );
}

const POSITIVE_DEFINITE: readonly (readonly [string, (b: Backend, dtype: DType) => KernelFunction])[] = [
  [
    'gaussian-rff',
    (b, dtype) => new GaussianRFFKernel({ inputDim: 3, numFeatures: 8, sigma: 1, seed: 1, backend: b, dtype }),
  ],
  [
    'laplacian-rff',
    (b, dtype) => new LaplacianRFFKernel({ inputDim: 3, numFeatures: 8, sigma: 1, seed: 1, backend: b, dtype }),
  ],
  ['polynomial', (b, dtype) => createKernel('polynomial', { degree: 2, coef0: 1, backend: b, dtype })],
];

function positiveDefiniteCases(dtype: DType): ConformanceCase[] {
  return POSITIVE_DEFINITE.map(([name, make]) =>
    dtypeCase(`kernels/${name}/positive-definite`, dtype, (ctx) => {
      const kernel = ctx.track(make(ctx.backend, dtype));
      // Well separated points: a clearly PD Gram matrix. The same points twice: singular.
      const separated = ctx.input([0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2], [4, 3]);
      const duplicated = ctx.input([0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0], [4, 3]);
      ctx.check(kernel.isPositiveDefinite(separated, 1e-3), () => 'separated points: expected positive definite');
      ctx.check(
        !kernel.isPositiveDefinite(duplicated, 1e-3),
        () => 'duplicated points: expected not positive definite',
      );
    }),
  );
}

async function cosineRange(ctx: CaseContext): Promise<void> {
  const kernel = ctx.track(createKernel('cosine', { epsMode: 'clamp', backend: ctx.backend, dtype: ctx.dtype }));
  const x = points(ctx, [9, 5], 4, 3);
  const g = await take(ctx, kernel.gramMatrix(x));
  const t = ctx.tolerance('pipeline');
  const slack = t.atol + t.rtol;
  ctx.check(
    g.every((v) => v >= -1 - slack && v <= 1 + slack),
    () => 'cosine values outside [-1, 1]',
  );
  for (let i = 0; i < 9; i++)
    ctx.check(Math.abs(g[i * 9 + i]! - 1) <= slack, () => `diagonal ${i} is ${g[i * 9 + i]}, expected 1`);
}

async function softmaxFeaturesPositive(ctx: CaseContext): Promise<void> {
  const kernel = ctx.track(
    new RFFAttentionKernel({ inputDim: 8, numFeatures: 64, seed: 2, backend: ctx.backend, dtype: ctx.dtype }),
  );
  const x = points(ctx, [16, 8], 5, 1);
  const f = await take(ctx, kernel.forward(x));
  ctx.check(
    f.every((v) => v > 0),
    () => 'softmax features must be positive',
  );
}

async function redrawSharesOneDraw(ctx: CaseContext): Promise<void> {
  const kernel = ctx.track(
    new RFFAttentionKernel({
      inputDim: 4,
      numFeatures: 16,
      redraw: true,
      seed: 3,
      backend: ctx.backend,
      dtype: ctx.dtype,
    }),
  );
  const x = points(ctx, [5, 4], 6, 0.5);
  const a = await take(ctx, kernel.kernelApproximation(x, x));
  const b = await take(ctx, kernel.kernelApproximation(x, x));
  expectWithin(
    ctx,
    a,
    transposed(a, 5),
    ctx.tolerance('pipeline'),
    'φ(x)φ(x)ᵀ with redraw must be symmetric (one draw for both sides)',
  );
  ctx.check(
    a.some((v, i) => v !== b[i]),
    () => 'redraw: the second call should use a new projection',
  );
  kernel.eval();
  const c = await take(ctx, kernel.kernelApproximation(x, x));
  const d = await take(ctx, kernel.kernelApproximation(x, x));
  ctx.check(
    c.every((v, i) => v === d[i]),
    () => 'eval mode must freeze the projection',
  );
}

async function sorfMatrixEqualsTransform(ctx: CaseContext): Promise<void> {
  // The materialised SORF matrix and the fast transform apply one W: same features, also after loading diagonals.
  const make = (sorfApply: 'matrix' | 'transform', seed: number) =>
    ctx.track(
      new OrthogonalRandomFeatures({
        inputDim: 6,
        numFeatures: 20,
        useHadamard: true,
        sigma: 1.5,
        sorfApply,
        seed,
        backend: ctx.backend,
        dtype: ctx.dtype,
      }),
    );
  const matrix = make('matrix', 4);
  const transform = make('transform', 5);
  const x = points(ctx, [2, 3, 6], 14);
  transform.loadStateDict(await matrix.exportStateDict());
  expectWithin(
    ctx,
    await take(ctx, transform.forward(x)),
    await take(ctx, matrix.forward(x)),
    ctx.tolerance('pipeline'),
    'SORF features, transform vs matrix',
  );
}

async function stabilizedRowsProportional(ctx: CaseContext): Promise<void> {
  // Stabilised estimates may differ from plain ones by a factor per query row, never per key.
  const make = (stabilize: boolean) =>
    ctx.track(
      new RFFAttentionKernel({
        inputDim: 4,
        numFeatures: 64,
        stabilize,
        seed: 9,
        backend: ctx.backend,
        dtype: ctx.dtype,
      }),
    );
  const plain = make(false);
  const stable = make(true);
  const q = points(ctx, [3, 4], 12, 0.5);
  const k = points(ctx, [5, 4], 13, 0.5);
  const a = await take(ctx, plain.kernelApproximation(q, k));
  const b = await take(ctx, stable.kernelApproximation(q, k));
  const t = ctx.tolerance('pipeline');
  for (let i = 0; i < 3; i++) {
    const ratio = b[i * 5]! / a[i * 5]!;
    const row = Float64Array.from({ length: 5 }, (_, j) => b[i * 5 + j]! / ratio);
    expectWithin(
      ctx,
      row,
      a.subarray(i * 5, i * 5 + 5),
      { rtol: t.rtol * 10, atol: t.atol },
      `row ${i} of the stabilised estimate`,
    );
  }
}

async function freshSeedReproduces(ctx: CaseContext): Promise<void> {
  const a = ctx.track(new GaussianRFFKernel({ inputDim: 4, numFeatures: 8, backend: ctx.backend, dtype: ctx.dtype }));
  const b = ctx.track(
    new GaussianRFFKernel({ inputDim: 4, numFeatures: 8, seed: a.seed, backend: ctx.backend, dtype: ctx.dtype }),
  );
  ctx.check(Number.isSafeInteger(a.seed) && a.seed >= 0, () => `seed ${a.seed} is not a non-negative safe integer`);
  const pa = await a.exportStateDict();
  const pb = await b.exportStateDict();
  ctx.check(
    JSON.stringify(pa) === JSON.stringify(pb),
    () => 'a kernel built with the reported seed must have the same parameters',
  );
}

/** Every property case, spectral densities (Bochner) last. */
export function propertyCases(dtype: DType): ConformanceCase[] {
  return [
    ...gramSymmetricCases(dtype),
    ...positiveDefiniteCases(dtype),
    dtypeCase('kernels/cosine/range-and-unit-diagonal', dtype, cosineRange),
    dtypeCase('kernels/rff-attention/softmax-features-positive', dtype, softmaxFeaturesPositive),
    dtypeCase('kernels/rff-attention/redraw-shares-one-draw', dtype, redrawSharesOneDraw),
    dtypeCase('kernels/orthogonal-rff/sorf-matrix-equals-transform', dtype, sorfMatrixEqualsTransform),
    dtypeCase('kernels/rff-attention/stabilized-rows-proportional', dtype, stabilizedRowsProportional),
    dtypeCase('kernels/seed/fresh-seed-is-reported-and-reproduces', dtype, freshSeedReproduces),
    ...spectralDensityCases(dtype),
  ];
}
