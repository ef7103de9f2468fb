/** The interleaved harness: paired entries run back to back, as often as their minimum asks. */
import { describe, expect, test } from 'vitest';
import { measureInterleaved, pairOrder, type Entry } from '../src/harness.js';
import { withMinRuns } from '../src/config.js';

const entry = (id: string, log: string[], pairedWith?: string): Entry => ({
  id,
  ...(pairedWith ? { pairedWith } : {}),
  prepare: () => ({
    run() {
      log.push(id);
      return Promise.resolve();
    },
    dispose() {},
  }),
});

describe('pairOrder', () => {
  test('moves a paired entry to just after its partner and keeps the rest in order', () => {
    const ids = (es: Entry[]): string[] => es.map((e) => e.id);
    const log: string[] = [];
    const entries = [entry('wasm', log), entry('js', log), entry('tfjs', log), entry('wasm (1 thread)', log, 'wasm')];
    expect(ids(pairOrder(entries))).toEqual(['wasm', 'wasm (1 thread)', 'js', 'tfjs']);
    // A partner that is not measured leaves the entry where it was.
    expect(ids(pairOrder([entry('a', log, 'gone'), entry('b', log)]))).toEqual(['a', 'b']);
    // A cycle keeps its given order.
    expect(ids(pairOrder([entry('a', log, 'b'), entry('b', log, 'a')]))).toEqual(['a', 'b']);
  });
});

describe('measureInterleaved', () => {
  test('a pair runs adjacent in every round, alternating order, for its minimum number of rounds', async () => {
    const log: string[] = [];
    const policy = withMinRuns({ warmup: 1, minReps: 2, maxReps: 2, budgetMs: 0, capMs: 1e9 }, ['a', 'a1'], 5);
    const out = await measureInterleaved([entry('a', log), entry('b', log), entry('a1', log, 'a')], policy);
    expect(out.get('a')).toMatchObject({ status: 'ok', summary: { n: 5 } });
    expect(out.get('a1')).toMatchObject({ status: 'ok', summary: { n: 5 } });
    expect(out.get('b')).toMatchObject({ status: 'ok', summary: { n: 2 } });
    // Warm-ups, then rounds: forward, reversed, forward, ...; b stops after its 2 runs.
    expect(log).toEqual([
      ...['a', 'a1', 'b'],
      ...['a', 'a1', 'b'],
      ...['b', 'a1', 'a'],
      ...['a', 'a1'],
      ...['a1', 'a'],
      ...['a', 'a1'],
    ]);
  });
});

describe('withMinRuns', () => {
  test('raises the named backends to the minimum, keeping larger per-backend minimums', () => {
    const p = withMinRuns(
      { warmup: 0, minReps: 1, maxReps: 3, budgetMs: 0, capMs: 1, minRepsFor: { js: 7 } },
      ['js', 'wasm'],
      5,
    );
    expect(p.minRepsFor).toEqual({ js: 7, wasm: 5 });
    expect(p.minReps).toBe(1);
  });
});
