/** Cases of the storage part of the contract: upload, read, readSync, memory accounting. */
import { tensor, type DType } from '@spectrans/core';
import type { ConformanceCase } from '../types.js';
import { big, dtypeCase } from './helpers.js';

/** `storage/{round-trip,signed-zero-and-subnormals,shapes,read-returns-copy,upload-keeps-no-alias,read-sync,memory}/<dtype>`. */
export function storageCases(dtype: DType): ConformanceCase[] {
  return [
    dtypeCase('storage/round-trip', dtype, async (ctx) => {
      const values = [...ctx.rng.normals(40, 100), NaN, Infinity, -Infinity, 0, big(dtype), -big(dtype), 1 / 3];
      const x = ctx.hostInput(values, [values.length]);
      await ctx.expectClose(ctx.input(x), x, { kind: 'exact', what: 'read after fromArray' });
    }),
    dtypeCase('storage/signed-zero-and-subnormals', dtype, async (ctx) => {
      const sub = dtype === 'float32' ? 2 ** -140 : 2 ** -1060;
      const x = ctx.hostInput([-0, sub, -sub, 3 * sub], [4]);
      const got = await ctx.read(ctx.input(x));
      const bad = Array.from(x.data).findIndex((v, i) => !Object.is(v, got[i]));
      ctx.check(
        bad < 0,
        () =>
          `element ${bad} was uploaded as ${Object.is(x.data[bad], -0) ? '-0' : x.data[bad]} and read back as ${Object.is(got[bad], -0) ? '-0' : got[bad]}`,
      );
    }),
    dtypeCase('storage/shapes', dtype, async (ctx) => {
      for (const shape of [[], [1], [0], [2, 0, 3], [1, 1, 1, 1, 1, 2]]) {
        const n = shape.reduce((a, b) => a * b, 1);
        const x = ctx.hostInput(ctx.rng.normals(n), shape);
        await ctx.expectClose(ctx.input(x), x, { kind: 'exact', what: `tensor of shape [${shape.join(', ')}]` });
      }
    }),
    dtypeCase('storage/read-returns-copy', dtype, async (ctx) => {
      const x = ctx.hostInput([1, 2, 3, 4], [4]);
      const t = ctx.input(x);
      const first = await t.data();
      first.fill(-7);
      await ctx.expectClose(t, x, { kind: 'exact', what: 'second read after the first read array was modified' });
    }),
    dtypeCase('storage/upload-keeps-no-alias', dtype, async (ctx) => {
      // The backend may keep the array it is given; core's tensor() copies the caller's array first.
      const data = dtype === 'float64' ? new Float64Array([1, 2, 3]) : new Float32Array([1, 2, 3]);
      const t = ctx.track(tensor(data, [3], dtype, { backend: ctx.backend }));
      data.fill(9);
      await ctx.expectClose(t, { data: new Float64Array([1, 2, 3]), shape: [3] }, { kind: 'exact' });
    }),
    {
      ...dtypeCase('storage/read-sync', dtype, async (ctx) => {
        const x = ctx.hostInput(ctx.rng.normals(12), [3, 4]);
        const t = ctx.input(x);
        const sync = t.dataSync();
        ctx.check(
          sync instanceof (dtype === 'float64' ? Float64Array : Float32Array),
          () => `readSync returned ${Object.prototype.toString.call(sync)} for ${dtype}`,
        );
        ctx.expectValuesClose(sync, x, { kind: 'exact', what: 'readSync' });
      }),
      applies: (b) => (typeof b.readSync === 'function' ? true : 'backend has no readSync (optional)'),
    },
    {
      ...dtypeCase('storage/memory', dtype, (ctx) => {
        const memory = ctx.backend.memory!.bind(ctx.backend);
        const before = memory();
        const t = ctx.input(new Float64Array(1000), [10, 100]);
        const during = memory();
        ctx.check(
          during.handles === before.handles + 1,
          () => `memory().handles went ${before.handles} -> ${during.handles} after one upload (expected +1)`,
        );
        const bytes = (dtype === 'float64' ? 8 : 4) * 1000;
        ctx.check(
          during.bytes - before.bytes >= bytes,
          () => `memory().bytes grew by ${during.bytes - before.bytes} for a ${bytes}-byte upload`,
        );
        ctx.dispose(t);
        const after = memory();
        ctx.check(
          after.handles === before.handles && after.bytes === before.bytes,
          () => `after dispose, memory() is ${JSON.stringify(after)}, expected ${JSON.stringify(before)}`,
        );
      }),
      applies: (b) =>
        typeof b.memory === 'function'
          ? true
          : 'backend has no memory() (optional; leak checks then only count core tensors)',
    },
  ];
}
