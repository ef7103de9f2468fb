/**
 * The explorer's numbers, in Node on backend-js: the float64 references against the library's own
 * exact kernels, every selectable feature map against its exact kernel, the error-curve slope, and
 * attention weights read out with V = I. The drawing is checked in the browser (e2e.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { createJsBackend } from '@spectrans/backend-js';
import { GaussianRFFKernel, LaplacianRFFKernel, tensor } from '@spectrans/core';
import { compareAttention, compareGram, errorCurve, timeIt } from '../src/explorer/compute.js';
import { attentionInputs, points } from '../src/explorer/data.js';
import { errorStats, exactAttentionWeights, exactGram, logLogSlope } from '../src/explorer/exact.js';
import { colourAt, ERROR_COLOURS, quantileRange, VALUE_COLOURS } from '../src/explorer/heatmap.js';
import { KERNELS, kernelChoice } from '../src/explorer/kernels.js';
import { sqrtReferenceConstant } from '../src/explorer/plots.js';

const backend = createJsBackend();

describe('float64 references', () => {
  const pts = points('clusters');

  it.each([
    [
      'gaussian',
      (sigma: number) => new GaussianRFFKernel({ inputDim: 2, numFeatures: 4, sigma, dtype: 'float64', backend }),
    ],
    [
      'laplacian',
      (sigma: number) => new LaplacianRFFKernel({ inputDim: 2, numFeatures: 4, sigma, dtype: 'float64', backend }),
    ],
  ] as const)('the %s Gram matrix equals the kernel class compute() in float64', async (kind, make) => {
    for (const sigma of [0.5, 1.3]) {
      const kernel = make(sigma);
      const x = tensor(pts, undefined, 'float64', { backend });
      const library = await kernel.compute(x, x).data();
      const ours = exactGram({ kind, sigma }, pts);
      expect(errorStats(ours.values, library).max).toBeLessThan(1e-13);
      kernel.dispose();
      x.dispose();
    }
  });

  it('softmax attention weights: rows sum to 1, causal rows see only j <= i', () => {
    const { q, k } = attentionInputs(12, 4);
    for (const causal of [false, true]) {
      const w = exactAttentionWeights(q, k, 0.5, causal);
      for (let i = 0; i < 12; i++) {
        const row = w.values.subarray(i * 12, i * 12 + 12);
        expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
        if (causal) expect([...row.subarray(i + 1)].every((v) => v === 0)).toBe(true);
      }
    }
  });

  it('error statistics keep NaN visible and the slope of c/√D is −1/2', () => {
    expect(errorStats([1, 2, 3], [1, 2, 5])).toEqual({ max: 2, mean: 2 / 3, scale: 5 });
    expect(errorStats([NaN, 2], [1, 2]).max).toBeNaN();
    expect(() => errorStats([1], [1, 2])).toThrow(RangeError);
    const dims = [8, 32, 128, 512];
    expect(
      logLogSlope(
        dims,
        dims.map((D) => 3 / Math.sqrt(D)),
      ),
    ).toBeCloseTo(-0.5, 12);
    expect(sqrtReferenceConstant(dims.map((D) => ({ numFeatures: D, error: 3 / Math.sqrt(D) })))).toBeCloseTo(3, 12);
  });

  it('inputs are deterministic and differ between datasets', () => {
    expect(points('clusters')).toEqual(points('clusters'));
    expect(points('sine')).not.toEqual(points('clusters'));
    expect(attentionInputs()).toEqual(attentionInputs());
  });

  it('colour maps start and end at their anchors and clamp outside [0, 1]', () => {
    expect(colourAt(VALUE_COLOURS, 0)).toEqual([68, 1, 84]);
    expect(colourAt(VALUE_COLOURS, 1)).toEqual([253, 231, 37]);
    expect(colourAt(VALUE_COLOURS, 7)).toEqual(colourAt(VALUE_COLOURS, 1));
    expect(colourAt(ERROR_COLOURS, NaN)).toEqual([0, 0, 4]);
  });

  it('quantileRange ignores the few largest values', () => {
    const values = Float64Array.from({ length: 100 }, (_, i) => (i === 99 ? 1 : i / 1000));
    expect(quantileRange({ rows: 10, cols: 10, values }, 0.9)).toEqual([0, 0.09]);
    expect(quantileRange({ rows: 1, cols: 1, values: new Float64Array(1) }, 0.99)).toEqual([0, 1]);
  });
});

describe('every selectable feature map on backend-js', () => {
  const pts = points('clusters');

  it.each(KERNELS.map((k) => [k.id]))('%s estimates its exact kernel, better with more features', async (id) => {
    const choice = kernelChoice(id);
    const settings = { choice, points: pts, sigma: 1, seed: 3 };
    const small = await compareGram(backend, { ...settings, numFeatures: 16 });
    const large = await compareGram(backend, { ...settings, numFeatures: 4096 });
    // Monte Carlo error about 1/√D of the kernel's size: ~2% at D = 4096.
    expect(large.error.mean / large.error.scale).toBeLessThan(0.05);
    expect(large.error.mean).toBeLessThan(small.error.mean / 3);
    expect(large.approx.rows).toBe(64);
  });

  it('the error curve falls like 1/√D', async () => {
    const curve = await errorCurve(
      backend,
      { choice: kernelChoice('gaussian-rff'), points: pts, sigma: 1, seed: 1 },
      [16, 64, 256, 1024],
      4,
    );
    const slope = logLogSlope(
      curve.map((p) => p.numFeatures),
      curve.map((p) => p.meanError),
    );
    expect(slope).toBeGreaterThan(-0.7);
    expect(slope).toBeLessThan(-0.35);
  });

  it('an error curve told to stop returns the points done so far', async () => {
    let draws = 0;
    const settings = { choice: kernelChoice('laplacian-rff'), points: pts, sigma: 1, seed: 1 };
    const curve = await errorCurve(backend, settings, [16, 64, 256], 2, () => draws++ >= 3);
    expect(curve.map((p) => p.numFeatures)).toEqual([16]);
  });

  it('attention weights read out with V = I: softmaxAttention matches float64, FAVOR+ converges', async () => {
    // Small inputs: FAVOR+ is near its 1/√D regime; large ones (amplitude 1): it converges, slowly.
    for (const [amplitude, gain] of [
      [0.5, 6],
      [1, 2],
    ] as const) {
      const inputs = attentionInputs(48, 16, 11, amplitude);
      for (const causal of [false, true]) {
        const small = await compareAttention(backend, { inputs, numFeatures: 16, seed: 2, causal });
        const large = await compareAttention(backend, { inputs, numFeatures: 4096, seed: 2, causal });
        expect(large.exactError.max).toBeLessThan(1e-6);
        expect(large.error.mean).toBeLessThan(small.error.mean / gain);
        expect(large.error.max).toBeLessThan(0.3);
        // Each FAVOR+ row is a distribution too: positive weights that sum to 1.
        for (let i = 0; i < 48; i++) {
          const row = large.favor.values.subarray(i * 48, i * 48 + 48);
          expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 4);
          expect(Math.min(...row)).toBeGreaterThanOrEqual(0);
        }
      }
    }
  });

  it('timeIt runs a warm-up and reports the median', async () => {
    let calls = 0;
    const t = await timeIt(async () => calls++, 4);
    expect(calls).toBe(5);
    expect(t.reps).toBe(4);
    expect(t.medianMs).toBeGreaterThanOrEqual(t.minMs);
  });
});
