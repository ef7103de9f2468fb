/**
 * The fused positiveFeatures kernel (csrc/features.c, exp from csrc/vexp32.h): its float32 exp over
 * the whole range (overflow to +inf, gradual underflow, NaN) against Math.exp, every stabilizer
 * against the float64 reference on sizes with SIMD tails, one thread against two, float64
 * declining, and no leaked handles or scratch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optionalOpSupport } from '@spectrans/core/backend';
import { hostArray, positiveFeaturesRef } from '@spectrans/conformance/reference';
import { createWasmBackend, type WasmBackend } from '../src/index.js';
import { ref, ulps, uniforms, upload } from './helpers.js';

const STABILIZERS = ['none', 'row', 'global'] as const;

describe.each([1, 2])('positiveFeatures on %i thread(s)', (threads) => {
  let b: WasmBackend;
  beforeAll(async () => {
    b = await createWasmBackend({ threads });
  });
  afterAll(async () => {
    await b.destroy();
  });

  it("'none' evaluates exp within 2 ulp over the whole float32 range, infinities, zeros and NaN", () => {
    // x = [1], so h = 1/2 and every feature is exp(fl(ω_j − 1/2)).
    const D = 4099;
    const omega = new Float32Array(D);
    for (let j = 0; j < D - 3; j++) omega[j] = -110 + (200 * j) / (D - 4);
    omega.set([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY], D - 3);
    const x = upload(b, [1], [1, 1]);
    const w = upload(b, omega, [1, D]);
    const h = b.positiveFeatures!(x, w, 'none', 1, [1, D])!;
    const got = b.readSync!(ref(h, [1, D]));
    for (let j = 0; j < D - 3; j++) {
      const want = Math.fround(Math.exp(Math.fround(omega[j]! - 0.5)));
      expect(ulps(got[j]!, want), `exp(${omega[j]! - 0.5}) = ${got[j]}, expected ${want}`).toBeLessThanOrEqual(2);
    }
    expect(Array.from(got.subarray(D - 3))).toEqual([Number.NaN, Number.POSITIVE_INFINITY, 0]);
    for (const t of [x.handle, w.handle, h]) b.dispose(t);
  });

  it.each([
    { lead: [37], d: 67, D: 13 },
    { lead: [3, 5], d: 4, D: 29 },
    { lead: [2, 2, 9], d: 9, D: 8 },
    { lead: [], d: 5, D: 3 },
  ])('matches the float64 reference for every stabilizer: %o', ({ lead, d, D }) => {
    const rows = lead.reduce((a, s) => a * s, 1);
    const xs = uniforms(rows * d, 7 + d, -1.5, 1.5);
    const ws = uniforms(d * D, 3 + D, -2, 2);
    const before = b.memory!();
    const x = upload(b, xs, [...lead, d]);
    const w = upload(b, ws, [d, D]);
    for (const stabilizer of STABILIZERS) {
      const h = b.positiveFeatures!(x, w, stabilizer, 0.5, [...lead, D])!;
      const got = b.readSync!(ref(h, [...lead, D]));
      const want = positiveFeaturesRef(hostArray(xs, [...lead, d]), hostArray(ws, [d, D]), stabilizer, 0.5);
      for (let i = 0; i < want.data.length; i++) {
        // The exponent's float32 error (k·u times its terms' magnitude) plus exp's own 2 ulp.
        const tol = 4 * 2 ** -24 * (want.k * want.scale[i]! + Math.abs(want.data[i]!)) + 1e-37;
        expect(Math.abs(got[i]! - want.data[i]!), `${stabilizer} element ${i}`).toBeLessThanOrEqual(tol);
      }
      b.dispose(h);
    }
    b.dispose(x.handle);
    b.dispose(w.handle);
    expect(b.memory!()).toEqual(before);
  });

  it('gives the same bits on every thread count when the rows are split', async () => {
    const one = await createWasmBackend({ threads: 1 });
    try {
      const [rows, d, D] = [1200, 16, 128]; // rows·D >= 2^17: the pass runs on every thread
      const xs = uniforms(rows * d, 9, -1, 1);
      const ws = uniforms(d * D, 10, -1, 1);
      for (const stabilizer of STABILIZERS) {
        const run = (be: WasmBackend): Float32Array => {
          const h = be.positiveFeatures!(upload(be, xs, [4, rows / 4, d]), upload(be, ws, [d, D]), stabilizer, 1, [
            4,
            rows / 4,
            D,
          ])!;
          return be.readSync!(ref(h, [4, rows / 4, D])) as Float32Array;
        };
        expect(run(b)).toEqual(run(one));
      }
    } finally {
      await one.destroy();
    }
  }, 120000);

  it('declares the op native and declines float64 (core then composes it)', () => {
    expect(optionalOpSupport(b, 'positiveFeatures')).toBe('native');
    const x = upload(b, [0, 1], [1, 2], 'float64');
    const w = upload(b, [1, 2, 3, 4], [2, 2], 'float64');
    expect(b.positiveFeatures!(x, w, 'row', 1, [1, 2])).toBeUndefined();
    b.dispose(x.handle);
    b.dispose(w.handle);
  });
});
