/** Reductions, prefix sums and layout ops through core on both engines, against float64 loops. */
import { describe, expect, it } from 'vitest';
import { concat, cumsum, max, min, reshape, slice, sum, transpose } from '@spectrans/core';
import { cumsumRef, hostArray, reduceRef, sizeOf, sliceRef, transposeRef } from '@spectrans/conformance/reference';
import { ENGINES, expectClose, f32, t, U, uniforms, useEngine, values } from './helpers.js';

describe.each(ENGINES)('reductions and layout on tfjs-%s', (engine) => {
  const shape = [3, 4, 5, 6];
  const x = uniforms(sizeOf(shape), 21, -2, 2);

  it.each(['sum', 'max', 'min'] as const)('%s over every axis', async (op) => {
    await useEngine(engine);
    const fn = { sum, max, min }[op];
    for (let axis = 0; axis < shape.length; axis++) {
      const ref = reduceRef(op, hostArray(x, shape), axis);
      const out = fn(t(x, shape), axis);
      expect(out.shape).toEqual(shape.filter((_, i) => i !== axis));
      const allowance = op === 'sum' ? ref.scale.map((s) => 2 * U * shape[axis]! * s) : undefined;
      expectClose(
        await values(out),
        f32(ref.data),
        { rtol: 2 * U, ...(allowance ? { allowance } : {}) },
        `${op} axis ${axis}`,
      );
    }
  });

  it('max/min propagate NaN wherever it sits; long sums stay within k·u·Σ|x|', async () => {
    await useEngine(engine);
    for (const n of [4, 17, 1000]) {
      for (const pos of [0, Math.floor(n / 2), n - 1]) {
        const v = uniforms(2 * n, pos + n);
        v[pos] = NaN;
        expect(Array.from(await values(max(t(v, [2, n]), 1)))[0]).toBeNaN();
        expect(Array.from(await values(min(t(v, [2, n]), 1)))[0]).toBeNaN();
        expect(Array.from(await values(max(t(v, [n, 2]), 0)))[pos % 2]).toBeNaN();
      }
    }
    const long = uniforms(100000, 77, 0, 1);
    const ref = reduceRef('sum', hostArray(long, [100000]), 0);
    expectClose(await values(sum(t(long, [100000]))), f32(ref.data), {
      allowance: ref.scale.map((s) => 2 * U * 100000 * s),
    });
  });

  it('empty axes: sum 0, max -Infinity, min +Infinity; empty outputs stay empty', async () => {
    await useEngine(engine);
    expect(Array.from(await values(sum(t([], [3, 0]), 1)))).toEqual([0, 0, 0]);
    expect(Array.from(await values(max(t([], [3, 0]), 1)))).toEqual([-Infinity, -Infinity, -Infinity]);
    expect(Array.from(await values(min(t([], [2, 0, 2]), 1)))).toEqual([Infinity, Infinity, Infinity, Infinity]);
    const e = sum(t([], [0, 4]), 1);
    expect(e.shape).toEqual([0]);
    expect((await values(e)).length).toBe(0);
  });

  it('cumsum: inclusive, exclusive, reversed, along each axis', async () => {
    await useEngine(engine);
    const s = [3, 5, 4];
    const v = uniforms(sizeOf(s), 8);
    for (let axis = 0; axis < 3; axis++) {
      for (const exclusive of [false, true]) {
        for (const reverse of [false, true]) {
          const ref = cumsumRef(hostArray(v, s), axis, exclusive, reverse).data;
          expectClose(
            await values(cumsum(t(v, s), axis, { exclusive, reverse })),
            f32(ref),
            { atol: 8 * U * s[axis]!, rtol: 4 * U },
            `axis ${axis} exclusive ${exclusive} reverse ${reverse}`,
          );
        }
      }
    }
  });

  it('transpose, reshape, slice and concat move elements exactly, at any rank', async () => {
    await useEngine(engine);
    const perm = [2, 0, 3, 1];
    const tr = transpose(t(x, shape), perm);
    const outShape = perm.map((p) => shape[p]!);
    expect(tr.shape).toEqual(outShape);
    expect(Array.from(await values(tr))).toEqual(Array.from(transposeRef(hostArray(x, shape), perm).data));

    const r = reshape(t(x, shape), [6, -1, 2]);
    expect(r.shape).toEqual([6, 30, 2]);
    expect(Array.from(await values(r))).toEqual(x);

    const sl = slice(t(x, shape), [1, 0, 2, 3], [2, 4, 2, 3]);
    const slRef = sliceRef(hostArray(x, shape), [1, 0, 2, 3], [2, 4, 2, 3]).data;
    expect(Array.from(await values(sl))).toEqual(Array.from(slRef));

    const a = uniforms(2 * 3, 1);
    const b = uniforms(2 * 4, 2);
    const c = concat([t(a, [2, 3]), t([], [2, 0]), t(b, [2, 4])], 1);
    expect(c.shape).toEqual([2, 7]);
    expect(Array.from(await values(c))).toEqual([...a.slice(0, 3), ...b.slice(0, 4), ...a.slice(3), ...b.slice(4)]);

    const high = uniforms(2 ** 8, 3);
    const hs = [2, 2, 2, 2, 2, 2, 2, 2];
    const ht = transpose(t(high, hs));
    expect(Array.from(await values(ht))).toEqual(
      Array.from(transposeRef(hostArray(high, hs), [7, 6, 5, 4, 3, 2, 1, 0]).data),
    );
    expect((await values(slice(t([], [0, 3]), [0, 1], [0, 2]))).length).toBe(0);
  });
});
