/**
 * `attention/linear/<check>`: linear attention equals the quadratic computation in the exact-kernel
 * limit (also causal, for several chunk sizes, and with key masks), converges to softmax attention
 * with positive random features, and scales eps with the denominator.
 */
import { RFFAttentionKernel, linearAttention, softmaxAttention, type DType, type Tensor } from '@spectrans/core';
import type { CaseContext, ConformanceCase } from '../../types.js';
import { dtypeCase, expectWithin, take } from '../helpers.js';
import { logLogSlope, relativeFrobenius } from '../kernels/convergence.js';
import { points } from '../kernels/points.js';
import { QuadraticFeatureMap, quadraticReference, triangle } from './quadratic.js';

const D = 4;

/** Compares two results of the backend under test within the pipeline row times `scale`. */
async function compare(ctx: CaseContext, actual: Tensor, expected: Tensor, what: string, scale = 1): Promise<void> {
  ctx.track([actual, expected]);
  const t = ctx.tolerance('pipeline');
  expectWithin(
    ctx,
    await take(ctx, actual),
    await take(ctx, expected),
    { rtol: t.rtol * scale, atol: t.atol * scale },
    what,
  );
}

async function exactKernelLimit(ctx: CaseContext): Promise<void> {
  const q = points(ctx, [2, 7, D], 1, 0.8);
  const k = points(ctx, [2, 9, D], 2, 0.8);
  const v = points(ctx, [2, 9, 3], 3);
  const map = new QuadraticFeatureMap(D);
  await compare(
    ctx,
    linearAttention(q, k, v, { featureMap: map, eps: 0 }),
    quadraticReference(q, k, v),
    'linear vs quadratic attention, kernel (q·k)²',
    10,
  );
}

async function causalEqualsMaskedQuadratic(ctx: CaseContext): Promise<void> {
  const n = 11;
  const q = points(ctx, [2, n, D], 4, 0.8);
  const k = points(ctx, [2, n, D], 5, 0.8);
  const v = points(ctx, [2, n, 3], 6);
  const tri = triangle(ctx, n);
  const map = new QuadraticFeatureMap(D);
  for (const chunkSize of [1, 4, 64]) {
    await compare(
      ctx,
      linearAttention(q, k, v, { featureMap: map, causal: true, chunkSize, eps: 0 }),
      quadraticReference(q, k, v, tri),
      `causal linear attention (chunk ${chunkSize})`,
      10,
    );
  }
}

async function keyMask(ctx: CaseContext): Promise<void> {
  const q = points(ctx, [5, D], 7, 0.8);
  const k = points(ctx, [6, D], 8, 0.8);
  const v = points(ctx, [6, 2], 9);
  const mask = ctx.input([1, 0, 1, 1, 0, 1], [6]);
  const keep = ctx.input([1, 0, 1, 1, 0, 1], [1, 6]);
  const map = new QuadraticFeatureMap(D);
  await compare(
    ctx,
    linearAttention(q, k, v, { featureMap: map, mask, eps: 0 }),
    quadraticReference(q, k, v, keep),
    'masked linear vs masked quadratic attention',
    10,
  );
}

async function convergesToSoftmax(ctx: CaseContext): Promise<void> {
  const n = 16;
  const dd = 8;
  // Moderate norms: positive features have lognormal weights whose tails grow like exp(‖q‖‖k‖).
  const q = points(ctx, [n, dd], 10, 0.4);
  const k = points(ctx, [n, dd], 11, 0.4);
  const v = points(ctx, [n, 4], 12);
  const Ds = [64, 256, 1024, 4096];
  const errors: number[] = [];
  const exact = await take(ctx, softmaxAttention(q, k, v));
  for (const numFeatures of Ds) {
    let total = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const map = ctx.track(
        new RFFAttentionKernel({ inputDim: dd, numFeatures, seed, backend: ctx.backend, dtype: ctx.dtype }),
      );
      total += relativeFrobenius(await take(ctx, linearAttention(q, k, v, { featureMap: map })), exact);
      ctx.dispose(map);
    }
    errors.push(total / 6);
  }
  const slope = logLogSlope(Ds, errors);
  ctx.check(
    slope > -0.75 && slope < -0.35,
    () =>
      `error slope ${slope.toFixed(3)} (errors ${errors.map((e) => e.toExponential(2)).join(', ')}); expected about -0.5`,
  );
  ctx.check(
    errors[errors.length - 1]! < 0.03,
    () => `error at D = 4096 is ${errors[errors.length - 1]}, expected < 0.03`,
  );
}

async function epsRelativeToDenominator(ctx: CaseContext): Promise<void> {
  // Inputs of magnitude 1e-3: (q·k)² ~ 1e-11, far below an absolute eps of 1e-6.
  const q = points(ctx, [6, D], 19, 1e-3);
  const k = points(ctx, [7, D], 20, 1e-3);
  const v = points(ctx, [7, 2], 21);
  const map = new QuadraticFeatureMap(D);
  for (const causal of [false, true]) {
    const kk = causal ? q : k;
    const vv = causal ? points(ctx, [6, 2], 22) : v;
    const tri = causal ? triangle(ctx, 6) : undefined;
    await compare(
      ctx,
      linearAttention(q, kk, vv, { featureMap: map, causal }),
      quadraticReference(q, kk, vv, tri),
      `tiny denominators with the default eps (causal ${causal})`,
      10,
    );
  }
}

/** The linear-attention cases checked against exact references (FAVOR+ has its own module). */
export function linearAttentionCases(dtype: DType): ConformanceCase[] {
  return [
    dtypeCase('attention/linear/exact-kernel-limit', dtype, exactKernelLimit),
    dtypeCase('attention/linear/causal-equals-masked-quadratic', dtype, causalEqualsMaskedQuadratic),
    dtypeCase('attention/linear/key-mask', dtype, keyMask),
    dtypeCase('attention/linear/softmax-features-converge-to-softmax-attention', dtype, convergesToSoftmax),
    dtypeCase('attention/linear/eps-relative-to-denominator', dtype, epsRelativeToDenominator),
  ];
}
