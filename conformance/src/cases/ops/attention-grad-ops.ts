/**
 * Cases of the optional fused op logLinearAttentionGrad (native, or core's rule written with core
 * ops): the gradients of L = Σ out ⊙ G through logLinearAttention against exact float64 gradients.
 */
import { grads, logLinearAttention, mul, sum, type DType, type Tensor } from '@spectrans/core';
import { logLinearAttentionGradRef } from '../../reference/attention.js';
import type { HostArray } from '../../reference/ndarray.js';
import type { CaseContext, ConformanceCase } from '../../types.js';
import { dtypeCase } from '../helpers.js';

/** Log features: N(offset, spread²) (a spread of a few units makes the terms differ by orders of magnitude). */
function logs(ctx: CaseContext, shape: number[], spread: number, offset: number): HostArray {
  const count = shape.reduce((a, s) => a * s, 1);
  return ctx.hostInput(
    Array.from(ctx.rng.normals(count, spread), (x) => x + offset),
    shape,
  );
}

interface GradCheck {
  lead?: number[];
  n: number;
  m: number;
  D: number;
  dv: number;
  causal?: boolean;
  /** Log offsets of the queries and keys (default 0, 0). */
  offsets?: [number, number];
  /** The inputs to differentiate (default all three). */
  wrt?: readonly ('logQ' | 'logK' | 'v')[];
}

async function checkGrad(ctx: CaseContext, c: GradCheck): Promise<void> {
  const lead = c.lead ?? [];
  const [oq, ok] = c.offsets ?? [0, 0];
  const causal = c.causal ?? false;
  const host = {
    logQ: logs(ctx, [...lead, c.n, c.D], 2, oq),
    logK: logs(ctx, [...lead, c.m, c.D], 2, ok),
    v: ctx.hostInput(ctx.rng.normals([...lead, c.m, c.dv].reduce((a, s) => a * s, 1)), [...lead, c.m, c.dv]),
  };
  const gHost = ctx.hostInput(ctx.rng.normals([...lead, c.n, c.dv].reduce((a, s) => a * s, 1)), [...lead, c.n, c.dv]);
  const expected = logLinearAttentionGradRef(host.logQ, host.logK, host.v, gHost, causal);
  const wrt = c.wrt ?? (['logQ', 'logK', 'v'] as const);
  const inputs = { logQ: ctx.input(host.logQ), logK: ctx.input(host.logK), v: ctx.input(host.v) };
  const g = ctx.input(gHost);
  const watched = Object.fromEntries(wrt.map((name) => [name, inputs[name]])) as Record<string, Tensor>;
  const actual = ctx.track(
    grads(() => {
      const all = { ...inputs, ...watched };
      return sum(mul(logLinearAttention(all.logQ, all.logK, all.v, { causal }), g));
    }, watched),
  );
  const what = `d/d(${wrt.join(', ')}) of logLinearAttention(causal ${causal}, n ${c.n}, m ${c.m}, D ${c.D}, dv ${c.dv}, log offsets ${oq}, ${ok})`;
  for (const name of wrt) {
    ctx.check(
      Object.keys(actual).length === wrt.length,
      () => `${what}: gradients for ${Object.keys(actual).join(', ')}`,
    );
    await ctx.expectClose(actual[name]!, expected[name], {
      kind: 'pipeline',
      what: `${what}: d L / d ${name}`,
      inputs: { logQ: host.logQ.shape, logK: host.logK.shape, v: host.v.shape },
    });
  }
}

/**
 * `ops/log-linear-attention-grad/{full,causal,batched,odd-sizes,large-logs,partial,threaded}/<dtype>`:
 * the fused backward (or core's rule) against exact float64 gradients, including log features
 * around ±300, gradients for some inputs only, and sizes past a threaded backend's split points.
 */
export function logLinearAttentionGradCases(dtype: DType): ConformanceCase[] {
  const extra = { optionalOp: 'logLinearAttentionGrad' as const };
  const at = (name: string, ...checks: GradCheck[]): ConformanceCase =>
    dtypeCase(
      `ops/log-linear-attention-grad/${name}`,
      dtype,
      async (ctx) => {
        for (const c of checks) await checkGrad(ctx, c);
      },
      extra,
    );
  return [
    at('full', { n: 9, m: 7, D: 8, dv: 5 }),
    at('causal', { n: 37, m: 37, D: 6, dv: 4, causal: true }),
    at('batched', { lead: [2, 3], n: 5, m: 6, D: 8, dv: 4 }, { lead: [3], n: 17, m: 17, D: 4, dv: 9, causal: true }),
    at(
      'odd-sizes',
      { n: 1, m: 1, D: 1, dv: 1 },
      { n: 3, m: 11, D: 5, dv: 3 },
      { n: 13, m: 2, D: 7, dv: 1 },
      { n: 13, m: 13, D: 3, dv: 7, causal: true },
    ),
    at(
      'large-logs',
      { n: 6, m: 40, D: 8, dv: 4, offsets: [-300, 300] },
      { n: 20, m: 9, D: 8, dv: 4, offsets: [250, 250] },
      { n: 24, m: 24, D: 8, dv: 4, offsets: [300, -300], causal: true },
    ),
    at(
      'partial',
      { n: 8, m: 10, D: 6, dv: 3, wrt: ['logQ'] },
      { n: 8, m: 10, D: 6, dv: 3, wrt: ['logK'] },
      { n: 8, m: 10, D: 6, dv: 3, wrt: ['v'] },
      { n: 8, m: 10, D: 6, dv: 3, wrt: ['logK', 'v'] },
    ),
    // Past backend-wasm's thread split points: n·D and m·D over 2^17 elements in turn.
    at('threaded', { n: 1100, m: 40, D: 128, dv: 6 }, { n: 30, m: 1100, D: 128, dv: 6 }),
  ];
}
