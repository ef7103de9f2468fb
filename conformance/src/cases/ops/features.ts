/** Cases of the optional fused ops: fwht, rffFeatures and positiveFeatures (native or core's fallback). */
import { fwht, positiveFeatures, rffFeatures, type Backend, type DType } from '@spectrans/core';
import { optionalOpSupport } from '@spectrans/core/backend';
import { fwhtRef, positiveFeaturesRef, rffFeaturesRef } from '../../reference/linear.js';
import { roundTo } from '../../tolerance.js';
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

type Stabilizer = 'none' | 'row' | 'global';
const STABILIZERS: readonly Stabilizer[] = ['none', 'row', 'global'];

/** Features of x (normals times `xScale`) against the float64 reference, for each stabilizer; returns the host inputs. */
async function checkPositive(
  ctx: CaseContext,
  xShape: number[],
  D: number,
  options: { xScale?: number; stabilizers?: readonly Stabilizer[]; edit?: (x: Float64Array) => void } = {},
): Promise<void> {
  const d = xShape[xShape.length - 1]!;
  const data = ctx.rng.normals(size(xShape), options.xScale ?? 0.5);
  options.edit?.(data);
  const x = ctx.hostInput(data, xShape);
  const omega = ctx.hostInput(ctx.rng.normals(d * D), [d, D]);
  const scale = 1 / Math.sqrt(D);
  for (const stabilizer of options.stabilizers ?? STABILIZERS) {
    const ref = positiveFeaturesRef(x, omega, stabilizer, scale);
    const out = positiveFeatures(ctx.input(x), ctx.input(omega), stabilizer, scale);
    await ctx.expectClose(out, ref, {
      kind: ['transcendental', 'accumulate'],
      k: ref.k,
      scale: ref.scale,
      what: `positiveFeatures(${stabilizer})`,
      inputs: { x: xShape, omega: omega.shape },
    });
  }
}

/**
 * `ops/positive-features/{random,batched-x,rank-1-x,odd-sizes,threaded,large-norms,nan,errors}/<dtype>`:
 * FAVOR+ positive features `scale·exp(xω − shift)` with each stabilizer.
 */
export function positiveFeaturesCases(dtype: DType): ConformanceCase[] {
  const extra = { optionalOp: 'positiveFeatures' as const };
  return [
    dtypeCase(
      'ops/positive-features/random',
      dtype,
      (ctx) => checkPositive(ctx, [ctx.rng.int(1, 9), ctx.rng.int(1, 6)], ctx.rng.int(1, 16)),
      extra,
    ),
    dtypeCase(
      'ops/positive-features/batched-x',
      dtype,
      async (ctx) => {
        // 'global' takes one maximum per batch element (the last two axes of x).
        await checkPositive(ctx, [2, 3, 4], 8);
        await checkPositive(ctx, [2, 1, 3, 5], 6);
      },
      extra,
    ),
    dtypeCase('ops/positive-features/rank-1-x', dtype, (ctx) => checkPositive(ctx, [5], 7), extra),
    dtypeCase(
      'ops/positive-features/odd-sizes',
      dtype,
      // Past and between the vector widths: d and D with remainders mod 4 and 8.
      (ctx) => checkPositive(ctx, [13, 67], 37, { xScale: 0.2 }),
      extra,
    ),
    dtypeCase(
      'ops/positive-features/threaded',
      dtype,
      // Enough elements for a threaded backend to split the rows (2^17 and more).
      (ctx) => checkPositive(ctx, [2, 550, 16], 128, { xScale: 0.3 }),
      extra,
    ),
    dtypeCase(
      'ops/positive-features/large-norms',
      dtype,
      async (ctx) => {
        // ‖x‖²/2 in the hundreds: unshifted features underflow to 0, shifted ones stay finite, and
        // the largest feature of every row ('row') or batch element ('global') is exactly the scale.
        const [rows, d, D] = [12, 16, 24];
        await checkPositive(ctx, [rows, d], D, { xScale: 6 });
        const x = ctx.input(ctx.hostInput(ctx.rng.normals(rows * d, 6), [rows, d]));
        const omega = ctx.input(ctx.hostInput(ctx.rng.normals(d * D), [d, D]));
        const scale = 1 / Math.sqrt(D);
        const top = roundTo(dtype, scale);
        // exp(0) = 1 and one product by the scale: exact under IEEE arithmetic ('reduced' precision
        // backends are held to the comparison above only).
        if (ctx.precision !== 'ieee') return;
        const byRow = await ctx.read(ctx.track(positiveFeatures(x, omega, 'row', scale)));
        for (let r = 0; r < rows; r++) {
          const largest = Math.max(...byRow.subarray(r * D, (r + 1) * D));
          ctx.check(largest === top, () => `row ${r}: largest 'row' feature ${largest}, expected exactly ${top}`);
        }
        const largest = Math.max(...(await ctx.read(ctx.track(positiveFeatures(x, omega, 'global', scale)))));
        ctx.check(largest === top, () => `largest 'global' feature ${largest}, expected exactly ${top}`);
      },
      extra,
    ),
    dtypeCase(
      'ops/positive-features/nan',
      dtype,
      // A NaN input makes its row NaN ('none', 'row') or its whole batch element ('global').
      (ctx) =>
        checkPositive(ctx, [2, 3, 4], 6, {
          edit: (x) => {
            x[5] = Number.NaN;
          },
        }),
      extra,
    ),
    dtypeCase(
      'ops/positive-features/errors',
      dtype,
      (ctx) => {
        const x = ctx.input(ctx.hostInput(ctx.rng.normals(6), [2, 3]));
        const omega = ctx.input(ctx.hostInput(ctx.rng.normals(12), [3, 4]));
        const wrong = ctx.input(ctx.hostInput(ctx.rng.normals(8), [2, 4]));
        ctx.expectError('ERR_SHAPE_MISMATCH', () => positiveFeatures(x, wrong, 'row', 1));
        ctx.expectError('ERR_INVALID_ARGUMENT', () => positiveFeatures(x, omega, 'max' as never, 1));
        ctx.expectError('ERR_INVALID_ARGUMENT', () => positiveFeatures(x, omega, 'row', Number.NaN));
        const vector = ctx.input(ctx.hostInput(ctx.rng.normals(3), [3]));
        ctx.expectError('ERR_INVALID_SHAPE', () => positiveFeatures(x, vector, 'row', 1));
      },
      extra,
    ),
  ];
}
