/**
 * Training: fit a LearnableSpectralKernel and a FourierKernel's filter to target Gram matrices with
 * Adam, minimising mean((K − T)²) with gradients from valueAndGrads (via opt.minimize). Each target
 * comes from a teacher kernel of the same family with other parameters, so it is reachable; the loss
 * falls by orders of magnitude. Writes the two loss curves as an SVG to the path given as the first
 * argument (default: train-spectral-kernel.svg in the system's temporary directory) and prints it.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  Adam,
  FourierKernel,
  LearnableSpectralKernel,
  RandomGenerator,
  liveTensorCount,
  mean,
  setBackend,
  square,
  sub,
  tensor,
  tidy,
  type Tensor,
} from '@spectrans/core';
import { createJsBackend } from '@spectrans/backend-js';
import { lossCurves } from './shared/loss-curves.js';

export { lossCurves };

/** What each fit reports: its loss at every step and the trained parameters' names. */
export interface Fit {
  losses: number[];
  parameterNames: string[];
}

/** Minimises mean((kernel(x, x) − target)²) for `steps` Adam steps; returns the loss before each step. */
function fit(
  kernel: LearnableSpectralKernel | FourierKernel,
  x: Tensor,
  target: Tensor,
  steps: number,
  lr: number,
): number[] {
  const opt = new Adam({ lr });
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    losses.push(tidy(() => opt.minimize(() => mean(square(sub(kernel.compute(x, x), target))), kernel).dataSync()[0]!));
  }
  opt.dispose();
  return losses;
}

export async function main(
  svgPath = process.argv[2] ?? join(tmpdir(), 'train-spectral-kernel.svg'),
): Promise<{ spectral: Fit; fourier: Fit; svg: string; leaked: number }> {
  await setBackend(createJsBackend());
  const before = liveTensorCount();
  const [n, d, r] = [24, 8, 4];
  const x = tensor(new RandomGenerator(7).normal(n * d), [n, d], 'float64');

  const teacher = new LearnableSpectralKernel({
    inputDim: d,
    rank: r,
    normalize: false,
    initScale: 2,
    seed: 11,
    dtype: 'float64',
  });
  const student = new LearnableSpectralKernel({ inputDim: d, rank: r, normalize: false, seed: 3, dtype: 'float64' });
  const spectralTarget = teacher.compute(x, x);
  const spectral = {
    losses: fit(student, x, spectralTarget, 300, 0.05),
    parameterNames: Object.keys(student.trainableParameters()),
  };

  const fourierTeacher = new FourierKernel({
    inputDim: d,
    rank: 5,
    filterType: 'butterworth',
    cutoffFreq: 0.3,
    dtype: 'float64',
  });
  const fourierStudent = new FourierKernel({
    inputDim: d,
    rank: 5,
    filterType: 'gaussian',
    cutoffFreq: 0.8,
    dtype: 'float64',
  });
  const fourierTarget = fourierTeacher.compute(x, x);
  const fourier = {
    losses: fit(fourierStudent, x, fourierTarget, 200, 0.02),
    parameterNames: Object.keys(fourierStudent.trainableParameters()),
  };

  for (const [name, f] of [
    ['LearnableSpectralKernel', spectral],
    ['FourierKernel filter', fourier],
  ] as const) {
    console.log(
      `${name}: loss ${f.losses[0]!.toExponential(3)} -> ${f.losses.at(-1)!.toExponential(3)} (${(f.losses[0]! / f.losses.at(-1)!).toExponential(1)}x lower), trained ${f.parameterNames.join(', ')}`,
    );
  }
  const svg = lossCurves([
    ['LearnableSpectralKernel', spectral.losses, '#1f77b4'],
    ['FourierKernel filter', fourier.losses, '#d62728'],
  ]);
  writeFileSync(svgPath, svg);
  console.log(`loss curves written to ${svgPath}`);
  for (const t of [x, teacher, student, spectralTarget, fourierTeacher, fourierStudent, fourierTarget]) t.dispose();
  return { spectral, fourier, svg, leaked: liveTensorCount() - before };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
