/** Cases of the layout ops: transpose, reshape, concat, slice; all bit-exact. */
import { concat, reshape, slice, transpose, type DType } from '@spectrans/core';
import { concatRef, sliceRef, transposeRef } from '../../reference/layout.js';
import type { HostRng } from '../../host-rng.js';
import type { ConformanceCase } from '../../types.js';
import { dtypeCase, randomShape, size } from '../helpers.js';

/** Values that make any misplaced element visible, NaN and infinities included. */
function distinctValues(n: number, offset = 0): number[] {
  return Array.from({ length: n }, (_, i) => (i % 17 === 5 ? NaN : i % 23 === 7 ? -Infinity : (i + offset) * 1.25 - 3));
}

/** `ops/transpose/{matrix,random-perm,identity,dispose-source}/<dtype>`. */
export function transposeCases(dtype: DType): ConformanceCase[] {
  return [
    dtypeCase('ops/transpose/matrix', dtype, async (ctx) => {
      const shape = ctx.rng.shape(2, 1, 9);
      const x = ctx.hostInput(distinctValues(size(shape)), shape);
      await ctx.expectClose(transpose(ctx.input(x)), transposeRef(x, [1, 0]), { kind: 'exact', inputs: { x: shape } });
    }),
    dtypeCase('ops/transpose/random-perm', dtype, async (ctx) => {
      for (const rank of [3, 4, 5]) {
        const shape = ctx.rng.shape(rank, 1, 4);
        const perm = ctx.rng.permutation(rank);
        const x = ctx.hostInput(distinctValues(size(shape)), shape);
        await ctx.expectClose(transpose(ctx.input(x), perm), transposeRef(x, perm), {
          kind: 'exact',
          what: `transpose [${perm.join(', ')}]`,
          inputs: { x: shape },
        });
      }
    }),
    dtypeCase('ops/transpose/identity', dtype, async (ctx) => {
      const x = ctx.hostInput(distinctValues(24), [2, 3, 4]);
      await ctx.expectClose(transpose(ctx.input(x), [0, 1, 2]), x, { kind: 'exact' });
    }),
    dtypeCase('ops/transpose/dispose-source', dtype, async (ctx) => {
      const x = ctx.hostInput(distinctValues(6), [2, 3]);
      const t = ctx.input(x);
      const out = ctx.track(transpose(t, [0, 1]));
      ctx.dispose(t);
      await ctx.expectClose(out, x, { kind: 'exact', what: 'transpose after its source was disposed' });
    }),
  ];
}

/** `ops/reshape/{random,infer-axis,to-scalar,dispose-source,dispose-result}/<dtype>`. */
export function reshapeCases(dtype: DType): ConformanceCase[] {
  return [
    dtypeCase('ops/reshape/random', dtype, async (ctx) => {
      const shape = [2, 3, 4, 5];
      const x = ctx.hostInput(distinctValues(120), shape);
      const target = ctx.rng.pick([[120], [6, 20], [5, 4, 3, 2], [1, 120, 1], [2, 2, 2, 15]]);
      await ctx.expectClose(
        reshape(ctx.input(x), target),
        { data: x.data, shape: target },
        { kind: 'exact', inputs: { x: shape } },
      );
    }),
    dtypeCase('ops/reshape/infer-axis', dtype, async (ctx) => {
      const x = ctx.hostInput(distinctValues(24), [4, 6]);
      await ctx.expectClose(reshape(ctx.input(x), [-1, 3]), { data: x.data, shape: [8, 3] }, { kind: 'exact' });
    }),
    dtypeCase('ops/reshape/to-scalar', dtype, async (ctx) => {
      const x = ctx.hostInput([2.5], [1, 1]);
      await ctx.expectClose(reshape(ctx.input(x), []), { data: x.data, shape: [] }, { kind: 'exact' });
    }),
    dtypeCase('ops/reshape/dispose-source', dtype, async (ctx) => {
      // Storage may be shared, but each handle must stay valid on its own.
      const x = ctx.hostInput(distinctValues(12), [3, 4]);
      const t = ctx.input(x);
      const out = ctx.track(reshape(t, [4, 3]));
      ctx.dispose(t);
      await ctx.expectClose(
        out,
        { data: x.data, shape: [4, 3] },
        { kind: 'exact', what: 'reshape after its source was disposed' },
      );
    }),
    dtypeCase('ops/reshape/dispose-result', dtype, async (ctx) => {
      const x = ctx.hostInput(distinctValues(12), [3, 4]);
      const t = ctx.input(x);
      ctx.dispose(reshape(t, [12]));
      await ctx.expectClose(ctx.track(reshape(t, [3, 4])), x, {
        kind: 'exact',
        what: 'a tensor after a reshape of it was disposed',
      });
    }),
  ];
}

/** `ops/concat/{axis-0,last-axis,many-with-empty,single,rank-1}/<dtype>`. */
export function concatCases(dtype: DType): ConformanceCase[] {
  const check = (name: string, build: (rng: HostRng) => { shapes: number[][]; axis: number }): ConformanceCase =>
    dtypeCase(`ops/concat/${name}`, dtype, async (ctx) => {
      const { shapes, axis } = build(ctx.rng);
      let offset = 0;
      const xs = shapes.map((s) => {
        const h = ctx.hostInput(distinctValues(size(s), offset), s);
        offset += 1000;
        return h;
      });
      const a = axis < 0 ? axis + shapes[0]!.length : axis;
      const inputs = Object.fromEntries(shapes.map((s, i) => [`xs[${i}]`, s]));
      await ctx.expectClose(
        concat(
          xs.map((h) => ctx.input(h)),
          axis,
        ),
        concatRef(xs, a),
        { kind: 'exact', what: `concat(axis ${axis})`, inputs },
      );
    });
  const along = (base: number[], axis: number, extents: number[]): number[][] =>
    extents.map((e) => base.map((d, i) => (i === axis ? e : d)));
  return [
    check('axis-0', (rng) => ({ shapes: along(rng.shape(3, 1, 4), 0, [rng.int(1, 3), rng.int(1, 3)]), axis: 0 })),
    check('last-axis', (rng) => ({
      shapes: along(rng.shape(3, 1, 4), 2, [rng.int(1, 3), rng.int(1, 3), rng.int(1, 3)]),
      axis: -1,
    })),
    check('many-with-empty', (rng) => ({ shapes: along(rng.shape(3, 1, 4), 1, [2, 0, 3, 1, 0]), axis: 1 })),
    check('single', (rng) => ({ shapes: [rng.shape(2, 1, 4)], axis: 0 })),
    check('rank-1', (rng) => ({ shapes: [[rng.int(1, 5)], [rng.int(1, 5)]], axis: 0 })),
  ];
}

/** `ops/slice/{random,full,empty,rank-1}/<dtype>`. */
export function sliceCases(dtype: DType): ConformanceCase[] {
  return [
    dtypeCase('ops/slice/random', dtype, async (ctx) => {
      for (let round = 0; round < 4; round++) {
        const shape = randomShape(ctx.rng, 1, 4, 6);
        const begin = shape.map((d) => ctx.rng.int(0, d - 1));
        const extent = shape.map((d, i) => ctx.rng.int(1, d - begin[i]!));
        const x = ctx.hostInput(distinctValues(size(shape)), shape);
        await ctx.expectClose(slice(ctx.input(x), begin, extent), sliceRef(x, begin, extent), {
          kind: 'exact',
          what: `slice(begin [${begin.join(', ')}], size [${extent.join(', ')}])`,
          inputs: { x: shape },
        });
      }
    }),
    dtypeCase('ops/slice/full', dtype, async (ctx) => {
      const x = ctx.hostInput(distinctValues(24), [2, 3, 4]);
      const t = ctx.input(x);
      const out = ctx.track(slice(t, [0, 0, 0]));
      ctx.dispose(t);
      await ctx.expectClose(out, x, { kind: 'exact', what: 'full slice after its source was disposed' });
    }),
    dtypeCase('ops/slice/empty', dtype, async (ctx) => {
      const x = ctx.hostInput(distinctValues(24), [2, 3, 4]);
      await ctx.expectClose(slice(ctx.input(x), [1, 1, 0], [1, 0, 4]), sliceRef(x, [1, 1, 0], [1, 0, 4]), {
        kind: 'exact',
      });
    }),
    dtypeCase('ops/slice/rank-1', dtype, async (ctx) => {
      const x = ctx.hostInput(distinctValues(10), [10]);
      await ctx.expectClose(slice(ctx.input(x), [3], [5]), sliceRef(x, [3], [5]), { kind: 'exact' });
    }),
  ];
}
