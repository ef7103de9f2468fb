/**
 * `kernels/<config>/matches-oracle` and `kernels/<config>/same-parameters-as-oracle`: every
 * configuration gives the float64 oracle's numbers with the same seed, from bit-identical draws.
 */
import type { Backend, DType } from '@spectrans/core';
import type { CaseContext, ConformanceCase } from '../../types.js';
import { dtypeCase, expectWithin, take } from '../helpers.js';
import { CONFIG_INPUT_DIM, KERNEL_CONFIGS, buildConfig, evaluateConfig, type KernelConfig } from './configs.js';
import { hostPoints } from './points.js';

/** A configuration's output on x (2, 6, d) and y (2, 5, d) on `backend` in `dtype`; the points are rounded to the case's dtype. */
async function evaluateOn(
  ctx: CaseContext,
  config: KernelConfig,
  backend: Backend,
  dtype: DType,
): Promise<Float64Array> {
  const kernel = ctx.track(buildConfig(config, backend, dtype));
  const on = { on: backend, dtype };
  const x = ctx.input(hostPoints(ctx, [2, 6, CONFIG_INPUT_DIM], 7, 0.7), undefined, on);
  const y = ctx.input(hostPoints(ctx, [2, 5, CONFIG_INPUT_DIM], 8, 0.7), undefined, on);
  return take(ctx, evaluateConfig(config, kernel, x, y));
}

function configCases(config: KernelConfig, dtype: DType): ConformanceCase[] {
  return [
    dtypeCase(`kernels/${config.id}/matches-oracle`, dtype, async (ctx) => {
      const t = ctx.tolerance('pipeline');
      const actual = await evaluateOn(ctx, config, ctx.backend, dtype);
      const expected = await evaluateOn(ctx, config, ctx.oracle, 'float64');
      expectWithin(ctx, actual, expected, t, `${config.id} on ${ctx.backend.name} vs float64 oracle`);
    }),
    dtypeCase(`kernels/${config.id}/same-parameters-as-oracle`, dtype, async (ctx) => {
      const mine = ctx.track(buildConfig(config, ctx.backend, dtype));
      const oracle = ctx.track(buildConfig(config, ctx.oracle, 'float64'));
      const a = await mine.exportStateDict();
      const b = await oracle.exportStateDict();
      ctx.check(
        Object.keys(a).join() === Object.keys(b).join(),
        () => `state dict keys differ: ${Object.keys(a)} vs ${Object.keys(b)}`,
      );
      const round = dtype === 'float32' ? Math.fround : (v: number) => v;
      for (const name of Object.keys(a)) {
        const want = b[name]!.data.map((v) => round(Number(v)));
        const got = a[name]!.data.map(Number);
        ctx.check(
          got.every((v, i) => v === want[i]),
          () => `parameter '${name}' differs from the oracle's draw with the same seed`,
        );
      }
    }),
  ];
}

/** Both cases of every configuration of {@link KERNEL_CONFIGS}, in its order. */
export function oracleCases(dtype: DType): ConformanceCase[] {
  return KERNEL_CONFIGS.flatMap((config) => configCases(config, dtype));
}
