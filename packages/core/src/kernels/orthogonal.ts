/** Orthogonal random features: ORF with QR blocks and the structured SORF map (Yu et al. 2016). */
import { allocate } from '../dtype.js';
import { SpectransError } from '../errors.js';
import { add, cos, mul } from '../ops/elementwise.js';
import { fwht } from '../ops/fwht.js';
import { concat, reshape, slice } from '../ops/layout.js';
import { zeros } from '../ops/creation.js';
import { rffFeatures } from '../ops/features.js';
import { isRecording, untaped } from '../autodiff/tape.js';
import { RandomGenerator } from '../random/generator.js';
import { keep, tidy } from '../scope.js';
import { upload } from '../ops/dispatch.js';
import type { Tensor } from '../tensor.js';
import { booleanCheck, choiceCheck } from '../validate.js';
import { checkPoints } from './inputs.js';
import { KernelModule, MODULE_OPTION_KEYS, type ModuleOptions } from './module.js';
import { checkOptions } from '../options.js';
import { checkLimit, LIMITS } from '../limits.js';
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
  nextPowerOfTwo,
  orthogonalGaussianFrequencies,
  uniformPhases,
  type OrthogonalNorms,
} from './sampling.js';

/** Options of {@link OrthogonalRandomFeatures}. */
export interface OrthogonalRandomFeaturesOptions extends ModuleOptions {
  inputDim: number;
  numFeatures: number;
  /** `'gaussian'` (default) or `'laplacian'` (see remarks: Laplacian frequencies cannot be orthogonalised). */
  kernelType?: 'gaussian' | 'laplacian';
  /** Length scale σ > 0 (default 1). */
  sigma?: number;
  /** Structured map H D₁ H D₂ H D₃ with fast Walsh–Hadamard transforms (SORF) instead of QR blocks. Gaussian only. */
  useHadamard?: boolean;
  /** Mark the parameters as learnable (default false). */
  trainable?: boolean;
  /** Norms of QR-path frequencies: `'chi'` (default, unbiased) or `'fixed'` √d/σ (the reference). */
  orthogonalNorms?: OrthogonalNorms;
  /**
   * How the SORF map is applied: `'transform'` (three fast Walsh–Hadamard transforms per row,
   * O(n log n)), `'matrix'` (the same W, materialised once from the diagonals, through the fused
   * feature op), or `'auto'` (default: the matrix while d·D <= 16·n·log2 n, where one fused pass
   * beats the ~10 separate ops of the transform path).
   */
  sorfApply?: 'auto' | 'transform' | 'matrix';
  seed?: number;
}

const STREAM = { projection: 0, phases: 1, diagonals: 2 } as const;

/** Every option of {@link OrthogonalRandomFeatures}. */
const ORF_KEYS = [
  ...MODULE_OPTION_KEYS,
  'inputDim',
  'numFeatures',
  'kernelType',
  'sigma',
  'useHadamard',
  'trainable',
  'orthogonalNorms',
  'sorfApply',
  'seed',
] as const satisfies readonly (keyof OrthogonalRandomFeaturesOptions)[];

/**
 * Random Fourier features with orthogonal frequencies: φ(x) = √(2/D)·cos(Wx + b).
 *
 * @remarks
 * - QR path (Gaussian): ⌈D/d⌉ Haar-orthogonal blocks with χ(d) row norms, divided by σ (ORF,
 *   Yu et al. 2016). Lower variance than i.i.d. features; unbiased. State dict: `projection` (d, D), `bias` (D).
 * - Hadamard path (SORF, Yu et al. 2016): W = (√n/σ)·H D₁ H D₂ H D₃ with H the normalised
 *   Walsh–Hadamard matrix (n = d_padded = next power of two >= max(d, D)), Dᵢ diagonal Rademacher
 *   ±1, x zero-padded to n, first D rows kept; applied in O(n log n) with the fast transform.
 *   State dict: `diagonal_0..2` (n) and `bias` (D); trainable names `diagonals.0..2` are accepted.
 *   Small maps apply the same W as a materialised (d, D) matrix through the fused feature op
 *   (`sorfApply`), which is faster than ten separate ops at those sizes.
 *   The reference's "Hadamard" map multiplies by the all-ones matrix instead, a rank-1 map: loading
 *   its diagonals here gives the real SORF map, not the reference's numbers.
 * - Laplacian: the L1 Laplacian's spectral law (independent Cauchy coordinates) is not
 *   rotation-invariant, so orthogonalisation does not apply (the reference's QR of a Cauchy matrix
 *   keeps only directions and yields a Bessel kernel). This map therefore draws i.i.d. Cauchy
 *   frequencies (`isOrthogonal` is false) and refuses `useHadamard`.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` for bad sizes, sigma, kernelType, or laplacian with useHadamard.
 * @example
 * ```ts
 * const orf = new OrthogonalRandomFeatures({ inputDim: 64, numFeatures: 256, seed: 0 });
 * const sorf = new OrthogonalRandomFeatures({ inputDim: 64, numFeatures: 256, useHadamard: true, seed: 0 });
 * const K = sorf.kernelApproximation(x, y); // ≈ exp(−‖x − y‖²/2)
 * ```
 */
export class OrthogonalRandomFeatures extends KernelModule implements RandomFeatureMap {
  readonly inputDim: number;
  readonly numFeatures: number;
  readonly kernelType: 'gaussian' | 'laplacian';
  readonly sigma: number;
  readonly useHadamard: boolean;
  readonly trainable: boolean;
  readonly orthogonalNorms: OrthogonalNorms;
  readonly seed: number;
  /** Padded width n of the Hadamard path (next power of two >= max(d, D)); as the reference's `d_padded`. */
  readonly dPadded: number;
  /** Whether the SORF map runs as the transform or as its materialised matrix (see `sorfApply`). */
  readonly sorfApply: 'transform' | 'matrix';
  /** The materialised SORF matrix W (d, D), derived from the diagonals (not a parameter). */
  #sorfMatrix: Tensor | undefined;

  /** The options `toString()` prints. */
  protected override optionNames(): readonly string[] {
    return ORF_KEYS;
  }

  constructor(options: OrthogonalRandomFeaturesOptions) {
    super(checkOptions('OrthogonalRandomFeatures', options, ORF_KEYS, ['inputDim', 'numFeatures']));
    const sizes = checkMapSizes(options.inputDim, options.numFeatures);
    this.inputDim = sizes.inputDim;
    this.numFeatures = sizes.numFeatures;
    this.kernelType = choiceCheck(options.kernelType ?? 'gaussian', 'kernelType', ['gaussian', 'laplacian'] as const);
    this.sigma = checkSigma(options.sigma ?? 1, this.dtype);
    this.useHadamard = booleanCheck(options.useHadamard ?? false, 'useHadamard');
    this.trainable = booleanCheck(options.trainable ?? false, 'trainable');
    this.orthogonalNorms = choiceCheck(options.orthogonalNorms ?? 'chi', 'orthogonalNorms', ['chi', 'fixed'] as const);
    if (this.useHadamard && this.kernelType === 'laplacian') {
      throw new SpectransError(
        'ERR_INVALID_ARGUMENT',
        "useHadamard (SORF) approximates only the Gaussian kernel; use kernelType 'gaussian' or LaplacianRFFKernel",
      );
    }
    const rng = new RandomGenerator(checkSeed(options.seed));
    this.seed = rng.seed;
    const d = this.inputDim;
    const D = this.numFeatures;
    this.dPadded = nextPowerOfTwo(Math.max(d, D));
    if (this.useHadamard)
      checkLimit(
        'dPadded (next power of two >= max(inputDim, numFeatures))',
        this.dPadded,
        LIMITS.maxDimension,
        'maxDimension',
      );
    else if (this.kernelType === 'gaussian') checkOrthogonalWork(d, D);
    const apply = choiceCheck(options.sorfApply ?? 'auto', 'sorfApply', ['auto', 'transform', 'matrix'] as const);
    const n = this.dPadded;
    this.sorfApply = apply !== 'auto' ? apply : d * D <= 16 * n * Math.log2(Math.max(n, 2)) ? 'matrix' : 'transform';
    this.allocating(() => {
      if (this.useHadamard) {
        const signs = rng.fork(STREAM.diagonals);
        for (let i = 0; i < 3; i++)
          this.setParameter(this.diagonalName(i), signs.rademacher(this.dPadded), [this.dPadded], this.trainable);
      } else {
        const w =
          this.kernelType === 'gaussian'
            ? orthogonalGaussianFrequencies(rng.fork(STREAM.projection), d, D, this.sigma, this.orthogonalNorms)
            : cauchyFrequencies(rng.fork(STREAM.projection), d, D, this.sigma);
        this.setParameter('projection', w, [d, D], this.trainable);
      }
      this.setParameter('bias', uniformPhases(rng.fork(STREAM.phases), D), [D], this.trainable);
      this.refreshSorfMatrix();
    });
  }

  /**
   * Rebuilds the materialised SORF matrix from the current diagonals (matrix mode only). Row j of W
   * is the transform path applied to e_j, so W is that path applied to the identity, run on the
   * backend: the same chain in one place, no read-back, and each entry rounded as the transform
   * path rounds it (the partial sums are integers, exact in float32 while n <= 4096).
   */
  private refreshSorfMatrix(): void {
    this.#sorfMatrix?.dispose();
    this.#sorfMatrix = undefined;
    if (!this.useHadamard || this.sorfApply !== 'matrix') return;
    const n = this.dPadded;
    const d = this.inputDim;
    const identity = allocate(this.dtype, d * n);
    for (let j = 0; j < d; j++) identity[j * n + j] = 1;
    this.#sorfMatrix = keep(
      untaped(() => tidy(() => this.sorfChain(upload(this.backend, identity, [d, n], this.dtype)))),
    );
  }

  protected override afterLoad(): void {
    this.refreshSorfMatrix();
  }

  override dispose(): void {
    this.#sorfMatrix?.dispose();
    this.#sorfMatrix = undefined;
    super.dispose();
  }

  /** False for the Laplacian, whose frequencies are i.i.d. (see remarks). */
  get isOrthogonal(): boolean {
    return this.kernelType === 'gaussian';
  }

  get kernelScale(): number {
    return this.sigma;
  }

  get featureDim(): number {
    return this.numFeatures;
  }

  /**
   * Features √(2/D)·cos(Wx + b) of x (..., d): (..., D).
   * @throws SpectransError `ERR_SHAPE_MISMATCH` when the last axis is not inputDim.
   */
  forward(x: Tensor): Tensor {
    this.assertLive();
    checkPoints(x, 'x', {
      dtype: this.dtype,
      owner: 'OrthogonalRandomFeatures.forward',
      inputDim: this.inputDim,
      minRank: 1,
    });
    const scale = Math.sqrt(2 / this.numFeatures);
    if (!this.useHadamard) return rffFeatures(x, this.param('projection'), this.param('bias'), scale);
    // The materialised matrix is a constant to the tape: differentiate through the transforms instead.
    if (this.#sorfMatrix && !(this.trainable && isRecording()))
      return rffFeatures(x, this.#sorfMatrix, this.param('bias'), scale);
    return tidy(() => mul(cos(add(this.sorfProject(x), this.param('bias'))), scale));
  }

  kernelApproximation(x: Tensor, y: Tensor): Tensor {
    this.assertLive();
    return approximateKernel(this, x, y, 'OrthogonalRandomFeatures.kernelApproximation');
  }

  /** W x for the SORF map: (√n/σ)·H D₁ H D₂ H D₃ x with normalised H, first D coordinates. */
  private sorfProject(x: Tensor): Tensor {
    const n = this.dPadded;
    const d = this.inputDim;
    const lead = x.shape.slice(0, -1);
    const rows = reshape(x, [-1, d]);
    const z = d === n ? rows : concat([rows, zeros([rows.shape[0]!, n - d], this.dtype, { backend: this.backend })], 1);
    return reshape(this.sorfChain(z), [...lead, this.numFeatures]);
  }

  /** The SORF chain on rows z (m, n), zero-padded inputs: (m, D). */
  private sorfChain(z: Tensor): Tensor {
    for (const i of [2, 1, 0]) z = fwht(mul(z, this.param(this.diagonalName(i))));
    // Three unnormalised transforms carry n^{3/2}; with √n/σ the total factor is 1/(σ n).
    return mul(slice(z, [0, 0], [-1, this.numFeatures]), 1 / (this.sigma * this.dPadded));
  }

  private diagonalName(i: number): string {
    return this.trainable ? `diagonals.${i}` : `diagonal_${i}`;
  }

  protected override stateDictAliases(): Record<string, string> {
    const aliases: Record<string, string> = {};
    for (let i = 0; i < 3; i++) aliases[this.trainable ? `diagonal_${i}` : `diagonals.${i}`] = this.diagonalName(i);
    return aliases;
  }
}
