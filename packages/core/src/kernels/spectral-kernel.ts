/** The base of the spectral kernels: a rank, a normalisation flag and the spectral decomposition of the Gram matrix. */
import { add, div } from '../ops/elementwise.js';
import { eigh } from '../ops/eigh.js';
import { reshape, slice } from '../ops/layout.js';
import { matmul } from '../ops/linear.js';
import { sum } from '../ops/reduce.js';
import { tensor } from '../ops/creation.js';
import { tidy } from '../scope.js';
import type { Tensor } from '../tensor.js';
import { booleanCheck } from '../validate.js';
import { checkPoints } from './inputs.js';
import { KernelFunction } from './kernel-function.js';
import { MODULE_OPTION_KEYS, type ModuleOptions } from './module.js';
import { checkDimension } from './random-feature-map.js';

/** Options shared by spectral kernels. */
export interface SpectralKernelOptions extends ModuleOptions {
  /** Number of spectral components kept, a positive integer. */
  rank: number;
  /** Normalise the output (each kernel documents how). Default true. */
  normalize?: boolean;
}

/** Options every spectral kernel with a `normalize` flag accepts. */
export const SPECTRAL_KEYS = [
  ...MODULE_OPTION_KEYS,
  'rank',
  'normalize',
] as const satisfies readonly (keyof SpectralKernelOptions)[];

/**
 * Base of the spectral kernels: a rank and a normalisation flag, and the top-`rank` spectral
 * decomposition of the kernel's Gram matrix.
 */
export abstract class SpectralKernel extends KernelFunction {
  readonly rank: number;
  readonly normalize: boolean;

  protected constructor(options: SpectralKernelOptions) {
    super(options);
    this.rank = checkDimension(options.rank, 'rank');
    this.normalize = booleanCheck(options.normalize ?? true, 'normalize');
  }

  /**
   * Top-`rank` eigenpairs of this kernel's Gram matrix of x (..., n, d).
   *
   * @returns eigenvectors (..., n, r) and eigenvalues (..., r), r = min(rank, n), in descending
   *   order; with `normalize`, eigenvalues are divided by the trace of the whole Gram matrix
   *   (the fraction of the spectrum each component carries).
   * @remarks The reference always decomposes the linear Gram x xᵀ whatever the kernel, keeps
   *   ascending order and divides by the sum of the kept eigenvalues only; this port decomposes
   *   the kernel's own Gram matrix. Eigenvector signs follow core's convention (largest component positive).
   */
  spectralDecomposition(x: Tensor): { eigenvectors: Tensor; eigenvalues: Tensor } {
    this.assertLive();
    checkPoints(x, 'x', { dtype: this.dtype, owner: `${this.constructor.name}.spectralDecomposition` });
    const n = x.shape[x.rank - 2]!;
    const r = Math.min(this.rank, n);
    return tidy(() => {
      const { values, vectors } = eigh(this.gramMatrix(x));
      const lead = values.shape.slice(0, -1);
      const zeros = lead.map(() => 0);
      // eigh is ascending: take the last r columns and reverse them with the exchange matrix J.
      const exchange = tensor(
        Float64Array.from({ length: r * r }, (_, k) => (Math.floor(k / r) + (k % r) === r - 1 ? 1 : 0)),
        [r, r],
        values.dtype,
        { backend: values.backend },
      );
      const eigenvectors = matmul(slice(vectors, [...zeros, 0, n - r], [...lead, n, r]), exchange);
      let eigenvalues = reshape(
        matmul(reshape(slice(values, [...zeros, n - r], [...lead, r]), [...lead, 1, r]), exchange),
        [...lead, r],
      );
      if (this.normalize) eigenvalues = div(eigenvalues, add(sum(values, -1, true), 1e-8));
      return { eigenvectors, eigenvalues };
    });
  }
}
