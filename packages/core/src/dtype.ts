import { SpectransError } from './errors.js';

/** Element types a tensor can hold. float32 is always available; float64 where a backend declares it. */
export type DType = 'float32' | 'float64';

/** The typed array that stores elements of either dtype. */
export type FloatArray = Float32Array | Float64Array;

/** Every dtype, in a stable order. */
export const DTYPES: readonly DType[] = ['float32', 'float64'];

/** Throws `ERR_INVALID_ARGUMENT` unless `dtype` names a known dtype. */
export function assertDType(dtype: unknown, argument: string): asserts dtype is DType {
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `${argument} must be 'float32' or 'float64', got ${JSON.stringify(dtype)}`,
    );
  }
}

/** A new zero-filled array of `size` elements of `dtype`. */
export function allocate(dtype: DType, size: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

/** Copies `data` into a new array of `dtype` (rounding to float32 when asked). */
export function toTypedArray(data: ArrayLike<number>, dtype: DType): FloatArray {
  return dtype === 'float64' ? Float64Array.from(data) : Float32Array.from(data);
}

/** Bytes per element of `dtype`. */
export function bytesPerElement(dtype: DType): number {
  return dtype === 'float64' ? 8 : 4;
}
