/** The kernel configurations conformance runs: every option combination that changes the math. */
import { createKernel, type Backend, type DType, type KernelName, type Tensor } from '@spectrans/core';

/** One kernel configuration. */
export interface KernelConfig {
  /** Id segment, e.g. `gaussian-rff/orthogonal`. */
  readonly id: string;
  readonly type: KernelName;
  readonly options: Record<string, unknown>;
  /** What is compared: the feature map, the kernel matrix, or a special method. */
  readonly output: 'forward' | 'compute' | 'computeAttention';
}

const D_IN = 8;

/** Configurations with d = 8 inputs. */
export const KERNEL_CONFIGS: readonly KernelConfig[] = [
  {
    id: 'gaussian-rff/plain',
    type: 'gaussian_rff',
    options: { inputDim: D_IN, numFeatures: 64, sigma: 1.5 },
    output: 'forward',
  },
  {
    id: 'gaussian-rff/cos-sin',
    type: 'gaussian_rff',
    options: { inputDim: D_IN, numFeatures: 32, useCosSin: true },
    output: 'forward',
  },
  {
    id: 'gaussian-rff/orthogonal',
    type: 'gaussian_rff',
    options: { inputDim: D_IN, numFeatures: 20, orthogonal: true },
    output: 'forward',
  },
  {
    id: 'gaussian-rff/orthogonal-fixed-norms',
    type: 'gaussian_rff',
    options: { inputDim: D_IN, numFeatures: 20, orthogonal: true, orthogonalNorms: 'fixed' },
    output: 'forward',
  },
  {
    id: 'gaussian-rff/exact',
    type: 'gaussian_rff',
    options: { inputDim: D_IN, numFeatures: 8, sigma: 2 },
    output: 'compute',
  },
  {
    id: 'laplacian-rff/plain',
    type: 'laplacian_rff',
    options: { inputDim: D_IN, numFeatures: 64, sigma: 2 },
    output: 'forward',
  },
  {
    id: 'laplacian-rff/cos-sin',
    type: 'laplacian_rff',
    options: { inputDim: D_IN, numFeatures: 32, useCosSin: true, sigma: 3 },
    output: 'forward',
  },
  {
    id: 'laplacian-rff/exact',
    type: 'laplacian_rff',
    options: { inputDim: D_IN, numFeatures: 8, sigma: 3 },
    output: 'compute',
  },
  { id: 'orthogonal-rff/qr', type: 'orthogonal_rff', options: { inputDim: D_IN, numFeatures: 24 }, output: 'forward' },
  {
    id: 'orthogonal-rff/sorf',
    type: 'orthogonal_rff',
    options: { inputDim: D_IN, numFeatures: 24, useHadamard: true, sorfApply: 'matrix' },
    output: 'forward',
  },
  {
    id: 'orthogonal-rff/sorf-transform',
    type: 'orthogonal_rff',
    options: { inputDim: D_IN, numFeatures: 24, useHadamard: true, sorfApply: 'transform' },
    output: 'forward',
  },
  {
    id: 'orthogonal-rff/laplacian',
    type: 'orthogonal_rff',
    options: { inputDim: D_IN, numFeatures: 24, kernelType: 'laplacian', sigma: 2 },
    output: 'forward',
  },
  {
    id: 'rff-attention/softmax',
    type: 'rff_attention',
    options: { inputDim: D_IN, numFeatures: 32 },
    output: 'forward',
  },
  {
    id: 'rff-attention/softmax-iid',
    type: 'rff_attention',
    options: { inputDim: D_IN, numFeatures: 32, useOrthogonal: false },
    output: 'forward',
  },
  {
    id: 'rff-attention/softmax-stabilized',
    type: 'rff_attention',
    options: { inputDim: D_IN, numFeatures: 32, stabilize: true },
    output: 'forward',
  },
  {
    id: 'rff-attention/relu',
    type: 'rff_attention',
    options: { inputDim: D_IN, numFeatures: 32, kernelType: 'relu' },
    output: 'forward',
  },
  {
    id: 'rff-attention/elu',
    type: 'rff_attention',
    options: { inputDim: D_IN, numFeatures: 32, kernelType: 'elu' },
    output: 'forward',
  },
  { id: 'cosine/add-eps', type: 'cosine', options: {}, output: 'compute' },
  { id: 'cosine/clamp-eps', type: 'cosine', options: { epsMode: 'clamp' }, output: 'compute' },
  { id: 'polynomial/degree-3', type: 'polynomial', options: { degree: 3, alpha: 0.5, coef0: 1 }, output: 'compute' },
  { id: 'polynomial-spectral/norms', type: 'polynomial_spectral', options: { rank: 4 }, output: 'compute' },
  {
    id: 'polynomial-spectral/cosine',
    type: 'polynomial_spectral',
    options: { rank: 4, normalization: 'cosine' },
    output: 'compute',
  },
  {
    id: 'polynomial-spectral/attention',
    type: 'polynomial_spectral',
    options: { rank: 4 },
    output: 'computeAttention',
  },
  { id: 'truncated-svd/normalized', type: 'truncated_svd', options: { rank: 3 }, output: 'compute' },
  { id: 'truncated-svd/raw', type: 'truncated_svd', options: { rank: 3, normalize: false }, output: 'compute' },
  {
    id: 'learnable-spectral/normalized',
    type: 'learnable_spectral',
    options: { inputDim: D_IN, rank: 4 },
    output: 'compute',
  },
  {
    id: 'learnable-spectral/features',
    type: 'learnable_spectral',
    options: { inputDim: D_IN, rank: 4, normalize: false },
    output: 'forward',
  },
  { id: 'fourier-kernel/gaussian', type: 'fourier_kernel', options: { inputDim: D_IN, rank: 5 }, output: 'compute' },
  {
    id: 'fourier-kernel/butterworth',
    type: 'fourier_kernel',
    options: { inputDim: D_IN, rank: 4, filterType: 'butterworth', cutoffFreq: 0.3 },
    output: 'compute',
  },
  {
    id: 'fourier-kernel/ideal',
    type: 'fourier_kernel',
    options: { inputDim: D_IN, rank: 3, filterType: 'ideal' },
    output: 'compute',
  },
];

/** The input dimension of every configuration. */
export const CONFIG_INPUT_DIM = D_IN;

/** Builds a configuration on `backend` with a fixed seed. */
export function buildConfig(
  config: KernelConfig,
  backend: Backend,
  dtype: DType,
  seed = 1234,
): ReturnType<typeof createKernel> {
  const needsSeed = !['cosine', 'polynomial', 'polynomial_spectral', 'fourier_kernel'].includes(config.type);
  return createKernel(config.type, { ...config.options, backend, dtype, ...(needsSeed ? { seed } : {}) } as never);
}

/** Evaluates a configuration's output on x (2, 6, d) and y (2, 5, d). */
export function evaluateConfig(
  config: KernelConfig,
  kernel: ReturnType<typeof createKernel>,
  x: Tensor,
  y: Tensor,
): Tensor {
  const k = kernel as unknown as {
    forward(x: Tensor): Tensor;
    compute(x: Tensor, y: Tensor): Tensor;
    computeAttention(q: Tensor, k: Tensor): Tensor;
  };
  if (config.output === 'forward') return k.forward(x);
  if (config.output === 'computeAttention') return k.computeAttention(x, y);
  return k.compute(x, y);
}
