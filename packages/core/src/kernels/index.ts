export { KernelModule, parseSerialized, type ModuleOptions, type ParameterInfo, type SerializedTensor } from './module.js';
export { KernelFunction } from './kernel-function.js';
export { CosineKernel, PolynomialKernel, type CosineKernelOptions, type PolynomialKernelOptions } from './basic.js';
export { isRandomFeatureMap, type AttentionFeatureHooks, type RandomFeatureMap } from './random-feature-map.js';
export { ShiftInvariantKernel } from './shift-invariant.js';
export { GaussianRFFKernel, LaplacianRFFKernel, type GaussianRFFKernelOptions, type RFFKernelOptions } from './rff.js';
export { OrthogonalRandomFeatures, type OrthogonalRandomFeaturesOptions } from './orthogonal.js';
export { RFFAttentionKernel, type AttentionKernelType, type RFFAttentionKernelOptions } from './attention.js';
export {
  SpectralKernel,
  PolynomialSpectralKernel,
  TruncatedSVDKernel,
  LearnableSpectralKernel,
  FourierKernel,
  softmaxLastAxis,
  type SpectralKernelOptions,
  type PolynomialSpectralKernelOptions,
  type TruncatedSVDKernelOptions,
  type LearnableSpectralKernelOptions,
  type FourierKernelOptions,
} from './spectral.js';
export type { OrthogonalNorms } from './sampling.js';
export { createKernel, KERNEL_NAMES, type KernelName, type KernelRegistry } from './registry.js';

/** The reference's `KernelType` literal (a type alias only; nothing consumes it there either). */
export type KernelType = 'gaussian' | 'laplacian' | 'polynomial' | 'cosine' | 'linear';
