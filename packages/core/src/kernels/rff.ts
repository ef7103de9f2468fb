/** Random Fourier features for the Gaussian and Laplacian kernels (Rahimi & Recht 2007). */
import { abs, add, exp, log, mul, square } from '../ops/elementwise.js';
import { rffFeatures } from '../ops/features.js';
import { sum } from '../ops/reduce.js';
import { RandomGenerator } from '../random/generator.js';
import { tidy } from '../scope.js';
import type { Tensor } from '../tensor.js';
import { booleanCheck, choiceCheck } from '../validate.js';
import { checkPoints } from './inputs.js';
import { MODULE_OPTION_KEYS, type ModuleOptions } from './module.js';
import { checkOptions } from '../options.js';
import {
  approximateKernel,
  checkMapSizes,
  checkOrthogonalWork,
  checkSeed,
  checkSigma,
  type RandomFeatureMap,
} from './random-feature-map.js';
import {
  cauchyFrequencies,
  gaussianFrequencies,
  orthogonalGaussianFrequencies,
  uniformPhases,
  type OrthogonalNorms,
} from './sampling.js';
import { ShiftInvariantKernel } from './shift-invariant.js';

/** Options shared by the RFF kernels. */
export interface RFFKernelOptions extends ModuleOptions {
  /** Input dimension d. */
  inputDim: number;
  /** Number of random features D. */
  numFeatures: number;
  /** Length scale σ > 0 (default 1). */
  sigma?: number;
  /** Output √(1/D)·[cos(xω + b), sin(xω + b)] (2D features; b cancels in products) instead of √(2/D)·cos(xω + b) (default false). */
  useCosSin?: boolean;
  /** Mark omega and bias as learnable parameters (default false). */
  trainable?: boolean;
  /** Seed for the parameters; a fresh one (readable as `.seed`) when omitted. */
  seed?: number;
}

/** Every option of {@link LaplacianRFFKernel}. */
const RFF_KEYS = [
  ...MODULE_OPTION_KEYS,
  'inputDim',
  'numFeatures',
  'sigma',
  'useCosSin',
  'trainable',
  'seed',
] as const satisfies readonly (keyof RFFKernelOptions)[];
/** Every option of {@link GaussianRFFKernel}. */
const GAUSSIAN_RFF_KEYS = [
  ...RFF_KEYS,
  'orthogonal',
  'orthogonalNorms',
] as const satisfies readonly (keyof GaussianRFFKernelOptions)[];

/** Streams of the instance's generator: one per parameter, so each draw is reproducible on its own. */
const STREAM = { frequencies: 0, phases: 1 } as const;

abstract class RFFKernel extends ShiftInvariantKernel implements RandomFeatureMap {
  readonly inputDim: number;
  readonly numFeatures: number;
  readonly sigma: number;
  readonly useCosSin: boolean;
  readonly trainable: boolean;
  readonly seed: number;

  protected constructor(
    options: RFFKernelOptions,
    drawFrequencies: (rng: RandomGenerator, d: number, D: number, sigma: number) => Float64Array,
  ) {
    const sigma = checkSigma(options.sigma ?? 1);
    super(options, 1 / sigma);
    checkSigma(sigma, this.dtype);
    const sizes = checkMapSizes(options.inputDim, options.numFeatures);
    this.inputDim = sizes.inputDim;
    this.numFeatures = sizes.numFeatures;
    this.sigma = sigma;
    this.useCosSin = booleanCheck(options.useCosSin ?? false, 'useCosSin');
    this.trainable = booleanCheck(options.trainable ?? false, 'trainable');
    const rng = new RandomGenerator(checkSeed(options.seed));
    this.seed = rng.seed;
    const d = this.inputDim;
    const D = this.numFeatures;
    this.allocating(() => {
      this.setParameter('omega', drawFrequencies(rng.fork(STREAM.frequencies), d, D, sigma), [d, D], this.trainable);
      this.setParameter('bias', uniformPhases(rng.fork(STREAM.phases), D), [D], this.trainable);
    });
  }

  /** Kernel scale as in the reference: σ. */
  get kernelScale(): number {
    return this.sigma;
  }

  /** Size of the feature axis: D, or 2D with `useCosSin` (the reference's `output_features`). */
  get featureDim(): number {
    return this.useCosSin ? 2 * this.numFeatures : this.numFeatures;
  }

  /**
   * Features √(2/D)·cos(xω + b), or √(1/D)·[cos(xω + b), sin(xω + b)] with `useCosSin`.
   * @param x - inputs (..., d); a single vector (d) works too.
   * @returns (..., featureDim).
   * @throws SpectransError `ERR_SHAPE_MISMATCH` when the last axis is not inputDim; `ERR_INVALID_SHAPE` for an empty input.
   */
  forward(x: Tensor): Tensor {
    this.assertLive();
    checkPoints(x, 'x', {
      dtype: this.dtype,
      owner: `${this.constructor.name}.forward`,
      inputDim: this.inputDim,
      minRank: 1,
    });
    const scale = Math.sqrt((this.useCosSin ? 1 : 2) / this.numFeatures);
    return rffFeatures(x, this.param('omega'), this.param('bias'), scale, this.useCosSin);
  }

  /** φ(x) φ(y)ᵀ ≈ k(x, y): (..., n, m). */
  kernelApproximation(x: Tensor, y: Tensor): Tensor {
    this.assertLive();
    return approximateKernel(this, x, y, `${this.constructor.name}.kernelApproximation`);
  }

  /** Validates a difference (or frequency) tensor as a kernel input (rank, size, dtype) for evaluateDifference / spectralDensity. */
  protected checkDiff(diff: Tensor, what: string): void {
    this.assertLive();
    checkPoints(diff, what, {
      dtype: this.dtype,
      owner: `${this.constructor.name}.${what === 'diff' ? 'evaluateDifference' : 'spectralDensity'}`,
      inputDim: this.inputDim,
      minRank: 1,
    });
  }
}

/** Options of {@link GaussianRFFKernel}. */
export interface GaussianRFFKernelOptions extends RFFKernelOptions {
  /** Draw orthogonal frequency blocks (Yu et al. 2016) instead of i.i.d. ones (default false). */
  orthogonal?: boolean;
  /**
   * Norms of orthogonal frequencies: `'chi'` (default, unbiased ORF) or `'fixed'` = √d/σ
   * (the reference's choice, biased; kept for comparison).
   */
  orthogonalNorms?: OrthogonalNorms;
}

/**
 * The Gaussian kernel k(x, y) = exp(−‖x − y‖² / (2σ²)) with its random Fourier feature map.
 *
 * @remarks Frequencies ω ~ N(0, σ⁻² I), phases b ~ U[0, 2π), φ(x) = √(2/D)·cos(ωᵀx + b), so
 * E[φ(x)·φ(y)] = k(x, y) (Rahimi & Recht 2007). With `orthogonal`, frequencies come in Haar-random
 * orthogonal blocks with χ(d) norms (Yu et al. 2016), which lowers the variance; the reference
 * uses fixed norms √d/σ instead, which biases the estimator (`orthogonalNorms: 'fixed'` restores
 * that). `compute` is the exact kernel from squared distances. State dict: `omega` (d, D), `bias` (D).
 * @throws SpectransError `ERR_INVALID_ARGUMENT` for inputDim/numFeatures that are not positive integers, sigma <= 0 or non-finite, a bad seed.
 * @example
 * ```ts
 * const k = new GaussianRFFKernel({ inputDim: 64, numFeatures: 256, sigma: 1, seed: 42 });
 * const phi = k.forward(x);                // (32, 100, 256)
 * const K = k.kernelApproximation(x, y);   // ≈ k.compute(x, y)
 * ```
 */
export class GaussianRFFKernel extends RFFKernel {
  readonly orthogonal: boolean;
  readonly orthogonalNorms: OrthogonalNorms;
  protected readonly metric = 'sqeuclidean' as const;

  /** The options `toString()` prints. */
  protected override optionNames(): readonly string[] {
    return GAUSSIAN_RFF_KEYS;
  }

  constructor(options: GaussianRFFKernelOptions) {
    checkOptions('GaussianRFFKernel', options, GAUSSIAN_RFF_KEYS, ['inputDim', 'numFeatures']);
    const orthogonal = booleanCheck(options.orthogonal ?? false, 'orthogonal');
    const norms = choiceCheck(options.orthogonalNorms ?? 'chi', 'orthogonalNorms', ['chi', 'fixed'] as const);
    if (orthogonal) {
      const sizes = checkMapSizes(options.inputDim, options.numFeatures);
      checkOrthogonalWork(sizes.inputDim, sizes.numFeatures);
    }
    super(options, (rng, d, D, sigma) =>
      orthogonal ? orthogonalGaussianFrequencies(rng, d, D, sigma, norms) : gaussianFrequencies(rng, d, D, sigma),
    );
    this.orthogonal = orthogonal;
    this.orthogonalNorms = norms;
  }

  /** exp(−Σ Δ² / (2σ²)) for differences (..., d). */
  evaluateDifference(diff: Tensor): Tensor {
    this.checkDiff(diff, 'diff');
    return tidy(() => exp(mul(sum(square(diff), -1), -1 / (2 * this.sigma ** 2))));
  }

  /**
   * The density of N(0, σ⁻² I): p(ω) = (σ²/2π)^{d/2} exp(−σ²‖ω‖²/2), d = ω's last axis.
   * @remarks The reference returns (2πσ²)^{d/2} exp(−σ²‖ω‖²/2), the unnormalised Fourier transform,
   * which is (2π)^d times this density.
   */
  spectralDensity(omega: Tensor): Tensor {
    this.checkDiff(omega, 'omega');
    const d = omega.shape[omega.rank - 1]!;
    const s2 = this.sigma ** 2;
    return tidy(() => exp(add(mul(sum(square(omega), -1), -s2 / 2), (d / 2) * Math.log(s2 / (2 * Math.PI)))));
  }

  protected get distanceRate(): number {
    return -1 / (2 * this.sigma ** 2);
  }
}

/**
 * The (L1) Laplacian kernel k(x, y) = exp(−‖x − y‖₁ / σ) with its random Fourier feature map.
 *
 * @remarks Frequencies are i.i.d. Cauchy(0, 1/σ) per coordinate, the spectral law of the L1
 * Laplacian (Rahimi & Recht 2007). Heavy-tailed frequencies give large phases: every backend
 * reduces phases before cos. State dict: `omega` (d, D), `bias` (D).
 * @throws SpectransError `ERR_INVALID_ARGUMENT` as for {@link GaussianRFFKernel}.
 * @example
 * ```ts
 * const k = new LaplacianRFFKernel({ inputDim: 8, numFeatures: 1024, sigma: 2, seed: 1 });
 * const K = k.kernelApproximation(x, x);
 * ```
 */
export class LaplacianRFFKernel extends RFFKernel {
  protected readonly metric = 'l1' as const;

  /** The options `toString()` prints. */
  protected override optionNames(): readonly string[] {
    return RFF_KEYS;
  }

  constructor(options: RFFKernelOptions) {
    checkOptions('LaplacianRFFKernel', options, RFF_KEYS, ['inputDim', 'numFeatures']);
    super(options, cauchyFrequencies);
  }

  /** exp(−Σ|Δ| / σ) for differences (..., d). */
  evaluateDifference(diff: Tensor): Tensor {
    this.checkDiff(diff, 'diff');
    return tidy(() => exp(mul(sum(abs(diff), -1), -1 / this.sigma)));
  }

  /**
   * The density of i.i.d. Cauchy(0, 1/σ) coordinates: p(ω) = Π σ / (π (1 + σ²ωᵢ²)).
   * @remarks The reference returns Π 2σ / (π (1 + σ²ωᵢ²)), which is 2^d times this density.
   */
  spectralDensity(omega: Tensor): Tensor {
    this.checkDiff(omega, 'omega');
    const d = omega.shape[omega.rank - 1]!;
    const s2 = this.sigma ** 2;
    return tidy(() =>
      exp(add(mul(sum(log(add(mul(square(omega), s2), 1)), -1), -1), d * Math.log(this.sigma / Math.PI))),
    );
  }

  protected get distanceRate(): number {
    return -1 / this.sigma;
  }
}
