/** LearnableSpectralKernel: (xE)·diag(√|λ|) features with a learnable spectrum. */
import { SpectransError } from '../errors.js';
import { add, mul, sqrt, abs } from '../ops/elementwise.js';
import { qr } from '../ops/qr.js';
import { reshape } from '../ops/layout.js';
import { matmul } from '../ops/linear.js';
import { RandomGenerator } from '../random/generator.js';
import { qr as hostQr } from '../linalg/qr.js';
import { keep, tidy } from '../scope.js';
import type { Tensor } from '../tensor.js';
import { booleanCheck, scalarCheck } from '../validate.js';
import { checkPoints, COMPUTE_WITHOUT_Y } from './inputs.js';
import { normalizeRows } from './norms.js';
import { checkOptions } from '../options.js';
import { checkFiniteIn } from '../numeric-range.js';
import { checkLimit, LIMITS } from '../limits.js';
import { checkDimension, checkOrthogonalWork, checkSeed } from './random-feature-map.js';
import { SpectralKernel, type SpectralKernelOptions, SPECTRAL_KEYS } from './spectral-kernel.js';

/** Every option of {@link LearnableSpectralKernel}. */
const LEARNABLE_KEYS = [
  ...SPECTRAL_KEYS,
  'inputDim',
  'initScale',
  'trainableEigenvectors',
  'seed',
] as const satisfies readonly (keyof LearnableSpectralKernelOptions)[];

/** Options of {@link LearnableSpectralKernel}. */
export interface LearnableSpectralKernelOptions extends SpectralKernelOptions {
  /** Input dimension d. */
  inputDim: number;
  /** Scale of the initial eigenvalues (default 1). */
  initScale?: number;
  /** Eigenvectors learnable (parameter) or fixed (buffer); default true. */
  trainableEigenvectors?: boolean;
  /** Seed of the initial eigenvectors. */
  seed?: number;
}

/**
 * A kernel with explicit spectrum: φ(x) = (x E) ⊙ √(|λ| + 1e-8), K = φ(x) φ(y)ᵀ.
 *
 * @remarks E (d, r) starts as the Q of a Gaussian d×r matrix (sign-fixed, orthonormal columns),
 * λ = linspace(1, 0.1, r)·initScale (as the reference: initScale scales λ only). With `normalize`,
 * each row of K is divided by max(‖Kᵢ‖, 1e-12) (the reference's F.normalize; not symmetric).
 * rank <= inputDim is checked at construction (the reference fails only at compute time).
 * State dict: `eigenvectors` (d, r), `eigenvalues` (r).
 * @throws SpectransError `ERR_INVALID_ARGUMENT` for rank > inputDim or bad sizes.
 * @example
 * ```ts
 * const k = new LearnableSpectralKernel({ inputDim: 64, rank: 16, seed: 3 });
 * const feats = k.extractFeatures(x); // (..., n, 16)
 * ```
 */
export class LearnableSpectralKernel extends SpectralKernel {
  readonly inputDim: number;
  readonly initScale: number;
  readonly trainableEigenvectors: boolean;
  readonly seed: number;

  /** The options `toString()` prints. */
  protected override optionNames(): readonly string[] {
    return LEARNABLE_KEYS;
  }

  constructor(options: LearnableSpectralKernelOptions) {
    super(checkOptions('LearnableSpectralKernel', options, LEARNABLE_KEYS, ['rank', 'inputDim']));
    this.inputDim = checkDimension(options.inputDim, 'inputDim');
    if (this.rank > this.inputDim) {
      throw new SpectransError('ERR_INVALID_ARGUMENT', `rank must be <= inputDim (${this.inputDim}), got ${this.rank}`);
    }
    checkLimit(
      'inputDim·rank (the eigenvectors)',
      this.inputDim * this.rank,
      LIMITS.maxParameterElements,
      'maxParameterElements',
    );
    checkOrthogonalWork(this.inputDim, this.rank);
    this.initScale = checkFiniteIn(
      scalarCheck(options.initScale ?? 1, 'initScale', { finite: true }),
      'initScale',
      this.dtype,
    );
    this.trainableEigenvectors = booleanCheck(options.trainableEigenvectors ?? true, 'trainableEigenvectors');
    const rng = new RandomGenerator(checkSeed(options.seed));
    this.seed = rng.seed;
    const d = this.inputDim;
    const r = this.rank;
    const { q } = hostQr(rng.normal(d * r), d, r);
    const lambda = Float64Array.from({ length: r }, (_, i) => (r === 1 ? 1 : 1 - (0.9 * i) / (r - 1)) * this.initScale);
    this.allocating(() => {
      // The reference's state_dict order: both parameters -> eigenvectors first; buffer eigenvectors -> eigenvalues first.
      if (this.trainableEigenvectors) {
        this.setParameter('eigenvectors', q, [d, r], true);
        this.setParameter('eigenvalues', lambda, [r], true);
      } else {
        this.setParameter('eigenvalues', lambda, [r], true);
        this.setParameter('eigenvectors', q, [d, r], false);
      }
    });
  }

  /** φ(x) = (x E) ⊙ √(|λ| + 1e-8) for x (..., n, d): (..., n, rank). */
  extractFeatures(x: Tensor): Tensor {
    this.assertLive();
    checkPoints(x, 'x', {
      dtype: this.dtype,
      owner: 'LearnableSpectralKernel.extractFeatures',
      inputDim: this.inputDim,
      minRank: 1,
    });
    return this.features(x);
  }

  private features(x: Tensor): Tensor {
    return tidy(() => {
      const flat = mul(
        matmul(reshape(x, [-1, this.inputDim]), this.param('eigenvectors')),
        sqrt(add(abs(this.param('eigenvalues')), 1e-8)),
      );
      return reshape(flat, [...x.shape.slice(0, -1), this.rank]);
    });
  }

  compute(x: Tensor, y: Tensor): Tensor {
    this.assertLive();
    const owner = 'LearnableSpectralKernel.compute';
    checkPoints(x, 'x', { dtype: this.dtype, owner, inputDim: this.inputDim });
    checkPoints(y, 'y', { dtype: this.dtype, owner, inputDim: this.inputDim, ifMissing: COMPUTE_WITHOUT_Y });
    return tidy(() => {
      const K = matmul(this.features(x), this.features(y), { transposeB: true });
      return this.normalize ? normalizeRows(K, 1e-12, 'clamp') : K;
    });
  }

  /** `extractFeatures(x)` when y is omitted, else `compute(x, y)`. */
  forward(x: Tensor, y?: Tensor): Tensor {
    this.assertLive();
    return y === undefined ? this.extractFeatures(x) : this.compute(x, y);
  }

  /**
   * Re-orthonormalises the eigenvectors by QR (sign-fixed), for both parameter and buffer
   * eigenvectors (the reference silently skips buffers).
   */
  orthogonalizeEigenvectors(): void {
    this.assertLive();
    const e = this.param('eigenvectors');
    const { q } = tidy(() => ({ q: qr(e).q }));
    const trainable = this.parameters().find((p) => p.name === 'eigenvectors')!.trainable;
    this.adoptParameter('eigenvectors', keep(q), trainable);
  }
}
