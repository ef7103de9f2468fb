/**
 * GaussianRFFKernel: random Fourier features φ(x) with φ(x)·φ(y) ≈ exp(−‖x − y‖²/2σ²).
 * The approximation error of kernelApproximation against the exact compute() shrinks like 1/√D
 * as the number of features D grows (Rahimi & Recht 2007).
 */
import { pathToFileURL } from 'node:url';
import {
  GaussianRFFKernel,
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

export async function main(): Promise<{ numFeatures: number[]; rmse: number[]; leaked: number }> {
  await setBackend(createJsBackend());
  const before = liveTensorCount();
  const x = tensor(new RandomGenerator(1).normal(32 * 4, 0, 0.5), [32, 4]); // 32 points in 4-d
  const numFeatures = [16, 64, 256, 1024, 4096];
  const rmse: number[] = [];
  for (const D of numFeatures) {
    const kernel = new GaussianRFFKernel({ inputDim: 4, numFeatures: D, sigma: 1, seed: 42 });
    // compute() is the exact kernel; kernelApproximation() is φ(x)φ(x)ᵀ.
    const err = tidy(() => sqrt(mean(square(sub(kernel.kernelApproximation(x, x), kernel.compute(x, x))))));
    rmse.push((await err.data())[0]!);
    console.log(`D = ${String(D).padStart(4)}: RMSE of φ(xᵢ)·φ(xⱼ) vs exp(−‖xᵢ − xⱼ‖²/2) = ${rmse.at(-1)!.toFixed(4)}`);
    err.dispose();
    kernel.dispose();
  }
  x.dispose();
  return { numFeatures, rmse, leaked: liveTensorCount() - before };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
