/** `attention/softmax/<check>`: exact softmax attention's causal first row and fully masked rows. */
import { softmaxAttention, type DType } from '@spectrans/core';
import type { CaseContext, ConformanceCase } from '../../types.js';
import { dtypeCase, expectWithin, take } from '../helpers.js';
import { hostPoints, points } from '../kernels/points.js';

const D = 4;

async function causalAndMasks(ctx: CaseContext): Promise<void> {
  const q = points(ctx, [4, D], 16);
  const k = points(ctx, [4, D], 17);
  const values = hostPoints(ctx, [4, 2], 18);
  const v = ctx.input(values);
  const none = ctx.input([0, 0, 0, 0], [4]);
  const out = await take(ctx, softmaxAttention(q, k, v, { causal: true }));
  expectWithin(
    ctx,
    out.subarray(0, 2),
    values.data.subarray(0, 2),
    ctx.tolerance('pipeline'),
    'causal row 0 attends only to key 0',
  );
  const masked = await take(ctx, softmaxAttention(q, k, v, { mask: none }));
  ctx.check(
    masked.every((x) => x === 0),
    () => 'queries with no visible key must give 0',
  );
}

/** The softmax-attention cases. */
export function softmaxAttentionCases(dtype: DType): ConformanceCase[] {
  return [dtypeCase('attention/softmax/causal-and-masks', dtype, causalAndMasks)];
}
