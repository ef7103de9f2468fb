/** The optional groups: native rffFeatures and fwht; QR, eigh and SVD through core's host fallback. */
import { describe, expect, it } from 'vitest';
import { eigh, fwht, matmul, qr, rffFeatures, svd, tidy } from '@spectrans/core';
import { optionalOpSupport } from '@spectrans/core/backend';
import { fwhtRef, hostArray, rffFeaturesRef, sizeOf } from '@spectrans/conformance/reference';
import { ENGINES, expectClose, f32, t, U, uniforms, useEngine, values } from './helpers.js';

describe.each(ENGINES)('optional ops on tfjs-%s', (engine) => {
  it("declares rffFeatures and fwht native, linalg as core's float64 fallback", async () => {
    const b = await useEngine(engine);
    expect(optionalOpSupport(b, 'rffFeatures')).toBe('native');
    expect(optionalOpSupport(b, 'fwht')).toBe('native');
    for (const op of ['linalg/qr', 'linalg/eigh', 'linalg/svd'] as const)
      expect(optionalOpSupport(b, op)).toBe('fallback');
    expect(typeof b.readSync).toBe('function');
  });

  it.each([
    ['cos', [7, 5], 16, false],
    ['cos-sin', [7, 5], 16, true],
    ['batched x, cos-sin', [2, 3, 4], 8, true],
    ['rank-1 x', [6], 5, false],
    ['phases of several hundred', [5, 4], 12, true],
  ] as const)('rffFeatures %s against float64 (the bias on both halves)', async (name, xShape, D, cosSin) => {
    await useEngine(engine);
    const d = xShape[xShape.length - 1]!;
    const spread = name.startsWith('phases') ? 100 : 1;
    const x = uniforms(sizeOf(xShape), 1, -1, 1);
    const omega = uniforms(d * D, 2, -spread, spread);
    const bias = uniforms(D, 3, 0, 2 * Math.PI);
    const scale = Math.sqrt(2 / D);
    const ref = rffFeaturesRef(hostArray(x, xShape), hostArray(omega, [d, D]), hostArray(bias, [D]), scale, cosSin);
    const out = rffFeatures(t(x, [...xShape]), t(omega, [d, D]), t(bias, [D]), scale, cosSin);
    expect(out.shape).toEqual([...xShape.slice(0, -1), cosSin ? 2 * D : D]);
    // transcendental (8u) plus the float32 error of the phase, |phase error| <= 2(d+1)u·Σ|terms|
    expectClose(await values(out), f32(ref.data), {
      atol: 8 * U,
      rtol: 8 * U,
      allowance: ref.scale.map((m) => 2 * (d + 1) * U * m),
    });
  });

  it('fwht: natural-order Hadamard transform, exact on integers, H(Hx) = n x', async () => {
    await useEngine(engine);
    for (const n of [1, 2, 8, 64]) {
      const x = uniforms(3 * n, n, -4, 4).map((v) => Math.round(v));
      expect(Array.from(await values(fwht(t(x, [3, n]))))).toEqual(Array.from(fwhtRef(hostArray(x, [3, n])).data));
    }
    const x = uniforms(2 * 4 * 32, 5);
    const twice = await values(tidy(() => fwht(fwht(t(x, [2, 4, 32])))));
    expectClose(twice, f32(x.map((v) => 32 * v)), { atol: 64 * 10 * U * 4, rtol: 0 });
  });

  it('qr through the host fallback: diag(R) >= 0, QR = A, QᵀQ = I', async () => {
    await useEngine(engine);
    const [m, n] = [7, 4];
    const a = uniforms(m * n, 17);
    const { q, r } = qr(t(a, [m, n]));
    expect(q.shape).toEqual([m, n]);
    expect(r.shape).toEqual([n, n]);
    const rv = Array.from(await r.data());
    for (let i = 0; i < n; i++) expect(rv[i * n + i]!).toBeGreaterThanOrEqual(0);
    expectClose(await values(matmul(q, r)), a, { atol: 1e-5 });
    expectClose(await values(matmul(q, q, { transposeA: true })), [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], {
      atol: 1e-5,
    });
    q.dispose();
    r.dispose();
  });

  it('eigh and svd through the host fallback', async () => {
    await useEngine(engine);
    const sym = [2, 1, 0, 1, 3, 1, 0, 1, 4];
    const { values: ev, vectors } = eigh(t(sym, [3, 3]));
    const e = Array.from(await values(ev));
    expect(e[0]!).toBeLessThan(e[1]!);
    expectClose(e, [3 - Math.sqrt(3), 3, 3 + Math.sqrt(3)], { atol: 1e-5 });
    vectors.dispose();
    const { u, s, v } = svd(t([3, 0, 0, 4], [2, 2]));
    expectClose(await values(s), [4, 3], { atol: 1e-6 });
    u.dispose();
    v.dispose();
  });
});
