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

/**
 * Number of orderings of `n` values of one series and `m` of another (no ties) in which the
 * Mann–Whitney count U (pairs with the first series' value above the second's) equals u, for
 * u = 0..n·m: the exact null distribution, built up one value at a time.
 */
function mannWhitneyCounts(n: number, m: number): number[] {
  // rows[j][u]: counts for sizes (i, j) with i the current row.
  let rows: number[][] = Array.from({ length: m + 1 }, () => [1]);
  for (let i = 1; i <= n; i++) {
    const next: number[][] = [[1]];
    for (let j = 1; j <= m; j++) {
      // The largest of the i + j values is either from the first series (U gains j) or the second.
      const withFirst = rows[j]!;
      const withSecond = next[j - 1]!;
      const c = new Array<number>(i * j + 1).fill(0);
      withFirst.forEach((v, u) => (c[u + j]! += v));
      withSecond.forEach((v, u) => (c[u]! += v));
      next.push(c);
    }
    rows = next;
  }
  return rows[m]!;
}

/** Standard normal upper tail P(Z ≥ z) (Abramowitz–Stegun 7.1.26 on erfc; absolute error < 1.5e-7). */
function normalUpperTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) *
    Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/**
 * One-sided Mann–Whitney (Wilcoxon rank-sum) test that `x` tends to be larger than `y`: U counts the
 * pairs with x above y (ties count ½), and p is the chance of a U this large or larger when both
 * series come from one distribution. Exact for up to 2500 pairs (ties then make it approximate),
 * normal approximation with continuity correction beyond. `minP` is the smallest p these sample
 * sizes can give at all (1 / C(n + m, n) exactly): above a test's level no outcome could pass it.
 */
export function mannWhitneyGreater(x: readonly number[], y: readonly number[]): { u: number; p: number; minP: number } {
  const n = x.length;
  const m = y.length;
  if (n === 0 || m === 0) return { u: NaN, p: 1, minP: 1 };
  let u = 0;
  for (const a of x) for (const b of y) u += a > b ? 1 : a === b ? 0.5 : 0;
  if (n * m <= 2500) {
    const counts = mannWhitneyCounts(n, m);
    const total = counts.reduce((s, c) => s + c, 0);
    const tail = counts.reduce((s, c, k) => (k >= u ? s + c : s), 0);
    return { u, p: tail / total, minP: 1 / total };
  }
  const mean = (n * m) / 2;
  const sd = Math.sqrt((n * m * (n + m + 1)) / 12);
  let logMinP = 0; // -log C(n + m, n)
  for (let k = 1; k <= n; k++) logMinP -= Math.log((m + k) / k);
  return { u, p: normalUpperTail((u - 0.5 - mean) / sd), minP: Math.exp(logMinP) };
}

/**
 * One-sided Wilcoxon signed-rank test that paired differences `d` tend to be positive: ranks of
 * |d| (ties get their average rank; zeros are dropped), T+ sums the ranks of the positive ones, and
 * p is the chance of a T+ this large or larger when every sign is a coin flip. Exact (a count over
 * the 2^n sign patterns, by subset sums) up to 60 pairs, normal approximation beyond. `minP` is the
 * smallest p these pairs can give (2^-n).
 */
export function signedRankGreater(d: readonly number[]): { t: number; p: number; minP: number; n: number } {
  const nz = d.filter((v) => v !== 0 && Number.isFinite(v));
  const n = nz.length;
  if (n === 0) return { t: 0, p: 1, minP: 1, n };
  const order = nz.map((v, i) => ({ a: Math.abs(v), i })).sort((x, y) => x.a - y.a);
  // Doubled ranks, so that average ranks of ties stay integers.
  const rank2 = new Array<number>(n);
  for (let lo = 0; lo < n;) {
    let hi = lo;
    while (hi + 1 < n && order[hi + 1]!.a === order[lo]!.a) hi++;
    for (let k = lo; k <= hi; k++) rank2[order[k]!.i] = lo + hi + 2;
    lo = hi + 1;
  }
  const t2 = nz.reduce((s, v, i) => (v > 0 ? s + rank2[i]! : s), 0);
  if (n <= 60) {
    const max = rank2.reduce((s, r) => s + r, 0);
    let counts = new Array<number>(max + 1).fill(0);
    counts[0] = 1;
    for (const r of rank2) {
      const next = counts.slice();
      for (let s = 0; s + r <= max; s++) if (counts[s]) next[s + r]! += counts[s]!;
      counts = next;
    }
    const total = 2 ** n;
    const tail = counts.reduce((s, c, k) => (k >= t2 ? s + c : s), 0);
    return { t: t2 / 2, p: tail / total, minP: 1 / total, n };
  }
  const mean = (n * (n + 1)) / 4;
  const sd = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24);
  return { t: t2 / 2, p: normalUpperTail((t2 / 2 - 0.5 - mean) / sd), minP: 2 ** -n, n };
}

/** Significance level of the noise rule, for a whole family of cases (see {@link holmVerdicts}). */
export const NOISE_LEVEL = 0.05;

/** Whether a series of timings is slower than `limit` times another, beyond their run-to-run spread. */
export type NoiseVerdict = { readonly test: 'signed-rank' | 'mann-whitney' } &
  /** Slower: a one-sided test rejects "no slower than limit × anchor" at the level it was given. */
  (
    | { readonly kind: 'slower'; readonly p: number }
    /** Its median is above limit × the anchor's, but not by more than the runs scatter (p > level). */
    | { readonly kind: 'within-noise'; readonly p: number }
    /** Too few runs for any outcome to reach the level (e.g. 2 against 3): the test cannot tell. */
    | { readonly kind: 'too-few'; readonly minP: number }
  );

/** A one-sided test of {@link slowerTest} before a verdict: its p and the smallest p its runs allow. */
export interface SlowerTest {
  readonly test: 'signed-rank' | 'mann-whitney';
  readonly p: number;
  readonly minP: number;
}

/**
 * Tests timings `subject` against `limit` × `anchor` (`limit` 1: "not slower than"): how likely
 * runs sitting this far above the scaled anchor's are by chance. `paired` (runs i of both series
 * come from the same round, back to back in one process): a one-sided Wilcoxon signed-rank test on
 * the per-round log ratios, so a machine's drift over the rounds cancels (5 rounds: all 5 slower
 * gives p = 1/32). Unpaired (separate processes): a one-sided Mann–Whitney test (3 runs against 3:
 * every run above every run gives p = 1/20).
 */
export function slowerTest(
  subject: readonly number[],
  anchor: readonly number[],
  limit = 1,
  paired = false,
): SlowerTest {
  if (paired) {
    const k = Math.min(subject.length, anchor.length);
    const { p, minP } = signedRankGreater(
      Array.from({ length: k }, (_, i) => Math.log(subject[i]! / (limit * anchor[i]!))),
    );
    return { test: 'signed-rank', p, minP };
  }
  const { p, minP } = mannWhitneyGreater(
    subject,
    anchor.map((v) => v * limit),
  );
  return { test: 'mann-whitney', p, minP };
}

/** The verdict of a test at `level`. */
function verdictAt(t: SlowerTest, level: number): NoiseVerdict {
  if (t.minP > level) return { test: t.test, kind: 'too-few', minP: t.minP };
  return { test: t.test, kind: t.p <= level ? 'slower' : 'within-noise', p: t.p };
}

/**
 * Verdicts for a family of `m` cases judged together (one target's cases; `tests` has one entry per
 * case tested, undefined for the others), by Holm's step-down procedure: the chance of calling any
 * case slower when none is stays at most `level` for the whole family, where testing each case at
 * `level` would call one of 20 same-speed cases slower by chance in most runs. In order of p, the
 * i-th smallest (from 0) is slower while every one before it was and p <= level / (m − i); the rest
 * are within noise, or too few runs to tell where even their smallest p could not reach that bound.
 */
export function holmVerdicts(
  tests: readonly (SlowerTest | undefined)[],
  m: number,
  level = NOISE_LEVEL,
): (NoiseVerdict | undefined)[] {
  const order = tests
    .map((t, i) => ({ t, i }))
    .filter((e): e is { t: SlowerTest; i: number } => e.t !== undefined)
    .sort((a, b) => a.t.p - b.t.p);
  const out: (NoiseVerdict | undefined)[] = tests.map(() => undefined);
  let rejecting = true;
  order.forEach(({ t, i }, rank) => {
    const bound = level / Math.max(m - rank, 1);
    const v = verdictAt(t, bound);
    rejecting &&= v.kind === 'slower';
    out[i] = rejecting || v.kind === 'too-few' ? v : { test: t.test, kind: 'within-noise', p: t.p };
  });
  return out;
}
