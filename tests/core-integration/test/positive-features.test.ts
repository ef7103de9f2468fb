/**
 * The optional fused op positiveFeatures: argument checks before any backend runs, the composed
 * chain on backends without it (what RFFAttentionKernel's softmax features compute), a backend's
 * native op and declining it, and the composed chain (never the op) while a gradient is recorded.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { grads, positiveFeatures, RFFAttentionKernel, sum, tensor, type Backend } from '@spectrans/core';
import { createJsBackend } from '@spectrans/backend-js';
import { errorCode } from './errors.js';
import { maxAbsDiff, randn, useJs } from './helpers.js';

beforeAll(useJs);

/** A backend-js whose `positiveFeatures` records its stabilizers and returns zeros (or declines). */
function withNativeOp(answer: 'zeros' | 'decline'): { backend: Backend; calls: string[] } {
  const js = createJsBackend({ name: `js-positive-${answer}` });
  const calls: string[] = [];
  const backend: Backend = {
    ...js,
    positiveFeatures(_x, _omega, stabilizer, _scale, outShape) {
      calls.push(stabilizer);
      if (answer === 'decline') return undefined;
      return js.fromArray(new Float64Array(outShape.reduce((a, s) => a * s, 1)), outShape, 'float64');
    },
  } as Backend;
  return { backend, calls };
}

/** Host features of rows x (n, d) with omega (d, D), float64. */
function hostFeatures(
  x: Float64Array,
  omega: Float64Array,
  n: number,
  d: number,
  D: number,
  stabilizer: string,
  scale: number,
): number[] {
  const t: number[] = [];
  for (let r = 0; r < n; r++) {
    let h = 0;
    for (let q = 0; q < d; q++) h += x[r * d + q]! ** 2 / 2;
    const row: number[] = [];
    for (let j = 0; j < D; j++) {
      let z = 0;
      for (let q = 0; q < d; q++) z += x[r * d + q]! * omega[q * D + j]!;
      row.push(stabilizer === 'row' ? z : z - h);
    }
    const m = stabilizer === 'row' ? Math.max(...row) : 0;
    t.push(...row.map((v) => v - m));
  }
  const M = stabilizer === 'global' ? Math.max(...t) : 0;
  return t.map((v) => scale * Math.exp(v - M));
}

describe('positiveFeatures', () => {
  it('rejects bad arguments with coded errors naming them', () => {
    const x = randn([4, 3], 1);
    const omega = randn([3, 5], 2);
    expect(errorCode(() => positiveFeatures(x, randn([4, 5], 3), 'row', 1))).toBe('ERR_SHAPE_MISMATCH');
    expect(errorCode(() => positiveFeatures(x, randn([3], 3), 'row', 1))).toBe('ERR_INVALID_SHAPE');
    expect(errorCode(() => positiveFeatures(x, omega, 'max' as never, 1))).toBe('ERR_INVALID_ARGUMENT');
    expect(errorCode(() => positiveFeatures(x, omega, 'row', Number.POSITIVE_INFINITY))).toBe('ERR_INVALID_ARGUMENT');
    expect(() => positiveFeatures(x, omega, 'maximum' as never, 1)).toThrow(/stabilizer/);
  });

  it('composes the exact features on backends without the op, for every stabilizer', async () => {
    const [n, d, D] = [6, 4, 7];
    const x = randn([n, d], 4, 2);
    const omega = randn([d, D], 5);
    const hx = (await x.data()) as Float64Array;
    const ho = (await omega.data()) as Float64Array;
    for (const stabilizer of ['none', 'row', 'global'] as const) {
      const got = await positiveFeatures(x, omega, stabilizer, 0.25).data();
      expect(maxAbsDiff(got, hostFeatures(hx, ho, n, d, D, stabilizer, 0.25))).toBeLessThan(1e-13);
    }
  });

  it("runs a backend's native op, composes when it declines, and never runs it while recording", async () => {
    for (const answer of ['zeros', 'decline'] as const) {
      const { backend, calls } = withNativeOp(answer);
      const on = { backend };
      const x = tensor([0.5, -1, 2, 0.25], [2, 2], 'float64', on);
      const omega = tensor([1, 0, 0, 1], [2, 2], 'float64', on);
      const out = await positiveFeatures(x, omega, 'global', 1).data();
      expect(calls).toEqual(['global']);
      if (answer === 'zeros') expect(Array.from(out)).toEqual([0, 0, 0, 0]);
      else expect(Math.max(...out)).toBe(1);
      const g = grads(() => sum(positiveFeatures(x, omega, 'row', 1)), { x, omega });
      expect(calls).toEqual(['global']);
      expect(g.x.shape).toEqual([2, 2]);
      expect(g.omega.shape).toEqual([2, 2]);
    }
  });

  it("is what RFFAttentionKernel's softmax features compute", async () => {
    const favor = new RFFAttentionKernel({ inputDim: 5, numFeatures: 12, seed: 3, dtype: 'float64' });
    const x = randn([2, 9, 5], 7);
    const omega = favor.parameters().find((p) => p.name === 'projection')!.tensor;
    for (const stabilizer of ['none', 'row', 'global'] as const) {
      const want = positiveFeatures(x, omega, stabilizer, 1 / Math.sqrt(12));
      expect(maxAbsDiff(await favor.features(x, stabilizer).data(), await want.data())).toBe(0);
    }
  });
});
