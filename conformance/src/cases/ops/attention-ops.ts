/** Cases of the optional fused op logLinearAttention (native or core's composed fallback). */
import { logLinearAttention, type DType } from '@spectrans/core';
import { logLinearAttentionRef } from '../../reference/attention.js';
import type { HostArray } from '../../reference/ndarray.js';
import type { CaseContext, ConformanceCase } from '../../types.js';
import { dtypeCase } from '../helpers.js';

/**
 * Log features: integers in [−spread, 0] plus `offset` (exact in every dtype, so the sums the op
 * forms are exact and only exp and accumulation round).
 */
function logs(ctx: CaseContext, shape: number[], spread: number, offset: number): HostArray {
  const count = shape.reduce((a, s) => a * s, 1);
  const values = Array.from({ length: count }, () => offset - ctx.rng.int(0, spread));
  return ctx.hostInput(values, shape);
}

async function checkLogAttention(
  ctx: CaseContext,
  lead: number[],
  n: number,
  m: number,
  D: number,
  dv: number,
  causal: boolean,
  offsets: [number, number] = [0, 0],
): Promise<void> {
  const logQ = logs(ctx, [...lead, n, D], 6, offsets[0]);
  const logK = logs(ctx, [...lead, m, D], 6, offsets[1]);
  const count = [...lead, m, dv].reduce((a, s) => a * s, 1);
  const v = ctx.hostInput(ctx.rng.normals(count), [...lead, m, dv]);
  const out = logLinearAttention(ctx.input(logQ), ctx.input(logK), ctx.input(v), { causal });
  await ctx.expectClose(out, logLinearAttentionRef(logQ, logK, v, causal), {
    kind: 'pipeline',
    what: `logLinearAttention(causal ${causal}, log offsets ${offsets.join(', ')})`,
    inputs: { logQ: logQ.shape, logK: logK.shape, v: v.shape },
  });
}

/**
 * `ops/log-linear-attention/{full,causal,batched,odd-sizes,large-logs}/<dtype>`: the fused op (or
 * core's composed path) against exact float64 attention, including log features around ±300 whose
 * exponentials overflow or underflow every dtype unless shifted.
 */
export function logLinearAttentionCases(dtype: DType): ConformanceCase[] {
  const extra = { optionalOp: 'logLinearAttention' as const };
  return [
    dtypeCase('ops/log-linear-attention/full', dtype, (ctx) => checkLogAttention(ctx, [], 9, 7, 8, 5, false), extra),
    dtypeCase(
      'ops/log-linear-attention/causal',
      dtype,
      (ctx) => checkLogAttention(ctx, [], 70, 70, 12, 20, true),
      extra,
    ),
    dtypeCase(
      'ops/log-linear-attention/batched',
      dtype,
      async (ctx) => {
        await checkLogAttention(ctx, [2, 3], 5, 6, 8, 4, false);
        await checkLogAttention(ctx, [3], 17, 17, 4, 36, true);
      },
      extra,
    ),
    dtypeCase(
      'ops/log-linear-attention/odd-sizes',
      dtype,
      async (ctx) => {
        await checkLogAttention(ctx, [], 1, 1, 1, 1, true);
        await checkLogAttention(ctx, [], 3, 11, 5, 3, false);
        await checkLogAttention(ctx, [], 13, 13, 7, 7, true);
      },
      extra,
    ),
    dtypeCase(
      'ops/log-linear-attention/large-logs',
      dtype,
      async (ctx) => {
        await checkLogAttention(ctx, [], 6, 40, 8, 4, false, [-300, 300]);
        await checkLogAttention(ctx, [], 40, 40, 8, 4, true, [300, -300]);
        await checkLogAttention(ctx, [], 33, 33, 16, 8, true, [-250, -250]);
      },
      extra,
    ),
  ];
}
