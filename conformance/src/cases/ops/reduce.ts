/** Cases of the reductions (sum, max, min over each axis) and of cumsum. */
import { cumsum, max, min, sum, type DType, type Tensor } from '@spectrans/core';
import { type ReduceOp } from '@spectrans/core/backend';
import { cumsumRef, reduceRef, type AccumulatedRef } from '../../reference/reduce.js';
import type { HostArray } from '../../reference/ndarray.js';
import type { CaseContext, ConformanceCase } from '../../types.js';
import { dtypeCase, size } from '../helpers.js';

const REDUCE_FN: Readonly<
  Record<ReduceOp, (x: Tensor, axes?: number | readonly number[], keepDims?: boolean) => Tensor>
> = { sum, max, min };

/** Reference of reducing several axes one after another (highest first, as core does). */
function reduceAxesRef(op: ReduceOp, x: HostArray, axes: readonly number[]): AccumulatedRef {
  const sorted = [...axes].sort((a, b) => b - a);
  let current: AccumulatedRef = { ...x, scale: Float64Array.from(x.data, Math.abs), k: 1 };
  let k = 1;
  for (const axis of sorted) {
    const abs = { data: current.scale, shape: current.shape };
    const next = reduceRef(op, { data: current.data, shape: current.shape }, axis);
    const mags = reduceRef('sum', abs, axis);
    k *= current.shape[axis]!;
    current = { data: next.data, shape: next.shape, scale: mags.data, k };
  }
  return current;
}

async function checkReduce(
  ctx: CaseContext,
  op: ReduceOp,
  x: HostArray,
  axes: readonly number[],
  keepDims = false,
): Promise<void> {
  const ref = reduceAxesRef(op, x, axes);
  const shape = keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : ref.shape;
  const out = REDUCE_FN[op](ctx.input(x), axes.length === 1 ? axes[0] : axes, keepDims);
  await ctx.expectClose(
    out,
    { data: ref.data, shape },
    {
      kind: op === 'sum' ? 'accumulate' : 'exact',
      k: ref.k,
      scale: ref.scale,
      what: `${op} over axes [${axes.join(', ')}]`,
      inputs: { x: x.shape },
    },
  );
}

function reduceCases(op: ReduceOp, dtype: DType): ConformanceCase[] {
  const id = `ops/${op}`;
  const cases: ConformanceCase[] = [0, 1, 2].map((axis) =>
    dtypeCase(`${id}/axis-${axis}`, dtype, async (ctx) => {
      const shape = ctx.rng.shape(3, 1, 6);
      await checkReduce(ctx, op, ctx.hostInput(ctx.rng.normals(size(shape), 3), shape), [axis]);
    }),
  );
  cases.push(
    dtypeCase(`${id}/all-axes`, dtype, async (ctx) => {
      const shape = ctx.rng.shape(3, 2, 5);
      await checkReduce(ctx, op, ctx.hostInput(ctx.rng.normals(size(shape)), shape), [0, 1, 2]);
    }),
    dtypeCase(`${id}/keep-dims`, dtype, async (ctx) => {
      const shape = ctx.rng.shape(4, 2, 4);
      await checkReduce(ctx, op, ctx.hostInput(ctx.rng.normals(size(shape)), shape), [1, 3], true);
    }),
    dtypeCase(`${id}/nan-propagation`, dtype, async (ctx) => {
      // One NaN in some rows: the reduction of those rows is NaN, the others are unaffected.
      const shape = [5, 7];
      const values = ctx.rng.normals(35);
      values[0 * 7 + 3] = NaN;
      values[2 * 7 + 0] = NaN;
      values[4 * 7 + 6] = NaN;
      const x = ctx.hostInput(values, shape);
      await checkReduce(ctx, op, x, [1]);
      await checkReduce(ctx, op, x, [0]);
    }),
    dtypeCase(`${id}/infinities`, dtype, async (ctx) => {
      const rows = [
        [1, Infinity, 2],
        [-Infinity, 0, 5],
        [Infinity, -Infinity, 1],
        [-1, -2, -3],
        [0, -0, 0],
      ];
      await checkReduce(ctx, op, ctx.hostInput(rows.flat(), [5, 3]), [1]);
    }),
    dtypeCase(`${id}/long-axis`, dtype, async (ctx) => {
      // Many terms with a common offset: naive float32 accumulation is still within k·u·Σ|x|.
      const n = 4099;
      const x = ctx.hostInput(
        Array.from({ length: 2 * n }, () => 10 + ctx.rng.normal()),
        [2, n],
      );
      await checkReduce(ctx, op, x, [1]);
    }),
  );
  cases.push(
    dtypeCase(`${id}/empty-axis`, dtype, async (ctx) => {
      // Over an empty axis: sum 0, max −∞, min +∞.
      await checkReduce(ctx, op, ctx.hostInput([], [3, 0, 2]), [1]);
    }),
  );
  return cases;
}

/** `ops/{sum,max,min}/{axis-0,axis-1,axis-2,all-axes,keep-dims,nan-propagation,infinities,long-axis,empty-axis}/<dtype>`. */
export function reduceOpCases(dtype: DType): ConformanceCase[] {
  return (['sum', 'max', 'min'] as const).flatMap((op) => reduceCases(op, dtype));
}

const SCAN_VARIANTS = [
  { name: 'inclusive', exclusive: false, reverse: false },
  { name: 'exclusive', exclusive: true, reverse: false },
  { name: 'reverse', exclusive: false, reverse: true },
  { name: 'exclusive-reverse', exclusive: true, reverse: true },
] as const;

/** `ops/cumsum/{inclusive,exclusive,reverse,exclusive-reverse}/<dtype>` (every axis of a rank-3 tensor, negative axes too), `long-axis` and `nan`. */
export function cumsumCases(dtype: DType): ConformanceCase[] {
  const cases = SCAN_VARIANTS.map((v) =>
    dtypeCase(`ops/cumsum/${v.name}`, dtype, async (ctx) => {
      const shape = ctx.rng.shape(3, 1, 6);
      const x = ctx.hostInput(ctx.rng.normals(size(shape), 2), shape);
      for (const axis of [0, 1, 2, -1]) {
        const a = axis < 0 ? axis + 3 : axis;
        const ref = cumsumRef(x, a, v.exclusive, v.reverse);
        await ctx.expectClose(cumsum(ctx.input(x), axis, { exclusive: v.exclusive, reverse: v.reverse }), ref, {
          kind: 'accumulate',
          k: ref.k,
          scale: ref.scale,
          what: `cumsum(axis ${axis}, exclusive ${v.exclusive}, reverse ${v.reverse})`,
          inputs: { x: shape },
        });
      }
    }),
  );
  cases.push(
    dtypeCase('ops/cumsum/long-axis', dtype, async (ctx) => {
      const n = 3001;
      const x = ctx.hostInput(
        Array.from({ length: n }, () => 1 + ctx.rng.normal()),
        [n],
      );
      const ref = cumsumRef(x, 0, false, false);
      await ctx.expectClose(cumsum(ctx.input(x), 0), ref, {
        kind: 'accumulate',
        k: ref.k,
        scale: ref.scale,
        inputs: { x: x.shape },
      });
    }),
    dtypeCase('ops/cumsum/nan', dtype, async (ctx) => {
      const x = ctx.hostInput([1, 2, NaN, 4, Infinity, 5], [6]);
      for (const reverse of [false, true]) {
        const ref = cumsumRef(x, 0, false, reverse);
        await ctx.expectClose(cumsum(ctx.input(x), 0, { reverse }), ref, {
          kind: 'accumulate',
          k: ref.k,
          scale: ref.scale,
          what: `cumsum(reverse ${reverse})`,
        });
      }
    }),
  );
  return cases;
}
