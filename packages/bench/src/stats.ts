/** Robust summaries of repeated timings: median and quartiles, never the mean alone. */

/** Summary of repeated measurements of one quantity. */
export interface Summary {
  /** Number of timed runs. */
  readonly n: number;
  readonly median: number;
  /** First and third quartiles (linear interpolation; equal to the median for n = 1). */
  readonly q1: number;
  readonly q3: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
}

/** The p-quantile (0..1) of sorted values, linearly interpolated. */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (pos - lo);
}

/** Median, quartiles, extremes and mean of `values` (NaN fields for an empty list). */
export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length);
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    min: sorted[0] ?? NaN,
    max: sorted[sorted.length - 1] ?? NaN,
    mean: sorted.length ? mean : NaN,
  };
}

/** Sample standard deviation (0 for fewer than two values). */
export function stddev(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1));
}

/**
 * Ratio of two interleaved series, `num / den`, as the median of per-round ratios when both have
 * samples from the same rounds (drift on a shared machine then cancels), with quartiles; else the
 * ratio of medians.
 */
export function pairedRatio(
  num: readonly number[],
  den: readonly number[],
): { ratio: number; q1: number; q3: number; paired: boolean } {
  const k = Math.min(num.length, den.length);
  if (k >= 3) {
    const r = Array.from({ length: k }, (_, i) => num[i]! / den[i]!).sort((a, b) => a - b);
    return { ratio: quantile(r, 0.5), q1: quantile(r, 0.25), q3: quantile(r, 0.75), paired: true };
  }
  const ratio = summarize(num).median / summarize(den).median;
  return { ratio, q1: ratio, q3: ratio, paired: false };
}
