/** The abstract kernel function k(x, y) with Gram matrices and a positive-definiteness test. */
import { eigh } from '../ops/eigh.js';
import { min } from '../ops/reduce.js';
import { tidy } from '../scope.js';
import type { Tensor } from '../tensor.js';
import { scalarCheck } from '../validate.js';
import { checkPoints } from './inputs.js';
import { KernelModule } from './module.js';

/**
 * A kernel k(x, y): `compute(x, y)` gives the matrix K[..., i, j] = k(xᵢ, yⱼ).
 *
 * Inputs are (..., n, d) and (..., m, d); leading axes broadcast like `torch.matmul`.
 */
export abstract class KernelFunction extends KernelModule {
  /**
   * Kernel matrix between the rows of x (..., n, d) and y (..., m, d): (..., n, m).
   * Both are required, as in the reference; the Gram matrix k(x, x) is `gramMatrix(x)`.
   * @throws SpectransError `ERR_INVALID_ARGUMENT` naming y when it is left out (pointing to
   *   `gramMatrix(x)`); `ERR_INVALID_SHAPE`, `ERR_SHAPE_MISMATCH`, `ERR_DTYPE_MISMATCH`, `ERR_DISPOSED`.
   */
  abstract compute(x: Tensor, y: Tensor): Tensor;

  /** Gram matrix K[..., i, j] = k(xᵢ, xⱼ) of x (..., n, d): (..., n, n). */
  gramMatrix(x: Tensor): Tensor {
    this.assertLive();
    return this.compute(x, x);
  }

  /**
   * True when every Gram matrix of the batch has all eigenvalues > `eps` (strictly positive definite).
   *
   * @remarks The Gram matrix is symmetrised, (G + Gᵀ)/2, before `eigh`. The reference's
   * `torch.linalg.eigvalsh` reads only the lower triangle, which gives a meaningless answer for the
   * non-symmetric (row-normalised) kernels; for symmetric kernels both agree. `eps` is absolute, as
   * in the reference. Reads the eigenvalues back synchronously (`readSync`).
   * @throws SpectransError `ERR_INVALID_ARGUMENT` for a non-finite eps.
   */
  isPositiveDefinite(x: Tensor, eps = 1e-6): boolean {
    this.assertLive();
    scalarCheck(eps, 'eps', { finite: true });
    checkPoints(x, 'x', { dtype: this.dtype, owner: `${this.constructor.name}.isPositiveDefinite` });
    const smallest = tidy(() => min(eigh(this.gramMatrix(x)).values));
    try {
      const v = smallest.dataSync()[0]!;
      return v > eps;
    } finally {
      smallest.dispose();
    }
  }
}
