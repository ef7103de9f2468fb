/**
 * `gradients/training/<what>/<dtype>`: optimiser steps on the backend under test. The loss must
 * fall, and, like every case, the steps must leave live tensors, backend handles and bytes as
 * they were (the runner's leak check).
 */
import {
  Adam,
  LearnableSpectralKernel,
  SGD,
  mean,
  square,
  sub,
  tidy,
  type DType,
  type Optimizer,
} from '@spectrans/core';
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
    ctx.recordError(losses.at(-1)! / losses[0]!);
  } finally {
    opt.dispose();
    student.dispose();
    teacher.dispose();
  }
}

/** The `gradients/training/...` cases for one dtype. */
export function trainingCases(dtype: DType): ConformanceCase[] {
  return [
    dtypeCase('gradients/training/adam-learnable-spectral', dtype, (ctx) => train(ctx, dtype, new Adam({ lr: 0.05 }))),
    dtypeCase('gradients/training/sgd-momentum-learnable-spectral', dtype, (ctx) =>
      train(ctx, dtype, new SGD({ lr: 0.01, momentum: 0.9 })),
    ),
  ];
}
