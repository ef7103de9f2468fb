/** matmul, cdist, rffFeatures and fwht through core's public API, in every mode, against float64 loops. */
import { cdist, fwht, matmul, rffFeatures } from '@spectrans/core';
import { optionalOpSupport } from '@spectrans/core/backend';
import { expect, test } from 'vitest';
import { cdistRef, fwhtRef, hostArray, matmulRef, rffFeaturesRef, sizeOf } from '@spectrans/conformance/reference';
import { expectClose, rng, values } from './support/helpers.js';
import { describeModes } from './support/suite.js';

describeModes('products, distances and features', (ctx) => {
  const r = rng(7);
  const normals = (shape: number[]): Float64Array => values(sizeOf(shape), () => r.normal());

  const checkMatmul = async (aShape: number[], bShape: number[], ta: boolean, tb: boolean): Promise<void> => {
    const a = normals(aShape);
    const b = normals(bShape);
    const ref = matmulRef(hostArray(a, aShape), hostArray(b, bShape), ta, tb);
    const out = matmul(ctx.t(a, aShape), ctx.t(b, bShape), { transposeA: ta, transposeB: tb });
    expect(out.shape).toEqual(ref.shape);
    expectClose(
      await out.data(),
      ref,
      ctx.precision,
      'accumulate',
      `matmul [${aShape}]${ta ? 'ᵀ' : ''} [${bShape}]${tb ? 'ᵀ' : ''}`,
    );
  };

  test('matmul: plain and every transpose', async () => {
    await checkMatmul([5, 7], [7, 3], false, false);
    await checkMatmul([7, 5], [7, 3], true, false);
    await checkMatmul([5, 7], [3, 7], false, true);
    await checkMatmul([7, 5], [3, 7], true, true);
    await checkMatmul([1, 9], [9, 1], false, false);
  });

  test('matmul: batch broadcasting (with transposes)', async () => {
    await checkMatmul([2, 1, 4, 3], [3, 3, 5], false, false);
    await checkMatmul([3, 4, 3], [3, 5], false, false);
    await checkMatmul([2, 1, 3, 4], [2, 5, 3], true, true);
    await checkMatmul([1, 2, 4, 3], [4, 1, 3, 2], false, false);
  });

  test('matmul: long inner dimension (blocked sums), zero inner dimension, empty rows', async () => {
    await checkMatmul([3, 2049], [4, 2049], false, true);
    await checkMatmul([2, 3, 0], [0, 4], false, false);
    const zero = await matmul(ctx.t([], [2, 3, 0]), ctx.t([], [0, 4])).data();
    expect(Array.from(zero)).toEqual(new Array(24).fill(0));
    expect(matmul(ctx.t([], [0, 3]), ctx.t(normals([3, 4]), [3, 4])).shape).toEqual([0, 4]);
  });

  test('sums longer than one invocation may loop are split (matmul, cdist, rffFeatures)', async () => {
    await checkMatmul([2, 20001], [20001, 3], false, false);
    await checkMatmul([20001, 2], [3, 20001], true, true);
    for (const metric of ['sqeuclidean', 'l1'] as const) {
      const x = normals([3, 9001]);
      const y = normals([2, 9001]);
      expectClose(
        await cdist(ctx.t(x, [3, 9001]), ctx.t(y, [2, 9001]), metric).data(),
        cdistRef(hostArray(x, [3, 9001]), hostArray(y, [2, 9001]), metric),
        ctx.precision,
        'accumulate',
        `cdist ${metric} d 9001`,
      );
    }
    const d = 9001;
    const x = values(2 * d, () => r.normal() / 30);
    const omega = values(d * 3, () => r.normal());
    const bias = values(3, () => r.uniform(0, 6));
    expectClose(
      await rffFeatures(ctx.t(x, [2, d]), ctx.t(omega, [d, 3]), ctx.t(bias, [3]), 0.5, true).data(),
      rffFeaturesRef(hostArray(x, [2, d]), hostArray(omega, [d, 3]), hostArray(bias, [3]), 0.5, true),
      ctx.precision,
      ['transcendental', 'accumulate'],
      'rff d 9001',
    );
  });

  test.each(['sqeuclidean', 'l1'] as const)(
    'cdist %s: plain, batch broadcasting, large offsets (never negative)',
    async (metric) => {
      for (const [xShape, yShape, offset] of [
        [[6, 5], [4, 5], 0],
        [[2, 1, 4, 3], [3, 5, 3], 0],
        [[5, 8], [7, 8], 1e4],
      ] as [number[], number[], number][]) {
        const x = values(sizeOf(xShape), () => offset + r.normal());
        const y = values(sizeOf(yShape), () => offset + r.normal());
        const got = await cdist(ctx.t(x, xShape), ctx.t(y, yShape), metric).data();
        expect(got.every((v) => v >= 0)).toBe(true);
        expectClose(
          got,
          cdistRef(hostArray(x, xShape), hostArray(y, yShape), metric),
          ctx.precision,
          'accumulate',
          `cdist ${metric} [${xShape}] [${yShape}] offset ${offset}`,
        );
      }
    },
  );

  test.each([false, true])('rffFeatures (cosSin %s) runs natively, in one fused kernel', async (cosSin) => {
    expect(optionalOpSupport(ctx.backend, 'rffFeatures')).toBe('native');
    for (const [xShape, D, freq] of [
      [[9, 4], 16, 1],
      [[2, 3, 5], 6, 1],
      [[7], 5, 1],
      [[6, 4], 12, 300],
    ] as [number[], number, number][]) {
      const d = xShape[xShape.length - 1]!;
      const x = normals(xShape);
      const omega = values(d * D, () => freq * r.normal());
      const bias = values(D, () => r.uniform(0, 2 * Math.PI));
      const scale = Math.sqrt(2 / D);
      const before = ctx.backend.memory().kernelsCompiled;
      const out = rffFeatures(ctx.t(x, xShape), ctx.t(omega, [d, D]), ctx.t(bias, [D]), scale, cosSin);
      // three uploads (compiled once per size) and exactly one feature kernel
      expect(ctx.backend.memory().kernelsCompiled - before).toBeLessThanOrEqual(ctx.mode === 'headlessgl' ? 4 : 1);
      expectClose(
        await out.data(),
        rffFeaturesRef(hostArray(x, xShape), hostArray(omega, [d, D]), hostArray(bias, [D]), scale, cosSin),
        ctx.precision,
        ['transcendental', 'accumulate'],
        `rff [${xShape}] D ${D} frequency ${freq}`,
      );
    }
  });

  test('fwht: random rows, the Hadamard basis (exact), length 1, involution', async () => {
    expect(optionalOpSupport(ctx.backend, 'fwht')).toBe('native');
    for (const shape of [[3, 8], [2, 2, 64], [1024]]) {
      const x = normals(shape);
      expectClose(
        await fwht(ctx.t(x, shape)).data(),
        fwhtRef(hostArray(x, shape)),
        ctx.precision,
        'accumulate',
        `fwht [${shape}]`,
      );
    }
    const n = 16;
    const eye = Float64Array.from({ length: n * n }, (_, i) => (Math.floor(i / n) === i % n ? 1 : 0));
    expectClose(
      await fwht(ctx.t(eye, [n, n])).data(),
      fwhtRef(hostArray(eye, [n, n])),
      ctx.precision,
      'exact',
      'Hadamard basis',
    );
    expect(Array.from(await fwht(ctx.t([1, 2, 3], [3, 1])).data())).toEqual([1, 2, 3]);
    const x = normals([32]);
    const twice = await fwht(fwht(ctx.t(x, [32]))).data();
    // each output of the second pass sums n terms of magnitude up to Σ|x|
    const l1 = x.reduce((s, v) => s + Math.abs(v), 0);
    expectClose(
      twice,
      { data: x.map((v) => 32 * v), shape: [32], scale: x.map(() => 2 * 32 * l1), k: 10 },
      ctx.precision,
      'accumulate',
      'fwht twice = n x',
    );
  });
});
