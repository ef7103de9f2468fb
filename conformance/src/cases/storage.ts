/** Cases of the storage part of the contract: upload, read, readSync (and what it serves: arraySync, printing), memory accounting. */
import { fill, tensor, type Backend, type DType } from '@spectrans/core';
import type { ConformanceCase } from '../types.js';
import { big, dtypeCase } from './helpers.js';

/** `storage/{round-trip,signed-zero-and-subnormals,shapes,fill,read-returns-copy,upload-keeps-no-alias,double-data-rounds,read-sync,array-sync,print,memory}/<dtype>`. */
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
    dtypeCase(
      'storage/fill',
      dtype,
      async (ctx) => {
        // Every value rounds to the dtype first (0.1, 1e39 to Infinity in float32); -0 keeps its sign.
        const values = [
          0,
          -0,
          1,
          0.1,
          -2.5e-7,
          big(dtype),
          1e39,
          NaN,
          Infinity,
          -Infinity,
          dtype === 'float32' ? 2 ** -140 : 2 ** -1060,
        ];
        const shapes = [[], [1], [7], [3, 5, 4], [301, 700]];
        const checks = [
          ...values.map((value, i) => [value, shapes[i % shapes.length]!] as const),
          [2, [0]] as const,
          [3, [2, 0, 3]] as const,
        ];
        for (const [value, shape] of checks) {
          const n = shape.reduce((a, b) => a * b, 1);
          const t = ctx.track(fill(shape, value, dtype, { backend: ctx.backend }));
          ctx.check(
            t.dtype === dtype && t.shape.join() === shape.join(),
            () => `fill([${shape.join(', ')}], ${value}) is ${t.dtype} [${t.shape.join(', ')}]`,
          );
          const want = ctx.hostInput(new Array<number>(n).fill(value), shape).data[0] ?? value;
          const got = await ctx.read(t);
          const bad = got.findIndex((v) => !Object.is(v, want));
          ctx.check(
            bad < 0 && got.length === n,
            () =>
              `fill([${shape.join(', ')}], ${Object.is(value, -0) ? '-0' : value}): element ${bad} reads ${Object.is(got[bad], -0) ? '-0' : got[bad]}, expected ${Object.is(want, -0) ? '-0' : want}`,
          );
        }
      },
      { optionalOp: 'fill' },
    ),
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
    ...(dtype === 'float32' ? [doubleDataRounds()] : []),
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
      applies: readSyncApplies,
    },
    {
      ...dtypeCase('storage/array-sync', dtype, async (ctx) => {
        // arraySync nests readSync's values as array() nests read's, for every rank.
        for (const shape of [[], [5], [2, 3, 4], [2, 0]]) {
          const n = shape.reduce((a, b) => a * b, 1);
          const t = ctx.input(ctx.hostInput(ctx.rng.normals(n), shape));
          const sync = JSON.stringify(t.arraySync());
          const async = JSON.stringify(await t.array());
          ctx.check(sync === async, () => `shape [${shape.join(', ')}]: arraySync ${sync} but array() ${async}`);
        }
      }),
      applies: readSyncApplies,
    },
    {
      ...dtypeCase('storage/print', dtype, async (ctx) => {
        // Printing a large tensor reads only its leading block (a slice, freed at once) synchronously.
        const values = Array.from({ length: 5 * 9 }, (_, i) => i - 20);
        const t = ctx.input(values, [5, 9]);
        const memory = ctx.backend.memory?.bind(ctx.backend);
        const before = memory?.();
        const text = String(t);
        const row = (r: number): string => `[${values.slice(9 * r, 9 * r + 6).join(', ')}, …]`;
        const want = `Tensor ${dtype} [5, 9] on ${ctx.backend.name}: [${row(0)}, ${row(1)}, ${row(2)}, …]`;
        ctx.check(text === want, () => `printed ${JSON.stringify(text)}, expected ${JSON.stringify(want)}`);
        const after = memory?.();
        ctx.check(
          before === undefined || (after!.handles === before.handles && after!.bytes === before.bytes),
          () => `printing left memory() at ${JSON.stringify(after)}, was ${JSON.stringify(before)}`,
        );
        const small = ctx.input([0.5, -0.25, 3], [3]);
        const smallWant = `Tensor ${dtype} [3] on ${ctx.backend.name}: [0.5, -0.25, 3]`;
        ctx.check(
          String(small) === smallWant,
          () => `printed ${JSON.stringify(String(small))}, expected ${JSON.stringify(smallWant)}`,
        );
        ctx.check(
          JSON.stringify(await t.array()) === JSON.stringify(t.arraySync()),
          () => 'the tensor changed after it was printed',
        );
        ctx.dispose(small);
        const disposedWant = `Tensor ${dtype} [3] on ${ctx.backend.name} (disposed)`;
        ctx.check(String(small) === disposedWant, () => `a disposed tensor printed ${JSON.stringify(String(small))}`);
      }),
      applies: readSyncApplies,
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

/** The cases of readSync and what it serves apply where a backend declares readSync. */
function readSyncApplies(b: Backend): true | string {
  return typeof b.readSync === 'function' ? true : 'backend has no readSync (optional)';
}

/**
 * float64 host data for a float32 tensor rounds to nearest, ties to even, as Math.fround: whether
 * core converts it or the backend does (`capabilities.roundsFloat64Uploads`), at sizes below,
 * inside and past a backend's vector and chunk sizes, and the caller's array stays its own.
 */
function doubleDataRounds(): ConformanceCase {
  return dtypeCase('storage/double-data-rounds', 'float32', async (ctx) => {
    const ulp1 = 2 ** -23;
    const maxF32 = (2 - ulp1) * 2 ** 127;
    const special = [
      1 + ulp1 / 2, // a tie: to even (1)
      1 + (3 * ulp1) / 2, // a tie: to even (1 + 2 ulp)
      1 + ulp1 / 2 + 2 ** -60, // just above a tie: up
      -(1 + ulp1 / 2),
      maxF32,
      maxF32 + 2 ** 103, // half an ulp above the largest float32: a tie, to Infinity
      maxF32 + 2 ** 103 - 2 ** 80, // below that: the largest float32
      -1e39,
      2 ** -149, // the smallest subnormal
      1.5 * 2 ** -149, // a subnormal tie: to even (2^-148)
      2 ** -150, // a tie with zero: to +0
      -(2 ** -151), // below half the smallest subnormal: to -0
      -0,
      0,
      NaN,
      Infinity,
      -Infinity,
      0.1,
      1 / 3,
    ];
    for (const n of [special.length, 100, 40_000]) {
      const data = new Float64Array(n);
      for (let i = 0; i < n; i++) data[i] = special[i % special.length]! * (i < special.length ? 1 : 1 + i * 2 ** -40);
      const kept = data.slice();
      const t = ctx.track(tensor(data, [n], 'float32', { backend: ctx.backend }));
      data.fill(7);
      const got = await ctx.read(t);
      const bad = got.findIndex((v, i) => !Object.is(v, Math.fround(kept[i]!)));
      ctx.check(
        bad < 0 && got.length === n,
        () =>
          `${n} float64 values: element ${bad} = ${kept[bad]} reads ${Object.is(got[bad], -0) ? '-0' : got[bad]}, expected ${Object.is(Math.fround(kept[bad]!), -0) ? '-0' : Math.fround(kept[bad]!)}`,
      );
    }
  });
}
