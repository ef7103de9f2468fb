/** The random feature map interface φ with k(x, y) ≈ φ(x)·φ(y), and shared checks. */
import type { DType } from '../dtype.js';
import { SpectransError } from '../errors.js';
import { checkLimit, LIMITS } from '../limits.js';
import { checkScaleRange } from '../numeric-range.js';
import { matmul } from '../ops/linear.js';
import { tidy } from '../scope.js';
import type { Tensor } from '../tensor.js';
import { scalarCheck } from '../validate.js';
import { APPROXIMATION_WITHOUT_Y, checkPoints, checkSameDim } from './inputs.js';

/**
 * A random feature map φ: (..., d) → (..., featureDim) with k(x, y) ≈ φ(x)·φ(y)
 * (Rahimi & Recht 2007). Implemented by GaussianRFFKernel, LaplacianRFFKernel,
 * OrthogonalRandomFeatures and RFFAttentionKernel.
 */
export interface RandomFeatureMap {
  /** Dimension d of the inputs. */
  readonly inputDim: number;
  /** Number of random features D. */
  readonly numFeatures: number;
  /** Size of the last axis of `forward` (D, or 2D for cos/sin pairs). */
  readonly featureDim: number;
  /** Kernel scale parameter (σ for the RFF kernels, 1 for attention), as in the reference. */
  readonly kernelScale: number;
  /** The seed the parameters were drawn from (drawn fresh when none was given). */
  readonly seed: number;
  /** Features of x (..., d): (..., featureDim). */
  forward(x: Tensor): Tensor;
  /** φ(x) φ(y)ᵀ: (..., n, m), one parameter draw shared by both sides. */
  kernelApproximation(x: Tensor, y: Tensor): Tensor;
  /** Frees the parameters. */
  dispose(): void;
}

/**
 * What linear attention may use besides {@link RandomFeatureMap}, all optional so any map works.
 * A separate interface, so that adding a hook never changes how TypeScript narrows a
 * RandomFeatureMap. RFFAttentionKernel implements every hook.
 */
export interface AttentionFeatureHooks {
  /**
   * The factor `linearAttention` applies to q and k by default (d^(−1/4) for softmax features, so
   * that φ(q)·φ(k) estimates exp(qᵀk/√d)); absent means 1.
   */
  readonly attentionInputScale?: number;
  /** Called once at the start of every attention call, before any features (e.g. a redraw schedule). */
  beginAttentionCall?(): void;
  /**
   * Features of queries or keys for one attention call, after `beginAttentionCall` (so without a
   * redraw of their own); absent means `forward`. A role may carry its own stabiliser.
   */
  attentionFeatures?(x: Tensor, role: 'query' | 'key'): Tensor;
  /**
   * For positive maps of the form φ(x) = exp(ℓ(x)): the exponents ℓ(x) (..., featureDim); else
   * undefined. Attention then keeps query and key features in log space and shifts them jointly, so
   * the two roles are stabilised together and no denominator can underflow at any input scale.
   * With role `'query'` a map may leave out terms constant along the feature axis: attention
   * shifts every query by its own largest exponent, so they cancel exactly.
   */
  logFeatures?(x: Tensor, role?: 'query' | 'key'): Tensor | undefined;
}

/** True when `value` implements {@link RandomFeatureMap}. */
export function isRandomFeatureMap(value: unknown): value is RandomFeatureMap {
  const v = value as Partial<RandomFeatureMap> | null;
  return (
    !!v &&
    typeof v.forward === 'function' &&
    typeof v.kernelApproximation === 'function' &&
    typeof v.numFeatures === 'number'
  );
}

/** φ(x) φ(y)ᵀ for any map, checking x and y first. */
export function approximateKernel(map: RandomFeatureMap, x: Tensor, y: Tensor, owner: string): Tensor {
  checkPoints(x, 'x', { owner, inputDim: map.inputDim });
  checkPoints(y, 'y', { owner, inputDim: map.inputDim, ifMissing: APPROXIMATION_WITHOUT_Y });
  checkSameDim(x, y, owner);
  return tidy(() => matmul(map.forward(x), map.forward(y), { transposeB: true }));
}

/**
 * Validates the sizes every feature map takes: positive integers within `LIMITS.maxDimension`,
 * with inputDim·numFeatures within `LIMITS.maxParameterElements`.
 */
export function checkMapSizes(inputDim: unknown, numFeatures: unknown): { inputDim: number; numFeatures: number } {
  const d = checkDimension(inputDim, 'inputDim');
  const D = checkDimension(numFeatures, 'numFeatures');
  checkLimit('inputDim·numFeatures (the projection)', d * D, LIMITS.maxParameterElements, 'maxParameterElements');
  return { inputDim: d, numFeatures: D };
}

/** Validates a size option: a positive integer within `LIMITS.maxDimension`. */
export function checkDimension(value: unknown, argument: string): number {
  const v = scalarCheck(value, argument, { integer: true, positive: true });
  checkLimit(argument, v, LIMITS.maxDimension, 'maxDimension');
  return v;
}

/**
 * Validates the host work of orthogonal blocks: ⌈D/d⌉ QR factorisations of d×d matrices,
 * about D·d² operations, within `LIMITS.maxOrthogonalWork`.
 */
export function checkOrthogonalWork(d: number, D: number): void {
  checkLimit(
    'numFeatures·inputDim² (orthogonal blocks drawn by QR)',
    D * d * d,
    LIMITS.maxOrthogonalWork,
    'maxOrthogonalWork',
  );
}

/** Validates a bandwidth σ: finite, > 0 and with σ², 1/σ and 1/(2σ²) normal numbers of `dtype`. */
export function checkSigma(sigma: unknown, dtype: DType = 'float64'): number {
  return checkScaleRange(scalarCheck(sigma, 'sigma', { finite: true, positive: true }), 'sigma', dtype);
}

/** Validates an optional seed (a non-negative safe integer). */
export function checkSeed(seed: unknown): number | undefined {
  if (seed === undefined) return undefined;
  const s = scalarCheck(seed, 'seed', { integer: true, nonNegative: true });
  if (!Number.isSafeInteger(s))
    throw new SpectransError('ERR_INVALID_ARGUMENT', `seed must be a safe integer, got ${s}`);
  return s;
}
