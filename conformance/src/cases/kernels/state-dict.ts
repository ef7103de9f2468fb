/**
 * `kernels/state-dict/<check>`: exported state dicts survive JSON and load into another kernel;
 * missing, extra and mis-shaped entries raise `ERR_STATE_DICT`.
 */
import { GaussianRFFKernel, type DType } from '@spectrans/core';
import type { CaseContext, ConformanceCase } from '../../types.js';
import { dtypeCase, errorCode, take } from '../helpers.js';
import { points } from './points.js';

function gaussian(ctx: CaseContext, seed: number): GaussianRFFKernel {
  return ctx.track(
    new GaussianRFFKernel({ inputDim: 4, numFeatures: 8, seed, backend: ctx.backend, dtype: ctx.dtype }),
  );
}

async function roundTripThroughJson(ctx: CaseContext): Promise<void> {
  const a = gaussian(ctx, 5);
  const b = gaussian(ctx, 6);
  const x = points(ctx, [3, 4], 2);
  b.loadStateDict(JSON.parse(JSON.stringify(await a.exportStateDict())));
  const fa = await take(ctx, a.forward(x));
  const fb = await take(ctx, b.forward(x));
  ctx.check(
    fa.every((v, i) => v === fb[i]),
    () => "a kernel loaded from another one's exported state dict must give the same features",
  );
  ctx.check(
    a
      .parameters()
      .map((p) => `${p.name}:${p.trainable}`)
      .join() === 'omega:false,bias:false',
    () => 'parameters() must list omega and bias as buffers',
  );
}

async function rejectsBadEntries(ctx: CaseContext): Promise<void> {
  const k = gaussian(ctx, 5);
  const good = await k.exportStateDict();
  const bias = good['bias']!;
  for (const [what, dict] of [
    ['missing', { omega: good['omega']! }],
    ['extra', { ...good, projection: bias }],
    ['misshaped', { ...good, bias: { shape: [4], dtype: 'float32', data: [1, 2, 3, 4] } }],
  ] as const) {
    const got = errorCode(() => k.loadStateDict(dict as never));
    ctx.check(got === 'ERR_STATE_DICT', () => `${what} entry: expected ERR_STATE_DICT, got ${got}`);
  }
}

/** Both state-dict cases. */
export function stateDictCases(dtype: DType): ConformanceCase[] {
  return [
    dtypeCase('kernels/state-dict/round-trip-through-json', dtype, roundTripThroughJson),
    dtypeCase('kernels/state-dict/rejects-missing-extra-and-misshaped', dtype, rejectsBadEntries),
  ];
}
