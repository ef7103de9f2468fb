/**
 * The optional fused op logLinearAttention: argument checks before any backend runs, core's composed
 * fallback, a backend's native op (and declining it), recording through it, and
 * FAVOR+ query log features without their row constant giving the same attention.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  grads,
  linearAttention,
  logLinearAttention,
  mul,
  RFFAttentionKernel,
  sum,
  tensor,
  type Backend,
} from '@spectrans/core';
import { createJsBackend } from '@spectrans/backend-js';
import { errorCode } from './errors.js';
import { maxAbsDiff, randn, useJs } from './helpers.js';

beforeAll(useJs);

/** A backend-js whose `logLinearAttention` records its calls and returns `answer` (or declines). */
function withNativeOp(answer: 'zeros' | 'decline'): { backend: Backend; calls: boolean[] } {
  const js = createJsBackend({ name: `js-fused-${answer}` });
  const calls: boolean[] = [];
  const backend: Backend = {
    ...js,
    logLinearAttention(_q, _k, _v, causal, outShape) {
      calls.push(causal);
      if (answer === 'decline') return undefined;
      return js.fromArray(new Float64Array(outShape.reduce((a, s) => a * s, 1)), outShape, 'float64');
    },
  } as Backend;
  return { backend, calls };
}

describe('logLinearAttention', () => {
  it('rejects bad arguments with coded errors naming them', () => {
    const q = randn([4, 3], 1);
    const v = randn([4, 2], 2);
    expect(errorCode(() => logLinearAttention(q, randn([4, 5], 3), v))).toBe('ERR_SHAPE_MISMATCH');
    expect(errorCode(() => logLinearAttention(q, q, randn([5, 2], 4)))).toBe('ERR_SHAPE_MISMATCH');
    expect(errorCode(() => logLinearAttention(randn([3], 5), q, v))).toBe('ERR_INVALID_SHAPE');
    expect(errorCode(() => logLinearAttention(randn([2, 3], 6), q, v, { causal: true }))).toBe('ERR_INVALID_ARGUMENT');
    expect(errorCode(() => logLinearAttention(q, q, v, { causal: 1 as unknown as boolean }))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
    expect(errorCode(() => logLinearAttention(q, q, v, { chunk: 2 } as never))).toBe('ERR_INVALID_ARGUMENT');
    for (const chunkSize of [0, 2.5, Number.NaN, '4' as never])
      expect(() => logLinearAttention(q, q, v, { chunkSize })).toThrow(/chunkSize/);
    expect(() => logLinearAttention(q, randn([4, 5], 3), v)).toThrow(/logQ .* logK/);
  });

  it('composes exact attention on backends without the op, at log magnitudes that overflow exp', async () => {
    const lq = tensor([300, 299, 301, 300.5], [2, 2], 'float64');
    const lk = tensor([-300, -301, -299, -300, -302, -298], [3, 2], 'float64');
    const v = tensor([1, 2, 3], [3, 1], 'float64');
    const out = await logLinearAttention(lq, lk, v, { causal: false }).data();
    const q = [
      [300, 299],
      [301, 300.5],
    ];
    const k = [
      [-300, -301],
      [-299, -300],
      [-302, -298],
    ];
    for (let i = 0; i < 2; i++) {
      const w = k.map((kj) => Math.exp(q[i]![0]! + kj[0]!) + Math.exp(q[i]![1]! + kj[1]!));
      const want = (w[0]! * 1 + w[1]! * 2 + w[2]! * 3) / (w[0]! + w[1]! + w[2]!);
      expect(Math.abs(out[i]! - want)).toBeLessThan(1e-12);
    }
  });

  it("runs a backend's native op, also while recording, and composes when it declines", async () => {
    for (const answer of ['zeros', 'decline'] as const) {
      const { backend, calls } = withNativeOp(answer);
      const on = { backend };
      const lq = tensor([0, 1, 2, 3], [2, 2], 'float64', on);
      const v = tensor([5, 7], [2, 1], 'float64', on);
      const out = await logLinearAttention(lq, lq, v, { causal: true }).data();
      expect(calls).toEqual([true]);
      if (answer === 'zeros') expect(Array.from(out)).toEqual([0, 0]);
      else expect(out[0]).toBeCloseTo(5, 12);
      // While recording the op runs too, as one tape entry (declined: the composed ops are recorded).
      const g = grads(() => sum(logLinearAttention(lq, lq, v)), { lq });
      expect(calls).toEqual([true, false]);
      expect(g.lq.shape).toEqual([2, 2]);
    }
  });

  it('linearAttention with FAVOR+ equals attention on the full log features (the query row constant cancels)', async () => {
    const favor = new RFFAttentionKernel({ inputDim: 5, numFeatures: 12, seed: 3, dtype: 'float64' });
    const q = randn([2, 9, 5], 7, 3);
    const k = randn([2, 9, 5], 8, 3);
    const v = randn([2, 9, 4], 9);
    const s = favor.attentionInputScale;
    for (const causal of [false, true]) {
      const full = logLinearAttention(favor.logFeatures(mul(q, s), 'key')!, favor.logFeatures(mul(k, s), 'key')!, v, {
        causal,
      });
      const got = linearAttention(q, k, v, { featureMap: favor, causal });
      expect(maxAbsDiff(await got.data(), await full.data())).toBeLessThan(1e-12);
    }
    expect(errorCode(() => favor.logFeatures(q, 'value' as never))).toBe('ERR_INVALID_ARGUMENT');
  });
});
