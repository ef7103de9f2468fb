/**
 * @spectrans/core: tensors, the ops contract, the backend registry, seeded random numbers, host
 * linear algebra and the kernels of spectrans.kernels.
 * @packageDocumentation
 */
export { SpectransError, type ErrorCode } from './errors.js';
export { DTYPES, type DType, type FloatArray } from './dtype.js';
export { broadcastShapes, sizeOf, type Shape } from './shape.js';
export { Tensor, liveTensorCount, type NestedArray, type RankedArray } from './tensor.js';
export { tidy, keep } from './scope.js';
// The rest of the contract, and the layout helpers, are in the backend authors' face: ./backend/index.ts.
export type {
  Backend,
  BackendCapabilities,
  DistanceMetric,
  PositiveFeatureStabilizer,
  Precision,
} from './backend/contract.js';
export {
  registerBackend,
  removeBackend,
  setBackend,
  getBackend,
  currentBackend,
  ready,
  listBackends,
  type BackendFactory,
} from './backend/registry.js';
export * from './ops/index.js';
export * from './kernels/index.js';
export { RandomGenerator } from './random/index.js';
export * as hostLinalg from './linalg/index.js';
export * from './attention/index.js';
// The documented limits; the validators themselves are in the backend authors' face.
export { LIMITS } from './limits.js';
export { DEFAULT_BACKEND_TIMEOUT_MS } from './backend/registry.js';
// Gradients: reverse-mode autodiff over the ops contract, and optimisers.
export * from './autodiff/index.js';
