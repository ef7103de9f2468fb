/** The bench's statistics: paired ratios, the Mann–Whitney test and the noise rule the targets use. */
import { describe, expect, test } from 'vitest';
import { holmVerdicts, mannWhitneyGreater, pairedRatio, signedRankGreater, slowerTest } from '../src/stats.js';

/** One case judged on its own (a family of one): its verdict at the noise level. */
const slowerBeyondNoise = (subject: readonly number[], anchor: readonly number[], limit = 1, paired = false) =>
  holmVerdicts([slowerTest(subject, anchor, limit, paired)], 1)[0]!;

/** P(U ≥ observed) by enumerating every split of the pooled values into the two series' sizes. */
function bruteForceP(x: readonly number[], y: readonly number[]): number {
  const pooled = [...x, ...y];
  const n = x.length;
  const u = (a: readonly number[], b: readonly number[]): number =>
    a.reduce((s, v) => s + b.reduce((t, w) => t + (v > w ? 1 : v === w ? 0.5 : 0), 0), 0);
  const observed = u(x, y);
  let hits = 0;
  let total = 0;
  const pick = (start: number, chosen: number[]): void => {
    if (chosen.length === n) {
      const a = chosen.map((i) => pooled[i]!);
      const b = pooled.filter((_, i) => !chosen.includes(i));
      total++;
      if (u(a, b) >= observed) hits++;
      return;
    }
    for (let i = start; i < pooled.length; i++) pick(i + 1, [...chosen, i]);
  };
  pick(0, []);
  return hits / total;
}

describe('mannWhitneyGreater', () => {
  test('exact p equals enumeration over every split of the pooled runs', () => {
    const cases: [number[], number[]][] = [
      [
        [5.1, 4.9, 6.2, 5.5],
        [4.0, 5.0, 4.4, 4.8, 5.2],
      ],
      [
        [3, 1, 2],
        [4, 5, 6],
      ],
      [
        [2.5, 2.6, 2.4, 2.9, 3.0, 2.2],
        [2.45, 2.7, 2.35, 2.8],
      ],
      [[7], [1, 2, 3, 4, 5, 6]],
    ];
    for (const [x, y] of cases) expect(mannWhitneyGreater(x, y).p).toBeCloseTo(bruteForceP(x, y), 12);
  });

  test('complete separation: p is 1 / C(n + m, n), the smallest these sizes allow', () => {
    expect(mannWhitneyGreater([4, 5, 6], [1, 2, 3])).toEqual({ u: 9, p: 1 / 20, minP: 1 / 20 });
    const r = mannWhitneyGreater([10, 11, 12, 13, 14], [1, 2, 3, 4, 5]);
    expect(r.p).toBeCloseTo(1 / 252, 15);
    expect(r.minP).toBeCloseTo(1 / 252, 15);
    expect(mannWhitneyGreater([1, 2, 3], [4, 5, 6]).p).toBe(1); // the other direction
    expect(mannWhitneyGreater([], [1]).p).toBe(1);
  });

  test('the normal approximation beyond 2500 pairs agrees with the exact tail at the boundary', () => {
    // Two interleaved ramps: a moderate shift, p in the region that decides a verdict.
    const x = Array.from({ length: 50 }, (_, i) => i + 4);
    const y = Array.from({ length: 50 }, (_, i) => i);
    const exact = mannWhitneyGreater(x, y); // 2500 pairs: exact
    const approx = mannWhitneyGreater([...x, 30.5], y); // 2550 pairs: normal
    expect(exact.p).toBeGreaterThan(0.05);
    expect(exact.p).toBeLessThan(0.3);
    expect(Math.abs(approx.p - exact.p)).toBeLessThan(0.03);
    expect(approx.minP).toBeGreaterThan(0);
    expect(approx.minP).toBeLessThan(1e-20);
  });
});

/** P(T+ ≥ observed) by enumerating every sign pattern of the nonzero differences. */
function bruteForceSignedRank(d: readonly number[]): number {
  const nz = d.filter((v) => v !== 0);
  const abs = nz.map(Math.abs);
  const rank = abs.map((a) => {
    const below = abs.filter((b) => b < a).length;
    const equal = abs.filter((b) => b === a).length;
    return below + (equal + 1) / 2;
  });
  const tPlus = (signs: readonly boolean[]): number => rank.reduce((s, r, i) => (signs[i] ? s + r : s), 0);
  const observed = tPlus(nz.map((v) => v > 0));
  let hits = 0;
  for (let mask = 0; mask < 2 ** nz.length; mask++)
    if (tPlus(nz.map((_, i) => ((mask >> i) & 1) === 1)) >= observed - 1e-9) hits++;
  return hits / 2 ** nz.length;
}

describe('signedRankGreater', () => {
  test('exact p equals enumeration over every sign pattern (ties and zeros included)', () => {
    const cases = [
      [0.3, -0.1, 0.2, 0.05, 0.4],
      [0.1, 0.1, -0.1, 0.2, 0, 0.3, -0.05],
      [-1, -2, -3],
      [0.01, 0.02, 0.03, 0.04, 0.05, -0.06, 0.07, 0.08, 0.09, 0.1, -0.11, 0.12],
    ];
    for (const d of cases) expect(signedRankGreater(d).p).toBeCloseTo(bruteForceSignedRank(d), 12);
  });

  test('all of n differences positive: p = minP = 2^-n', () => {
    expect(signedRankGreater([1, 2, 3, 4, 5])).toEqual({ t: 15, p: 1 / 32, minP: 1 / 32, n: 5 });
    expect(signedRankGreater([])).toEqual({ t: 0, p: 1, minP: 1, n: 0 });
  });

  test('the normal approximation beyond 60 pairs agrees with the exact tail at the boundary', () => {
    const d = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? -(i + 1) : i + 1) / 100);
    const exact = signedRankGreater(d);
    const approx = signedRankGreater([...d, 0.305]);
    expect(exact.p).toBeGreaterThan(0.001);
    expect(exact.p).toBeLessThan(0.2);
    expect(Math.abs(approx.p - exact.p)).toBeLessThan(0.03);
  });
});

describe('slowerBeyondNoise', () => {
  test('paired by round: drift over the rounds cancels; a consistent per-round excess does not', () => {
    // The machine slows down over the rounds; both backends with it, the subject 3% behind in every round.
    const anchor = [100, 120, 150, 190, 240, 300];
    const subject = anchor.map((v) => v * 1.03);
    expect(slowerBeyondNoise(subject, anchor).kind).toBe('within-noise'); // unpaired: drift hides it
    expect(slowerBeyondNoise(subject, anchor, 1, true)).toEqual({ test: 'signed-rank', kind: 'slower', p: 1 / 64 });
    // Same runs, but in one round the anchor was the slower: 5 of 6 is not enough at 6 rounds.
    const mixed = [...subject.slice(0, 5), 290];
    expect(slowerBeyondNoise(mixed, anchor, 1, true).kind).toBe('within-noise');
    expect(slowerBeyondNoise([5], [1], 1, true)).toEqual({ test: 'signed-rank', kind: 'too-few', minP: 0.5 });
  });

  test('overlapping runs of the same work are within noise, whichever median is higher', () => {
    // w5 orthogonal-like: the same host QR on both backends, seconds apart by chance.
    const wasm = [2310, 2650, 2120, 2900, 2480];
    const js = [2410, 2200, 3020, 2290, 2380];
    const v = slowerBeyondNoise(wasm, js);
    expect(v.kind).toBe('within-noise');
    expect(v.kind === 'within-noise' && v.p).toBeGreaterThan(0.05);
  });

  test('runs that all sit above the anchor are slower, even by a little when the spread is small', () => {
    expect(slowerBeyondNoise([5.2, 5.0, 5.3], [4.1, 4.0, 4.2])).toEqual({
      test: 'mann-whitney',
      kind: 'slower',
      p: 0.05,
    });
    const tight = slowerBeyondNoise([1.05, 1.06, 1.04, 1.05, 1.07], [1.0, 1.01, 0.99, 1.0, 1.02]);
    expect(tight.kind).toBe('slower');
  });

  test('one run of the anchor above the subject keeps 3 against 3 within noise', () => {
    expect(slowerBeyondNoise([5.2, 5.0, 5.3], [4.1, 5.1, 4.2]).kind).toBe('within-noise');
  });

  test('a limit scales the anchor: 1.4x the time is within a 1.5x limit, 2x is not', () => {
    const anchor = [10, 10.5, 9.8, 10.2, 10.1];
    expect(slowerBeyondNoise([14, 14.2, 13.9, 14.1, 14.3], anchor, 1.5).kind).toBe('within-noise');
    expect(slowerBeyondNoise([20, 20.2, 19.9, 20.1, 20.3], anchor, 1.5).kind).toBe('slower');
  });

  test('too few runs to reach the level are reported as such, not as a verdict', () => {
    expect(slowerBeyondNoise([9, 9.5], [1, 1.2])).toEqual({ test: 'mann-whitney', kind: 'too-few', minP: 1 / 6 });
    expect(slowerBeyondNoise([9], [1])).toEqual({ test: 'mann-whitney', kind: 'too-few', minP: 1 / 2 });
  });
});

describe('pairedRatio', () => {
  test('median and quartiles of per-round ratios from 3 rounds on; ratio of medians below', () => {
    expect(pairedRatio([2, 4, 6, 8], [1, 2, 2, 4])).toEqual({ ratio: 2, q1: 2, q3: 2.25, paired: true });
    expect(pairedRatio([2, 4], [1, 1])).toEqual({ ratio: 3, q1: 3, q3: 3, paired: false });
  });
});

describe('holmVerdicts', () => {
  const t = (p: number, minP = 1e-6) => ({ test: 'signed-rank' as const, p, minP });

  test('the i-th smallest p is slower while all before it were and p <= level / (m − i)', () => {
    // m = 4: bounds 0.0125, 0.0167, 0.025, 0.05 in order of p.
    const v = holmVerdicts([t(0.02), t(0.001), undefined, t(0.04)], 4);
    expect(v.map((x) => x?.kind)).toEqual(['within-noise', 'slower', undefined, 'within-noise']);
    // 0.001 <= 0.0125, then 0.016 <= 0.0167, then 0.024 <= 0.025: all three slower.
    expect(holmVerdicts([t(0.016), t(0.001), t(0.024)], 3).map((x) => x?.kind)).toEqual(['slower', 'slower', 'slower']);
    // The step-down stops at the first p over its bound, even if a later p is under its own.
    expect(holmVerdicts([t(0.03), t(0.04)], 2).map((x) => x?.kind)).toEqual(['within-noise', 'within-noise']);
  });

  test('one case is its own family: the plain test at the level', () => {
    expect(holmVerdicts([t(0.049)], 1)[0]).toEqual({ test: 'signed-rank', kind: 'slower', p: 0.049 });
    expect(holmVerdicts([t(0.051)], 1)[0]).toEqual({ test: 'signed-rank', kind: 'within-noise', p: 0.051 });
  });

  test('a case whose runs cannot reach its bound is too few to tell', () => {
    // 5 rounds (smallest p 1/32) among 40 cases: the first bound is 0.05 / 40.
    const v = holmVerdicts([t(1 / 32, 1 / 32)], 40);
    expect(v[0]).toEqual({ test: 'signed-rank', kind: 'too-few', minP: 1 / 32 });
    // 11 rounds can.
    expect(holmVerdicts([t(2 ** -11, 2 ** -11)], 40)[0]?.kind).toBe('slower');
  });
});
