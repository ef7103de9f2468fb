/**
 * LaplacianRFFKernel: k(x, y) = exp(−‖x − y‖₁/σ), approximated by random Fourier features with
 * i.i.d. Cauchy(0, 1/σ) frequencies. The error against the exact compute() shrinks as D grows.
 * evaluateDifference(x − y) gives the same kernel value from one difference vector.
 */
import { pathToFileURL } from 'node:url';
import {
  LaplacianRFFKernel,
  RandomGenerator,
  liveTensorCount,
  mean,
  setBackend,
  sqrt,
  square,
  sub,
  tensor,
  tidy,
} from '@spectrans/core';
import { createJsBackend } from '@spectrans/backend-js';

export async function main(): Promise<{
  numFeatures: number[];
  rmse: number[];
  k01: number;
  fromDifference: number;
  byHand: number;
  leaked: number;
}> {
  await setBackend(createJsBackend());
  const before = liveTensorCount();
  const points = new RandomGenerator(7).normal(24 * 3);
  const x = tensor(points, [24, 3], 'float64');
  const numFeatures = [32, 256, 2048];
  const rmse: number[] = [];
  for (const D of numFeatures) {
    const kernel = new LaplacianRFFKernel({ inputDim: 3, numFeatures: D, sigma: 2, seed: 3, dtype: 'float64' });
    const err = tidy(() => sqrt(mean(square(sub(kernel.kernelApproximation(x, x), kernel.compute(x, x))))));
    rmse.push(err.dataSync()[0]!);
    console.log(`D = ${String(D).padStart(4)}: RMSE vs exp(−‖x−y‖₁/2) = ${rmse.at(-1)!.toFixed(4)}`);
    err.dispose();
    kernel.dispose();
  }
  const kernel = new LaplacianRFFKernel({ inputDim: 3, numFeatures: 1, sigma: 2, dtype: 'float64' });
  const diff = tensor(
    [0, 1, 2].map((i) => points[i]! - points[3 + i]!),
    [3],
    'float64',
  );
  const [K, kd] = [kernel.compute(x, x), kernel.evaluateDifference(diff)];
  const [k01, fromDifference] = [(await K.data())[1]!, (await kd.data())[0]!];
  const byHand = Math.exp(-[0, 1, 2].reduce((s, i) => s + Math.abs(points[i]! - points[3 + i]!), 0) / 2);
  console.log(
    `k(x0, x1): compute ${k01.toFixed(6)}, evaluateDifference ${fromDifference.toFixed(6)}, by hand ${byHand.toFixed(6)}`,
  );
  for (const t of [x, diff, K, kd]) t.dispose();
  kernel.dispose();
  return { numFeatures, rmse, k01, fromDifference, byHand, leaked: liveTensorCount() - before };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
