/**
 * The one tolerance table of the suite, and the allclose comparison that uses it.
 *
 * A backend is held to the precision it declares per dtype (`capabilities.dtypes`): 'ieee' means
 * IEEE-754 round-to-nearest arithmetic in that dtype, 'reduced' means the dtype's storage with
 * looser arithmetic (typically GPU float32). Element i passes when
 *
 * ```
 * |a_i − e_i| <= atol + rtol·|e_i| + perTerm·k·s_i
 * ```
 *
 * where `e` is the exact float64 reference rounded to the dtype, and for accumulating ops (matmul,
 * sums, scans, distances) `k` is the number of accumulated terms (the inner dimension) and `s_i`
 * the magnitude of those terms, e.g. `(|A|·|B|)_ij` for a matrix product: the classical forward
 * error bound `|fl(AB) − AB| <= γ_k·|A|·|B|` (Higham, Accuracy and Stability of Numerical
 * Algorithms, 2nd ed., §3.5). NaN equals only NaN; an infinity equals only the same infinity.
 */
import type { DType, Precision } from '@spectrans/core';

/** How an op's result may deviate from the exactly rounded value. */
export type ToleranceKind =
  /** Data movement and comparisons: bit-exact (NaN payloads aside). */
  | 'exact'
  /** Correctly rounded IEEE operations: + − × ÷ √, square, reciprocal, casts. */
  | 'arithmetic'
  /** exp, log, sin, cos, tanh, pow, elu: a few units in the last place. */
  | 'transcendental'
  /** Sums of k terms: matmul, reductions, scans, distances, Walsh–Hadamard. Uses `perTerm·k·s`. */
  | 'accumulate'
  /** Decomposition invariants: `rtol` times the matrix dimension bounds normalised residuals. */
  | 'decomposition'
  /**
   * Composed pipelines (a kernel's forward/compute, attention) against the float64 oracle: a few
   * dependent ops with inner products and exp/cos of phases up to ~10. The float32 row is the
   * reference fixtures' float32 tolerance (rtol 1e-4, atol 1e-5, about 800u); float64 scales it by
   * u64/u32 and rounds up.
   */
  | 'pipeline';

/** One row of the table. */
export interface Tolerance {
  /** Absolute floor (also absorbs flush-to-zero of subnormal results). */
  readonly atol: number;
  /** Relative to the expected value. */
  readonly rtol: number;
  /** Per accumulated term, times `k·s_i` (only for 'accumulate'). */
  readonly perTerm: number;
}

/** Unit roundoff u = 2^-p of each dtype (half an ulp of 1). */
export const UNIT_ROUNDOFF: Readonly<Record<DType, number>> = Object.freeze({ float32: 2 ** -24, float64: 2 ** -53 });

/** Smallest positive normal number of each dtype. */
export const MIN_NORMAL: Readonly<Record<DType, number>> = Object.freeze({ float32: 2 ** -126, float64: 2 ** -1022 });

const U32 = UNIT_ROUNDOFF.float32;
const U64 = UNIT_ROUNDOFF.float64;

function row(atol: number, rtol: number, perTerm = 0): Tolerance {
  return Object.freeze({ atol, rtol, perTerm });
}

/**
 * The tolerance table, by dtype, declared precision and kind of op.
 *
 * @remarks
 * | dtype   | precision | exact | arithmetic (rtol) | transcendental (atol = rtol) | accumulate (rtol, perTerm) | decomposition (rtol per dim) |
 * |---------|-----------|-------|-------------------|------------------------------|----------------------------|------------------------------|
 * | float32 | ieee      | 0     | 2u ≈ 1.2e-7       | 8u ≈ 4.8e-7                  | 2u, 2u                     | 32u ≈ 1.9e-6                 |
 * | float32 | reduced   | 0     | 1e-6              | 1e-5                         | 1e-6, 1e-6                 | 1e-4                         |
 * | float64 | ieee      | 0     | 2u ≈ 2.2e-16      | 8u ≈ 8.9e-16                 | 2u, 2u                     | 32u ≈ 3.6e-15                |
 * | float64 | reduced   | 0     | 1e-14             | 1e-13                        | 1e-14, 1e-14               | 1e-12                        |
 *
 * pipeline (atol, rtol): float32 ieee 1e-5, 1e-4; float32 reduced 1e-3, 2e-3; float64 ieee 1e-13, 1e-12; float64 reduced 1e-11, 1e-10.
 */
export const TOLERANCES: Readonly<
  Record<DType, Readonly<Record<Precision, Readonly<Record<ToleranceKind, Tolerance>>>>>
> = Object.freeze({
  float32: Object.freeze({
    ieee: Object.freeze({
      exact: row(0, 0),
      arithmetic: row(MIN_NORMAL.float32, 2 * U32),
      transcendental: row(8 * U32, 8 * U32),
      accumulate: row(MIN_NORMAL.float32, 2 * U32, 2 * U32),
      decomposition: row(0, 32 * U32),
      pipeline: row(1e-5, 1e-4),
    }),
    reduced: Object.freeze({
      exact: row(0, 0),
      arithmetic: row(MIN_NORMAL.float32, 1e-6),
      transcendental: row(1e-5, 1e-5),
      accumulate: row(MIN_NORMAL.float32, 1e-6, 1e-6),
      decomposition: row(0, 1e-4),
      pipeline: row(1e-3, 2e-3),
    }),
  }),
  float64: Object.freeze({
    ieee: Object.freeze({
      exact: row(0, 0),
      arithmetic: row(MIN_NORMAL.float64, 2 * U64),
      transcendental: row(8 * U64, 8 * U64),
      accumulate: row(MIN_NORMAL.float64, 2 * U64, 2 * U64),
      decomposition: row(0, 32 * U64),
      pipeline: row(1e-13, 1e-12),
    }),
    reduced: Object.freeze({
      exact: row(0, 0),
      arithmetic: row(MIN_NORMAL.float64, 1e-14),
      transcendental: row(1e-13, 1e-13),
      accumulate: row(MIN_NORMAL.float64, 1e-14, 1e-14),
      decomposition: row(0, 1e-12),
      pipeline: row(1e-11, 1e-10),
    }),
  }),
});

/**
 * The tolerance for an op of one or more kinds (their rows summed: e.g. a fused op that
 * accumulates then applies a transcendental function).
 *
 * @example
 * ```ts
 * toleranceFor('float32', 'ieee', 'accumulate'); // { atol: 1.2e-38, rtol: 1.2e-7, perTerm: 1.2e-7 }
 * ```
 */
export function toleranceFor(
  dtype: DType,
  precision: Precision,
  kind: ToleranceKind | readonly ToleranceKind[],
): Tolerance {
  const kinds = typeof kind === 'string' ? [kind] : kind;
  let atol = 0;
  let rtol = 0;
  let perTerm = 0;
  for (const k of kinds) {
    const t = TOLERANCES[dtype][precision][k];
    atol += t.atol;
    rtol += t.rtol;
    perTerm += t.perTerm;
  }
  return row(atol, rtol, perTerm);
}

/**
 * A tolerance of explicit bounds, with no per-term part: for checks that widen a table row by a
 * stated factor, or that carry their own bounds (the reference fixtures').
 *
 * @example
 * ```ts
 * const t = toleranceFor('float32', 'ieee', 'pipeline');
 * allclose(actual, expected, { tolerance: explicitTolerance(10 * t.atol, 10 * t.rtol) });
 * ```
 */
export function explicitTolerance(atol: number, rtol: number): Tolerance {
  return row(atol, rtol);
}

/** Rounds a float64 value to `dtype` (round to nearest even, overflow to ±Infinity). */
export function roundTo(dtype: DType, value: number): number {
  return dtype === 'float32' ? Math.fround(value) : value;
}

/** Rounds every value to `dtype`, returning a new Float64Array. */
export function roundAllTo(dtype: DType, values: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(values);
  if (dtype === 'float32') for (let i = 0; i < out.length; i++) out[i] = Math.fround(out[i]!);
  return out;
}

/** What an allclose comparison is given besides the two arrays. */
export interface CloseSpec {
  readonly tolerance: Tolerance;
  /** Number of accumulated terms (the inner dimension), for `perTerm`. Default 1. */
  readonly k?: number;
  /** Per-element magnitude of the accumulated terms (`s_i`), for `perTerm`. */
  readonly scale?: ArrayLike<number>;
}

/** One element that broke the tolerance (or the worst one compared). */
export interface ElementMismatch {
  readonly index: number;
  readonly actual: number;
  readonly expected: number;
  readonly delta: number;
  readonly tolerance: number;
}

/** Result of {@link allclose}. */
export interface CloseResult {
  readonly ok: boolean;
  /** How many elements broke the tolerance. */
  readonly mismatches: number;
  /** The element with the largest delta/tolerance ratio (non-finite mismatches first). */
  readonly worst?: ElementMismatch;
  /** Largest |a − e| over elements where both are finite. */
  readonly maxError: number;
  /** Largest |a − e| / tolerance over elements where both are finite (0 when all are exact). */
  readonly maxRatio: number;
}

/** The tolerance of one element: `atol + rtol·|e| + perTerm·k·s`. */
export function elementTolerance(spec: CloseSpec, expected: number, index: number): number {
  const t = spec.tolerance;
  const s = t.perTerm > 0 && spec.scale ? Math.abs(spec.scale[index] ?? 0) : 0;
  return t.atol + t.rtol * Math.abs(expected) + (s > 0 ? t.perTerm * (spec.k ?? 1) * s : 0);
}

/**
 * Compares `actual` with `expected` elementwise: `|a − e| <= atol + rtol·|e| + perTerm·k·s`;
 * NaN matches only NaN; ±Infinity matches only the same infinity. Lengths must be equal.
 *
 * @example
 * ```ts
 * allclose([1, NaN], [1 + 1e-9, NaN], { tolerance: toleranceFor('float64', 'ieee', 'arithmetic') }).ok; // false
 * ```
 */
export function allclose(actual: ArrayLike<number>, expected: ArrayLike<number>, spec: CloseSpec): CloseResult {
  if (actual.length !== expected.length)
    throw new RangeError(`allclose: lengths differ (${actual.length} vs ${expected.length})`);
  let mismatches = 0;
  let worst: ElementMismatch | undefined;
  let worstRatio = -1;
  let maxError = 0;
  let maxRatio = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    let delta: number;
    let tol: number;
    let ok: boolean;
    let ratio: number;
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      ok = Number.isNaN(e) ? Number.isNaN(a) : a === e;
      delta = ok ? 0 : Number.isFinite(a) ? Infinity : NaN;
      tol = 0;
      ratio = ok ? 0 : Infinity;
    } else if (!Number.isFinite(a)) {
      ok = false;
      delta = Number.isNaN(a) ? NaN : Infinity;
      tol = elementTolerance(spec, e, i);
      ratio = Infinity;
    } else {
      delta = Math.abs(a - e);
      tol = elementTolerance(spec, e, i);
      ok = delta <= tol;
      ratio = delta === 0 ? 0 : tol > 0 ? delta / tol : Infinity;
      if (delta > maxError) maxError = delta;
      if (ratio > maxRatio) maxRatio = ratio;
    }
    if (!ok) mismatches++;
    if (ratio > worstRatio || (!ok && worst === undefined)) {
      worstRatio = ratio;
      worst = { index: i, actual: a, expected: e, delta, tolerance: tol };
    }
  }
  return worst === undefined
    ? { ok: mismatches === 0, mismatches, maxError, maxRatio }
    : { ok: mismatches === 0, mismatches, worst, maxError, maxRatio };
}
