/** The reports: the text matrix fits a terminal, errors read as fractions of the tolerance, failures that follow from failing ops say so. */
import { createJsBackend } from '@spectrans/backend-js';
import { describe, expect, test } from 'vitest';
import { buildCorpus } from '../src/corpus.js';
import { formatFraction, formatHtml, formatJson, formatText, followsFrom, opsUsedBy } from '../src/report/index.js';
import { runTarget, type TargetReport } from '../src/runner.js';
import type { CaseResult } from '../src/types.js';
import { derive } from './fixtures/broken-backends.js';

const ids = buildCorpus(['float32']).map((c) => c.id);

/** A report of `name` passing every corpus case at 0.12 of its tolerance, with `overrides` by id. */
function report(name: string, overrides: Record<string, Partial<CaseResult>> = {}): TargetReport {
  return {
    name,
    status: 'ok',
    backend: { name, capabilities: { dtypes: { float32: 'reduced' } } } as TargetReport['backend'],
    results: ids.map((id) => ({
      id,
      status: 'pass',
      dtype: 'float32',
      ms: 1,
      maxError: 1.13e24,
      toleranceFraction: 0.123,
      ...overrides[id],
    })),
    ms: 1234,
  };
}

const NAMES = [
  'js',
  'tfjs-cpu',
  'tfjs-wasm',
  'tfjs-tensorflow',
  'gpujs-headlessgl',
  'gpujs-webasm',
  'gpujs-cpu',
  'wasm-1t',
  'wasm-2t',
];

function longestLine(text: string): number {
  return Math.max(...text.split('\n').map((l) => [...l].length));
}

describe('text report', () => {
  test('fits 100 columns by default with every built-in target and every group, and any --width asked', () => {
    const reports = NAMES.map((n) => report(n));
    reports.push({ name: 'webgpu', status: 'unavailable', reason: 'no adapter '.repeat(30), results: [], ms: 0 });
    expect(longestLine(formatText(reports))).toBeLessThanOrEqual(100);
    expect(longestLine(formatText(reports, { details: true }))).toBeLessThanOrEqual(100);
    for (const width of [60, 80, 132]) {
      const text = formatText(reports, { width, details: true });
      expect(longestLine(text)).toBeLessThanOrEqual(width);
      for (const n of NAMES) expect(text).toContain(n); // every target is named, in the list above the matrix
    }
    // Thirty targets still fit: the columns come in blocks.
    const many = Array.from({ length: 30 }, (_, i) => report(`target-${i}`));
    expect(longestLine(formatText(many))).toBeLessThanOrEqual(100);
  });

  test('full target names head the columns when they fit, numbers otherwise', () => {
    const two = formatText([report('js'), report('tfjs-cpu')]);
    expect(two).toMatch(/^group\s+js\s+tfjs-cpu$/m);
    const all = formatText(NAMES.map((n) => report(n)));
    expect(all).toMatch(/^group\s+\[1]\s+\[2]\s+\[3]/m);
    expect(all).toContain('[5] gpujs-headlessgl  gpujs-headlessgl: float32 reduced');
  });

  test('shows the error as a fraction of the tolerance, not the raw absolute error', () => {
    const text = formatText([report('js')]);
    expect(text).toMatch(/^ops\/pow\s+0\.12$/m);
    expect(text).not.toContain('1.13e+24');
    expect(text).toContain('worst error as a fraction of its tolerance');
    const details = formatText([report('js')], { details: true });
    expect(details).toMatch(/ops\/pow\s+\d+ ok {2}0\.12 of tol {2}max 1\.13e\+24/);
    expect([0, 0.004, 0.5, 1, 12.5, 1.13e24, Infinity].map(formatFraction)).toEqual([
      '0',
      '<0.01',
      '0.50',
      '1.00',
      '1.3e1',
      '1.1e24',
      'inf',
    ]);
  });

  test('a kernel or attention failure that follows from a failing op on the same target says so', () => {
    const r = report('tfjs-webgl', {
      'ops/exp/random/float32': { status: 'fail', toleranceFraction: 40, message: 'exp is off' },
      'attention/softmax/causal-and-masks/float32': { status: 'fail', toleranceFraction: 3, message: 'rows differ' },
      'kernels/polynomial/degree-3/matches-oracle/float32': { status: 'fail', message: 'off' },
    });
    const follows = followsFrom(r);
    expect(follows.get('attention/softmax/causal-and-masks/float32')).toEqual(['ops/exp']);
    expect(follows.has('kernels/polynomial/degree-3/matches-oracle/float32')).toBe(false); // no exp there
    expect(follows.has('ops/exp/random/float32')).toBe(false);
    const text = formatText([r]);
    expect(text).toMatch(/FAIL attention\/softmax\/causal-and-masks\/float32\n\s+\(follows from failing ops\/exp\)/);
    expect(text).not.toMatch(/degree-3\/matches-oracle\/float32\n\s+\(follows/);
    expect(formatHtml([r])).toContain('(follows from failing ops/exp)');
    const json = JSON.parse(formatJson({ targets: [r], seed: 1 })) as { followsFrom: unknown };
    expect(json.followsFrom).toEqual({ 'tfjs-webgl': { 'attention/softmax/causal-and-masks/float32': ['ops/exp'] } });
  });

  test('an op failure in one dtype explains failures in that dtype only', () => {
    const r: TargetReport = {
      name: 't',
      status: 'ok',
      results: [
        { id: 'ops/cos/random/float64', status: 'fail', dtype: 'float64', ms: 0 },
        { id: 'kernels/gaussian-rff/plain/matches-oracle/float32', status: 'fail', dtype: 'float32', ms: 0 },
        { id: 'kernels/gaussian-rff/plain/matches-oracle/float64', status: 'fail', dtype: 'float64', ms: 0 },
      ],
      ms: 0,
    };
    expect([...followsFrom(r)]).toEqual([['kernels/gaussian-rff/plain/matches-oracle/float64', ['ops/cos']]]);
  });

  test('every kernel, attention and gradient group of the corpus maps to the ops it uses', () => {
    const unmapped = [
      ...new Set(
        ids
          .filter((id) => /^(kernels|attention|gradients)\//.test(id) && !/^(kernels|attention)\/errors\//.test(id))
          .filter((id) => opsUsedBy(id).length === 0)
          .map((id) => id.split('/').slice(0, 3).join('/')),
      ),
    ];
    expect(unmapped).toEqual([]);
    // The ops named are groups of the corpus.
    const groups = new Set(ids.map((id) => id.split('/').slice(0, 2).join('/')));
    const named = new Set(ids.flatMap((id) => opsUsedBy(id)));
    expect([...named].filter((op) => !groups.has(op))).toEqual([]);
  });

  test('on a real backend with an inaccurate exp: the exact Gaussian kernel fails, following from ops/exp; passes stay within tolerance', async () => {
    // exp off by a relative 1e-3 on every other element, as a fast-math exp might be on some arguments.
    const badExp = (): ReturnType<typeof createJsBackend> =>
      derive('bad-exp', (base) => ({
        unary(op, x) {
          const h = base.unary(op, x);
          if (op !== 'exp') return h;
          const data = base.readSync!({ handle: h, shape: x.shape, dtype: x.dtype });
          base.dispose(h);
          return base.fromArray(
            data.map((v, i) => (i % 2 ? v * (1 + 1e-3) : v)),
            x.shape,
            x.dtype,
          );
        },
      }));
    const filter = ['ops/exp', 'ops/matmul/plain', 'kernels/gaussian-rff/exact'];
    const broken = await runTarget({ name: 'bad-exp', create: badExp }, { filter });
    const ok = await runTarget({ name: 'js', create: () => createJsBackend() }, { filter });
    const exp = broken.results.find((r) => r.id === 'ops/exp/random/float32')!;
    expect(exp.status).toBe('fail');
    expect(exp.toleranceFraction).toBeGreaterThan(1);
    for (const r of [...ok.results, ...broken.results].filter((c) => c.status === 'pass'))
      expect(r.toleranceFraction ?? 0).toBeLessThanOrEqual(1);
    const text = formatText([ok, broken]);
    expect(text).toMatch(
      /FAIL kernels\/gaussian-rff\/exact\/matches-oracle\/float32\n\s+\(follows from failing ops\/exp\)/,
    );
    expect(text).toMatch(/^kernels\/gaussian-rff\s+\S+\s+FAIL 2$/m);
    expect(text).toMatch(/^ops\/exp\s+\S+\s+FAIL \d+$/m);
  });
});

describe('HTML report', () => {
  test('has a legend, each target’s declared precision in a sticky header, and fractions in the cells', () => {
    const html = formatHtml([
      report('gpujs-headlessgl'),
      { name: 'down', status: 'unavailable', reason: 'no GPU', results: [], ms: 0 },
    ]);
    expect(html).toContain('class="legend"');
    expect(html).toContain('1 = the limit');
    expect(html).toMatch(/<th>gpujs-headlessgl<br><small>gpujs-headlessgl<br>float32 reduced<\/small><\/th>/);
    expect(html).toMatch(/thead th\{position:sticky;top:0/);
    expect(html).toMatch(/<td class="pass" title="[^"]*0\.12 of tol[^"]*">0\.12<\/td>/);
    expect(html).toContain('unavailable: no GPU');
  });
});
