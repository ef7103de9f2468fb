/**
 * The fused logLinearAttentionGrad (src/attention-grad.ts) against exact float64 gradients: SIMD
 * tails (D, dv not multiples of 4), batches, log features far past float32's exp range, sizes
 * past the thread split points (one thread and two give identical bits), gradients for some
 * inputs only, causal calls and float64 declining, and no leaked handles or scratch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optionalOpSupport } from '@spectrans/core/backend';
import { hostArray, logLinearAttentionGradRef, logLinearAttentionRef } from '@spectrans/conformance/reference';
import { createWasmBackend, type WasmBackend, type WasmHandle } from '../src/index.js';
import { ref, uniforms, upload } from './helpers.js';

interface Case {
  batches: number;
  n: number;
  m: number;
  D: number;
  dv: number;
  /** Log features uniform in [offset − 6, offset] (queries and keys get their own offsets). */
  offsets: [number, number];
}

const CASES: Case[] = [
  { batches: 1, n: 37, m: 29, D: 20, dv: 7, offsets: [0, 0] },
  { batches: 3, n: 5, m: 9, D: 13, dv: 1, offsets: [0, 0] },
  { batches: 1, n: 50, m: 70, D: 17, dv: 16, offsets: [300, -300] },
  { batches: 2, n: 260, m: 264, D: 256, dv: 9, offsets: [-120, 80] }, // batches·n·D, batches·m·D >= 2^17: threaded phases
];

/** Inputs, dy and the exact gradients of one case. */
function setup(c: Case) {
  const { batches, n, m, D, dv, offsets } = c;
  const lq = uniforms(batches * n * D, 11 + n, offsets[0] - 6, offsets[0]);
  const lk = uniforms(batches * m * D, 23 + m, offsets[1] - 6, offsets[1]);
  const v = uniforms(batches * m * dv, 5 + dv);
  const dy = uniforms(batches * n * dv, 7 + n);
  const host = {
    q: hostArray(lq, [batches, n, D]),
    k: hostArray(lk, [batches, m, D]),
    v: hostArray(v, [batches, m, dv]),
  };
  const out = logLinearAttentionRef(host.q, host.k, host.v, false);
  const want = () => {
    const g = logLinearAttentionGradRef(host.q, host.k, host.v, hostArray(dy, [batches, n, dv]), false);
    return [g.logQ, g.logK, g.v];
  };
  return { lq, lk, v, dy, out: Float32Array.from(out.data), want };
}

/** Runs the op and reads its gradients back (undefined where not asked for), disposing everything. */
function gradients(
  b: WasmBackend,
  c: Case,
  s: ReturnType<typeof setup>,
  needs: boolean[],
): (Float32Array | undefined)[] {
  const { batches, n, m, D, dv } = c;
  const inputs = [
    upload(b, s.lq, [batches, n, D]),
    upload(b, s.lk, [batches, m, D]),
    upload(b, s.v, [batches, m, dv]),
    upload(b, s.out, [batches, n, dv]),
    upload(b, s.dy, [batches, n, dv]),
  ] as const;
  const handles = b.logLinearAttentionGrad!(...inputs, false, needs)!;
  const shapes = [inputs[0].shape, inputs[1].shape, inputs[2].shape];
  const read = (h: WasmHandle | undefined, i: number): Float32Array | undefined =>
    h === undefined ? undefined : (b.readSync!(ref(h, shapes[i]!)) as Float32Array);
  const got = handles.map(read);
  for (const h of [...inputs.map((r) => r.handle), ...handles]) if (h) b.dispose(h);
  return got;
}

describe.each([1, 2])('logLinearAttentionGrad on %i thread(s)', (threads) => {
  let b: WasmBackend;
  beforeAll(async () => {
    b = await createWasmBackend({ threads });
  });
  afterAll(async () => {
    await b.destroy();
  });

  it.each(CASES)(
    'matches exact float64 gradients: %o',
    (c) => {
      const s = setup(c);
      const before = b.memory!();
      const got = gradients(b, c, s, [true, true, true]);
      expect(b.memory!()).toEqual(before);
      const exact = s.want();
      got.forEach((g, i) => {
        const want = exact[i]!.data;
        let scale = 0;
        for (const x of want) scale = Math.max(scale, Math.abs(x));
        let worst = 0;
        for (let j = 0; j < want.length; j++) worst = Math.max(worst, Math.abs(g![j]! - want[j]!));
        // Sums of terms of either sign, each at most the largest gradient: float32 gives ~1e-6 of it.
        expect(worst).toBeLessThan(2e-5 * Math.max(scale, 1e-3));
      });
    },
    60000,
  );

  it('computes only the gradients asked for, the same as when all are', () => {
    const c = CASES[0]!;
    const s = setup(c);
    const all = gradients(b, c, s, [true, true, true]);
    for (const needs of [
      [true, false, false],
      [false, true, false],
      [false, false, true],
      [false, true, true],
    ]) {
      const got = gradients(b, c, s, needs);
      needs.forEach((need, i) => (need ? expect(got[i]).toEqual(all[i]) : expect(got[i]).toBeUndefined()));
    }
  });
});

describe('logLinearAttentionGrad', () => {
  it('gives identical bits on one thread and two', async () => {
    const [one, two] = await Promise.all([createWasmBackend({ threads: 1 }), createWasmBackend({ threads: 2 })]);
    try {
      const c = CASES[3]!;
      const s = setup(c);
      expect(gradients(two, c, s, [true, true, true])).toEqual(gradients(one, c, s, [true, true, true]));
    } finally {
      await Promise.all([one.destroy(), two.destroy()]);
    }
  }, 60000);

  it('is native and declines causal calls and float64 (core then runs its rule)', async () => {
    const b = await createWasmBackend({ threads: 1 });
    try {
      expect(optionalOpSupport(b, 'logLinearAttentionGrad')).toBe('native');
      const f32 = upload(b, [0, 1], [1, 2]);
      const v32 = upload(b, [1], [1, 1]);
      expect(b.logLinearAttentionGrad!(f32, f32, v32, v32, v32, true, [true, true, true])).toBeUndefined();
      const f64 = upload(b, [0, 1], [1, 2], 'float64');
      const v64 = upload(b, [1], [1, 1], 'float64');
      expect(b.logLinearAttentionGrad!(f64, f64, v64, v64, v64, false, [true, true, true])).toBeUndefined();
      for (const r of [f32, v32, f64, v64]) b.dispose(r.handle);
    } finally {
      await b.destroy();
    }
  });
});
