/** Cases of matmul (transposes, batch broadcasting, blocking edges), cdist and expCdist (both metrics). */
import { cdist, exp, expCdist, matmul, type DistanceMetric, type DType } from '@spectrans/core';
import { cdistRef, expCdistRef, matmulRef } from '../../reference/linear.js';
import type { CaseContext, ConformanceCase } from '../../types.js';
import { dtypeCase, size } from '../helpers.js';

interface MatmulSpec {
  readonly batchA: readonly number[];
  readonly batchB: readonly number[];
  readonly n: number;
  readonly k: number;
  readonly m: number;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
  /** Element generator (default N(0, 1)). */
  readonly value?: (ctx: CaseContext, i: number) => number;
}

async function checkMatmul(ctx: CaseContext, s: MatmulSpec): Promise<void> {
  const aShape = [...s.batchA, ...(s.transposeA ? [s.k, s.n] : [s.n, s.k])];
  const bShape = [...s.batchB, ...(s.transposeB ? [s.m, s.k] : [s.k, s.m])];
  const gen = s.value ?? ((c: CaseContext) => c.rng.normal());
  const a = ctx.hostInput(
    Array.from({ length: size(aShape) }, (_, i) => gen(ctx, i)),
    aShape,
  );
  const b = ctx.hostInput(
    Array.from({ length: size(bShape) }, (_, i) => gen(ctx, i)),
    bShape,
  );
  const ref = matmulRef(a, b, s.transposeA, s.transposeB);
  const out = matmul(ctx.input(a), ctx.input(b), { transposeA: s.transposeA, transposeB: s.transposeB });
  await ctx.expectClose(out, ref, {
    kind: 'accumulate',
    k: ref.k,
    scale: ref.scale,
    what: `matmul(transposeA ${s.transposeA}, transposeB ${s.transposeB})`,
    inputs: { a: aShape, b: bShape },
  });
}

function dims(ctx: CaseContext, max = 7): { n: number; k: number; m: number } {
  return { n: ctx.rng.int(1, max), k: ctx.rng.int(1, max), m: ctx.rng.int(1, max) };
}

/**
 * `ops/matmul/{plain,transpose-a,transpose-b,transpose-both,batch-broadcast,batch-broadcast-transpose,
 * rank-mismatch-batch,vector-shapes,after-elementwise,blocked-sizes,long-inner,zero-inner,empty-rows,edge-values}/<dtype>`.
 */
export function matmulCases(dtype: DType): ConformanceCase[] {
  const simple = (name: string, transposeA: boolean, transposeB: boolean): ConformanceCase =>
    dtypeCase(`ops/matmul/${name}`, dtype, (ctx) =>
      checkMatmul(ctx, { batchA: [], batchB: [], ...dims(ctx), transposeA, transposeB }),
    );
  return [
    simple('plain', false, false),
    simple('transpose-a', true, false),
    simple('transpose-b', false, true),
    simple('transpose-both', true, true),
    dtypeCase('ops/matmul/batch-broadcast', dtype, async (ctx) => {
      await checkMatmul(ctx, { batchA: [2, 1], batchB: [3], ...dims(ctx, 5), transposeA: false, transposeB: false });
      await checkMatmul(ctx, { batchA: [3], batchB: [], ...dims(ctx, 5), transposeA: false, transposeB: false });
      await checkMatmul(ctx, { batchA: [1, 2], batchB: [4, 1], ...dims(ctx, 5), transposeA: false, transposeB: false });
    }),
    dtypeCase('ops/matmul/batch-broadcast-transpose', dtype, async (ctx) => {
      for (const [ta, tb] of [
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        await checkMatmul(ctx, { batchA: [2, 1, 3], batchB: [2, 1], ...dims(ctx, 4), transposeA: ta, transposeB: tb });
      }
    }),
    dtypeCase('ops/matmul/vector-shapes', dtype, async (ctx) => {
      const k = ctx.rng.int(2, 9);
      await checkMatmul(ctx, { batchA: [], batchB: [], n: 1, k, m: 6, transposeA: false, transposeB: false });
      await checkMatmul(ctx, { batchA: [], batchB: [], n: 6, k, m: 1, transposeA: false, transposeB: false });
      await checkMatmul(ctx, { batchA: [], batchB: [], n: 1, k, m: 1, transposeA: false, transposeB: true });
      await checkMatmul(ctx, { batchA: [], batchB: [], n: 5, k: 1, m: 4, transposeA: false, transposeB: false });
    }),
    dtypeCase('ops/matmul/after-elementwise', dtype, async (ctx) => {
      // Operands that are outputs of exp (nonzero at 0), with an odd shared dimension and outer
      // sizes of 1: a GPU engine packing 2 × 2 blocks must not let the blocks' padding, which such
      // an op fills with exp(0) = 1, into the sum (tfjs webgl did: 1 × 1 times 1 × 1 read twice).
      const shapes: [number, number, number][] = [
        [1, 1, 1],
        [1, 1, 3],
        [2, 1, 1],
        [1, 3, 1],
        [1, 5, 2],
        [3, 1, 2],
        [3, 3, 3],
      ];
      for (const [n, k, m] of shapes)
        for (const transposeA of [false, true])
          for (const transposeB of [false, true]) {
            const aShape = transposeA ? [k, n] : [n, k];
            const bShape = transposeB ? [m, k] : [k, m];
            const a = ctx.track(exp(ctx.input(ctx.hostInput(ctx.rng.normals(n * k, 0.5), aShape))));
            const b = ctx.track(exp(ctx.input(ctx.hostInput(ctx.rng.normals(k * m, 0.5), bShape))));
            // The reference multiplies what the backend's exp gave, so only the product is judged.
            const ref = matmulRef(
              ctx.hostInput(await ctx.read(a), aShape),
              ctx.hostInput(await ctx.read(b), bShape),
              transposeA,
              transposeB,
            );
            await ctx.expectClose(matmul(a, b, { transposeA, transposeB }), ref, {
              kind: 'accumulate',
              k: ref.k,
              scale: ref.scale,
              what: `matmul(exp(a), exp(b), transposeA ${transposeA}, transposeB ${transposeB})`,
              inputs: { a: aShape, b: bShape },
            });
          }
    }),
    dtypeCase('ops/matmul/blocked-sizes', dtype, async (ctx) => {
      // Sizes straddling the usual cache-block and tile edges (4, 8, 16, 32, 64).
      await checkMatmul(ctx, { batchA: [], batchB: [], n: 65, k: 33, m: 67, transposeA: false, transposeB: false });
      await checkMatmul(ctx, { batchA: [], batchB: [], n: 17, k: 129, m: 9, transposeA: true, transposeB: true });
    }),
    dtypeCase('ops/matmul/long-inner', dtype, async (ctx) => {
      await checkMatmul(ctx, {
        batchA: [],
        batchB: [],
        n: 3,
        k: 2048,
        m: 4,
        transposeA: false,
        transposeB: true,
        value: (c) => 1 + c.rng.normal(),
      });
    }),
    dtypeCase('ops/matmul/zero-inner', dtype, async (ctx) => {
      await checkMatmul(ctx, { batchA: [2], batchB: [], n: 3, k: 0, m: 4, transposeA: false, transposeB: false });
    }),
    dtypeCase('ops/matmul/empty-rows', dtype, async (ctx) => {
      await checkMatmul(ctx, { batchA: [], batchB: [], n: 0, k: 3, m: 4, transposeA: false, transposeB: false });
      await checkMatmul(ctx, { batchA: [0], batchB: [], n: 2, k: 3, m: 4, transposeA: false, transposeB: false });
    }),
    dtypeCase('ops/matmul/edge-values', dtype, async (ctx) => {
      // NaN and infinities propagate to exactly the outputs that use them; large magnitudes overflow.
      await checkMatmul(ctx, {
        batchA: [],
        batchB: [],
        n: 6,
        k: 5,
        m: 7,
        transposeA: false,
        transposeB: false,
        value: (c, i) =>
          i === 3 ? NaN : i === 11 ? Infinity : i === 20 ? -Infinity : c.rng.pick([0, 1, -2, 0.5, 1e3]),
      });
    }),
  ];
}

async function checkCdist(
  ctx: CaseContext,
  metric: DistanceMetric,
  xShape: number[],
  yShape: number[],
  value?: (i: number) => number,
): Promise<void> {
  const gen = value ?? (() => ctx.rng.normal());
  const x = ctx.hostInput(
    Array.from({ length: size(xShape) }, (_, i) => gen(i)),
    xShape,
  );
  const y = ctx.hostInput(
    Array.from({ length: size(yShape) }, (_, i) => gen(i)),
    yShape,
  );
  const ref = cdistRef(x, y, metric);
  const out = ctx.track(cdist(ctx.input(x), ctx.input(y), metric));
  const got = await ctx.read(out, 'cdist');
  if (metric === 'sqeuclidean') {
    const negative = got.findIndex((v) => v < 0);
    ctx.check(
      negative < 0,
      () =>
        `sqeuclidean distance ${got[negative]} at flat index ${negative} is negative (x [${xShape.join(', ')}], y [${yShape.join(', ')}])`,
    );
  }
  await ctx.expectClose(out, ref, {
    kind: 'accumulate',
    k: ref.k,
    scale: ref.scale,
    what: `cdist(${metric})`,
    inputs: { x: xShape, y: yShape },
  });
}

/**
 * `ops/cdist/<metric>/{plain,batch-broadcast,identical-rows,large-offset,zero-dim}/<dtype>` for
 * metric `sqeuclidean` and `l1`.
 */
export function cdistCases(dtype: DType): ConformanceCase[] {
  return (['sqeuclidean', 'l1'] as const).flatMap((metric) => {
    const id = `ops/cdist/${metric}`;
    return [
      dtypeCase(`${id}/plain`, dtype, async (ctx) => {
        const d = ctx.rng.int(1, 9);
        await checkCdist(ctx, metric, [ctx.rng.int(1, 8), d], [ctx.rng.int(1, 8), d]);
      }),
      dtypeCase(`${id}/batch-broadcast`, dtype, async (ctx) => {
        await checkCdist(ctx, metric, [2, 1, 4, 3], [3, 5, 3]);
        await checkCdist(ctx, metric, [3, 2, 5], [4, 5]);
      }),
      dtypeCase(`${id}/identical-rows`, dtype, async (ctx) => {
        // Distances of a set to itself: the diagonal is 0 up to rounding and never negative.
        const x = ctx.hostInput(ctx.rng.normals(6 * 4, 10), [6, 4]);
        const t = ctx.input(x);
        const ref = cdistRef(x, x, metric);
        const out = ctx.track(cdist(t, t, metric));
        const got = await ctx.read(out);
        const negative = got.findIndex((v) => v < 0);
        ctx.check(negative < 0, () => `distance ${got[negative]} at flat index ${negative} is negative`);
        await ctx.expectClose(out, ref, {
          kind: 'accumulate',
          k: ref.k,
          scale: ref.scale,
          inputs: { x: x.shape, y: x.shape },
        });
      }),
      dtypeCase(`${id}/large-offset`, dtype, async (ctx) => {
        // A common offset of 1000 with small differences: the expansion |x|² + |y|² − 2x·y cancels badly.
        await checkCdist(ctx, metric, [5, 3], [4, 3], () => 1000 + ctx.rng.normal() * 0.01);
      }),
      dtypeCase(`${id}/zero-dim`, dtype, async (ctx) => {
        await checkCdist(ctx, metric, [3, 0], [2, 0]);
      }),
    ];
  });
}

/** exp(scale · cdist) of normal points (times `spread`) against the float64 reference. */
async function checkExpCdist(
  ctx: CaseContext,
  metric: DistanceMetric,
  xShape: number[],
  yShape: number[],
  scale: number,
  options: { spread?: number; edit?: (x: Float64Array) => void } = {},
): Promise<void> {
  const xs = ctx.rng.normals(size(xShape), options.spread ?? 1);
  options.edit?.(xs);
  const x = ctx.hostInput(xs, xShape);
  const y = ctx.hostInput(ctx.rng.normals(size(yShape), options.spread ?? 1), yShape);
  const ref = expCdistRef(x, y, metric, scale);
  const out = ctx.track(expCdist(ctx.input(x), ctx.input(y), metric, scale));
  const got = await ctx.read(out, 'expCdist');
  if (scale <= 0) {
    // A kernel matrix: every entry in [0, 1] (NaN aside), at any scale of the inputs.
    const outside = got.findIndex((v) => v < 0 || v > 1);
    ctx.check(
      outside < 0,
      () => `expCdist(${metric}, ${scale}) entry ${got[outside]} at flat index ${outside} is outside [0, 1]`,
    );
  }
  await ctx.expectClose(out, ref, {
    kind: ['transcendental', 'accumulate'],
    k: ref.k,
    scale: ref.scale,
    what: `expCdist(${metric}, scale ${scale.toPrecision(4)})`,
    inputs: { x: xShape, y: yShape },
  });
}

/**
 * `ops/exp-cdist/<metric>/{random,batch-broadcast,odd-sizes,threaded,far-points,same-points,nan,errors}/<dtype>`:
 * `exp(scale · cdist(x, y, metric))`, the exact Gaussian and Laplacian kernel matrices.
 */
export function expCdistCases(dtype: DType): ConformanceCase[] {
  const extra = { optionalOp: 'expCdist' as const };
  return (['sqeuclidean', 'l1'] as const).flatMap((metric) => {
    const id = `ops/exp-cdist/${metric}`;
    return [
      dtypeCase(
        `${id}/random`,
        dtype,
        async (ctx) => {
          const d = ctx.rng.int(1, 9);
          const scale = -ctx.rng.uniform(0.05, 1);
          await checkExpCdist(ctx, metric, [ctx.rng.int(1, 8), d], [ctx.rng.int(1, 8), d], scale);
          await checkExpCdist(ctx, metric, [3, d], [4, d], ctx.rng.uniform(0.05, 0.5)); // any sign
        },
        extra,
      ),
      dtypeCase(
        `${id}/batch-broadcast`,
        dtype,
        async (ctx) => {
          await checkExpCdist(ctx, metric, [2, 1, 4, 3], [3, 5, 3], -0.3);
          await checkExpCdist(ctx, metric, [3, 2, 5], [4, 5], -0.3);
        },
        extra,
      ),
      dtypeCase(
        `${id}/odd-sizes`,
        dtype,
        // Past and between the vector widths: d, n and m with remainders mod 4, 8 and 16.
        (ctx) => checkExpCdist(ctx, metric, [13, 67], [47, 67], metric === 'l1' ? -0.02 : -0.005),
        extra,
      ),
      dtypeCase(
        `${id}/threaded`,
        dtype,
        // Enough work for a threaded backend to split the rows (2^20 multiply-adds and more).
        (ctx) => checkExpCdist(ctx, metric, [2, 300, 16], [2, 250, 16], metric === 'l1' ? -0.1 : -0.03),
        extra,
      ),
      dtypeCase(
        `${id}/far-points`,
        dtype,
        // Distances in the tens to hundreds: entries from near 1 down to subnormal and zero.
        (ctx) => checkExpCdist(ctx, metric, [9, 4], [11, 4], -1, { spread: 6 }),
        extra,
      ),
      dtypeCase(
        `${id}/same-points`,
        dtype,
        async (ctx) => {
          // expCdist(x, x): the diagonal is exp(0) = 1 up to the distance's rounding.
          const x = ctx.hostInput(ctx.rng.normals(7 * 5, 3), [7, 5]);
          const t = ctx.input(x);
          const ref = expCdistRef(x, x, metric, -0.5);
          await ctx.expectClose(expCdist(t, t, metric, -0.5), ref, {
            kind: ['transcendental', 'accumulate'],
            k: ref.k,
            scale: ref.scale,
            what: `expCdist(${metric}) of a set to itself`,
            inputs: { x: x.shape, y: x.shape },
          });
        },
        extra,
      ),
      dtypeCase(
        `${id}/nan`,
        dtype,
        // A NaN coordinate makes its row NaN.
        (ctx) =>
          checkExpCdist(ctx, metric, [3, 4], [5, 4], -0.5, {
            edit: (x) => {
              x[6] = Number.NaN;
            },
          }),
        extra,
      ),
      dtypeCase(
        `${id}/errors`,
        dtype,
        (ctx) => {
          const x = ctx.input(ctx.hostInput(ctx.rng.normals(6), [2, 3]));
          const wrong = ctx.input(ctx.hostInput(ctx.rng.normals(8), [2, 4]));
          const vector = ctx.input(ctx.hostInput(ctx.rng.normals(3), [3]));
          ctx.expectError('ERR_SHAPE_MISMATCH', () => expCdist(x, wrong, metric, -1));
          ctx.expectError('ERR_INVALID_SHAPE', () => expCdist(vector, x, metric, -1));
          ctx.expectError('ERR_INVALID_ARGUMENT', () => expCdist(x, x, 'cosine' as never, -1));
          ctx.expectError('ERR_INVALID_ARGUMENT', () => expCdist(x, x, metric, Number.NaN));
          ctx.expectError('ERR_INVALID_ARGUMENT', () => expCdist(x, x, metric, Number.NEGATIVE_INFINITY));
        },
        extra,
      ),
    ];
  });
}
