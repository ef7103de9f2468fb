/** Cases of the optional fused op logLinearAttention (native or core's composed fallback). */
import { logLinearAttention, type DType } from '@spectrans/core';
import type { HostArray } from '../../reference/ndarray.js';
import type { CaseContext, ConformanceCase } from '../../types.js';
import { dtypeCase } from '../helpers.js';

/**
 * Exact attention on log features in float64: out_i = Σ_j w_ij v_j / Σ_j w_ij with
 * w_ij = Σ_r exp(ℓq_ir + ℓk_jr − M_i), M_i the largest exponent of row i (j <= i when causal).
 * Leading axes are equal (batch b of each input).
 */
export function logLinearAttentionRef(logQ: HostArray, logK: HostArray, v: HostArray, causal: boolean): HostArray {
  const rank = logQ.shape.length;
  const n = logQ.shape[rank - 2]!;
  const D = logQ.shape[rank - 1]!;
  const m = logK.shape[rank - 2]!;
  const dv = v.shape[rank - 1]!;
  const batches = logQ.data.length / (n * D);
  const out = new Float64Array(batches * n * dv);
  for (let b = 0; b < batches; b++) {
    for (let i = 0; i < n; i++) {
      const q = logQ.data.subarray((b * n + i) * D, (b * n + i + 1) * D);
      const keys = causal ? i + 1 : m;
      let top = -Infinity;
      for (let j = 0; j < keys; j++)
        for (let r = 0; r < D; r++) top = Math.max(top, q[r]! + logK.data[(b * m + j) * D + r]!);
      let den = 0;
      const num = new Float64Array(dv);
      for (let j = 0; j < keys; j++) {
        let w = 0;
        for (let r = 0; r < D; r++) w += Math.exp(q[r]! + logK.data[(b * m + j) * D + r]! - top);
        den += w;
        for (let c = 0; c < dv; c++) num[c]! += w * v.data[(b * m + j) * dv + c]!;
      }
      for (let c = 0; c < dv; c++) out[(b * n + i) * dv + c] = num[c]! / den;
    }
  }
  return { data: out, shape: [...logQ.shape.slice(0, -2), n, dv] };
}

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
