/** Building kernels by registry name: `createKernel('gaussian_rff', { inputDim, numFeatures })`. */
import { SpectransError } from '../errors.js';
import { CosineKernel, PolynomialKernel, type CosineKernelOptions, type PolynomialKernelOptions } from './basic.js';
import { RFFAttentionKernel, type RFFAttentionKernelOptions } from './rff-attention.js';
import { OrthogonalRandomFeatures, type OrthogonalRandomFeaturesOptions } from './orthogonal.js';
import { GaussianRFFKernel, LaplacianRFFKernel, type GaussianRFFKernelOptions, type RFFKernelOptions } from './rff.js';
import { FourierKernel, type FourierKernelOptions } from './fourier-kernel.js';
import { LearnableSpectralKernel, type LearnableSpectralKernelOptions } from './learnable-spectral.js';
import { PolynomialSpectralKernel, type PolynomialSpectralKernelOptions } from './polynomial-spectral.js';
import { TruncatedSVDKernel, type TruncatedSVDKernelOptions } from './truncated-svd.js';

/** Registry names and the kernel and options each builds. */
export interface KernelRegistry {
  gaussian_rff: [GaussianRFFKernel, GaussianRFFKernelOptions];
  laplacian_rff: [LaplacianRFFKernel, RFFKernelOptions];
  orthogonal_rff: [OrthogonalRandomFeatures, OrthogonalRandomFeaturesOptions];
  rff_attention: [RFFAttentionKernel, RFFAttentionKernelOptions];
  polynomial_spectral: [PolynomialSpectralKernel, PolynomialSpectralKernelOptions];
  truncated_svd: [TruncatedSVDKernel, TruncatedSVDKernelOptions];
  learnable_spectral: [LearnableSpectralKernel, LearnableSpectralKernelOptions];
  fourier_kernel: [FourierKernel, FourierKernelOptions];
  cosine: [CosineKernel, CosineKernelOptions];
  polynomial: [PolynomialKernel, PolynomialKernelOptions];
}

/** A registry name. */
export type KernelName = keyof KernelRegistry;

const constructors: { [K in KernelName]: new (options: KernelRegistry[K][1]) => KernelRegistry[K][0] } = {
  gaussian_rff: GaussianRFFKernel,
  laplacian_rff: LaplacianRFFKernel,
  orthogonal_rff: OrthogonalRandomFeatures,
  rff_attention: RFFAttentionKernel,
  polynomial_spectral: PolynomialSpectralKernel,
  truncated_svd: TruncatedSVDKernel,
  learnable_spectral: LearnableSpectralKernel,
  fourier_kernel: FourierKernel,
  cosine: CosineKernel,
  polynomial: PolynomialKernel,
};

/** Every registry name, in a stable order. */
export const KERNEL_NAMES = Object.keys(constructors) as KernelName[];

/**
 * Builds a kernel by its registry name (the reference's names, plus `cosine` and `polynomial`).
 *
 * @throws SpectransError `ERR_UNKNOWN_KERNEL` listing the available names; the kernel's own errors for bad options.
 * @example
 * ```ts
 * const k = createKernel('gaussian_rff', { inputDim: 64, numFeatures: 256, seed: 0 });
 * ```
 */
export function createKernel<K extends KernelName>(type: K, options: KernelRegistry[K][1]): KernelRegistry[K][0] {
  const ctor = Object.prototype.hasOwnProperty.call(constructors, type) ? constructors[type] : undefined;
  if (!ctor) {
    throw new SpectransError(
      'ERR_UNKNOWN_KERNEL',
      `unknown kernel ${JSON.stringify(type)}; available kernels: ${KERNEL_NAMES.join(', ')}`,
    );
  }
  return new ctor(options);
}
