/**
 * The fused expCdist kernels: exp applied in the squared distances' GEMM epilogue and in the L1
 * kernel's store. Each result is exp (within 2 ulp) of exactly the float32 distance `cdist` gives
 * times the float32 rate, on shapes with SIMD tails and past the GEMM's column blocks; against the
 * float64 reference; NaN, infinities, underflow and overflow; one thread against two; float64 and
 * d = 0 declining; no leaked handles or scratch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expCdistRef, hostArray } from '@spectrans/conformance/reference';
import { createWasmBackend, type WasmBackend } from '../src/index.js';
import { ref, ulps, uniforms, upload } from './helpers.js';

const METRICS = ['sqeuclidean', 'l1'] as const;

describe.each([1, 2])('expCdist on %i thread(s)', (threads) => {
  let b: WasmBackend;
  beforeAll(async () => {
    b = await createWasmBackend({ threads });
  });
  afterAll(async () => {
    await b.destroy();
  });

  /** The fused result, and cdist's own distances, read back. */
  function both(
    metric: (typeof METRICS)[number],
    xs: Float32Array,
    xShape: number[],
    ys: Float32Array,
    yShape: number[],
    rate: number,
    outShape: number[],
  ): { fused: Float32Array; dist: Float32Array } {
    const x = upload(b, xs, xShape);
    const y = upload(b, ys, yShape);
    const h = b.expCdist!(x, y, metric, rate, outShape)!;
    const dh = b.cdist(x, y, metric, outShape);
    const fused = b.readSync!(ref(h, outShape)) as Float32Array;
    const dist = b.readSync!(ref(dh, outShape)) as Float32Array;
    for (const t of [x.handle, y.handle, h, dh]) b.dispose(t);
    return { fused, dist };
  }

  it.each([
    { xShape: [37, 67], yShape: [29, 67], outShape: [37, 29], rate: -0.01 },
    { xShape: [5, 3], yShape: [1030, 3], outShape: [5, 1030], rate: -0.4 }, // past a 1024-column block, tail of 6
    { xShape: [2, 1, 7, 5], yShape: [3, 13, 5], outShape: [2, 3, 7, 13], rate: -0.25 }, // batch broadcast
    { xShape: [3, 17, 1], yShape: [3, 33, 1], outShape: [3, 17, 33], rate: 0.3 }, // a positive rate
  ])('is exp of cdist times the rate, within 2 ulp, for both metrics: %o', ({ xShape, yShape, outShape, rate }) => {
    const xs = uniforms(
      xShape.reduce((a, s) => a * s, 1),
      11 + xShape[0]!,
      -2,
      2,
    );
    const ys = uniforms(
      yShape.reduce((a, s) => a * s, 1),
      5 + yShape[0]!,
      -2,
      2,
    );
    const before = b.memory!();
    for (const metric of METRICS) {
      const { fused, dist } = both(metric, xs, xShape, ys, yShape, rate, outShape);
      const r = Math.fround(rate);
      for (let i = 0; i < fused.length; i++) {
        const want = Math.fround(Math.exp(Math.fround(dist[i]! * r)));
        expect(ulps(fused[i]!, want), `${metric} element ${i}: ${fused[i]} vs ${want}`).toBeLessThanOrEqual(2);
      }
      // and against the exact float64 kernel matrix: the distance's float32 error times the rate, plus exp's
      const exact = expCdistRef(hostArray(xs, xShape), hostArray(ys, yShape), metric, rate);
      for (let i = 0; i < fused.length; i++) {
        const tol = 4 * 2 ** -24 * (exact.k * exact.scale[i]! + Math.abs(exact.data[i]!)) + 1e-37;
        expect(Math.abs(fused[i]! - exact.data[i]!), `${metric} element ${i}`).toBeLessThanOrEqual(tol);
      }
    }
    expect(b.memory!()).toEqual(before);
  });

  it('is exp of cdist times the rate for NaN and infinite inputs, underflow and overflow', () => {
    // x rows: 0, NaN, +inf, 20; y rows: 0, 1, 3, 9, 13 (d = 1). The squared distances' expanded form
    // ‖x‖² + ‖y‖² − 2x·y makes an infinite row NaN, as cdist's own; L1 keeps it infinite.
    const xs = Float32Array.of(0, Number.NaN, Number.POSITIVE_INFINITY, 20);
    const ys = Float32Array.of(0, 1, 3, 9, 13);
    for (const metric of METRICS) {
      for (const rate of [-1, -12, 8]) {
        const { fused, dist } = both(metric, xs, [4, 1], ys, [5, 1], rate, [4, 5]);
        for (let i = 0; i < 20; i++) {
          const want = Math.fround(Math.exp(Math.fround(dist[i]! * rate)));
          if (Number.isNaN(want)) expect(fused[i], `${metric} rate ${rate} element ${i}`).toBeNaN();
          else
            expect(
              ulps(fused[i]!, want),
              `${metric} rate ${rate} element ${i}: ${fused[i]} vs ${want}`,
            ).toBeLessThanOrEqual(2);
        }
        for (let j = 0; j < 5; j++) expect(fused[5 + j], `${metric} NaN row`).toBeNaN();
        if (metric === 'l1')
          for (let j = 0; j < 5; j++) expect(fused[10 + j]).toBe(rate < 0 ? 0 : Number.POSITIVE_INFINITY);
      }
    }
    // exp(−90) is normal, exp(−100) subnormal, exp(−110) rounds to 0
    const { fused } = both('l1', Float32Array.of(90, 100, 110), [3, 1], Float32Array.of(0), [1, 1], -1, [3, 1]);
    expect(fused[0]).toBe(Math.fround(Math.exp(-90)));
    expect(ulps(fused[1]!, Math.fround(Math.exp(-100)))).toBeLessThanOrEqual(1);
    expect(fused[2]).toBe(0);
  });

  it('gives the same bits on one and two threads when the rows are split', async () => {
    const one = await createWasmBackend({ threads: 1 });
    try {
      const xs = uniforms(600 * 16, 3);
      const ys = uniforms(300 * 16, 4);
      for (const metric of METRICS) {
        const outs = [one, b].map((be) => {
          const x = upload(be, xs, [600, 16]);
          const y = upload(be, ys, [300, 16]);
          const h = be.expCdist!(x, y, metric, -0.05, [600, 300])!;
          const got = be.readSync!(ref(h, [600, 300]));
          for (const t of [x.handle, y.handle, h]) be.dispose(t);
          return got;
        });
        expect(outs[1]).toEqual(outs[0]);
      }
    } finally {
      await one.destroy();
    }
  });

  it('declines float64 and d = 0 (core composes those)', () => {
    const x64 = upload(b, [1, 2], [2, 1], 'float64');
    expect(b.expCdist!(x64, x64, 'l1', -1, [2, 2])).toBeUndefined();
    const empty = upload(b, [], [3, 0]);
    expect(b.expCdist!(empty, empty, 'sqeuclidean', -1, [3, 3])).toBeUndefined();
    b.dispose(x64.handle);
    b.dispose(empty.handle);
  });
});
