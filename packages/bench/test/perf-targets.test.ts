/** How the performance targets judge a run: the noise rule of "not slower" and the thread-scaling spread. */
import { describe, expect, test } from 'vitest';
import type { Outcome } from '../src/harness.js';
import { computePerfTargets, PERF_TARGETS } from '../src/perf-targets.js';
import { summarize } from '../src/stats.js';
import type { BackendStatus, CaseResult } from '../src/types.js';

const ok = (samples: number[]): Outcome => ({ status: 'ok', samples, summary: summarize(samples) });
const backends: BackendStatus[] = [
  { id: 'wasm', available: true, threads: 2 },
  { id: 'js', available: true },
];
const w5 = (id: string, wasm: number[], js: number[]): CaseResult => ({
  workload: 'W5',
  id,
  label: id,
  params: {},
  outcomes: { wasm: ok(wasm), js: ok(js) },
});
const notSlower = PERF_TARGETS.filter((t) => t.id === 'not-slower-than-js');
const judge = (cases: CaseResult[]) => computePerfTargets({ cases, backends }, notSlower, ['wasm'])[0]!;

describe('not slower than backend-js: the noise rule', () => {
  test('the same work with scattered runs is within noise: met, and the report says so with the ranges', () => {
    const t = judge([
      w5('w5/qr', [2310, 2650, 2120, 2900, 2480, 2530], [2410, 2200, 3020, 2290, 2380, 2600]),
      w5('w5/fast', [1, 1.1, 0.9], [10, 11, 9]),
    ]);
    expect(t.pass).toBe(true);
    expect(t.missedBy).toBeUndefined();
    expect(t.achieved).toMatch(/^1\.\d\dx \(worst: w5\/qr\), within noise$/);
    expect(t.detail).toMatch(
      /Within noise .*w5\/qr: 1\.\d\dx, within noise \(paired by round, signed-rank p = 0\.\d+\): wasm 2\.50 s \[2\.12–2\.90 s\], 6 runs vs js 2\.40 s \[2\.20–3\.02 s\], 6 runs/,
    );
  });

  test('a case slower beyond the spread is missed, even next to one within noise', () => {
    const t = judge([
      w5('w5/qr', [2310, 2650, 2120, 2900, 2480, 2530], [2410, 2200, 3020, 2290, 2380, 2600]),
      w5('w5/slow', [5.2, 5.0, 5.3, 5.1, 5.25, 5.2, 5.1], [4.1, 4.0, 4.2, 4.05, 4.15, 4.1, 4.0]),
    ]);
    expect(t.pass).toBe(false);
    expect(t.achieved).toMatch(/^1\.2\dx \(worst: w5\/slow\)$/);
    expect(t.missedBy).toMatch(/^1\.2\dx too slow: needs 1\.2\dx less time on w5\/slow$/);
    expect(t.detail).toMatch(/w5\/slow: 1\.2\dx, beyond noise \(paired by round, signed-rank p = 0\.008\)/);
  });

  test('the cases are one family: a p that one case alone would fail is within noise among many (Holm)', () => {
    // 8 of 10 rounds slower: p = 13/1024 ≈ 0.013, "slower" tested alone at 0.05, not among 10
    // cases of the same work (the first bound is 0.005; 10 rounds could reach it: 2^-10).
    const ones = Array<number>(10).fill(1);
    const edge = w5('w5/edge', [1.05, 1.04, 1.06, 1.03, 1.05, 0.98, 1.02, 0.97, 1.04, 1.05], ones);
    const same = (i: number): CaseResult => w5(`w5/same-${i}`, [1, 1.1, 0.9, 1, 1.05, 0.95, 1, 1.02, 0.98, 1], ones);
    expect(judge([edge]).pass).toBe(false);
    const t = judge([edge, ...Array.from({ length: 9 }, (_, i) => same(i))]);
    expect(t.pass).toBe(true);
    expect(t.detail).toMatch(
      /Holm's bound for the 10 cases at 0\.05.*w5\/edge: 1\.0\dx, within noise \(paired by round, signed-rank p = 0\.013\)/,
    );
  });

  test('too few runs to tell count as a miss (the old rule), saying why', () => {
    const t = judge([w5('w5/qr', [6881], [5160, 5206, 5480])]);
    expect(t.pass).toBe(false);
    expect(t.missedBy).toMatch(
      /needs 1\.3\dx less time on w5\/qr \(too few runs to tell from noise: w5\/qr 1 run\(s\) of wasm vs 3 of js\)/,
    );
  });

  test('within noise when the worst is, beyond noise for the worst of the rest', () => {
    const t = judge([
      w5('w5/qr', [2310, 2650, 2120, 2900, 2480], [2410, 2200, 3020, 2290, 2380]),
      w5('w5/bit', [1.02, 1.03, 1.01, 1.02, 1.04, 1.02, 1.03], [1.0, 1.0, 0.99, 1.01, 1.0, 1.0, 1.0]),
    ]);
    expect(t.pass).toBe(false);
    expect(t.achieved).toMatch(/within noise; 1\.0\dx beyond noise \(w5\/bit\)$/);
    expect(t.missedBy).toMatch(/on w5\/bit$/);
  });
});

describe('matmul threads: the per-round ratio with its spread', () => {
  test('the median of paired rounds decides; the report gives the IQR and the number of rounds', () => {
    const two = [45, 44, 46, 90, 45, 44, 47, 45];
    const one = [77, 76, 78, 79, 77, 75, 80, 77];
    const c: CaseResult = {
      workload: 'matmul',
      id: 'matmul/1024',
      label: 'matmul',
      params: { n: 1024 },
      outcomes: { wasm: ok(two), 'wasm (1 thread)': ok(one) },
    };
    const t = computePerfTargets(
      { cases: [c], backends },
      PERF_TARGETS.filter((p) => p.id === 'matmul-threads'),
      ['wasm'],
    )[0]!;
    expect(t.pass).toBe(true);
    expect(t.achieved).toBe('1.71x');
    // The round disturbed by another process (90 ms) moves neither the median nor the quartiles much.
    expect(t.detail).toContain('= 1.71x (IQR 1.70x–1.71x over 8 paired rounds)');
  });
});

describe('matmul threads on a shared machine: clean rounds only', () => {
  const threads = PERF_TARGETS.filter((p) => p.id === 'matmul-threads');
  const caseWith = (two: number[], one: number[], f2: number[], f1: number[]): CaseResult => ({
    workload: 'matmul',
    id: 'matmul/1024',
    label: 'matmul',
    params: { n: 1024 },
    outcomes: {
      wasm: { ...ok(two), foreignCores: f2 } as Outcome,
      'wasm (1 thread)': { ...ok(one), foreignCores: f1 } as Outcome,
    },
  });

  test('rounds in which another process held a core are left out, and counted in the report', () => {
    // 8 clean rounds at 1.8x, 8 in which another process took a core (the 2-thread run then 1x).
    const two = [...Array<number>(8).fill(50), ...Array<number>(8).fill(96)];
    const one = [...Array<number>(8).fill(90), ...Array<number>(8).fill(96)];
    const f2 = [...Array<number>(8).fill(0.05), ...Array<number>(8).fill(0.9)];
    const f1 = [...Array<number>(8).fill(0), ...Array<number>(8).fill(1)];
    const c = caseWith(two, one, f2, f1);
    const withOwn: CaseResult = {
      ...c,
      outcomes: {
        ...c.outcomes,
        wasm: {
          ...c.outcomes['wasm']!,
          ownCores: [...Array<number>(8).fill(1.9), ...Array<number>(8).fill(1)],
        } as Outcome,
      },
    };
    const t = computePerfTargets({ cases: [withOwn], backends }, threads, ['wasm'])[0]!;
    expect(t.pass).toBe(true);
    expect(t.achieved).toBe('1.80x');
    expect(t.detail).toContain(
      'over 8 clean rounds, with no other process on the CPU (the all-threads runs kept a median 1.90 cores busy)',
    );
    expect(t.detail).toContain('other processes held ≥ 0.3 cores during 8 of 16 rounds, all 16 rounds: 1.29x');
  });

  test('too few clean rounds: not judged, with the all-rounds ratio and why', () => {
    const two = [50, 50, 95, 96, 94, 97];
    const one = [90, 90, 96, 95, 97, 96];
    const f = [0, 0, 1, 1, 1, 1];
    const t = computePerfTargets({ cases: [caseWith(two, one, f, f)], backends }, threads, ['wasm'])[0]!;
    expect(t.pass).toBeUndefined();
    expect(t.missedBy).toBeUndefined();
    expect(t.achieved).toMatch(/not judged \(machine busy\)$/);
    expect(t.detail).toMatch(
      /^NOT JUDGED: other processes held ≥ 0\.3 cores during 4 of 6 rounds, which leaves 2 clean rounds \(8 needed\)/,
    );
  });
});

describe('matmul threads: runs too short for /proc/stat', () => {
  test('are judged on every round, without a clean/busy split', () => {
    const c: CaseResult = {
      workload: 'matmul',
      id: 'matmul/128',
      label: 'matmul',
      params: { n: 128 },
      outcomes: {
        wasm: { ...ok([0.5, 0.5, 0.5]), foreignCores: [3, 5, 7] } as Outcome,
        'wasm (1 thread)': { ...ok([0.9, 0.9, 0.9]), foreignCores: [4, 0, 6] } as Outcome,
      },
    };
    const t = computePerfTargets(
      { cases: [c], backends },
      PERF_TARGETS.filter((p) => p.id === 'matmul-threads'),
      ['wasm'],
    )[0]!;
    expect(t.pass).toBe(true);
    expect(t.detail).toContain('= 1.80x (IQR 1.80x–1.80x over 3 paired rounds)');
  });
});
