/** Shared pieces of the case modules: id building, shapes, value sets, reads and comparisons. */
import { SpectransError, type DType, type Tensor } from '@spectrans/core';
import type { OptionalOpName } from '@spectrans/core/backend';
import { mismatchMessage } from '../failure.js';
import type { HostRng } from '../host-rng.js';
import { allclose, explicitTolerance } from '../tolerance.js';
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

/** Reads a result through the context (storage checked) and disposes it now, for results made in loops. */
export async function take(ctx: CaseContext, t: Tensor, what?: string): Promise<Float64Array> {
  ctx.track(t);
  const values = await ctx.read(t, what);
  ctx.dispose(t);
  return values;
}

/** Bounds of {@link expectWithin}: `|a − e| <= atol + rtol·|e|`. */
export interface ExplicitBounds {
  readonly rtol: number;
  readonly atol: number;
}

/**
 * Compares host values with `expected` (float64, not rounded) under explicit bounds, by
 * tolerance.ts's rule (NaN equals only NaN, an infinity only the same infinity): for checks that
 * widen a table row by a stated factor or carry their own bounds. Records the error for the report.
 */
export function expectWithin(
  ctx: CaseContext,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  bounds: ExplicitBounds,
  what: string,
  shape: readonly number[] = [expected.length],
): void {
  ctx.check(actual.length === expected.length, () => `${what}: ${actual.length} values, expected ${expected.length}`);
  const tolerance = explicitTolerance(bounds.atol, bounds.rtol);
  const result = allclose(actual, expected, { tolerance });
  ctx.recordClose(result);
  if (!result.ok) {
    ctx.fail(
      mismatchMessage({
        what,
        result,
        shape,
        dtype: ctx.dtype,
        precision: ctx.precision,
        kind: 'explicit',
        tolerance,
        seed: ctx.seed,
      }),
    );
  }
}

/** Runs `fn` and returns the SpectransError code it raised, `'no error'` (its result disposed), or what else it threw. */
export function errorCode(fn: () => unknown): string {
  try {
    const out = fn() as { dispose?: () => void } | undefined;
    out?.dispose?.();
    return 'no error';
  } catch (e) {
    return e instanceof SpectransError ? e.code : `non-SpectransError: ${e instanceof Error ? e.message : String(e)}`;
  }
}
