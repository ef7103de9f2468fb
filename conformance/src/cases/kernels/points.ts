/** Seeded point sets for the kernel and attention cases: the same values on every backend. */
import { RandomGenerator, type DType, type Tensor } from '@spectrans/core';
import type { HostArray } from '../../reference/ndarray.js';
import type { CaseContext, InputOptions } from '../../types.js';
import { size } from '../helpers.js';

/**
 * Normal values of standard deviation `scale` from core's generator with `seed`, shape (..., n, d),
 * rounded to `dtype` (default the case's): what a tensor of those points holds.
 */
export function hostPoints(
  ctx: CaseContext,
  shape: readonly number[],
  seed: number,
  scale = 1,
  dtype?: DType,
): HostArray {
  return ctx.hostInput(new RandomGenerator(seed).normal(size(shape), 0, scale), shape, dtype ?? ctx.dtype);
}

/**
 * {@link hostPoints} uploaded through the context (tracked, checked unmodified after the case), in
 * `options.dtype` (default the case's) to `options.on` (default the backend under test).
 */
export function points(
  ctx: CaseContext,
  shape: readonly number[],
  seed: number,
  scale = 1,
  options: InputOptions = {},
): Tensor {
  return ctx.input(hostPoints(ctx, shape, seed, scale, options.dtype), undefined, options);
}
