/**
 * Host-side sampling of random-feature parameters, in float64 from a seeded generator, so that the
 * same seed gives the same parameters on every backend and platform.
 */
import { qr } from '../linalg/qr.js';
import type { RandomGenerator } from '../random/generator.js';

/** How orthogonal frequency rows get their norms. */
export type OrthogonalNorms = 'chi' | 'fixed';

/** i.i.d. N(0, σ⁻²) frequencies, (d, D) row-major. */
export function gaussianFrequencies(rng: RandomGenerator, d: number, D: number, sigma: number): Float64Array {
  const w = rng.normal(d * D);
  for (let i = 0; i < w.length; i++) w[i]! /= sigma;
  return w;
}

/** i.i.d. Cauchy(0, 1/σ) frequencies, (d, D) row-major: the spectral law of exp(−‖Δ‖₁/σ). */
export function cauchyFrequencies(rng: RandomGenerator, d: number, D: number, sigma: number): Float64Array {
  return rng.cauchy(d * D, 1 / sigma);
}

/**
 * Orthogonal random frequencies (Yu et al. 2016, ORF), (d, D) row-major with frequencies as columns.
 *
 * @remarks ⌈D/d⌉ independent blocks; each is the Q of a Gaussian d×d matrix with Q's columns
 * multiplied by sign(diag R), so Q is Haar-distributed (Mezzadri 2007). Column norms are then drawn
 * from χ(d) (`'chi'`: every column is marginally N(0, I), so the estimator stays unbiased) or set to
 * √d (`'fixed'`: the reference's and Performer's "regularised" variant, which is biased). Finally
 * everything is divided by σ.
 */
export function orthogonalGaussianFrequencies(
  rng: RandomGenerator,
  d: number,
  D: number,
  sigma: number,
  norms: OrthogonalNorms,
): Float64Array {
  const w = new Float64Array(d * D);
  const blocks = Math.ceil(D / d);
  for (let b = 0; b < blocks; b++) {
    const { q } = qr(rng.normal(d * d), d, d);
    const cols = Math.min(d, D - b * d);
    const lengths = norms === 'chi' ? rng.chi(cols, d) : new Float64Array(cols).fill(Math.sqrt(d));
    for (let j = 0; j < cols; j++) {
      const scale = lengths[j]! / sigma;
      for (let i = 0; i < d; i++) w[i * D + b * d + j] = q[i * d + j]! * scale;
    }
  }
  return w;
}

/** Phases b ~ U[0, 2π). */
export function uniformPhases(rng: RandomGenerator, D: number): Float64Array {
  const b = rng.uniform(D);
  for (let i = 0; i < D; i++) b[i]! *= 2 * Math.PI;
  return b;
}

/** The smallest power of two >= n. */
export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
