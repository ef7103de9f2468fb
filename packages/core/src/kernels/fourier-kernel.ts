/** FourierKernel: filtered low-frequency rfft inner products. */
import { SpectransError } from '../errors.js';
import { mul } from '../ops/elementwise.js';
import { concat, reshape } from '../ops/layout.js';
import { matmul } from '../ops/linear.js';
import { upload } from '../ops/dispatch.js';
import { keep, tidy } from '../scope.js';
import type { Tensor } from '../tensor.js';
import { booleanCheck, choiceCheck, scalarCheck } from '../validate.js';
import { checkPoints, COMPUTE_WITHOUT_Y } from './inputs.js';
import { MODULE_OPTION_KEYS, type ModuleOptions } from './module.js';
import { checkOptions } from '../options.js';
import { checkLimit, LIMITS } from '../limits.js';
import { checkDimension } from './random-feature-map.js';
import { SpectralKernel } from './spectral-kernel.js';

/** Every option of {@link FourierKernel}: no `normalize` (see the class remarks). */
const FOURIER_KEYS = [
  ...MODULE_OPTION_KEYS,
  'rank',
  'inputDim',
  'learnableFilter',
  'filterType',
  'cutoffFreq',
] as const;

/** Options of {@link FourierKernel}. */
export interface FourierKernelOptions extends ModuleOptions {
  /** Number of low-frequency rfft bins kept, 1 <= rank <= floor(inputDim/2) + 1. */
  rank: number;
  /** Input dimension d (the signal length along the last axis). */
  inputDim: number;
  /** Filter learnable (parameter) or fixed (buffer); default true. */
  learnableFilter?: boolean;
  /** `'gaussian'` exp(−(f/c)²) (default), `'butterworth'` 1/(1 + (f/c)⁸), `'ideal'` 1[f <= c]. */
  filterType?: 'gaussian' | 'butterworth' | 'ideal';
  /** Cutoff c > 0 relative to the kept bins f = linspace(0, 1, rank) (default 0.5). */
  cutoffFreq?: number;
}

/**
 * A kernel defined in the Fourier domain: K_ij = (1/r) Σ_k f_k² Re(X_ik conj(Y_jk)) with
 * X = rfft(x)[..., :r] (unnormalised) and f the filter.
 *
 * @remarks Computed with two real DFT matmuls folded into one feature map, φ(x) = x [C f, S f] / √r
 * with C_tk = cos(2πtk/d), S_tk = −sin(2πtk/d), so K = φ(x) φ(y)ᵀ and no (n, m, r) complex
 * tensor is formed. As in the reference, the filter acts on both sides (f²), the cutoff is relative to
 * the kept bins, and the Hermitian doubling of non-DC bins is not applied. rank and cutoffFreq are
 * checked at construction (the reference fails at compute time, or gives NaN for cutoff 0).
 * `forward(x)` returns φ(x) (the reference has no forward). State dict: `filter` (rank).
 * @throws SpectransError `ERR_INVALID_ARGUMENT` for rank outside [1, floor(d/2) + 1], an unknown filterType, cutoffFreq <= 0.
 * @example
 * ```ts
 * const k = new FourierKernel({ rank: 16, inputDim: 64, filterType: 'butterworth' });
 * const K = k.compute(x, y);
 * ```
 */
export class FourierKernel extends SpectralKernel {
  readonly inputDim: number;
  readonly learnableFilter: boolean;
  readonly filterType: 'gaussian' | 'butterworth' | 'ideal';
  readonly cutoffFreq: number;
  #basis: Tensor | undefined;

  /** The options `toString()` prints. */
  protected override optionNames(): readonly string[] {
    return FOURIER_KEYS;
  }

  constructor(options: FourierKernelOptions) {
    // No `normalize` option, as in the reference: the kernel is always the normalised DFT form.
    super({ ...checkOptions('FourierKernel', options, FOURIER_KEYS, ['rank', 'inputDim']), normalize: true });
    this.inputDim = checkDimension(options.inputDim, 'inputDim');
    const maxRank = Math.floor(this.inputDim / 2) + 1;
    if (this.rank > maxRank) {
      throw new SpectransError(
        'ERR_INVALID_ARGUMENT',
        `rank must be <= floor(inputDim/2) + 1 = ${maxRank} (rfft bins of a length-${this.inputDim} signal), got ${this.rank}`,
      );
    }
    this.learnableFilter = booleanCheck(options.learnableFilter ?? true, 'learnableFilter');
    this.filterType = choiceCheck(options.filterType ?? 'gaussian', 'filterType', [
      'gaussian',
      'butterworth',
      'ideal',
    ] as const);
    this.cutoffFreq = scalarCheck(options.cutoffFreq ?? 0.5, 'cutoffFreq', { finite: true, positive: true });
    checkLimit(
      'inputDim·2·rank (the DFT basis)',
      this.inputDim * 2 * this.rank,
      LIMITS.maxParameterElements,
      'maxParameterElements',
    );
    const r = this.rank;
    const c = this.cutoffFreq;
    const filter = Float64Array.from({ length: r }, (_, i) => {
      const f = r === 1 ? 0 : i / (r - 1);
      if (this.filterType === 'gaussian') return Math.exp(-((f / c) ** 2));
      if (this.filterType === 'butterworth') return 1 / (1 + (f / c) ** 8);
      return f <= c ? 1 : 0;
    });
    this.allocating(() => {
      this.setParameter('filter', filter, [r], this.learnableFilter);
      const d = this.inputDim;
      const basis = new Float64Array(d * 2 * r);
      for (let t = 0; t < d; t++) {
        for (let k = 0; k < r; k++) {
          const angle = (2 * Math.PI * ((t * k) % d)) / d;
          basis[t * 2 * r + k] = Math.cos(angle);
          basis[t * 2 * r + r + k] = -Math.sin(angle);
        }
      }
      this.#basis = keep(
        upload(this.backend, this.dtype === 'float64' ? basis : Float32Array.from(basis), [d, 2 * r], this.dtype),
      );
    });
  }

  /** Filtered spectral features φ(x) of x (..., d): (..., 2·rank), with K = φ(x) φ(y)ᵀ. */
  forward(x: Tensor): Tensor {
    this.assertLive();
    checkPoints(x, 'x', { dtype: this.dtype, owner: 'FourierKernel.forward', inputDim: this.inputDim, minRank: 1 });
    return tidy(() => {
      const f = this.param('filter');
      const weights = mul(concat([f, f], 0), 1 / Math.sqrt(this.rank));
      const z = matmul(reshape(x, [-1, this.inputDim]), this.#basis!);
      return reshape(mul(z, weights), [...x.shape.slice(0, -1), 2 * this.rank]);
    });
  }

  compute(x: Tensor, y: Tensor): Tensor {
    this.assertLive();
    const owner = 'FourierKernel.compute';
    checkPoints(x, 'x', { dtype: this.dtype, owner, inputDim: this.inputDim });
    checkPoints(y, 'y', { dtype: this.dtype, owner, inputDim: this.inputDim, ifMissing: COMPUTE_WITHOUT_Y });
    return tidy(() => matmul(this.forward(x), this.forward(y), { transposeB: true }));
  }

  override dispose(): void {
    this.#basis?.dispose();
    this.#basis = undefined;
    super.dispose();
  }
}
