/** PolynomialSpectralKernel: the polynomial kernel with a low-rank attention path. */
import { add, div, exp, mul, sqrt, sub } from '../ops/elementwise.js';
import { eigh } from '../ops/eigh.js';
import { matrixTranspose, slice } from '../ops/layout.js';
import { matmul } from '../ops/linear.js';
import { max, mean, sum } from '../ops/reduce.js';
import { tidy } from '../scope.js';
import type { Tensor } from '../tensor.js';
import { choiceCheck, scalarCheck } from '../validate.js';
import { checkDegree, polynomial } from './basic.js';
import { checkPoints, checkSameDim, COMPUTE_WITHOUT_Y } from './inputs.js';
import { rowNorms } from './norms.js';
import { checkOptions } from '../options.js';
import { checkFiniteIn } from '../numeric-range.js';
import { SpectralKernel, type SpectralKernelOptions, SPECTRAL_KEYS } from './spectral-kernel.js';

/** Every option of {@link PolynomialSpectralKernel}. */
const POLYNOMIAL_SPECTRAL_KEYS = [
  ...SPECTRAL_KEYS,
  'degree',
  'coef0',
  'alpha',
  'normalization',
] as const satisfies readonly (keyof PolynomialSpectralKernelOptions)[];

/** Options of {@link PolynomialSpectralKernel}. */
export interface PolynomialSpectralKernelOptions extends SpectralKernelOptions {
  /** Degree, a non-negative integer (default 2). */
  degree?: number;
  /** Constant term (default 1). */
  coef0?: number;
  /** Inner-product scale (default 1). */
  alpha?: number;
  /**
   * `compute` normalisation when `normalize` is set: `'norms'` divides by ‖x‖‖y‖ + 1e-8 (the
   * reference; not a kernel normalisation), `'cosine'` gives K(x,y)/√(K(x,x) K(y,y)) (unit diagonal, PSD).
   */
  normalization?: 'norms' | 'cosine';
}

/**
 * Polynomial kernel (α⟨x, y⟩ + c)^degree with a low-rank attention path.
 *
 * @remarks `compute` is the reference's: (αxyᵀ + c)^p, divided by ‖x‖‖y‖ + 1e-8 when `normalize`
 * (or the true cosine normalisation with `normalization: 'cosine'`). `computeAttention(q, k)` projects
 * q and k onto ONE shared basis, the top-`rank` principal directions of the rows of [q; k] centred by
 * their shared mean, then applies the polynomial and (with `normalize`) a softmax over keys. The
 * reference projects q and k onto two unrelated bases (each its own PCA), so its result depends on
 * eigenvector signs; both agree exactly when q = k.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` for rank < 1, a non-integer degree, non-finite coef0/alpha.
 * @example
 * ```ts
 * const k = new PolynomialSpectralKernel({ rank: 16, degree: 2 });
 * const A = k.computeAttention(q, k_); // (..., n, m), rows sum to 1
 * ```
 */
export class PolynomialSpectralKernel extends SpectralKernel {
  readonly degree: number;
  readonly coef0: number;
  readonly alpha: number;
  readonly normalization: 'norms' | 'cosine';

  /** The options `toString()` prints. */
  protected override optionNames(): readonly string[] {
    return POLYNOMIAL_SPECTRAL_KEYS;
  }

  constructor(options: PolynomialSpectralKernelOptions) {
    super(checkOptions('PolynomialSpectralKernel', options, POLYNOMIAL_SPECTRAL_KEYS, ['rank']));
    this.degree = checkDegree(options.degree ?? 2);
    this.coef0 = checkFiniteIn(scalarCheck(options.coef0 ?? 1, 'coef0', { finite: true }), 'coef0', this.dtype);
    this.alpha = checkFiniteIn(scalarCheck(options.alpha ?? 1, 'alpha', { finite: true }), 'alpha', this.dtype);
    this.normalization = choiceCheck(options.normalization ?? 'norms', 'normalization', ['norms', 'cosine'] as const);
  }

  compute(x: Tensor, y: Tensor): Tensor {
    this.assertLive();
    const owner = 'PolynomialSpectralKernel.compute';
    checkPoints(x, 'x', { dtype: this.dtype, owner });
    checkPoints(y, 'y', { dtype: this.dtype, owner, ifMissing: COMPUTE_WITHOUT_Y });
    checkSameDim(x, y, owner);
    return tidy(() => {
      const K = polynomial(matmul(x, y, { transposeB: true }), this.alpha, this.coef0, this.degree);
      if (!this.normalize) return K;
      if (this.normalization === 'cosine') {
        const kx = polynomial(sum(mul(x, x), -1, true), this.alpha, this.coef0, this.degree);
        const ky = polynomial(sum(mul(y, y), -1, true), this.alpha, this.coef0, this.degree);
        return div(K, sqrt(mul(kx, matrixTranspose(ky))));
      }
      const nx = rowNorms(x);
      const ny = rowNorms(y);
      return div(K, add(mul(nx, matrixTranspose(ny)), 1e-8));
    });
  }

  /**
   * Low-rank polynomial attention scores between queries q (..., n, d) and keys k (..., m, d): (..., n, m).
   * @throws SpectransError `ERR_SHAPE_MISMATCH` when d differs.
   */
  computeAttention(q: Tensor, k: Tensor): Tensor {
    this.assertLive();
    const owner = 'PolynomialSpectralKernel.computeAttention';
    checkPoints(q, 'q', { dtype: this.dtype, owner });
    checkPoints(k, 'k', { dtype: this.dtype, owner });
    checkSameDim(q, k, owner);
    const d = q.shape[q.rank - 1]!;
    const r = Math.min(this.rank, d);
    return tidy(() => {
      // One shared centring and basis for both sides.
      const nq = q.shape[q.rank - 2]!;
      const nk = k.shape[k.rank - 2]!;
      const center = div(add(mul(mean(q, -2, true), nq), mul(mean(k, -2, true), nk)), nq + nk);
      const qc = sub(q, center);
      const kc = sub(k, center);
      const cov = div(add(matmul(qc, qc, { transposeA: true }), matmul(kc, kc, { transposeA: true })), nq + nk);
      const { vectors } = eigh(cov);
      const basis = slice(
        vectors,
        [...vectors.shape.slice(0, -2).map(() => 0), 0, d - r],
        [...vectors.shape.slice(0, -2), d, r],
      );
      const scores = polynomial(
        matmul(matmul(qc, basis), matmul(kc, basis), { transposeB: true }),
        this.alpha,
        this.coef0,
        this.degree,
      );
      return this.normalize ? softmaxLastAxis(scores) : scores;
    });
  }
}

/** Softmax over the last axis, stabilised by the row maximum. */
export function softmaxLastAxis(x: Tensor): Tensor {
  return tidy(() => {
    const e = exp(sub(x, max(x, -1, true)));
    return div(e, sum(e, -1, true));
  });
}
