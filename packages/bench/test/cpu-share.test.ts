/** Other processes' CPU during a run, and which thread-scaling rounds are clean. */
import { describe, expect, test } from 'vitest';
import { BUSY_FOREIGN_CORES, cleanRounds, cpuSnapshot, foreignCores } from '../src/cpu-share.js';

describe('foreignCores', () => {
  test('machine busy time less this process, per wall time', () => {
    const before = { wallMs: 1000, busyMs: 50_000, ownMs: 300 };
    // 100 ms: the machine was busy 200 ms (both cores), 100 ms of it ours -> 1 core of others.
    expect(foreignCores(before, { wallMs: 1100, busyMs: 50_200, ownMs: 400 })).toBeCloseTo(1, 12);
    // Two threads of ours on both cores: nothing foreign.
    expect(foreignCores(before, { wallMs: 1100, busyMs: 50_200, ownMs: 500 })).toBeCloseTo(0, 12);
    expect(foreignCores(before, before)).toBe(0);
  });

  test('a snapshot reads /proc/stat on Linux and its own CPU time grows with work', () => {
    const a = cpuSnapshot();
    if (process.platform !== 'linux') return expect(a).toBeUndefined();
    let x = 0;
    for (let i = 0; i < 2e7; i++) x += Math.sqrt(i);
    const b = cpuSnapshot()!;
    expect(x).toBeGreaterThan(0);
    expect(b.ownMs).toBeGreaterThan(a!.ownMs);
    expect(b.busyMs).toBeGreaterThanOrEqual(a!.busyMs);
  });
});

describe('cleanRounds', () => {
  test('a round is clean when other processes stayed under the threshold during both runs', () => {
    const two = [0, 0.1, 1.0, -0.1, 0.2, BUSY_FOREIGN_CORES];
    const one = [0.05, 0.9, 0, 0, 0.1, 0];
    expect(cleanRounds(two, one)).toEqual([0, 3, 4]);
    expect(cleanRounds([0, 0, 0], [0])).toEqual([0]); // only rounds both ran
    expect(cleanRounds(undefined, one)).toBeUndefined();
  });
});
