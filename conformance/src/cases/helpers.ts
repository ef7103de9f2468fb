/** Shared pieces of the case modules: id building, shapes, value sets. */
import type { DType } from '@spectrans/core';
import type { OptionalOpName } from '@spectrans/core/backend';
import type { HostRng } from '../host-rng.js';
import type { CaseContext, ConformanceCase } from '../types.js';

/** Builds a dtype-specific case: the id gets `/<dtype>` appended. */
export function dtypeCase(
  id: string,
  dtype: DType,
  run: (ctx: CaseContext) => void | Promise<void>,
  extra: { optionalOp?: OptionalOpName; applies?: ConformanceCase['applies'] } = {},
): ConformanceCase {
  return { id: `${id}/${dtype}`, dtype, run, ...extra };
}

/** Converts a camelCase op name to its id segment: `greaterEqual` → `greater-equal`. */
export function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** A large finite magnitude whose square overflows the dtype. */
export function big(dtype: DType): number {
  return dtype === 'float32' ? 1e30 : 1e200;
}

/** A small normal magnitude. */
export function tiny(dtype: DType): number {
  return dtype === 'float32' ? 1e-30 : 1e-200;
}

/** Edge values of a dtype: zeros, signs, large/small magnitudes, NaN and infinities. */
export function edgeValues(dtype: DType, options: { negativeZero?: boolean; large?: boolean } = {}): number[] {
  const values = [0, 1, -1, 0.5, -2.5, 3, tiny(dtype), -tiny(dtype), NaN, Infinity, -Infinity];
  if (options.large ?? true) values.push(big(dtype), -big(dtype));
  if (options.negativeZero ?? true) values.push(-0);
  return values;
}

/**
 * Two shapes that broadcast to a third, with at least one broadcast axis: `b` may be shorter and
 * either may have 1s where the other does not.
 */
export function broadcastShapes(rng: HostRng, maxRank = 4, maxSize = 4): { a: number[]; b: number[]; out: number[] } {
  for (;;) {
    const rank = rng.int(1, maxRank);
    const out = rng.shape(rank, 2, maxSize);
    const a = out.map((d) => (rng.chance(0.3) ? 1 : d));
    const dropped = rng.int(0, rank - 1);
    const b = out.slice(dropped).map((d, i) => (a[i + dropped] !== 1 && rng.chance(0.4) ? 1 : d));
    const broadcasts =
      a.some((d, i) => d !== out[i]) || b.length < out.length || b.some((d, i) => d !== out[i + dropped]);
    if (broadcasts) return rng.chance(0.5) ? { a, b, out } : { a: b, b: a, out };
  }
}

/** A random shape of rank in [minRank, maxRank] with sizes in [1, maxSize]. */
export function randomShape(rng: HostRng, minRank: number, maxRank: number, maxSize = 5): number[] {
  return rng.shape(rng.int(minRank, maxRank), 1, maxSize);
}

/** Number of elements of a shape. */
export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
