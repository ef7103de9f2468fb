/**
 * `gradients/training/<what>/<dtype>`: optimiser steps on the backend under test. The loss must
 * fall, and, like every case, the steps must leave live tensors, backend handles and bytes as
 * they were (the runner's leak check). `long-run-leaks` takes 10,000 steps and compares the
 * counts during training, where a tape, a gradient or an optimiser slot kept per step would pile up.
 */
import {
  Adam,
  GaussianRFFKernel,
  LearnableSpectralKernel,
  SGD,
  SpectransError,
  mean,
  square,
  sub,
  tidy,
  type Backend,
  type DType,
  type Optimizer,
  type Tensor,
} from '@spectrans/core';
import { createEventLoopYielder } from '../../event-loop.js';
import { leakSnapshot } from '../../leak.js';
import type { CaseContext, ConformanceCase } from '../../types.js';
import { dtypeCase } from '../helpers.js';

const STEPS = 40;

async function train(ctx: CaseContext, dtype: DType, opt: Optimizer): Promise<void> {
  const [n, d, r] = [12, 6, 3];
  const student = new LearnableSpectralKernel({
    inputDim: d,
    rank: r,
    normalize: false,
    seed: 3,
    dtype,
    backend: ctx.backend,
  });
  const teacher = new LearnableSpectralKernel({
    inputDim: d,
    rank: r,
    normalize: false,
    initScale: 2,
    seed: 11,
    dtype,
    backend: ctx.backend,
  });
  try {
    const x = ctx.input(ctx.hostInput(ctx.rng.normals(n * d, 0.5), [n, d]));
    const target = ctx.track(teacher.compute(x, x));
    const losses: number[] = [];
    for (let step = 0; step < STEPS; step++) {
      const loss = ctx.track(tidy(() => opt.minimize(() => mean(square(sub(student.compute(x, x), target))), student)));
      losses.push((await ctx.read(loss, 'loss'))[0]!);
      ctx.dispose(loss);
    }
    ctx.check(losses.every(Number.isFinite), () => `non-finite loss during training: ${losses.join(', ')}`);
    ctx.check(
      losses.at(-1)! < losses[0]! / 4,
      () => `the loss fell only from ${losses[0]} to ${losses.at(-1)} in ${STEPS} steps`,
    );
    // The final loss must be under a quarter of the first.
    ctx.recordError(losses.at(-1)! / losses[0]!, 1 / 4);
  } finally {
    opt.dispose();
    student.dispose();
    teacher.dispose();
  }
}

/** Steps of the long run by default, and the step after which its counts must stay put (optimiser slots exist by then). */
const LONG_RUN_STEPS = 10_000;
const LONG_RUN_MARK = 100;
/** Time allowed per step of the long run (a GPU engine emulated on the CPU takes about 30 ms), and once. */
const LONG_RUN_MS_PER_STEP = 60;
const LONG_RUN_SETUP_MS = 60_000;

/** Live tensors, backend handles and bytes (the last two where the backend reports memory). */
function counts(backend: Backend): string {
  const { tensors, handles, bytes } = leakSnapshot(backend);
  return `${tensors} tensors` + (handles !== undefined ? `, ${handles} handles, ${bytes} bytes` : '');
}

/**
 * 10,000 steps, alternating two models and optimisers: a GaussianRFFKernel with trainable ω and b
 * (its Gram approximation: rffFeatures, matmul) under Adam with weight decay, and a LearnableSpectralKernel under SGD with
 * momentum. Counts after step 100 and after the last step must be equal.
 */
async function longRun(ctx: CaseContext, dtype: DType, steps: number): Promise<void> {
  const [n, d] = [6, 3];
  const rff = new GaussianRFFKernel({
    inputDim: d,
    numFeatures: 8,
    sigma: 1,
    trainable: true,
    seed: 5,
    dtype,
    backend: ctx.backend,
  });
  const spectral = new LearnableSpectralKernel({
    inputDim: d,
    rank: 2,
    normalize: false,
    seed: 3,
    dtype,
    backend: ctx.backend,
  });
  const adam = new Adam({ lr: 0.01, weightDecay: 1e-4 });
  const sgd = new SGD({ lr: 0.005, momentum: 0.9 });
  try {
    const points = ctx.rng.normals(n * d, 0.7);
    const x = ctx.input(ctx.hostInput(points, [n, d]));
    const target = ctx.input(ctx.hostInput(gaussianGram(points, n, d), [n, n]));
    const breathe = createEventLoopYielder();
    const fit = (gram: () => Tensor, kernel: GaussianRFFKernel | LearnableSpectralKernel, opt: Optimizer) =>
      tidy(() => opt.minimize(() => mean(square(sub(gram(), target))), kernel));
    const first: number[] = [];
    const last: number[] = [];
    let mark = '';
    for (let i = 0; i < steps; i += 2) {
      const losses = [
        fit(() => rff.kernelApproximation(x, x), rff, adam),
        fit(() => spectral.compute(x, x), spectral, sgd),
      ];
      if (i === 0 || i === steps - 2) {
        const into = i === 0 ? first : last;
        for (const loss of losses) into.push((await ctx.read(loss, 'loss'))[0]!);
      }
      for (const loss of losses) loss.dispose();
      if (i + 2 === LONG_RUN_MARK) mark = counts(ctx.backend);
      await breathe(); // a long synchronous stretch starves the vitest driver's RPC
    }
    const end = counts(ctx.backend);
    ctx.check(end === mark, () => `after step ${LONG_RUN_MARK}: ${mark}; after step ${steps}: ${end}`);
    ctx.check(
      [...first, ...last].every(Number.isFinite) && last[0]! < first[0]! && last[1]! < first[1]!,
      () => `losses (rff, spectral) went from ${first.join(', ')} to ${last.join(', ')}`,
    );
  } finally {
    adam.dispose();
    sgd.dispose();
    rff.dispose();
    spectral.dispose();
  }
}

/** exp(−|xᵢ − yⱼ|² / 2) for the rows of `x` against themselves: a Gram matrix to fit. */
function gaussianGram(values: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += (values[i * d + k]! - values[j * d + k]!) ** 2;
      out[i * n + j] = Math.exp(-s / 2);
    }
  return out;
}

/**
 * The `gradients/training/...` cases for one dtype, the long run taking `longRunSteps` steps.
 *
 * @throws SpectransError `ERR_INVALID_ARGUMENT` unless `longRunSteps` is an even integer of at least 200.
 */
export function trainingCases(dtype: DType, longRunSteps = LONG_RUN_STEPS): ConformanceCase[] {
  if (!Number.isInteger(longRunSteps) || longRunSteps < 2 * LONG_RUN_MARK || longRunSteps % 2 !== 0) {
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `longRunSteps must be an even integer of at least ${2 * LONG_RUN_MARK}, got ${String(longRunSteps)}`,
    );
  }
  return [
    dtypeCase('gradients/training/adam-learnable-spectral', dtype, (ctx) => train(ctx, dtype, new Adam({ lr: 0.05 }))),
    dtypeCase('gradients/training/sgd-momentum-learnable-spectral', dtype, (ctx) =>
      train(ctx, dtype, new SGD({ lr: 0.01, momentum: 0.9 })),
    ),
    {
      ...dtypeCase('gradients/training/long-run-leaks', dtype, (ctx) => longRun(ctx, dtype, longRunSteps)),
      timeoutMs: LONG_RUN_SETUP_MS + LONG_RUN_MS_PER_STEP * longRunSteps,
    },
  ];
}
