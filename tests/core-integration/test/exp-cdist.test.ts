/**
 * The optional fused op expCdist: argument checks, the composed chain on backends without it, a
 * backend's native op and declining it, the composed chain (never the op) while a gradient is
 * recorded, and the shift-invariant kernels' `compute` going through it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  expCdist,
  GaussianRFFKernel,
  grads,
  LaplacianRFFKernel,
  sum,
  tensor,
  type Backend,
  type DistanceMetric,
} from '@spectrans/core';
import { createJsBackend } from '@spectrans/backend-js';
import { errorCode } from './errors.js';
import { maxAbsDiff, randn, useJs } from './helpers.js';

beforeAll(useJs);

/** A backend-js whose `expCdist` records its metric and scale and returns zeros (or declines). */
function withNativeOp(answer: 'zeros' | 'decline'): { backend: Backend; calls: string[] } {
  const js = createJsBackend({ name: `js-exp-cdist-${answer}` });
  const calls: string[] = [];
  const backend: Backend = {
    ...js,
    expCdist(_x, _y, metric, scale, outShape) {
      calls.push(`${metric} ${scale}`);
      if (answer === 'decline') return undefined;
      return js.fromArray(new Float64Array(outShape.reduce((a, s) => a * s, 1)), outShape, 'float64');
    },
  } as Backend;
  return { backend, calls };
}

/** exp(scale · distance) of the rows of x (n, d) and y (m, d), float64 on the host. */
function hostExpCdist(
  x: Float64Array,
  y: Float64Array,
  n: number,
  m: number,
  d: number,
  metric: DistanceMetric,
  scale: number,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let p = 0; p < d; p++) {
        const diff = x[i * d + p]! - y[j * d + p]!;
        s += metric === 'l1' ? Math.abs(diff) : diff * diff;
      }
      out.push(Math.exp(scale * s));
    }
  return out;
}

describe('expCdist', () => {
  it('rejects bad arguments with coded errors naming them', () => {
    const x = randn([4, 3], 1);
    expect(errorCode(() => expCdist(x, randn([4, 5], 3), 'l1', -1))).toBe('ERR_SHAPE_MISMATCH');
    expect(errorCode(() => expCdist(randn([3], 3), x, 'l1', -1))).toBe('ERR_INVALID_SHAPE');
    expect(errorCode(() => expCdist(x, x, 'cosine' as never, -1))).toBe('ERR_INVALID_ARGUMENT');
    expect(errorCode(() => expCdist(x, x, 'l1', Number.NaN))).toBe('ERR_INVALID_ARGUMENT');
    expect(() => expCdist(x, x, 'l1', Number.POSITIVE_INFINITY)).toThrow(/expCdist: scale/);
    expect(() => expCdist(x, randn([2, 2, 3], 4), 'l1', -1)).not.toThrow();
    expect(errorCode(() => expCdist(randn([2, 4, 3], 5), randn([3, 4, 3], 6), 'l1', -1))).toBe('ERR_SHAPE_MISMATCH');
  });

  it('composes the exact kernel matrix on backends without the op, for both metrics', async () => {
    const [n, m, d] = [5, 7, 3];
    const x = randn([n, d], 4);
    const y = randn([m, d], 5);
    const hx = (await x.data()) as Float64Array;
    const hy = (await y.data()) as Float64Array;
    for (const metric of ['sqeuclidean', 'l1'] as const) {
      const got = await expCdist(x, y, metric, -0.3).data();
      expect(maxAbsDiff(got, hostExpCdist(hx, hy, n, m, d, metric, -0.3))).toBeLessThan(1e-14);
    }
  });

  it("runs a backend's native op, composes when it declines, and never runs it while recording", async () => {
    for (const answer of ['zeros', 'decline'] as const) {
      const { backend, calls } = withNativeOp(answer);
      const on = { backend };
      const x = tensor([0, 1, 2, 3], [2, 2], 'float64', on);
      const out = await expCdist(x, x, 'l1', -0.5).data();
      expect(calls).toEqual(['l1 -0.5']);
      if (answer === 'zeros') expect(Array.from(out)).toEqual([0, 0, 0, 0]);
      else expect(Array.from(out)).toEqual([1, Math.exp(-2), Math.exp(-2), 1]);
      // d/dx_i of Σ_ij exp(−‖x_i − x_j‖² / 2), through the composed chain: 2·exp(−4)·(x_k − x_i) per row (k ≠ i)
      const g = grads(() => sum(expCdist(x, x, 'sqeuclidean', -0.5)), { x });
      expect(calls).toEqual(['l1 -0.5']);
      const e = Math.exp(-4); // ‖x_0 − x_1‖² = 8
      const want = [4 * e, 4 * e, -4 * e, -4 * e];
      expect(maxAbsDiff(await g.x.data(), want)).toBeLessThan(1e-15);
    }
  });

  it("is what the Gaussian and Laplacian kernels' compute returns", async () => {
    const x = randn([2, 6, 4], 7);
    const y = randn([2, 5, 4], 8);
    const gauss = new GaussianRFFKernel({ inputDim: 4, numFeatures: 8, sigma: 1.5, seed: 1, dtype: 'float64' });
    const lap = new LaplacianRFFKernel({ inputDim: 4, numFeatures: 8, sigma: 2, seed: 1, dtype: 'float64' });
    const pairs = [
      [gauss.compute(x, y), expCdist(x, y, 'sqeuclidean', -1 / (2 * 1.5 ** 2))],
      [lap.compute(x, y), expCdist(x, y, 'l1', -1 / 2)],
    ] as const;
    for (const [got, want] of pairs) expect(maxAbsDiff(await got.data(), await want.data())).toBe(0);
  });
});
