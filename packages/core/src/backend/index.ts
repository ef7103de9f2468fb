/**
 * `@spectrans/core/backend`: the face for backend authors. The ops contract (`Backend<H>` and
 * its op, handle and capability types), `optionalOpSupport`, and the layout helpers every backend
 * needs (row-major strides, broadcast strides, axis coalescing, sizes), beside the dtype and error
 * types a backend returns and throws. Applications need only `@spectrans/core`.
 *
 * @example
 * ```ts
 * import { coalesceAxes, broadcastStrides, type Backend, type TensorRef } from '@spectrans/core/backend';
 * ```
 * @packageDocumentation
 */
export * from './contract.js';
export { broadcastStrides, coalesceAxes, type CoalescedAxes } from './strides.js';
export { broadcastShapes, sizeOf, stridesOf, type Shape } from '../shape.js';
export { DTYPES, type DType, type FloatArray } from '../dtype.js';
export { SpectransError, type ErrorCode } from '../errors.js';
// Validators for backends and extensions that take options, sizes or scalars like core does.
export { checkOptions, suggestKey } from '../options.js';
export { LIMITS, checkLimit, checkTensorSize } from '../limits.js';
export { DTYPE_MAX, DTYPE_MIN_NORMAL, finiteIn, checkFiniteIn, checkScaleRange } from '../numeric-range.js';
