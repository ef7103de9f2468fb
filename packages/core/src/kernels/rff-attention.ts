/** Feature maps for linear attention: positive softmax features (FAVOR+), ReLU and ELU. */
import { SpectransError } from '../errors.js';
import { add, elu, mul, relu, sub } from '../ops/elementwise.js';
import { positiveFeatures } from '../ops/features.js';
import { matmul } from '../ops/linear.js';
import { sum } from '../ops/reduce.js';
import { reshape } from '../ops/layout.js';
import { RandomGenerator } from '../random/generator.js';
import { tidy } from '../scope.js';
import type { Tensor } from '../tensor.js';
import { booleanCheck, choiceCheck, scalarCheck } from '../validate.js';
import { APPROXIMATION_WITHOUT_Y, checkPoints, checkSameDim } from './inputs.js';
import { KernelModule, MODULE_OPTION_KEYS, type ModuleOptions } from './module.js';
import { checkOptions } from '../options.js';
import { checkLimit, LIMITS } from '../limits.js';
import {
  checkMapSizes,
  checkOrthogonalWork,
  checkSeed,
  type AttentionFeatureHooks,
  type RandomFeatureMap,
} from './random-feature-map.js';
import { gaussianFrequencies, orthogonalGaussianFrequencies } from './sampling.js';

/** The feature functions of {@link RFFAttentionKernel}. */
export type AttentionKernelType = 'softmax' | 'relu' | 'elu';

/** Options of {@link RFFAttentionKernel}. */
export interface RFFAttentionKernelOptions extends ModuleOptions {
  inputDim: number;
  numFeatures: number;
  /** `'softmax'` (default; positive random features of exp(xᵀy)), `'relu'` or `'elu'`. */
  kernelType?: AttentionKernelType;
  /** Orthogonal projection blocks with χ(d) norms (default true). */
  useOrthogonal?: boolean;
  /** Draw a new projection from the instance's own stream on forward calls while training (default false). */
  redraw?: boolean;
  /** With `redraw`, draw every N-th call only (default 1: every call). */
  redrawInterval?: number;
  /**
   * Stabilise softmax features against overflow (default false): `forward` subtracts each row's
   * maximum exponent (the query-side stabiliser: the per-row factor cancels when attention weights
   * are normalised over keys); `kernelApproximation` stabilises its keys with one global maximum
   * instead, so its rows stay proportional to exp(xᵀy). For key features of your own, call
   * `features(k, 'global')`.
   */
  stabilize?: boolean;
  seed?: number;
}

const STREAM = { projection: 0, redraws: 1 } as const;

/** Every option of {@link RFFAttentionKernel}. */
const ATTENTION_KEYS = [
  ...MODULE_OPTION_KEYS,
  'inputDim',
  'numFeatures',
  'kernelType',
  'useOrthogonal',
  'redraw',
  'redrawInterval',
  'stabilize',
  'seed',
] as const satisfies readonly (keyof RFFAttentionKernelOptions)[];

/**
 * Random features for attention: softmax (FAVOR+), ReLU and ELU maps.
 *
 * @remarks
 * - softmax: φ(x) = exp(ωᵢᵀx − ‖x‖²/2)/√D with ωᵢ ~ N(0, I) (orthogonal blocks with χ(d) norms by
 *   default), so E[φ(x)·φ(y)] = exp(xᵀy) (Choromanski et al. 2021, FAVOR+). The reference divides its
 *   projection by √d, so its features estimate exp(xᵀy/d − (1 − 1/d)(‖x‖² + ‖y‖²)/2) instead; the
 *   forward formula is the same, so a reference state dict reproduces the reference's outputs.
 *   To approximate softmax(qᵀk/√d), scale q and k by d^(−1/4) first (linear attention does).
 * - relu: √(2/D)·relu(Wᵀx), whose inner product estimates the arc-cosine kernel of degree 1.
 * - elu: (elu(Wᵀx) + 1)/√D.
 * - redraw: a new projection is drawn (every `redrawInterval` calls, in training mode only) from the
 *   instance's own seeded stream; `kernelApproximation(x, y)` uses ONE draw for both sides (the
 *   reference draws two, which makes the estimate meaningless). `eval()` freezes the projection.
 *   As in the reference, the projection is not part of the state dict when `redraw` is set.
 * State dict: `projection` (d, D).
 * @throws SpectransError `ERR_INVALID_ARGUMENT` for bad sizes, an unknown kernelType, redrawInterval < 1, or stabilize with a non-softmax type.
 * @example
 * ```ts
 * const favor = new RFFAttentionKernel({ inputDim: 64, numFeatures: 256, seed: 0 });
 * const phiQ = favor.forward(q); // (..., n, 256), all positive
 * ```
 */
export class RFFAttentionKernel extends KernelModule implements RandomFeatureMap, AttentionFeatureHooks {
  readonly inputDim: number;
  readonly numFeatures: number;
  readonly kernelType: AttentionKernelType;
  readonly useOrthogonal: boolean;
  readonly redraw: boolean;
  readonly redrawInterval: number;
  readonly stabilize: boolean;
  readonly seed: number;
  readonly kernelScale = 1;
  /** Training mode: redraws happen only while training (the default, as for a new torch module). */
  training = true;
  readonly #redraws: RandomGenerator;
  #calls = 0;

  /** The options `toString()` prints. */
  protected override optionNames(): readonly string[] {
    return ATTENTION_KEYS;
  }

  constructor(options: RFFAttentionKernelOptions) {
    super(checkOptions('RFFAttentionKernel', options, ATTENTION_KEYS, ['inputDim', 'numFeatures']));
    const sizes = checkMapSizes(options.inputDim, options.numFeatures);
    this.inputDim = sizes.inputDim;
    this.numFeatures = sizes.numFeatures;
    this.kernelType = choiceCheck(options.kernelType ?? 'softmax', 'kernelType', ['softmax', 'relu', 'elu'] as const);
    this.useOrthogonal = booleanCheck(options.useOrthogonal ?? true, 'useOrthogonal');
    this.redraw = booleanCheck(options.redraw ?? false, 'redraw');
    this.redrawInterval = scalarCheck(options.redrawInterval ?? 1, 'redrawInterval', { integer: true, positive: true });
    checkLimit('redrawInterval', this.redrawInterval, LIMITS.maxRedrawInterval, 'maxRedrawInterval');
    this.stabilize = booleanCheck(options.stabilize ?? false, 'stabilize');
    if (this.stabilize && this.kernelType !== 'softmax') {
      throw new SpectransError(
        'ERR_INVALID_ARGUMENT',
        `stabilize applies to kernelType 'softmax' only, got '${this.kernelType}'`,
      );
    }
    const rng = new RandomGenerator(checkSeed(options.seed));
    this.seed = rng.seed;
    this.#redraws = rng.fork(STREAM.redraws);
    if (this.useOrthogonal) checkOrthogonalWork(this.inputDim, this.numFeatures);
    this.allocating(() => this.drawProjection(rng.fork(STREAM.projection)));
  }

  get featureDim(): number {
    return this.numFeatures;
  }

  /** d^(−1/4) for softmax features (φ(q)·φ(k) then estimates exp(qᵀk/√d)), else 1. */
  get attentionInputScale(): number {
    return this.kernelType === 'softmax' ? this.inputDim ** -0.25 : 1;
  }

  /** Advances the redraw schedule once per attention call. */
  beginAttentionCall(): void {
    this.maybeRedraw();
  }

  /**
   * Features for linear attention, with the current projection (no redraw): softmax features carry
   * the query (row) or key (global) stabiliser, relu and elu none.
   */
  attentionFeatures(x: Tensor, role: 'query' | 'key'): Tensor {
    const stabilizer = this.kernelType !== 'softmax' ? 'none' : role === 'query' ? 'row' : 'global';
    return this.features(x, stabilizer);
  }

  /**
   * Softmax features in log space: ℓ(x) = ωᵀx − ‖x‖²/2 − ln(D)/2, so φ(x) = exp(ℓ(x)) exactly
   * (undefined for relu and elu). Linear attention shifts these jointly for queries and keys.
   * With role `'query'` just ωᵀx: the row's constant −‖x‖²/2 − ln(D)/2 cancels in attention,
   * which shifts each query by its own largest exponent (and leaving it out saves two passes).
   * @throws SpectransError `ERR_SHAPE_MISMATCH` when the last axis is not inputDim; `ERR_INVALID_ARGUMENT` for another role.
   */
  logFeatures(x: Tensor, role: 'query' | 'key' = 'key'): Tensor | undefined {
    if (this.kernelType !== 'softmax') return undefined;
    checkPoints(x, 'x', {
      dtype: this.dtype,
      owner: 'RFFAttentionKernel.logFeatures',
      inputDim: this.inputDim,
      minRank: 1,
    });
    this.assertLive();
    choiceCheck(role, 'RFFAttentionKernel.logFeatures: role', ['query', 'key'] as const);
    const D = this.numFeatures;
    return tidy(() => {
      const lead = x.shape.slice(0, -1);
      const rows = reshape(x, [-1, this.inputDim]);
      if (role === 'query') return reshape(matmul(rows, this.param('projection')), [...lead, D]);
      const halfNorm = add(mul(sum(mul(rows, rows), -1, true), 0.5), 0.5 * Math.log(D));
      return reshape(sub(matmul(rows, this.param('projection')), halfNorm), [...lead, D]);
    });
  }

  /** Sets training mode (redraws allowed). Returns this. */
  train(mode = true): this {
    this.assertLive();
    this.training = booleanCheck(mode, 'RFFAttentionKernel.train: mode');
    return this;
  }

  /** Sets evaluation mode: the projection is frozen. Returns this. */
  eval(): this {
    return this.train(false);
  }

  /**
   * Features of x (..., d): (..., D). With `redraw`, may first draw a new projection.
   * @throws SpectransError `ERR_SHAPE_MISMATCH` when the last axis is not inputDim.
   */
  forward(x: Tensor): Tensor {
    this.assertLive();
    checkPoints(x, 'x', {
      dtype: this.dtype,
      owner: 'RFFAttentionKernel.forward',
      inputDim: this.inputDim,
      minRank: 1,
    });
    this.maybeRedraw();
    return this.features(x);
  }

  /** φ(x) φ(y)ᵀ with one projection for both sides: (..., n, m). */
  kernelApproximation(x: Tensor, y: Tensor): Tensor {
    this.assertLive();
    const owner = 'RFFAttentionKernel.kernelApproximation';
    checkPoints(x, 'x', { dtype: this.dtype, owner, inputDim: this.inputDim });
    checkPoints(y, 'y', { dtype: this.dtype, owner, inputDim: this.inputDim, ifMissing: APPROXIMATION_WITHOUT_Y });
    checkSameDim(x, y, owner);
    this.maybeRedraw();
    // A stabilised estimate may carry a factor per query row and one global factor, never one per key.
    const keys = this.stabilize ? 'global' : 'none';
    return tidy(() => matmul(this.features(x), this.features(y, keys), { transposeB: true }));
  }

  /**
   * Features with the current projection and no redraw (linear attention calls this for q and k).
   *
   * @param stabilizer - softmax only: subtract the maximum exponent per row (`'row'`, for queries) or
   *   per batch element over all positions and features (`'global'`, for keys) before exp. Both factors cancel in attention's
   *   normalisation, and no feature can overflow. Defaults to `'row'` when the kernel was built with
   *   `stabilize`, else none (the reference's formula).
   */
  features(x: Tensor, stabilizer: 'none' | 'row' | 'global' = this.stabilize ? 'row' : 'none'): Tensor {
    this.assertLive();
    checkPoints(x, 'x', {
      dtype: this.dtype,
      owner: 'RFFAttentionKernel.features',
      inputDim: this.inputDim,
      minRank: 1,
    });
    choiceCheck(stabilizer, 'RFFAttentionKernel.features: stabilizer', ['none', 'row', 'global'] as const);
    const D = this.numFeatures;
    // exp(ωᵀx − ‖x‖²/2) / √D. Stabilisers subtract a maximum that cancels in attention.
    if (this.kernelType === 'softmax')
      return positiveFeatures(x, this.param('projection'), stabilizer, 1 / Math.sqrt(D));
    return tidy(() => {
      const lead = x.shape.slice(0, -1);
      const rows = reshape(x, [-1, this.inputDim]);
      const z = matmul(rows, this.param('projection'));
      const out = this.kernelType === 'relu' ? mul(relu(z), Math.sqrt(2 / D)) : mul(add(elu(z), 1), 1 / Math.sqrt(D));
      return reshape(out, [...lead, D]);
    });
  }

  /** Advances the redraw schedule (call once per attention step when using `features` directly). */
  maybeRedraw(): void {
    this.assertLive();
    if (!this.redraw || !this.training) return;
    if (this.#calls++ % this.redrawInterval === 0 && this.#calls > 1) this.drawProjection(this.#redraws);
  }

  private drawProjection(rng: RandomGenerator): void {
    const d = this.inputDim;
    const D = this.numFeatures;
    const w = this.useOrthogonal
      ? orthogonalGaussianFrequencies(rng, d, D, 1, 'chi')
      : gaussianFrequencies(rng, d, D, 1);
    this.setParameter('projection', w, [d, D], false);
  }

  protected override stateDictNames(): string[] {
    return this.redraw ? [] : super.stateDictNames();
  }
}
