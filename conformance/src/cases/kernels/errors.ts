/**
 * `kernels/errors/<what>`: bad kernel input raises the same SpectransError code on every backend
 * (wrong d, n = 0, bad ranks, sigmas, feature counts and options, unknown names, other dtype,
 * disposed kernel).
 */
import { GaussianRFFKernel, createKernel, tidy, type DType, type Tensor } from '@spectrans/core';
import type { CaseContext, ConformanceCase } from '../../types.js';
import { dtypeCase, errorCode } from '../helpers.js';
import { points } from './points.js';

/** A small Gaussian RFF kernel of the case (tracked). */
function gaussian(ctx: CaseContext): GaussianRFFKernel {
  return ctx.track(
    new GaussianRFFKernel({ inputDim: 4, numFeatures: 8, seed: 0, backend: ctx.backend, dtype: ctx.dtype }),
  );
}

/** Points of `shape` (none when it is empty), tracked by the context. */
function pointsOf(ctx: CaseContext, shape: number[]): Tensor {
  return shape.includes(0) ? ctx.input([], shape) : points(ctx, shape, 1);
}

/** `fn` inside `tidy`, so tensors made before it fails are freed. */
function tidied(fn: () => unknown): () => undefined {
  return () =>
    tidy(() => {
      fn();
      return undefined;
    });
}

/** Name, expected code, and the call that must raise it (set up on the context; its kernels and inputs tracked). */
const CASES: readonly (readonly [string, string, (ctx: CaseContext) => () => unknown])[] = [
  [
    'wrong-input-dim',
    'ERR_SHAPE_MISMATCH',
    (ctx) => {
      const [k, x] = [gaussian(ctx), pointsOf(ctx, [3, 5])];
      return tidied(() => k.forward(x));
    },
  ],
  [
    'empty-input',
    'ERR_INVALID_SHAPE',
    (ctx) => {
      const [k, x] = [gaussian(ctx), pointsOf(ctx, [0, 4])];
      return tidied(() => k.compute(x, x));
    },
  ],
  [
    'learnable-rank-above-input-dim',
    'ERR_INVALID_ARGUMENT',
    (ctx) => () => createKernel('learnable_spectral', { inputDim: 4, rank: 5, backend: ctx.backend, dtype: ctx.dtype }),
  ],
  [
    'fourier-rank-above-bins',
    'ERR_INVALID_ARGUMENT',
    (ctx) => () => createKernel('fourier_kernel', { inputDim: 8, rank: 6, backend: ctx.backend, dtype: ctx.dtype }),
  ],
  [
    'sigma-zero',
    'ERR_INVALID_ARGUMENT',
    (ctx) => () =>
      createKernel('gaussian_rff', { inputDim: 4, numFeatures: 8, sigma: 0, backend: ctx.backend, dtype: ctx.dtype }),
  ],
  [
    'sigma-negative',
    'ERR_INVALID_ARGUMENT',
    (ctx) => () =>
      createKernel('laplacian_rff', { inputDim: 4, numFeatures: 8, sigma: -1, backend: ctx.backend, dtype: ctx.dtype }),
  ],
  [
    'num-features-zero',
    'ERR_INVALID_ARGUMENT',
    (ctx) => () =>
      createKernel('rff_attention', { inputDim: 4, numFeatures: 0, backend: ctx.backend, dtype: ctx.dtype }),
  ],
  [
    'num-features-fractional',
    'ERR_INVALID_ARGUMENT',
    (ctx) => () =>
      createKernel('orthogonal_rff', { inputDim: 4, numFeatures: 2.5, backend: ctx.backend, dtype: ctx.dtype }),
  ],
  [
    'degree-non-integer',
    'ERR_INVALID_ARGUMENT',
    (ctx) => () => createKernel('polynomial', { degree: 2.5, backend: ctx.backend, dtype: ctx.dtype }),
  ],
  [
    'nan-option',
    'ERR_INVALID_ARGUMENT',
    (ctx) => () => createKernel('polynomial_spectral', { rank: 2, alpha: NaN, backend: ctx.backend, dtype: ctx.dtype }),
  ],
  [
    'unknown-kernel',
    'ERR_UNKNOWN_KERNEL',
    (ctx) => () => createKernel('gaussian' as never, { backend: ctx.backend } as never),
  ],
  [
    'unknown-kernel-type',
    'ERR_INVALID_ARGUMENT',
    (ctx) => () =>
      createKernel('rff_attention', {
        inputDim: 4,
        numFeatures: 4,
        kernelType: 'gelu' as never,
        backend: ctx.backend,
        dtype: ctx.dtype,
      }),
  ],
  [
    'unknown-filter-type',
    'ERR_INVALID_ARGUMENT',
    (ctx) => () =>
      createKernel('fourier_kernel', {
        inputDim: 8,
        rank: 2,
        filterType: 'box' as never,
        backend: ctx.backend,
        dtype: ctx.dtype,
      }),
  ],
  [
    'sorf-laplacian',
    'ERR_INVALID_ARGUMENT',
    (ctx) => () =>
      createKernel('orthogonal_rff', {
        inputDim: 4,
        numFeatures: 4,
        kernelType: 'laplacian',
        useHadamard: true,
        backend: ctx.backend,
        dtype: ctx.dtype,
      }),
  ],
  [
    'disposed-kernel',
    'ERR_DISPOSED',
    (ctx) => {
      const x = pointsOf(ctx, [3, 4]);
      const k = gaussian(ctx);
      k.dispose();
      return tidied(() => k.forward(x));
    },
  ],
];

/** Where the backend has both dtypes, mixing them names the kernel; where it has one, asking for the other fails up front. */
function otherDTypeCase(dtype: DType): ConformanceCase {
  return dtypeCase('kernels/errors/other-dtype', dtype, (ctx) => {
    const other = dtype === 'float32' ? 'float64' : 'float32';
    const supported = ctx.backend.capabilities.dtypes[other] !== undefined;
    let got: string;
    if (supported) {
      const [k, x] = [gaussian(ctx), points(ctx, [3, 4], 1, 1, { dtype: other })];
      got = errorCode(tidied(() => k.forward(x)));
    } else {
      got = errorCode(() => new GaussianRFFKernel({ inputDim: 4, numFeatures: 8, dtype: other, backend: ctx.backend }));
    }
    const want = supported ? 'ERR_DTYPE_MISMATCH' : 'ERR_UNSUPPORTED_DTYPE';
    ctx.check(got === want, () => `expected ${want}, got ${got}`);
  });
}

/** Every kernel error case. */
export function kernelErrorCases(dtype: DType): ConformanceCase[] {
  return [
    ...CASES.map(([name, code, setup]) =>
      dtypeCase(`kernels/errors/${name}`, dtype, (ctx) => {
        const got = errorCode(setup(ctx));
        ctx.check(got === code, () => `expected ${code}, got ${got}`);
      }),
    ),
    otherDTypeCase(dtype),
  ];
}
