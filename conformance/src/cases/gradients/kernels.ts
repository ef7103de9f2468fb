/**
 * `gradients/kernels/<config>/<dtype>`: each kernel configuration's gradient with respect to its
 * inputs and every trainable parameter (RFF maps built with `trainable: true`), and
 * `gradients/attention/...`: softmax and linear attention with respect to q, k and v, and the
 * optional fused logLinearAttention (whose backward rule a backend with the op runs) with respect
 * to its log features and values, at log magnitudes where exp alone overflows.
 */
import {
  RFFAttentionKernel,
  SpectransError,
  clone,
  grads,
  linearAttention,
  logLinearAttention,
  softmaxAttention,
  sum,
  tidy,
  type Backend,
  type DType,
  type KernelModule,
} from '@spectrans/core';
import { KERNEL_CONFIGS, buildConfig, evaluateConfig, type KernelConfig } from '../kernels/configs.js';
import type { HostArray } from '../../reference/ndarray.js';
import type { CaseContext, ConformanceCase } from '../../types.js';
import { dtypeCase } from '../helpers.js';
import { checkGradients } from './check.js';

/** Configurations whose learnable parameters the reference marks with a `trainable` option. */
const TRAINABLE_OPTION = new Set(['gaussian_rff', 'laplacian_rff', 'orthogonal_rff']);

/** Configurations a gradient cannot cross (they are built on qr and svd, which have no backward rule). */
function notDifferentiable(config: KernelConfig): boolean {
  return config.type === 'truncated_svd';
}

function build(config: KernelConfig, backend: Backend, dtype: DType): KernelModule {
  const trainable = TRAINABLE_OPTION.has(config.type) ? { options: { ...config.options, trainable: true } } : {};
  return buildConfig({ ...config, ...trainable }, backend, dtype) as unknown as KernelModule;
}

async function hostParameters(ctx: CaseContext, kernel: KernelModule): Promise<Record<string, HostArray>> {
  const out: Record<string, HostArray> = {};
  for (const [name, t] of Object.entries(kernel.trainableParameters()))
    out[name] = ctx.hostInput(await ctx.read(t, name), [...t.shape]);
  return out;
}

function kernelCase(config: KernelConfig, dtype: DType): ConformanceCase {
  return dtypeCase(`gradients/kernels/${config.id}`, dtype, async (ctx) => {
    const modules: KernelModule[] = [];
    try {
      await checkKernel(ctx, config, dtype, modules);
    } finally {
      for (const m of modules) m.dispose();
    }
  });
}

async function checkKernel(
  ctx: CaseContext,
  config: KernelConfig,
  dtype: DType,
  modules: KernelModule[],
): Promise<void> {
  const kernel = build(config, ctx.backend, dtype);
  modules.push(kernel);
  const x = ctx.hostInput(ctx.rng.normals(3 * 8, 0.5), [3, 8]);
  const y = ctx.hostInput(ctx.rng.normals(4 * 8, 0.5), [4, 8]);
  if (notDifferentiable(config)) {
    const [bx, by] = [ctx.input(x), ctx.input(y)];
    let code: string | undefined;
    try {
      tidy(() => grads(() => sum(evaluateConfig(config, kernel as never, bx, by)), { x: bx }));
    } catch (e) {
      code = e instanceof SpectransError ? e.code : String(e);
    }
    ctx.check(
      code === 'ERR_NOT_DIFFERENTIABLE',
      () => `a gradient through ${config.id} must raise ERR_NOT_DIFFERENTIABLE, got ${code ?? 'no error'}`,
    );
    return;
  }
  const oracleKernel = build(config, ctx.oracle, 'float64');
  modules.push(oracleKernel);
  oracleKernel.loadStateDict(await kernel.exportStateDict());
  const params = await hostParameters(ctx, kernel);
  const names = Object.keys(params);
  await checkGradients(
    ctx,
    (xs, on) => {
      const k = on === ctx.oracle ? oracleKernel : kernel;
      // Parameters enter as inputs; the clones the kernel adopts are recorded from them.
      if (names.length > 0) k.assignTrainableParameters(Object.fromEntries(names.map((n) => [n, clone(xs[n]!)])));
      return evaluateConfig(config, k as never, xs['x']!, xs['y']!);
    },
    { x, y, ...params },
    config.id,
  );
}

/**
 * logLinearAttention on log features spread over ±offset + N(0, 2²) per row group (offsets far past
 * exp's float32 range, so only a stabilised rule stays finite), chunk 4 for the causal schedule.
 */
function logLinear(causal: boolean, n: number, m: number): (ctx: CaseContext) => Promise<void> {
  return async (ctx) => {
    const [D, dv] = [5, 3];
    const logs = (rows: number, offset: number): HostArray => {
      const data = ctx.rng.normals(2 * rows * D, 2);
      data.forEach((x, i) => (data[i] = x + (Math.floor(i / (rows * D)) === 0 ? offset : -offset)));
      return ctx.hostInput(data, [2, rows, D]);
    };
    await checkGradients(
      ctx,
      (xs) => logLinearAttention(xs['logQ']!, xs['logK']!, xs['v']!, { causal, chunkSize: 4 }),
      { logQ: logs(n, 120), logK: logs(m, -90), v: ctx.hostInput(ctx.rng.normals(2 * m * dv), [2, m, dv]) },
      `logLinearAttention causal ${causal}`,
    );
  };
}

function attentionCases(dtype: DType): ConformanceCase[] {
  const qkv = (ctx: CaseContext, n: number, m: number, scale = 0.7): Record<string, HostArray> => ({
    q: ctx.hostInput(ctx.rng.normals(2 * n * 4, scale), [2, n, 4]),
    k: ctx.hostInput(ctx.rng.normals(2 * m * 4, scale), [2, m, 4]),
    v: ctx.hostInput(ctx.rng.normals(2 * m * 3), [2, m, 3]),
  });
  const linear =
    (causal: boolean, scale?: number) =>
    async (ctx: CaseContext): Promise<void> => {
      const map = new RFFAttentionKernel({ inputDim: 4, numFeatures: 16, seed: 3, dtype, backend: ctx.backend });
      const oracleMap = new RFFAttentionKernel({
        inputDim: 4,
        numFeatures: 16,
        seed: 3,
        dtype: 'float64',
        backend: ctx.oracle,
      });
      try {
        oracleMap.loadStateDict(await map.exportStateDict());
        await checkGradients(
          ctx,
          (xs, on) =>
            linearAttention(xs['q']!, xs['k']!, xs['v']!, {
              featureMap: on === ctx.oracle ? oracleMap : map,
              causal,
              chunkSize: 3,
            }),
          qkv(ctx, 5, 5, scale),
          `linearAttention causal ${causal}${scale === undefined ? '' : `, inputs of scale ${scale}`}`,
        );
      } finally {
        map.dispose();
        oracleMap.dispose();
      }
    };
  return [
    dtypeCase('gradients/attention/softmax', dtype, (ctx) =>
      checkGradients(ctx, (xs) => softmaxAttention(xs['q']!, xs['k']!, xs['v']!), qkv(ctx, 4, 6), 'softmaxAttention'),
    ),
    dtypeCase('gradients/attention/linear', dtype, linear(false)),
    dtypeCase('gradients/attention/linear-causal', dtype, linear(true)),
    // FAVOR+ at input magnitude 10 (log features in the tens): normalisation must hold in the gradient too.
    dtypeCase('gradients/attention/linear-magnitude-10', dtype, linear(false, 10)),
    dtypeCase('gradients/attention/linear-causal-magnitude-10', dtype, linear(true, 10)),
    dtypeCase('gradients/attention/log-linear', dtype, logLinear(false, 6, 7), { optionalOp: 'logLinearAttention' }),
    dtypeCase('gradients/attention/log-linear-causal', dtype, logLinear(true, 11, 11), {
      optionalOp: 'logLinearAttention',
    }),
  ];
}

/** The `gradients/kernels/...` and `gradients/attention/...` cases for one dtype. */
export function gradientKernelCases(dtype: DType): ConformanceCase[] {
  return [...KERNEL_CONFIGS.map((config) => kernelCase(config, dtype)), ...attentionCases(dtype)];
}
