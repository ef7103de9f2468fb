/** What a kernel check receives, and the small assertions kernel checks share. */
import { SpectransError, type Backend, type DType, type Tensor } from '@spectrans/core';

/** Context of one kernel check: the backend under test, the float64 oracle and the tested dtype. */
export interface KernelCheckContext {
  readonly backend: Backend;
  /** backend-js, for float64 references with the same seed. */
  readonly oracle: Backend;
  readonly dtype: DType;
  /** Elementwise tolerance for this backend's declared precision of `dtype`. */
  readonly rtol: number;
  readonly atol: number;
}

/** A backend-independent kernel check: throws an Error describing the failure. */
export interface KernelCheck {
  readonly id: string;
  run(ctx: KernelCheckContext): Promise<void>;
}

/** Fails with `message` unless `cond`. */
export function ensure(cond: boolean, message: () => string): asserts cond {
  if (!cond) throw new Error(message());
}

/** Reads a tensor as float64 and disposes it. */
export async function take(t: Tensor): Promise<Float64Array> {
  try {
    return Float64Array.from(await t.data());
  } finally {
    t.dispose();
  }
}

/** Asserts |a − e| <= atol + rtol|e| elementwise (NaN only equals NaN), naming the worst index. */
export function ensureClose(
  actual: Float64Array,
  expected: Float64Array,
  rtol: number,
  atol: number,
  what: string,
): void {
  ensure(actual.length === expected.length, () => `${what}: ${actual.length} values, expected ${expected.length}`);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e) || Number.isNaN(a)) {
      if (Number.isNaN(e) !== Number.isNaN(a)) {
        worst = i;
        break;
      }
      continue;
    }
    const excess = Math.abs(a - e) - (atol + rtol * Math.abs(e));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess)) {
      worst = i;
      worstExcess = excess;
    }
  }
  ensure(worst < 0, () => {
    const a = actual[worst]!;
    const e = expected[worst]!;
    return `${what}: index ${worst}: actual ${a}, expected ${e}, |delta| ${Math.abs(a - e)} > tolerance ${atol + rtol * Math.abs(e)} (rtol ${rtol}, atol ${atol}, ${actual.length} values)`;
  });
}

/** Runs `fn` and returns the SpectransError code it raised (or a description of what happened). */
export function errorCode(fn: () => unknown): string {
  try {
    const out = fn() as { dispose?: () => void } | undefined;
    out?.dispose?.();
    return 'no error';
  } catch (e) {
    return e instanceof SpectransError ? e.code : `non-SpectransError: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** Relative Frobenius error ‖A − E‖ / ‖E‖. */
export function relativeFrobenius(a: Float64Array, e: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < e.length; i++) {
    num += (a[i]! - e[i]!) ** 2;
    den += e[i]! ** 2;
  }
  return Math.sqrt(num / den);
}
