/**
 * Kernel-level gradients against central differences in float64: every kernel with respect to each
 * trainable parameter and to its inputs, and attention with respect to q, k and v.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  add,
  clone,
  createKernel,
  grads,
  square,
  sum,
  linearAttention,
  RFFAttentionKernel,
  softmaxAttention,
  type KernelModule,
  type KernelName,
  type Tensor,
} from '@spectrans/core';
import { errorCode } from './errors.js';
import { compareGradients, relativeError, type GradInput } from './gradcheck.js';
import { randn, useJs } from './helpers.js';

beforeAll(useJs);

type Output = 'compute' | 'forward';
const D = 4;
const configs: [string, KernelName, Record<string, unknown>, Output][] = [
  ['gaussian_rff trainable', 'gaussian_rff', { inputDim: D, numFeatures: 6, trainable: true, sigma: 1.5 }, 'forward'],
  ['gaussian_rff exact kernel', 'gaussian_rff', { inputDim: D, numFeatures: 6, sigma: 1.5 }, 'compute'],
  ['laplacian_rff exact kernel', 'laplacian_rff', { inputDim: D, numFeatures: 6, sigma: 2 }, 'compute'],
  [
    'gaussian_rff cos/sin trainable',
    'gaussian_rff',
    { inputDim: D, numFeatures: 5, trainable: true, useCosSin: true },
    'forward',
  ],
  ['laplacian_rff trainable', 'laplacian_rff', { inputDim: D, numFeatures: 6, trainable: true, sigma: 2 }, 'forward'],
  ['orthogonal_rff trainable', 'orthogonal_rff', { inputDim: D, numFeatures: 6, trainable: true }, 'forward'],
  [
    'orthogonal_rff SORF (matrix) trainable',
    'orthogonal_rff',
    { inputDim: 3, numFeatures: 4, trainable: true, useHadamard: true, sorfApply: 'matrix' },
    'forward',
  ],
  [
    'orthogonal_rff SORF (transform) trainable',
    'orthogonal_rff',
    { inputDim: 3, numFeatures: 4, trainable: true, useHadamard: true, sorfApply: 'transform' },
    'forward',
  ],
  ['rff_attention softmax', 'rff_attention', { inputDim: D, numFeatures: 6 }, 'forward'],
  ['rff_attention softmax stabilised', 'rff_attention', { inputDim: D, numFeatures: 6, stabilize: true }, 'forward'],
  ['rff_attention relu', 'rff_attention', { inputDim: D, numFeatures: 6, kernelType: 'relu' }, 'forward'],
  ['rff_attention elu', 'rff_attention', { inputDim: D, numFeatures: 6, kernelType: 'elu' }, 'forward'],
  ['cosine', 'cosine', {}, 'compute'],
  ['polynomial', 'polynomial', { degree: 3, alpha: 0.5 }, 'compute'],
  ['polynomial_spectral (norms)', 'polynomial_spectral', { rank: 2 }, 'compute'],
  ['polynomial_spectral (cosine)', 'polynomial_spectral', { rank: 2, normalization: 'cosine' }, 'compute'],
  ['learnable_spectral normalised', 'learnable_spectral', { inputDim: D, rank: 3 }, 'compute'],
  ['learnable_spectral features', 'learnable_spectral', { inputDim: D, rank: 3, normalize: false }, 'forward'],
  ['fourier_kernel', 'fourier_kernel', { inputDim: 6, rank: 3 }, 'compute'],
  ['fourier_kernel butterworth', 'fourier_kernel', { inputDim: 6, rank: 4, filterType: 'butterworth' }, 'compute'],
];

describe('kernel gradients match central differences (float64)', () => {
  it.each(configs)('%s: inputs and every trainable parameter', (_name, type, options, output) => {
    const seeded = !['cosine', 'polynomial', 'polynomial_spectral', 'fourier_kernel'].includes(type);
    const kernel = createKernel(type, {
      ...options,
      dtype: 'float64',
      ...(seeded ? { seed: 5 } : {}),
    } as never) as unknown as KernelModule & {
      compute(x: Tensor, y: Tensor): Tensor;
      forward(x: Tensor): Tensor;
    };
    const params = kernel.trainableParameters();
    const names = Object.keys(params);
    const d = (options['inputDim'] as number | undefined) ?? D;
    const inputs: GradInput[] = [
      { shape: [3, d] },
      { shape: [2, d] },
      ...names.map((n) => ({ shape: [...params[n]!.shape], values: Array.from(params[n]!.dataSync()) })),
    ];
    const f = (x: Tensor, y: Tensor, ...ps: Tensor[]): Tensor => {
      // Parameters enter as inputs: clones are recorded from them, so the kernel's gradient reaches them.
      if (names.length > 0)
        kernel.assignTrainableParameters(Object.fromEntries(names.map((n, i) => [n, clone(ps[i]!)])));
      return output === 'forward' ? kernel.forward(x) : kernel.compute(x, y);
    };
    const { analytic, numeric } = compareGradients(f, inputs, 11);
    expect(relativeError(analytic, numeric)).toBeLessThan(1e-6);
    if (output === 'compute') expect(analytic[0]!.some((v) => v !== 0)).toBe(true);
    for (let i = 2; i < analytic.length; i++) expect(analytic[i]!.some((v) => v !== 0)).toBe(true);
    kernel.dispose();
  });

  it('TruncatedSVDKernel (qr, svd) raises ERR_NOT_DIFFERENTIABLE', () => {
    const x = randn([5, 3], 1);
    const svd = createKernel('truncated_svd', { rank: 2, dtype: 'float64' });
    expect(errorCode(() => grads(() => sum1(svd.compute(x, x)), { x }))).toBe('ERR_NOT_DIFFERENTIABLE');
    for (const t of [x, svd]) t.dispose();
  });

  it.each([
    [2, 4],
    [2, 3],
    [4, 8],
  ])(
    'PolynomialSpectralKernel.computeAttention (through eigh; rank %i, d %i, the last with a 2-dimensional null space) with respect to q and k',
    (rank, d) => {
      const poly = createKernel('polynomial_spectral', { rank, dtype: 'float64' });
      const { analytic, numeric } = compareGradients(
        (q, k) => poly.computeAttention(q, k),
        [{ shape: [3, d] }, { shape: [4, d] }],
        8,
      );
      expect(relativeError(analytic, numeric)).toBeLessThan(1e-5);
      poly.dispose();
    },
  );

  it('spectralDecomposition (through eigh) of a learnable kernel, with respect to its parameters', () => {
    const k = createKernel('learnable_spectral', { inputDim: 3, rank: 2, normalize: false, seed: 4, dtype: 'float64' });
    const names = Object.keys(k.trainableParameters());
    const params = k.trainableParameters();
    const inputs: GradInput[] = [
      { shape: [5, 3] },
      ...names.map((n) => ({ shape: [...params[n]!.shape], values: Array.from(params[n]!.dataSync()) })),
    ];
    const { analytic, numeric } = compareGradients(
      (x, ...ps) => {
        k.assignTrainableParameters(Object.fromEntries(names.map((n, i) => [n, clone(ps[i]!)])));
        const { eigenvectors, eigenvalues } = k.spectralDecomposition(x);
        return add(sum(square(eigenvectors), 0), eigenvalues);
      },
      inputs,
      9,
    );
    expect(relativeError(analytic, numeric)).toBeLessThan(1e-5);
    k.dispose();
  });
});

describe('attention gradients match central differences (float64)', () => {
  const qkv: GradInput[] = [{ shape: [2, 4, 3] }, { shape: [2, 5, 3] }, { shape: [2, 5, 2] }];
  it('softmaxAttention with respect to q, k, v', () => {
    const { analytic, numeric } = compareGradients((q, k, v) => softmaxAttention(q, k, v), qkv, 4);
    expect(relativeError(analytic, numeric)).toBeLessThan(1e-6);
  });

  it.each([false, true])('linearAttention (FAVOR+, causal %s) with respect to q, k, v', (causal) => {
    const map = new RFFAttentionKernel({ inputDim: 3, numFeatures: 8, seed: 2, dtype: 'float64' });
    const shapes: GradInput[] = causal ? [{ shape: [2, 4, 3] }, { shape: [2, 4, 3] }, { shape: [2, 4, 2] }] : qkv;
    const { analytic, numeric } = compareGradients(
      (q, k, v) => linearAttention(q, k, v, { featureMap: map, causal, chunkSize: 3 }),
      shapes,
      6,
    );
    expect(relativeError(analytic, numeric)).toBeLessThan(1e-6);
    map.dispose();
  });
});

function sum1(t: Tensor): Tensor {
  return sum(t);
}
