/** The Gram error of Gaussian random Fourier features against the number of features D. */
import { GaussianRFFKernel, sub, abs, max, tensor, tidy, type Backend } from '@spectrans/core';

/** One point of the curve. */
export interface GramErrorPoint {
  /** Number of random features. */
  readonly numFeatures: number;
  /** max |K̂ − K| over the Gram matrix, averaged over the seeds. */
  readonly error: number;
}

/** Deterministic inputs: n points in d dimensions, spread over [-1, 1]. */
function points(n: number, d: number): number[][] {
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: d }, (_, j) => Math.sin(1.7 * i + 0.9 * j * j + 0.3)),
  );
}

/**
 * For each D, the largest absolute error of φ(x)φ(x)ᵀ against exp(−‖xᵢ − xⱼ‖²/2σ²), averaged over
 * `seeds` draws, computed on `backend`.
 */
export async function gramErrorCurve(
  backend: Backend,
  dims: readonly number[] = [16, 64, 256, 1024],
  seeds = 3,
): Promise<GramErrorPoint[]> {
  const x = tensor(points(24, 4), undefined, 'float32', { backend });
  const out: GramErrorPoint[] = [];
  try {
    for (const numFeatures of dims) {
      let total = 0;
      for (let seed = 0; seed < seeds; seed++) {
        const kernel = new GaussianRFFKernel({ inputDim: 4, numFeatures, sigma: 1.5, seed: 1000 + seed, backend });
        const worst = tidy(() => max(abs(sub(kernel.kernelApproximation(x, x), kernel.compute(x, x)))));
        total += (await worst.data())[0]!;
        worst.dispose();
        kernel.dispose();
      }
      out.push({ numFeatures, error: total / seeds });
    }
  } finally {
    x.dispose();
  }
  return out;
}
