export {
  KernelModule,
  parseSerialized,
  type ModuleOptions,
  type ParameterInfo,
  type SerializedTensor,
} from './module.js';
export { KernelFunction } from './kernel-function.js';
export { CosineKernel, PolynomialKernel, type CosineKernelOptions, type PolynomialKernelOptions } from './basic.js';
export { isRandomFeatureMap, type AttentionFeatureHooks, type RandomFeatureMap } from './random-feature-map.js';
export { ShiftInvariantKernel } from './shift-invariant.js';
export { GaussianRFFKernel, LaplacianRFFKernel, type GaussianRFFKernelOptions, type RFFKernelOptions } from './rff.js';
export { OrthogonalRandomFeatures, type OrthogonalRandomFeaturesOptions } from './orthogonal.js';
export { RFFAttentionKernel, type AttentionKernelType, type RFFAttentionKernelOptions } from './rff-attention.js';
export { SpectralKernel, type SpectralKernelOptions } from './spectral-kernel.js';
export {
  PolynomialSpectralKernel,
  softmaxLastAxis,
  type PolynomialSpectralKernelOptions,
} from './polynomial-spectral.js';
export { TruncatedSVDKernel, type TruncatedSVDKernelOptions } from './truncated-svd.js';
export { LearnableSpectralKernel, type LearnableSpectralKernelOptions } from './learnable-spectral.js';
export { FourierKernel, type FourierKernelOptions } from './fourier-kernel.js';
export type { OrthogonalNorms } from './sampling.js';
export { createKernel, KERNEL_NAMES, type KernelName, type KernelRegistry } from './registry.js';

/** The reference's `KernelType` literal (a type alias only; nothing consumes it there either). */
export type KernelType = 'gaussian' | 'laplacian' | 'polynomial' | 'cosine' | 'linear';
