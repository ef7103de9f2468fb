/** Unit tests of the harness itself: tolerance, ids, corpus, runner semantics, reports. */
import { createJsBackend } from '@spectrans/backend-js';
import { describe, expect, test } from 'vitest';
import {
  allclose,
  buildCorpus,
  idMatches,
  runCases,
  runTarget,
  toleranceFor,
  type ConformanceCase,
} from '../src/index.js';
import { formatHtml, formatJson, formatText } from '../src/report/index.js';
import { BINARY_OPS, UNARY_OPS } from '../src/reference/elementwise.js';
import { kebab } from '../src/cases/helpers.js';
import { inaccurateCosBackend } from './fixtures/broken-backends.js';

describe('allclose', () => {
  const tol = toleranceFor('float32', 'ieee', 'arithmetic');
  test('NaN equals only NaN; infinities must match in sign', () => {
    expect(allclose([NaN, Infinity, -Infinity], [NaN, Infinity, -Infinity], { tolerance: tol }).ok).toBe(true);
    expect(allclose([1], [NaN], { tolerance: tol }).ok).toBe(false);
    expect(allclose([NaN], [1], { tolerance: tol }).ok).toBe(false);
    expect(allclose([-Infinity], [Infinity], { tolerance: tol }).ok).toBe(false);
    expect(allclose([3e38], [Infinity], { tolerance: toleranceFor('float32', 'reduced', 'transcendental') }).ok).toBe(
      false,
    );
  });
  test('|a − e| <= atol + rtol|e| + perTerm·k·s, worst element reported', () => {
    const acc = toleranceFor('float64', 'ieee', 'accumulate');
    const e = 1;
    const bound = acc.atol + acc.rtol * e + acc.perTerm * 10 * 100;
    expect(allclose([e + bound * 0.9], [e], { tolerance: acc, k: 10, scale: [100] }).ok).toBe(true);
    const r = allclose([e, e + bound * 1.5], [e, e], { tolerance: acc, k: 10, scale: [100, 100] });
    expect(r.ok).toBe(false);
    expect(r.worst?.index).toBe(1);
    expect(r.mismatches).toBe(1);
  });
  test('kinds sum their rows', () => {
    const t = toleranceFor('float32', 'ieee', ['transcendental', 'accumulate']);
    expect(t.rtol).toBeCloseTo(
      toleranceFor('float32', 'ieee', 'transcendental').rtol + toleranceFor('float32', 'ieee', 'accumulate').rtol,
    );
  });
});

describe('ids and corpus', () => {
  const corpus = buildCorpus();
  const ids = corpus.map((c) => c.id);
  test('ids are unique, lowercase kebab-case segments, dtype last when the case has one', () => {
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of corpus) {
      expect(c.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*(\/[a-z0-9]+(-[a-z0-9]+)*)+$/);
      if (c.dtype) expect(c.id.endsWith(`/${c.dtype}`)).toBe(true);
    }
  });
  test('every op of the contract has cases in both dtypes', () => {
    const groups = [
      ...UNARY_OPS.map((op) => `ops/${op}`),
      ...BINARY_OPS.map((op) => `ops/${kebab(op)}`),
      ...[
        'where',
        'cast',
        'sum',
        'max',
        'min',
        'cumsum',
        'transpose',
        'reshape',
        'concat',
        'slice',
        'matmul',
        'cdist/sqeuclidean',
        'cdist/l1',
        'fwht',
        'rff-features',
      ].map((g) => `ops/${g}`),
      'linalg/qr',
      'linalg/eigh',
      'linalg/svd',
      'storage/round-trip',
    ];
    for (const g of groups)
      for (const dtype of ['float32', 'float64']) {
        expect(
          ids.some((id) => idMatches(g, id) && id.endsWith(`/${dtype}`)),
          `${g} ${dtype}`,
        ).toBe(true);
      }
    for (const id of [
      'ops/add/scalar-left/float32',
      'ops/add/scalar-right/float64',
      'ops/cumsum/exclusive-reverse/float32',
      'ops/matmul/transpose-b/float32',
      'ops/cdist/l1/batch-broadcast/float64',
      'errors/matmul/inner-mismatch',
    ]) {
      expect(ids).toContain(id);
    }
  });
  test('a float32-only corpus has no float64 cases', () => {
    expect(buildCorpus(['float32']).some((c) => c.dtype === 'float64' || c.id.includes('float64'))).toBe(false);
  });
  test('the long training run takes 10,000 steps unless told otherwise, with a time limit to match', () => {
    const long = (options?: { longRunSteps?: number }) =>
      buildCorpus(['float32'], options).find((c) => c.id === 'gradients/training/long-run-leaks/float32')!;
    expect(long().timeoutMs).toBeGreaterThan(long({ longRunSteps: 1000 }).timeoutMs!);
    for (const bad of [0, 150, 1001, 2.5, Number.NaN])
      expect(() => buildCorpus(['float32'], { longRunSteps: bad })).toThrow(/longRunSteps must be an even integer/);
  });
  test('idMatches works on whole segments', () => {
    expect(idMatches('linalg/svd', 'linalg/svd/tall/float32')).toBe(true);
    expect(idMatches('linalg/svd', 'linalg/svd')).toBe(true);
    expect(idMatches('linalg/sv', 'linalg/svd/tall/float32')).toBe(false);
    expect(idMatches('ops/cos/large-arguments/float32', 'ops/cos/large-arguments/float32')).toBe(true);
  });
});

describe('runner semantics', () => {
  const js = { name: 'js', create: () => createJsBackend() };
  test('skip by id prefix with its reason; filter by prefix', async () => {
    const results = await runCases(
      { ...js, skip: [{ id: 'ops/matmul/transpose-a', reason: 'not today' }] },
      { filter: 'ops/matmul/transpose' },
    );
    expect(results.map((r) => r.id).every((id) => id.startsWith('ops/matmul/transpose'))).toBe(true);
    const skipped = results.filter((r) => r.status === 'skip');
    expect(skipped.map((r) => r.id).sort()).toEqual([
      'ops/matmul/transpose-a/float32',
      'ops/matmul/transpose-a/float64',
    ]);
    expect(skipped[0]?.message).toBe('not today');
  });
  test('an expected failure that fails is xfail; one that passes is a failure', async () => {
    const results = await runCases(
      {
        name: 'broken-cos',
        create: inaccurateCosBackend,
        expectedFailures: [
          { id: 'ops/cos/large-arguments/float32', reason: 'float32 2π' },
          { id: 'ops/sin/random/float64', reason: 'wrongly listed' },
        ],
      },
      { filter: ['ops/cos/large-arguments/float32', 'ops/sin/random/float64'] },
    );
    expect(results.find((r) => r.id === 'ops/cos/large-arguments/float32')?.status).toBe('xfail');
    const unexpected = results.find((r) => r.id === 'ops/sin/random/float64');
    expect(unexpected?.status).toBe('fail');
    expect(unexpected?.message).toContain('expected to fail');
  });
  test('optional ops report native or fallback', async () => {
    const native = await runCases(js, { filter: 'linalg/qr/square/float32' });
    expect(native[0]?.path).toBe('native');
    const plain = await runCases(
      {
        name: 'js-no-linalg',
        create: () => ({ ...createJsBackend(), linalg: undefined }) as ReturnType<typeof createJsBackend>,
      },
      { filter: 'linalg/qr/square/float32' },
    );
    expect(plain[0]).toMatchObject({ path: 'fallback', status: 'pass' });
  });
  test('a case that leaks core tensors fails the leak check', async () => {
    const leaky: ConformanceCase = {
      id: 'test/leaks-a-tensor',
      async run(ctx) {
        const { tensor } = await import('@spectrans/core');
        tensor([1, 2], [2], 'float32', { backend: ctx.backend }); // never disposed
      },
    };
    const [r] = await runCases(js, { cases: [leaky] });
    expect(r?.status).toBe('fail');
    expect(r?.message).toContain('liveTensorCount()');
  });
  test('the context disposes tracked kernels and tensors, also when the case fails midway', async () => {
    const { GaussianRFFKernel } = await import('@spectrans/core');
    const failing: ConformanceCase = {
      id: 'test/fails-with-a-kernel',
      run(ctx) {
        const kernel = ctx.track(new GaussianRFFKernel({ inputDim: 2, numFeatures: 4, seed: 1, backend: ctx.backend }));
        ctx.track(kernel.forward(ctx.input([1, 2], [1, 2])));
        ctx.fail('deliberately');
      },
    };
    const [r] = await runCases(js, { cases: [failing] });
    expect(r?.status).toBe('fail');
    expect(r?.message).toBe('deliberately');
  });
  test('the same seed gives the same results; another seed other inputs', async () => {
    const a = await runCases(js, { filter: 'ops/matmul/plain', seed: 1 });
    const b = await runCases(js, { filter: 'ops/matmul/plain', seed: 1 });
    const c = await runCases(js, { filter: 'ops/matmul/plain', seed: 2 });
    expect(a.map((r) => r.seed)).toEqual(b.map((r) => r.seed));
    expect(a.map((r) => r.maxError)).toEqual(b.map((r) => r.maxError));
    expect(a.map((r) => r.seed)).not.toEqual(c.map((r) => r.seed));
  });
});

describe('reports', () => {
  test('text, html and json show the matrix, unavailable targets and failures', async () => {
    const ok = await runTarget(
      { name: 'js', create: () => createJsBackend() },
      { filter: ['ops/cos', 'ops/matmul/plain'] },
    );
    const broken = await runTarget(
      { name: 'broken-cos', create: inaccurateCosBackend },
      { filter: ['ops/cos', 'ops/matmul/plain'] },
    );
    const down = await runTarget({
      name: 'down',
      create: () => {
        throw new Error('no GPU here');
      },
    });
    expect(down).toMatchObject({ status: 'unavailable', reason: 'no GPU here', results: [] });
    const text = formatText([ok, broken, down]);
    expect(text).toMatch(/ops\/cos\s+[\d<][\d.]*\s+FAIL \d+\s+n\/a\n/);
    expect(formatText([ok, broken, down], { details: true })).toMatch(/ops\/cos\s+8 ok/);
    expect(text).toContain('unavailable: no GPU here');
    expect(text).toContain('FAIL ops/cos/large-arguments/float32');
    expect(text).toMatch(/conformance: \d+ cases on 3 target\(s\) \(1 unavailable\): \d+ pass, [1-9]\d* fail/);
    const html = formatHtml([ok, broken, down]);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<(script|link)\b/);
    expect(html).toContain('class="fail"');
    const json = JSON.parse(formatJson({ targets: [ok, broken, down], seed: 7 })) as {
      seed: number;
      targets: { name: string; results: unknown[] }[];
    };
    expect(json.seed).toBe(7);
    expect(json.targets.map((t) => t.name)).toEqual(['js', 'broken-cos', 'down']);
  });
});
