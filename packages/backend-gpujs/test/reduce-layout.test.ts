/** Reductions, scans and layout ops through core's public API, in every mode, against float64 loops. */
import { concat, cumsum, max, min, reshape, slice, sum, transpose } from '@spectrans/core';
import { type ReduceOp } from '@spectrans/core/backend';
import { expect, test } from 'vitest';
import {
  concatRef,
  cumsumRef,
  hostArray,
  reduceRef,
  sizeOf,
  sliceRef,
  transposeRef,
} from '@spectrans/conformance/reference';
import { expectClose, rng, values } from './support/helpers.js';
import { describeModes } from './support/suite.js';

const REDUCE: Readonly<Record<ReduceOp, typeof sum>> = { sum, max, min };

describeModes('reductions and layout', (ctx) => {
  test.each(['sum', 'max', 'min'] as const)('%s over each axis, NaN propagating', async (op) => {
    const r = rng(3);
    const shape = [3, 4, 5];
    const x = values(sizeOf(shape), () => 3 * r.normal());
    x[7] = NaN;
    for (const axis of [0, 1, 2]) {
      const got = await REDUCE[op](ctx.t(x, shape), axis).data();
      expectClose(
        got,
        reduceRef(op, hostArray(x, shape), axis),
        ctx.precision,
        op === 'sum' ? 'accumulate' : 'exact',
        `${op} axis ${axis}`,
      );
    }
  });

  test.each(['sum', 'max', 'min'] as const)('%s over a long axis (blocked loop) and an empty axis', async (op) => {
    const r = rng(4);
    for (const [shape, axis] of [
      [[2, 5001], 1],
      [[20001, 2], 0],
    ] as [number[], number][]) {
      const x = values(sizeOf(shape), () => 10 + r.normal());
      x[sizeOf(shape) - 3] = op === 'max' ? 1e6 : -1e6; // the extreme sits in the last, partial chunk
      expectClose(
        await REDUCE[op](ctx.t(x, shape), axis).data(),
        reduceRef(op, hostArray(x, shape), axis),
        ctx.precision,
        op === 'sum' ? 'accumulate' : 'exact',
        `${op} [${shape}] axis ${axis}`,
      );
    }
    const empty = await REDUCE[op](ctx.t([], [3, 0, 2]), 1).data();
    expect(Array.from(empty)).toEqual(new Array(6).fill(op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity));
  });

  test('cumsum: inclusive/exclusive, forward/reverse, every axis', async () => {
    const r = rng(5);
    const shape = [3, 5, 4];
    const x = values(sizeOf(shape), () => 2 * r.normal());
    for (const exclusive of [false, true]) {
      for (const reverse of [false, true]) {
        for (const axis of [0, 1, 2]) {
          const got = await cumsum(ctx.t(x, shape), axis, { exclusive, reverse }).data();
          expectClose(
            got,
            cumsumRef(hostArray(x, shape), axis, exclusive, reverse),
            ctx.precision,
            'accumulate',
            `cumsum axis ${axis} exclusive ${exclusive} reverse ${reverse}`,
          );
        }
      }
    }
  });

  test('cumsum over a long axis stays within log2(n) rounding', async () => {
    const r = rng(6);
    const n = 3001;
    const x = values(n, () => 1 + r.normal());
    const ref = cumsumRef(hostArray(x, [n]), 0, false, false);
    expectClose(
      await cumsum(ctx.t(x, [n]), 0).data(),
      { ...ref, k: Math.ceil(Math.log2(n)) + 1 },
      ctx.precision,
      'accumulate',
      'cumsum long',
    );
  });

  test('transpose: matrices and random permutations', async () => {
    const shape = [2, 3, 4, 5];
    const x = Float64Array.from({ length: sizeOf(shape) }, (_, i) => i);
    for (const perm of [
      [0, 1, 3, 2],
      [3, 2, 1, 0],
      [1, 0, 2, 3],
      [2, 0, 3, 1],
      [0, 1, 2, 3],
    ]) {
      const got = await transpose(ctx.t(x, shape), perm).data();
      expectClose(got, transposeRef(hostArray(x, shape), perm), ctx.precision, 'exact', `perm [${perm}]`);
    }
  });

  test('slice: blocks, full and empty', async () => {
    const shape = [4, 5, 6];
    const x = Float64Array.from({ length: sizeOf(shape) }, (_, i) => i);
    for (const [begin, extent] of [
      [
        [1, 2, 3],
        [2, 3, 2],
      ],
      [
        [0, 0, 0],
        [4, 5, 6],
      ],
      [
        [3, 0, 5],
        [1, 5, 1],
      ],
      [
        [1, 1, 0],
        [1, 0, 6],
      ],
    ]) {
      const got = await slice(ctx.t(x, shape), begin!, extent!).data();
      expectClose(
        got,
        sliceRef(hostArray(x, shape), begin!, extent!),
        ctx.precision,
        'exact',
        `slice [${begin}] [${extent}]`,
      );
    }
  });

  test('concat: many inputs (more than one kernel takes), empties, every axis', async () => {
    const parts = [2, 0, 3, 1, 4, 1, 2, 3, 1, 2, 0, 5].map((len, p) => ({
      data: Float64Array.from({ length: 3 * len * 2 }, (_, i) => 1000 * p + i),
      shape: [3, len, 2],
    }));
    const got = await concat(
      parts.map((p) => ctx.t(p.data, p.shape)),
      1,
    ).data();
    expectClose(got, concatRef(parts, 1), ctx.precision, 'exact', 'concat axis 1');
    for (const axis of [0, 2]) {
      const xs = [0, 1, 2].map((p) => ({
        data: Float64Array.from({ length: 12 }, (_, i) => 100 * p + i),
        shape: [2, 3, 2],
      }));
      expectClose(
        await concat(
          xs.map((p) => ctx.t(p.data, p.shape)),
          axis,
        ).data(),
        concatRef(xs, axis),
        ctx.precision,
        'exact',
        `concat axis ${axis}`,
      );
    }
  });

  test('reshape shares storage: the result outlives its source and vice versa', async () => {
    const before = ctx.backend.memory();
    const x = ctx.t([1, 2, 3, 4, 5, 6], [2, 3]);
    const y = reshape(x, [3, 2]);
    expect(ctx.backend.memory().handles).toBe(before.handles + 2);
    expect(ctx.backend.memory().textures).toBe(before.textures + (ctx.mode === 'headlessgl' ? 1 : 0));
    x.dispose();
    expect(Array.from(await y.data())).toEqual([1, 2, 3, 4, 5, 6]);
    const z = reshape(y, [6]);
    y.dispose();
    expect(Array.from(await z.data())).toEqual([1, 2, 3, 4, 5, 6]);
    z.dispose();
    expect(ctx.backend.memory()).toMatchObject({
      handles: before.handles,
      textures: before.textures,
      bytes: before.bytes,
    });
  });
});
