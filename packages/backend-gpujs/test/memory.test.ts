/** Kernel caching, texture lifetimes and the bounded cache, in every mode. */
import { add, concat, cumsum, exp, fwht, matmul, mul, tensor, tidy } from '@spectrans/core';
import { expect, test } from 'vitest';
import { createGpujsBackend } from '../src/index.js';
import { describeModes } from './support/suite.js';

describeModes('memory', (ctx) => {
  const gl = (): boolean => ctx.mode === 'headlessgl';

  test('kernels compile once per (op, shapes) and are reused', async () => {
    const a = ctx.t([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = ctx.t([1, 0, 0, 1, 1, 1], [3, 2]);
    tidy(() => matmul(a, b)).dispose();
    const first = ctx.backend.memory();
    const c = tidy(() => matmul(a, b));
    const second = ctx.backend.memory();
    expect(second.kernelsCompiled).toBe(first.kernelsCompiled);
    expect(second.kernelCacheHits).toBeGreaterThan(first.kernelCacheHits);
    expect(Array.from(await c.data())).toEqual([4, 5, 10, 11]);
    // another shape compiles another kernel
    tidy(() => matmul(b, a)).dispose();
    expect(ctx.backend.memory().kernelsCompiled).toBe(second.kernelsCompiled + 1);
    // binaryScalar passes the scalar as a uniform: new values reuse the kernel
    const before = ctx.backend.memory().kernelsCompiled;
    for (const s of [2, -3.5, NaN]) tidy(() => mul(a, s)).dispose();
    expect(ctx.backend.memory().kernelsCompiled).toBe(before + 1);
    for (const t of [a, b, c]) t.dispose();
  });

  test('outputs stay on the GPU and every texture is freed on dispose', async () => {
    const start = ctx.backend.memory();
    const x = ctx.t(
      Float32Array.from({ length: 64 }, (_, i) => i / 64),
      [8, 8],
    );
    const y = tidy(() => exp(add(matmul(x, x), 1)));
    const during = ctx.backend.memory();
    expect(during.handles).toBe(start.handles + 2);
    expect(during.textures).toBe(start.textures + (gl() ? 2 : 0)); // x and y: intermediates already freed
    // multi-pass ops free their intermediate textures
    const z = cumsum(y, 1);
    const h = fwht(y);
    const cat = concat(
      Array.from({ length: 12 }, () => y),
      0,
    );
    expect(ctx.backend.memory().textures).toBe(during.textures + (gl() ? 3 : 0));
    await cat.data();
    for (const t of [x, y, z, h, cat]) t.dispose();
    expect(ctx.backend.memory()).toMatchObject({
      handles: start.handles,
      bytes: start.bytes,
      textures: start.textures,
      textureBytes: start.textureBytes,
    });
  });

  test('a bounded cache evicts kernels, but never one whose outputs are still alive', async () => {
    const backend = await createGpujsBackend({ mode: ctx.mode, kernelCacheSize: 3 });
    try {
      const outputs = [];
      for (let n = 1; n <= 8; n++)
        outputs.push(
          tidy(() =>
            exp(
              tensor(
                Float32Array.from({ length: n }, (_, i) => i),
                [n],
                'float32',
                { backend },
              ),
            ),
          ),
        );
      // at most 3 cached kernels plus the 8 whose outputs are alive
      expect(backend.memory().kernels).toBeLessThanOrEqual(3 + 8);
      for (const [i, t] of outputs.entries()) {
        const got = await t.data();
        got.forEach((v, j) =>
          expect(Math.abs(v - Math.exp(j)), `output ${i}[${j}]`).toBeLessThanOrEqual(1e-5 * Math.exp(j)),
        );
      }
      for (const t of outputs) t.dispose();
      tidy(() => exp(tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [9], 'float32', { backend }))).dispose();
      expect(backend.memory().kernels).toBeLessThanOrEqual(3);
      expect(backend.memory()).toMatchObject({ handles: 0, textures: 0 });
    } finally {
      await backend.destroy();
    }
  });

  test('a destroyed backend refuses work', async () => {
    const backend = await createGpujsBackend({ mode: ctx.mode });
    const x = tensor([1, 2], [2], 'float32', { backend });
    await backend.destroy();
    expect(() => exp(x)).toThrow(expect.objectContaining({ code: 'ERR_DISPOSED' }));
    x.dispose();
  });
});
