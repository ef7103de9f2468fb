/**
 * Bad use of built kernels: wrong input shapes and secondary arguments, disposed kernels, bad state
 * dicts, and sizes above the documented limits. Kernels are built on the guarded backend first;
 * the failing call itself must reach no backend method.
 */
import * as core from '@spectrans/core';
import type { ErrorCode, KernelModule, SerializedTensor, Tensor } from '@spectrans/core';
import type { CaseContext, ConformanceCase } from '../../types.js';
import { size } from '../helpers.js';

type AnyKernel = KernelModule & Record<string, unknown>;

/** A case on a kernel built by `make` (disposed afterwards); `call` gets float32 zeros of any shape. */
function onKernel(
  id: string,
  code: ErrorCode,
  make: (backend: core.Backend) => KernelModule,
  call: (k: AnyKernel, t: (shape: number[]) => Tensor, ctx: CaseContext) => () => unknown,
): ConformanceCase {
  return {
    id,
    run(ctx) {
      const kernel = make(ctx.guarded.backend) as AnyKernel;
      try {
        const t = (shape: number[]): Tensor =>
          ctx.input(new Float64Array(size(shape)), shape, { on: ctx.guarded.backend });
        ctx.expectError(code, call(kernel, t, ctx));
      } finally {
        kernel.dispose();
      }
    },
  };
}

const builders: readonly (readonly [string, (backend: core.Backend) => KernelModule])[] = [
  ['gaussian-rff', (backend) => new core.GaussianRFFKernel({ inputDim: 4, numFeatures: 8, seed: 1, backend })],
  ['laplacian-rff', (backend) => new core.LaplacianRFFKernel({ inputDim: 4, numFeatures: 8, seed: 1, backend })],
  ['orthogonal-rff', (backend) => new core.OrthogonalRandomFeatures({ inputDim: 4, numFeatures: 8, seed: 1, backend })],
  [
    'sorf',
    (backend) =>
      new core.OrthogonalRandomFeatures({ inputDim: 4, numFeatures: 8, useHadamard: true, seed: 1, backend }),
  ],
  ['rff-attention', (backend) => new core.RFFAttentionKernel({ inputDim: 4, numFeatures: 8, seed: 1, backend })],
  ['fourier-kernel', (backend) => new core.FourierKernel({ rank: 2, inputDim: 4, backend })],
  ['learnable-spectral', (backend) => new core.LearnableSpectralKernel({ rank: 2, inputDim: 4, seed: 1, backend })],
];
const functions: readonly (readonly [string, (backend: core.Backend) => KernelModule])[] = [
  ['cosine', (backend) => new core.CosineKernel({ backend })],
  ['polynomial', (backend) => new core.PolynomialKernel({ backend })],
  ['polynomial-spectral', (backend) => new core.PolynomialSpectralKernel({ rank: 2, backend })],
  ['truncated-svd', (backend) => new core.TruncatedSVDKernel({ rank: 2, backend })],
  ['gaussian-rff', (backend) => new core.GaussianRFFKernel({ inputDim: 4, numFeatures: 8, seed: 1, backend })],
  ['fourier-kernel', (backend) => new core.FourierKernel({ rank: 2, inputDim: 4, backend })],
];

/** Public methods of a kernel (sync ones; `exportStateDict` is checked on its own). */
function publicMethods(k: object): string[] {
  const internal = new Set([
    'constructor',
    'dispose',
    'setParameter',
    'adoptParameter',
    'deleteParameter',
    'param',
    'stateDictNames',
    'stateDictAliases',
    'afterLoad',
    'assertLive',
    'allocating',
    'normalizeRows',
    'profile',
    'checkDiff',
    'exactApproximation',
    'randomizedApproximation',
    'drawProjection',
    'refreshSorfMatrix',
    'sorfProject',
    'diagonalName',
    'exportStateDict',
    // Printing never throws: a disposed kernel prints as `(disposed)`.
    'toString',
    'optionNames',
  ]);
  const names = new Set<string>();
  for (
    let p = Object.getPrototypeOf(k) as object | null;
    p && p !== Object.prototype;
    p = Object.getPrototypeOf(p) as object | null
  ) {
    for (const [name, d] of Object.entries(Object.getOwnPropertyDescriptors(p)))
      if (typeof d.value === 'function' && !internal.has(name)) names.add(name);
  }
  // LearnableSpectralKernel's private `features` is internal; RFFAttentionKernel's is public.
  if (!(k instanceof core.RFFAttentionKernel) && !(k instanceof core.FourierKernel)) names.delete('features');
  return [...names].sort();
}

/** `errors/kernel-input/...`, `errors/disposed-kernel/...`, `errors/state-dict/...`, `errors/limits/...`, `errors/numeric-range/...`. */
export function kernelUsageCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  for (const [name, make] of builders) {
    const method = name === 'learnable-spectral' ? 'extractFeatures' : 'forward';
    const p = `errors/kernel-input/${name}/${method === 'forward' ? 'forward' : 'extract-features'}`;
    const call = (k: AnyKernel, x: unknown) => () => (k[method] as (x: unknown) => unknown).call(k, x);
    cases.push(
      onKernel(`${p}/wrong-last-dim`, 'ERR_SHAPE_MISMATCH', make, (k, t) => call(k, t([3, 5]))),
      onKernel(`${p}/not-a-tensor`, 'ERR_INVALID_ARGUMENT', make, (k) => call(k, [[1, 2, 3, 4]])),
      onKernel(`${p}/null`, 'ERR_INVALID_ARGUMENT', make, (k) => call(k, null)),
      onKernel(`${p}/empty`, 'ERR_INVALID_SHAPE', make, (k, t) => call(k, t([0, 4]))),
      onKernel(`${p}/scalar`, 'ERR_INVALID_SHAPE', make, (k, t) => call(k, t([]))),
      onKernel(`${p}/disposed-input`, 'ERR_DISPOSED', make, (k, t, ctx) => {
        const x = t([2, 4]);
        ctx.dispose(x);
        return call(k, x);
      }),
    );
  }
  for (const [name, make] of functions) {
    const p = `errors/kernel-input/${name}/compute`;
    cases.push(
      onKernel(`${p}/rank-1`, 'ERR_INVALID_SHAPE', make, (k, t) => {
        const a0 = t([4]);
        const a1 = t([2, 4]);
        return () => (k as unknown as core.KernelFunction).compute(a0, a1);
      }),
      onKernel(`${p}/dim-mismatch`, 'ERR_SHAPE_MISMATCH', make, (k, t) => {
        const a0 = t([3, 4]);
        const a1 = t([2, 5]);
        return () => (k as unknown as core.KernelFunction).compute(a0, a1);
      }),
      onKernel(`${p}/y-not-a-tensor`, 'ERR_INVALID_ARGUMENT', make, (k, t) => {
        const x = t([3, 4]);
        return () => (k as unknown as core.KernelFunction).compute(x, 'y' as never);
      }),
      onKernel(`${p}/is-positive-definite-eps-nan`, 'ERR_INVALID_ARGUMENT', make, (k, t) => {
        const x = t([3, 4]);
        return () => (k as unknown as core.KernelFunction).isPositiveDefinite(x, NaN);
      }),
    );
  }
  for (const name of ['gaussian', 'laplacian'] as const) {
    const make = (backend: core.Backend) =>
      name === 'gaussian'
        ? new core.GaussianRFFKernel({ inputDim: 4, numFeatures: 8, seed: 1, backend })
        : new core.LaplacianRFFKernel({ inputDim: 4, numFeatures: 8, seed: 1, backend });
    const p = `errors/kernel-input/${name}-rff`;
    cases.push(
      onKernel(`${p}/spectral-density/wrong-last-dim`, 'ERR_SHAPE_MISMATCH', make, (k, t) => {
        const a0 = t([3, 2]);
        return () => (k as unknown as core.GaussianRFFKernel).spectralDensity(a0);
      }),
      onKernel(`${p}/evaluate-difference/wrong-last-dim`, 'ERR_SHAPE_MISMATCH', make, (k, t) => {
        const a0 = t([3, 5]);
        return () => (k as unknown as core.GaussianRFFKernel).evaluateDifference(a0);
      }),
      onKernel(
        `${p}/spectral-density/not-a-tensor`,
        'ERR_INVALID_ARGUMENT',
        make,
        (k) => () => (k as unknown as core.GaussianRFFKernel).spectralDensity(42 as never),
      ),
      onKernel(`${p}/kernel-approximation/wrong-last-dim`, 'ERR_SHAPE_MISMATCH', make, (k, t) => {
        const a0 = t([3, 4]);
        const a1 = t([2, 3]);
        return () => (k as unknown as core.GaussianRFFKernel).kernelApproximation(a0, a1);
      }),
    );
  }
  const attention = (backend: core.Backend) =>
    new core.RFFAttentionKernel({ inputDim: 4, numFeatures: 8, seed: 1, backend });
  type Att = core.RFFAttentionKernel;
  cases.push(
    onKernel('errors/kernel-input/rff-attention/features/wrong-last-dim', 'ERR_SHAPE_MISMATCH', attention, (k, t) => {
      const a0 = t([2, 3]);
      return () => (k as unknown as Att).features(a0);
    }),
    onKernel(
      'errors/kernel-input/rff-attention/features/bogus-stabilizer',
      'ERR_INVALID_ARGUMENT',
      attention,
      (k, t) => {
        const x = t([2, 4]);
        return () => (k as unknown as Att).features(x, 'bogus' as never);
      },
    ),
    onKernel(
      'errors/kernel-input/rff-attention/train/not-a-boolean',
      'ERR_INVALID_ARGUMENT',
      attention,
      (k) => () => (k as unknown as Att).train('no' as never),
    ),
    onKernel(
      'errors/kernel-input/learnable-spectral/forward/y-dim-mismatch',
      'ERR_SHAPE_MISMATCH',
      (backend) => new core.LearnableSpectralKernel({ rank: 2, inputDim: 4, seed: 1, backend }),
      (k, t) => {
        const a0 = t([2, 4]);
        const a1 = t([2, 3]);
        return () => (k as unknown as core.LearnableSpectralKernel).forward(a0, a1);
      },
    ),
    onKernel(
      'errors/kernel-input/polynomial-spectral/compute-attention/dim-mismatch',
      'ERR_SHAPE_MISMATCH',
      (backend) => new core.PolynomialSpectralKernel({ rank: 2, backend }),
      (k, t) => {
        const a0 = t([2, 4]);
        const a1 = t([2, 3]);
        return () => (k as unknown as core.PolynomialSpectralKernel).computeAttention(a0, a1);
      },
    ),
  );

  // Disposed kernels: every public method raises ERR_DISPOSED.
  const all = [...builders, ...functions.filter(([n]) => !builders.some(([b]) => b === n))];
  for (const [name, make] of all) {
    cases.push({
      id: `errors/disposed-kernel/${name}`,
      async run(ctx) {
        const kernel = make(ctx.guarded.backend) as AnyKernel;
        kernel.dispose();
        const x = ctx.input(new Float64Array(8), [2, 4], { on: ctx.guarded.backend });
        for (const m of publicMethods(kernel))
          ctx.expectError('ERR_DISPOSED', () => (kernel[m] as (...a: unknown[]) => unknown).call(kernel, x, x));
        const err = await kernel.exportStateDict().then(
          () => undefined,
          (e: unknown) => e,
        );
        ctx.check(
          err instanceof core.SpectransError && err.code === 'ERR_DISPOSED',
          () => `exportStateDict of a disposed kernel gave ${String(err)}`,
        );
      },
    });
  }

  // State dicts of GaussianRFFKernel (omega (4, 8), bias (8)) and of the SORF map (aliases).
  const entry = (shape: number[], dtype: unknown = 'float32', fill: unknown = 0.5): SerializedTensor => ({
    shape,
    dtype: dtype as string,
    data: new Array(size(shape)).fill(fill),
  });
  const good = () => ({ omega: entry([4, 8]), bias: entry([8]) });
  const rff = (backend: core.Backend) => new core.GaussianRFFKernel({ inputDim: 4, numFeatures: 8, seed: 1, backend });
  const load = (dict: unknown, options?: unknown) => (k: AnyKernel) => () =>
    (k as unknown as core.GaussianRFFKernel).loadStateDict(dict as never, options as never);
  const stateCases: readonly (readonly [string, unknown, ErrorCode?, unknown?])[] = [
    ['dtype-int8', { ...good(), omega: entry([4, 8], 'int8') }],
    ['dtype-bogus', { ...good(), omega: entry([4, 8], 'bogus') }],
    ['dtype-number', { ...good(), omega: entry([4, 8], 42) }],
    ['dtype-missing', { ...good(), bias: { shape: [8], data: new Array(8).fill(0) } }],
    ['shape-negative', { ...good(), bias: { shape: [-8], dtype: 'float32', data: [] } }],
    ['shape-fraction', { ...good(), bias: { shape: [7.5], dtype: 'float32', data: [] } }],
    ['shape-huge', { ...good(), omega: { shape: [1e9, 1e9], dtype: 'float32', data: [] } }],
    ['shape-wrong', { ...good(), omega: entry([8, 4]) }],
    ['shape-not-an-array', { ...good(), omega: { shape: 32, dtype: 'float32', data: [] } }],
    ['data-too-short', { ...good(), bias: { shape: [8], dtype: 'float32', data: [1, 2] } }],
    ['data-not-numeric', { ...good(), bias: entry([8], 'float32', 'x') }],
    ['data-boolean', { ...good(), bias: entry([8], 'float32', true) }],
    ['data-null', { ...good(), bias: entry([8], 'float32', null) }],
    ['data-overflows-float32', { ...good(), omega: entry([4, 8], 'float64', 1e39) }],
    ['entry-null', { ...good(), omega: null }],
    ['entry-number', { ...good(), omega: 3 }],
    ['unexpected-key', { ...good(), extra: entry([1]) }],
    ['missing-key', { omega: entry([4, 8]) }],
    ['dict-null', null],
    ['dict-array', [entry([4, 8])]],
    ['dict-string', 'omega'],
    ['strict-not-a-boolean', good(), 'ERR_INVALID_ARGUMENT', { strict: 'yes' }],
    ['options-unknown-key', good(), 'ERR_INVALID_ARGUMENT', { strikt: false }],
  ];
  for (const [label, dict, code, options] of stateCases)
    cases.push(onKernel(`errors/state-dict/gaussian-rff/${label}`, code ?? 'ERR_STATE_DICT', rff, load(dict, options)));
  cases.push(
    onKernel(
      'errors/state-dict/sorf/alias-duplicate',
      'ERR_STATE_DICT',
      (backend) =>
        new core.OrthogonalRandomFeatures({ inputDim: 4, numFeatures: 4, useHadamard: true, seed: 1, backend }),
      load({
        diagonal_0: entry([4], 'float32', 1),
        'diagonals.0': entry([4], 'float32', -1),
        diagonal_1: entry([4]),
        diagonal_2: entry([4]),
        bias: entry([4]),
      }),
    ),
  );

  // Sizes above the documented limits: rejected at once, before any allocation.
  const build = (id: string, code: ErrorCode, make: (backend: core.Backend) => KernelModule): ConformanceCase => ({
    id,
    run(ctx) {
      ctx.expectError(code, () => make(ctx.guarded.backend).dispose());
    },
  });
  cases.push(
    build(
      'errors/limits/gaussian-rff/num-features-1e12',
      'ERR_INVALID_ARGUMENT',
      (backend) => new core.GaussianRFFKernel({ inputDim: 8, numFeatures: 1e12, backend }),
    ),
    build(
      'errors/limits/gaussian-rff/num-features-1e9',
      'ERR_INVALID_ARGUMENT',
      (backend) => new core.GaussianRFFKernel({ inputDim: 8, numFeatures: 1e9, backend }),
    ),
    build(
      'errors/limits/gaussian-rff/projection-elements',
      'ERR_INVALID_ARGUMENT',
      (backend) => new core.GaussianRFFKernel({ inputDim: 2 ** 14, numFeatures: 2 ** 14, backend }),
    ),
    build(
      'errors/limits/gaussian-rff/orthogonal-work',
      'ERR_INVALID_ARGUMENT',
      (backend) => new core.GaussianRFFKernel({ inputDim: 4096, numFeatures: 8192, orthogonal: true, backend }),
    ),
    build(
      'errors/limits/laplacian-rff/input-dim',
      'ERR_INVALID_ARGUMENT',
      (backend) => new core.LaplacianRFFKernel({ inputDim: 2 ** 25, numFeatures: 1, backend }),
    ),
    build(
      'errors/limits/orthogonal-rff/padded-width',
      'ERR_INVALID_ARGUMENT',
      (backend) =>
        new core.OrthogonalRandomFeatures({ inputDim: 2, numFeatures: 2 ** 24 + 1, useHadamard: true, backend }),
    ),
    build(
      'errors/limits/orthogonal-rff/orthogonal-work',
      'ERR_INVALID_ARGUMENT',
      (backend) => new core.OrthogonalRandomFeatures({ inputDim: 8192, numFeatures: 8192, backend }),
    ),
    build(
      'errors/limits/rff-attention/orthogonal-work',
      'ERR_INVALID_ARGUMENT',
      (backend) => new core.RFFAttentionKernel({ inputDim: 4096, numFeatures: 8192, backend }),
    ),
    build(
      'errors/limits/rff-attention/redraw-interval',
      'ERR_INVALID_ARGUMENT',
      (backend) => new core.RFFAttentionKernel({ inputDim: 2, numFeatures: 2, redrawInterval: 2 ** 40, backend }),
    ),
    build(
      'errors/limits/truncated-svd/power-iterations',
      'ERR_INVALID_ARGUMENT',
      (backend) => new core.TruncatedSVDKernel({ rank: 2, powerIterations: 1e9, backend }),
    ),
    build(
      'errors/limits/truncated-svd/oversample',
      'ERR_INVALID_ARGUMENT',
      (backend) => new core.TruncatedSVDKernel({ rank: 2, oversample: 1e9, backend }),
    ),
    build(
      'errors/limits/truncated-svd/rank',
      'ERR_INVALID_ARGUMENT',
      (backend) => new core.TruncatedSVDKernel({ rank: 2 ** 30, backend }),
    ),
    build(
      'errors/limits/learnable-spectral/eigenvectors',
      'ERR_INVALID_ARGUMENT',
      (backend) => new core.LearnableSpectralKernel({ rank: 2 ** 13, inputDim: 2 ** 14, backend }),
    ),
    build(
      'errors/limits/fourier-kernel/basis',
      'ERR_INVALID_ARGUMENT',
      (backend) => new core.FourierKernel({ rank: 5000, inputDim: 10000, backend }),
    ),
    build(
      'errors/numeric-range/gaussian-rff/sigma-1e-20',
      'ERR_INVALID_ARGUMENT',
      (backend) => new core.GaussianRFFKernel({ inputDim: 2, numFeatures: 2, sigma: 1e-20, backend }),
    ),
    build(
      'errors/numeric-range/gaussian-rff/sigma-1e30',
      'ERR_INVALID_ARGUMENT',
      (backend) => new core.GaussianRFFKernel({ inputDim: 2, numFeatures: 2, sigma: 1e30, backend }),
    ),
    build(
      'errors/numeric-range/laplacian-rff/sigma-1e-25',
      'ERR_INVALID_ARGUMENT',
      (backend) => new core.LaplacianRFFKernel({ inputDim: 2, numFeatures: 2, sigma: 1e-25, backend }),
    ),
    build(
      'errors/numeric-range/orthogonal-rff/sigma-1e-20',
      'ERR_INVALID_ARGUMENT',
      (backend) => new core.OrthogonalRandomFeatures({ inputDim: 2, numFeatures: 2, sigma: 1e-20, backend }),
    ),
    build(
      'errors/numeric-range/polynomial/alpha-overflow',
      'ERR_INVALID_ARGUMENT',
      (backend) => new core.PolynomialKernel({ alpha: 1e39, backend }),
    ),
    build(
      'errors/numeric-range/learnable-spectral/init-scale-overflow',
      'ERR_INVALID_ARGUMENT',
      (backend) => new core.LearnableSpectralKernel({ rank: 1, inputDim: 2, initScale: -1e39, backend }),
    ),
  );
  return cases;
}
