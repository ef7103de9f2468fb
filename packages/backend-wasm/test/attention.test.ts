/**
 * The fused logLinearAttention kernels (csrc/attention.c) against exact float64 attention: sizes
 * that exercise the SIMD tails (D and dv not multiples of 4 or 16), batches, log features whose
 * exponentials overflow float32 unless shifted, keys whose maximum grows late (the causal rescale),
 * one thread against two, float64 declining, and no leaked handles or scratch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optionalOpSupport } from '@spectrans/core/backend';
import { hostArray, logLinearAttentionRef } from '@spectrans/conformance/reference';
import { createWasmBackend, type WasmBackend } from '../src/index.js';
import { ref, uniforms, upload } from './helpers.js';

/** Exact attention on log features in float64 (the conformance reference), leading axes flattened into `batches`. */
function attentionRef(
  lq: ArrayLike<number>,
  lk: ArrayLike<number>,
  v: ArrayLike<number>,
  batches: number,
  n: number,
  m: number,
  D: number,
  dv: number,
  causal: boolean,
): Float64Array {
  const host = (x: ArrayLike<number>, rows: number, cols: number) => hostArray(x, [batches, rows, cols]);
  return logLinearAttentionRef(host(lq, n, D), host(lk, m, D), host(v, m, dv), causal).data;
}

interface Case {
  batches: number;
  n: number;
  m: number;
  D: number;
  dv: number;
  causal: boolean;
  /** Log features: uniform in [offset − spread, offset] (queries and keys get their own offsets). */
  spread: number;
  offsets: [number, number];
  /** Keys grow by this much per row (the running maximum keeps rising: the causal rescale path). */
  ramp?: number;
}

const CASES: Case[] = [
  { batches: 1, n: 37, m: 29, D: 20, dv: 7, causal: false, spread: 6, offsets: [0, 0] },
  { batches: 3, n: 16, m: 16, D: 13, dv: 5, causal: true, spread: 6, offsets: [0, 0] },
  { batches: 2, n: 64, m: 64, D: 32, dv: 36, causal: true, spread: 4, offsets: [-200, 250] },
  { batches: 1, n: 50, m: 70, D: 17, dv: 16, causal: false, spread: 8, offsets: [300, -300] },
  { batches: 1, n: 48, m: 48, D: 8, dv: 9, causal: true, spread: 2, offsets: [0, 0], ramp: 0.5 },
  { batches: 1, n: 40, m: 40, D: 8, dv: 4, causal: true, spread: 2, offsets: [0, 0], ramp: -0.5 },
];

describe.each([1, 2])('logLinearAttention on %i thread(s)', (threads) => {
  let b: WasmBackend;
  beforeAll(async () => {
    b = await createWasmBackend({ threads });
  });
  afterAll(async () => {
    await b.destroy();
  });

  it.each(CASES)('matches exact float64 attention: %o', (c) => {
    const { batches, n, m, D, dv, causal, spread, offsets, ramp = 0 } = c;
    const lq = uniforms(batches * n * D, 11 + n, offsets[0] - spread, offsets[0]);
    const lk = uniforms(batches * m * D, 23 + m, offsets[1] - spread, offsets[1]);
    for (let i = 0; i < lk.length; i++) lk[i]! += ramp * Math.floor((i / D) % m);
    const v = uniforms(batches * m * dv, 5 + dv);
    const before = b.memory!();
    const q = upload(b, lq, [batches, n, D]);
    const k = upload(b, lk, [batches, m, D]);
    const vv = upload(b, v, [batches, m, dv]);
    const h = b.logLinearAttention!(q, k, vv, causal, [batches, n, dv])!;
    const got = b.readSync!(ref(h, [batches, n, dv]));
    const want = attentionRef(lq, lk, v, batches, n, m, D, dv, causal);
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
    // Outputs are convex combinations of values in [−1, 1]: float32 weights give errors of ~1e-6.
    expect(worst).toBeLessThan(2e-5);
    for (const x of [q.handle, k.handle, vv.handle, h]) b.dispose(x);
    expect(b.memory!()).toEqual(before);
  });

  it('gives the same result on every thread count for a long causal sequence', async () => {
    const one = await createWasmBackend({ threads: 1 });
    try {
      const [n, D, dv] = [1100, 24, 40]; // n·D·dv >= 2^20: the job runs on every thread
      const lq = uniforms(n * D, 3, -3, 0);
      const lk = uniforms(n * D, 4, -3, 0);
      const v = uniforms(n * dv, 5);
      const run = (be: WasmBackend): Float32Array => {
        const h = be.logLinearAttention!(upload(be, lq, [n, D]), upload(be, lk, [n, D]), upload(be, v, [n, dv]), true, [
          n,
          dv,
        ])!;
        return be.readSync!(ref(h, [n, dv])) as Float32Array;
      };
      const want = attentionRef(lq, lk, v, 1, n, n, D, dv, true);
      const mine = run(b);
      const single = run(one);
      for (let i = 0; i < want.length; i++) {
        expect(Math.abs(mine[i]! - want[i]!)).toBeLessThan(2e-5);
        // Each column block runs the same sequence of float32 operations, however many threads share them.
        expect(mine[i]).toBe(single[i]);
      }
    } finally {
      await one.destroy();
    }
  }, 120000);

  it('declares the op native and declines float64 (core then composes it)', () => {
    expect(optionalOpSupport(b, 'logLinearAttention')).toBe('native');
    const q = upload(b, [0, 1], [1, 2], 'float64');
    const v = upload(b, [1], [1, 1], 'float64');
    expect(b.logLinearAttention!(q, q, v, false, [1, 1])).toBeUndefined();
    b.dispose(q.handle);
    b.dispose(v.handle);
  });
});
