/**
 * Which scalars a dtype can hold: kernels check their constants (1/σ, 1/(2σ²), α, ...) here, so a
 * value that would overflow or flush to zero in the parameters' dtype is rejected up front
 * instead of giving NaN or a constant kernel.
 */
import type { DType } from './dtype.js';
import { SpectransError } from './errors.js';
import { describe } from './shape.js';

/** Largest finite value of each dtype. */
export const DTYPE_MAX: Readonly<Record<DType, number>> = Object.freeze({
  float32: 3.4028234663852886e38,
  float64: Number.MAX_VALUE,
});
/** Smallest positive normal value of each dtype (GPUs flush smaller ones to zero). */
export const DTYPE_MIN_NORMAL: Readonly<Record<DType, number>> = Object.freeze({
  float32: 1.1754943508222875e-38,
  float64: 2.2250738585072014e-308,
});

/** True when |v| is finite in `dtype` (does not round to ±Infinity). */
export function finiteIn(v: number, dtype: DType): boolean {
  return Number.isFinite(v) && (dtype === 'float64' || Number.isFinite(Math.fround(v)));
}

/** True when v is 0 or a normal number of `dtype` (no overflow, no flush to zero). */
export function normalIn(v: number, dtype: DType): boolean {
  const a = Math.abs(v);
  return a === 0 || (a >= DTYPE_MIN_NORMAL[dtype] && finiteIn(v, dtype));
}

/**
 * Checks that `value` is finite in `dtype`.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` naming the argument, the value and the dtype's range.
 */
export function checkFiniteIn(value: number, argument: string, dtype: DType): number {
  if (!finiteIn(value, dtype)) {
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `${argument} = ${describe(value)} is not representable in ${dtype} (|value| <= ${DTYPE_MAX[dtype]})`,
    );
  }
  return value;
}

/**
 * Checks that a length scale σ keeps σ², 1/σ and 1/(2σ²) normal numbers of `dtype`.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` naming the derived constant that would overflow or vanish.
 */
export function checkScaleRange(sigma: number, argument: string, dtype: DType): number {
  const derived: readonly [string, number][] = [
    ['1/σ', 1 / sigma],
    ['σ²', sigma * sigma],
    ['1/(2σ²)', 1 / (2 * sigma * sigma)],
  ];
  for (const [name, v] of derived) {
    if (!normalIn(v, dtype) || v === 0) {
      throw new SpectransError(
        'ERR_INVALID_ARGUMENT',
        `${argument} = ${sigma} is out of range for ${dtype}: ${name} = ${v} is not a normal ${dtype} number (between ${DTYPE_MIN_NORMAL[dtype]} and ${DTYPE_MAX[dtype]})`,
      );
    }
  }
  return sigma;
}
