/** The suite catches deliberately broken backends, at the ids where they are broken. */
import { describe, expect, test } from 'vitest';
import { runCases, type CaseResult } from '../src/index.js';
import {
  fakeFloat64Backend,
  inaccurateCosBackend,
  leakyBackend,
  nanIgnoringReduceBackend,
  slowLeakBackend,
  wrongMatmulBackend,
} from './fixtures/broken-backends.js';

function failed(results: readonly CaseResult[]): Map<string, string> {
  return new Map(results.filter((r) => r.status === 'fail').map((r) => [r.id, r.message ?? '']));
}

describe('broken backends are caught', () => {
  test('a matmul off by 1e-5 relative fails the matmul cases, no other op, and the float64 kernels built on it', async () => {
    const results = await runCases(
      { name: 'broken-matmul', create: wrongMatmulBackend },
      { filter: (id) => !id.startsWith('gradients/training/long-run-leaks/') }, // the next test's subject
    );
    const fails = failed(results);
    for (const id of [
      'ops/matmul/plain/float32',
      'ops/matmul/transpose-b/float32',
      'ops/matmul/batch-broadcast/float64',
      'ops/matmul/transpose-both/float64',
    ]) {
      expect(fails.has(id), id).toBe(true);
    }
    // Kernels, attention (the fused log-feature op and its gradient included: core composes them on
    // this backend), positive features (composed here too) and gradients are built on matmul, so
    // the broken product shows there too.
    const opFailures = [...fails.keys()].filter(
      (id) =>
        !id.startsWith('kernels/') &&
        !id.startsWith('attention/') &&
        !id.startsWith('gradients/') &&
        !id.startsWith('ops/log-linear-attention/') &&
        !id.startsWith('ops/log-linear-attention-grad/') &&
        !id.startsWith('ops/positive-features/'),
    );
    expect(fails.has('ops/log-linear-attention-grad/full/float64')).toBe(true);
    expect(fails.has('ops/positive-features/random/float64')).toBe(true);
    expect(opFailures.filter((id) => !id.startsWith('ops/matmul/'))).toEqual([]);
    expect(fails.has('kernels/cosine/add-eps/matches-oracle/float64')).toBe(true);
    expect(fails.has('gradients/ops/matmul/transpose-both/float64')).toBe(true);
    expect(fails.has('gradients/ops/exp/float64')).toBe(false);
    const message = fails.get('ops/matmul/plain/float32')!;
    for (const part of ['worst at [', 'actual', 'expected', '|delta|', 'tolerance', 'shapes:', 'seed:'])
      expect(message).toContain(part);
  }, 60000); // the whole corpus: about 5 s here

  test('a cos reduced with a float32 2π fails only the large-arguments cases', async () => {
    const results = await runCases(
      { name: 'broken-cos', create: inaccurateCosBackend },
      { filter: ['ops/cos', 'ops/sin'] },
    );
    const fails = failed(results);
    expect(fails.has('ops/cos/large-arguments/float32')).toBe(true);
    expect(fails.has('ops/cos/large-arguments/float64')).toBe(true);
    expect(fails.has('ops/sin/large-arguments/float32')).toBe(false);
    expect(results.find((r) => r.id === 'ops/cos/edge-values/float32')?.status).toBe('pass');
  });

  test('an op that forgets to dispose a handle fails the leak check', async () => {
    const results = await runCases({ name: 'leaky', create: leakyBackend }, { filter: ['ops/exp/', 'ops/log/'] });
    const fails = failed(results);
    expect(fails.get('ops/exp/random/float32')).toMatch(/leak: backend memory\(\)\.handles went from \d+ to \d+/);
    expect([...fails.keys()].every((id) => id.startsWith('ops/exp/'))).toBe(true);
    expect(results.filter((r) => r.id.startsWith('ops/log/')).every((r) => r.status === 'pass')).toBe(true);
  });

  test('a handle leaked once every 5,000 matmuls shows in the 10,000-step training run only', async () => {
    const results = await runCases({ name: 'slow-leak', create: slowLeakBackend }, { filter: ['gradients/training/'] });
    const fails = failed(results);
    expect([...fails.keys()].sort()).toEqual([
      'gradients/training/long-run-leaks/float32',
      'gradients/training/long-run-leaks/float64',
    ]);
    expect(fails.get('gradients/training/long-run-leaks/float32')).toMatch(
      /after step 100: \d+ tensors, (\d+) handles.*after step 10000: \d+ tensors, (?!\1 handles)\d+ handles/,
    );
    expect(results.filter((r) => r.status === 'pass').length).toBe(4);
  }, 60000); // 2 x 10,000 training steps: about 6 s here, past vitest's 5 s default

  test('a reduce that ignores NaN fails the NaN-propagation cases', async () => {
    const results = await runCases(
      { name: 'nan-ignoring-reduce', create: nanIgnoringReduceBackend },
      { filter: ['ops/sum', 'ops/max', 'ops/min'] },
    );
    const fails = failed(results);
    for (const op of ['sum', 'max', 'min']) {
      for (const dtype of ['float32', 'float64'])
        expect(fails.has(`ops/${op}/nan-propagation/${dtype}`), `${op} ${dtype}`).toBe(true);
      expect(results.find((r) => r.id === `ops/${op}/axis-1/float32`)?.status).toBe('pass');
    }
  });

  test('a float64 that is really float32 fails the float64 tolerance, and float32 still passes', async () => {
    const results = await runCases(
      { name: 'fake-float64', create: fakeFloat64Backend },
      {
        filter: [
          'storage/round-trip',
          'ops/matmul/plain',
          'ops/exp/random',
          'ops/add/same-shape',
          'ops/sum/axis-0',
          'ops/cdist/l1/plain',
        ],
      },
    );
    const byId = new Map(results.map((r) => [r.id, r]));
    for (const id of [
      'storage/round-trip',
      'ops/matmul/plain',
      'ops/exp/random',
      'ops/add/same-shape',
      'ops/sum/axis-0',
      'ops/cdist/l1/plain',
    ]) {
      expect(byId.get(`${id}/float64`)?.status, `${id}/float64`).toBe('fail');
      expect(byId.get(`${id}/float32`)?.status, `${id}/float32`).toBe('pass');
    }
    expect(byId.get('ops/matmul/plain/float64')?.message).toContain('float64 ieee');
  });
});
