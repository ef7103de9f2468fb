/**
 * `@spectrans/conformance/reference`: the float64 host references the suite checks every op
 * against, for a backend's own unit tests. Each takes and returns {@link HostArray}s (row-major
 * float64 data with a shape); the accumulating ones also return the magnitude of the summed terms
 * and their count ({@link AccumulatedRef}), which `allclose` and `toleranceFor` of
 * `@spectrans/conformance` turn into the suite's error bound.
 *
 * @example
 * ```ts
 * import { allclose, roundAllTo, toleranceFor } from '@spectrans/conformance';
 * import { hostArray, matmulRef } from '@spectrans/conformance/reference';
 *
 * const ref = matmulRef(hostArray(a, [5, 7]), hostArray(b, [7, 3]), false, false);
 * const spec = { tolerance: toleranceFor('float32', 'ieee', 'accumulate'), k: ref.k, scale: ref.scale };
 * allclose(await product.data(), roundAllTo('float32', ref.data), spec).ok; // true
 * ```
 * @packageDocumentation
 */
export {
  broadcastIndex,
  broadcastShape,
  formatShape,
  hostArray,
  sizeOf,
  stridesOf,
  unravel,
  type HostArray,
} from './ndarray.js';
export {
  BINARY_KIND,
  BINARY_OPS,
  BINARY_REFERENCE,
  UNARY_KIND,
  UNARY_OPS,
  UNARY_REFERENCE,
  binaryRef,
  binaryScalarRef,
  unaryRef,
  whereRef,
} from './elementwise.js';
export { concatRef, sliceRef, transposeRef } from './layout.js';
export { cdistRef, expCdistRef, fwhtRef, matmulRef, positiveFeaturesRef, rffFeaturesRef } from './linear.js';
export { cumsumRef, reduceRef, type AccumulatedRef } from './reduce.js';
export { logLinearAttentionGradRef, logLinearAttentionRef, type LogAttentionGrads } from './attention.js';
