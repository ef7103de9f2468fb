/** Stationary kernels k(x, y) = κ(x − y), with spectral densities by Bochner's theorem. */
import type { DistanceMetric } from '../backend/contract.js';
import { expCdist } from '../ops/linear.js';
import type { Tensor } from '../tensor.js';
import { checkPoints, checkSameDim, COMPUTE_WITHOUT_Y } from './inputs.js';
import { KernelFunction } from './kernel-function.js';
import type { ModuleOptions } from './module.js';

/**
 * A shift-invariant kernel κ(x − y).
 *
 * `compute` is `exp(rate · distance)` of the pairwise distances (squared Euclidean or L1), through
 * the fused `expCdist`, never from the (..., n, m, d) difference tensor the reference builds.
 * `spectralDensity` is the probability density p(ω) with κ(Δ) = ∫ p(ω) cos(ωᵀΔ) dω: the law the
 * random features are drawn from.
 */
export abstract class ShiftInvariantKernel extends KernelFunction {
  /** Bandwidth, as the reference defines it: 1/σ. Stored for compatibility; the math uses σ. */
  readonly bandwidth: number;

  protected constructor(options: ModuleOptions, bandwidth: number) {
    super(options);
    this.bandwidth = bandwidth;
  }

  /** κ(Δ) for differences (..., d): (...). */
  abstract evaluateDifference(diff: Tensor): Tensor;

  /** p(ω) for frequencies (..., d): (...), a probability density over ℝᵈ. */
  abstract spectralDensity(omega: Tensor): Tensor;

  /** The distance `compute` is a function of. */
  protected abstract readonly metric: DistanceMetric;

  /**
   * The kernel's rate c in κ = exp(c · distance): −1/(2σ²) for the Gaussian, −1/σ for the Laplacian.
   * A shift-invariant kernel of another form overrides `compute`.
   */
  protected abstract readonly distanceRate: number;

  compute(x: Tensor, y: Tensor): Tensor {
    this.assertLive();
    const owner = `${this.constructor.name}.compute`;
    checkPoints(x, 'x', { dtype: this.dtype, owner });
    checkPoints(y, 'y', { dtype: this.dtype, owner, ifMissing: COMPUTE_WITHOUT_Y });
    checkSameDim(x, y, owner);
    return expCdist(x, y, this.metric, this.distanceRate);
  }
}
