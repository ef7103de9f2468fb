/** Cases of the optional fused ops: fwht and rffFeatures (native or core's fallback). */
import { fwht, rffFeatures, type Backend, type DType } from '@spectrans/core';
import { optionalOpSupport } from '@spectrans/core/backend';
import { fwhtRef, rffFeaturesRef } from '../../reference/linear.js';
import type { CaseContext, ConformanceCase } from '../../types.js';
import { dtypeCase, size } from '../helpers.js';

/** Core's host fallbacks read synchronously: without the op and without readSync, the case cannot run. */
export function needsNativeOrReadSync(op: 'fwht' | 'linalg/qr' | 'linalg/eigh' | 'linalg/svd') {
  return (backend: Backend): true | string =>
    optionalOpSupport(backend, op) === 'native' || typeof backend.readSync === 'function'
      ? true
      : `backend has neither a native ${op} nor readSync, which core's host fallback needs (ERR_UNSUPPORTED_OP)`;
}

/** `ops/fwht/{random,basis,involution,length-1}/<dtype>`. */
export function fwhtCases(dtype: DType): ConformanceCase[] {
  const extra = { optionalOp: 'fwht' as const, applies: needsNativeOrReadSync('fwht') };
  const check = async (ctx: CaseContext, shape: number[]): Promise<void> => {
    const x = ctx.hostInput(ctx.rng.normals(size(shape)), shape);
    const ref = fwhtRef(x);
    await ctx.expectClose(fwht(ctx.input(x)), ref, {
      kind: 'accumulate',
      k: ref.k,
      scale: ref.scale,
      inputs: { x: shape },
    });
  };
  return [
    dtypeCase(
      'ops/fwht/random',
      dtype,
      async (ctx) => {
        for (const n of [2, 8, 64]) await check(ctx, [...ctx.rng.shape(ctx.rng.int(0, 2), 1, 3), n]);
      },
      extra,
    ),
    dtypeCase(
      'ops/fwht/basis',
      dtype,
      async (ctx) => {
        // Row j of the identity transforms to row j of the Sylvester–Hadamard matrix (natural order): exact ±1.
        const n = 16;
        const eye = ctx.hostInput(
          Array.from({ length: n * n }, (_, i) => (Math.floor(i / n) === i % n ? 1 : 0)),
          [n, n],
        );
        await ctx.expectClose(fwht(ctx.input(eye)), fwhtRef(eye), {
          kind: 'exact',
          what: 'fwht of the identity (natural-order Hadamard matrix)',
        });
      },
      extra,
    ),
    dtypeCase(
      'ops/fwht/involution',
      dtype,
      async (ctx) => {
        const n = 32;
        const x = ctx.hostInput(ctx.rng.normals(3 * n), [3, n]);
        const once = ctx.track(fwht(ctx.input(x)));
        const twice = fwht(once);
        const expected = { data: x.data.map((v) => v * n), shape: x.shape };
        const scale = fwhtRef(x).scale.map((s) => 2 * n * s);
        await ctx.expectClose(twice, expected, {
          kind: 'accumulate',
          k: 2 * Math.log2(n),
          scale,
          what: 'fwht(fwht(x)) = n·x',
        });
      },
      extra,
    ),
    dtypeCase(
      'ops/fwht/length-1',
      dtype,
      async (ctx) => {
        const x = ctx.hostInput(ctx.rng.normals(4), [4, 1]);
        await ctx.expectClose(fwht(ctx.input(x)), x, { kind: 'exact' });
      },
      extra,
    ),
  ];
}

async function checkRff(
  ctx: CaseContext,
  xShape: number[],
  D: number,
  cosSin: boolean,
  frequencyScale = 1,
): Promise<void> {
  const d = xShape[xShape.length - 1]!;
  const x = ctx.hostInput(ctx.rng.normals(size(xShape)), xShape);
  const omega = ctx.hostInput(ctx.rng.normals(d * D, frequencyScale), [d, D]);
  const bias = ctx.hostInput(ctx.rng.uniforms(D, 0, 2 * Math.PI), [D]);
  const scale = Math.sqrt(2 / D);
  const ref = rffFeaturesRef(x, omega, bias, scale, cosSin);
  const out = rffFeatures(ctx.input(x), ctx.input(omega), ctx.input(bias), scale, cosSin);
  await ctx.expectClose(out, ref, {
    kind: ['transcendental', 'accumulate'],
    k: ref.k,
    scale: ref.scale,
    what: `rffFeatures(scale ${scale.toPrecision(4)}, cosSin ${cosSin})`,
    inputs: { x: xShape, omega: omega.shape, bias: bias.shape },
  });
}

/** `ops/rff-features/{cos,cos-sin,batched-x,rank-1-x,large-phases}/<dtype>`: `scale·cos(xω + b)` and `scale·[cos, sin]`. */
export function rffFeaturesCases(dtype: DType): ConformanceCase[] {
  const extra = { optionalOp: 'rffFeatures' as const };
  return [
    dtypeCase(
      'ops/rff-features/cos',
      dtype,
      (ctx) => checkRff(ctx, [ctx.rng.int(1, 9), ctx.rng.int(1, 6)], ctx.rng.int(1, 16), false),
      extra,
    ),
    dtypeCase(
      'ops/rff-features/cos-sin',
      dtype,
      (ctx) => checkRff(ctx, [ctx.rng.int(1, 9), ctx.rng.int(1, 6)], ctx.rng.int(1, 16), true),
      extra,
    ),
    dtypeCase(
      'ops/rff-features/batched-x',
      dtype,
      async (ctx) => {
        await checkRff(ctx, [2, 3, 4], 8, false);
        await checkRff(ctx, [2, 1, 3, 5], 6, true);
      },
      extra,
    ),
    dtypeCase('ops/rff-features/rank-1-x', dtype, (ctx) => checkRff(ctx, [5], 7, true), extra),
    dtypeCase('ops/rff-features/large-phases', dtype, (ctx) => checkRff(ctx, [6, 4], 12, true, 300), extra),
  ];
}
