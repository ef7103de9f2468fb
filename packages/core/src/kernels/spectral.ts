/** Spectral kernels: low-rank kernels built from eigen- and singular-value decompositions. */
import { SpectransError } from '../errors.js';
import { add, div, exp, mul, sqrt, abs } from '../ops/elementwise.js';
import { eigh, qr, svd } from '../ops/decompositions.js';
import { concat, matrixTranspose, reshape, slice } from '../ops/layout.js';
import { matmul } from '../ops/linear.js';
import { max, mean, sum } from '../ops/reduce.js';
import { sub } from '../ops/elementwise.js';
import { RandomGenerator } from '../random/index.js';
import { qr as hostQr, randomizedSvd } from '../linalg/index.js';
import { upload } from '../ops/dispatch.js';
import { taped } from '../autodiff/tape.js';
import { tensor } from '../ops/creation.js';
import { keep, tidy } from '../scope.js';
import type { Tensor } from '../tensor.js';
import { booleanCheck, choiceCheck, scalarCheck } from '../validate.js';
import { checkDegree, polynomial } from './basic.js';
import { checkPoints, checkSameDim } from './inputs.js';
import { KernelFunction } from './kernel-function.js';
import { MODULE_OPTION_KEYS, type ModuleOptions } from './module.js';
import { normalizeRows, rowNorms } from './norms.js';
import { checkOptions } from '../options.js';
import { checkFiniteIn } from '../numeric-range.js';
import { checkLimit, LIMITS } from '../limits.js';
import { checkDimension, checkOrthogonalWork, checkSeed } from './random-feature-map.js';

/** Options shared by spectral kernels. */
export interface SpectralKernelOptions extends ModuleOptions {
  /** Number of spectral components kept, a positive integer. */
  rank: number;
  /** Normalise the output (each kernel documents how). Default true. */
  normalize?: boolean;
}

/** Options every spectral kernel with a `normalize` flag accepts. */
const SPECTRAL_KEYS = [...MODULE_OPTION_KEYS, 'rank', 'normalize'] as const satisfies readonly (keyof SpectralKernelOptions)[];

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
      const exchange = tensor(Float64Array.from({ length: r * r }, (_, k) => (Math.floor(k / r) + (k % r) === r - 1 ? 1 : 0)), [r, r], values.dtype, { backend: values.backend });
      const eigenvectors = matmul(slice(vectors, [...zeros, 0, n - r], [...lead, n, r]), exchange);
      let eigenvalues = reshape(matmul(reshape(slice(values, [...zeros, n - r], [...lead, r]), [...lead, 1, r]), exchange), [...lead, r]);
      if (this.normalize) eigenvalues = div(eigenvalues, add(sum(values, -1, true), 1e-8));
      return { eigenvectors, eigenvalues };
    });
  }
}

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

  constructor(options: PolynomialSpectralKernelOptions) {
    super(checkOptions('PolynomialSpectralKernel', options, [...SPECTRAL_KEYS, 'degree', 'coef0', 'alpha', 'normalization'], ['rank']));
    this.degree = checkDegree(options.degree ?? 2);
    this.coef0 = checkFiniteIn(scalarCheck(options.coef0 ?? 1, 'coef0', { finite: true }), 'coef0', this.dtype);
    this.alpha = checkFiniteIn(scalarCheck(options.alpha ?? 1, 'alpha', { finite: true }), 'alpha', this.dtype);
    this.normalization = choiceCheck(options.normalization ?? 'norms', 'normalization', ['norms', 'cosine'] as const);
  }

  compute(x: Tensor, y: Tensor): Tensor {
    this.assertLive();
    const owner = 'PolynomialSpectralKernel.compute';
    checkPoints(x, 'x', { dtype: this.dtype, owner });
    checkPoints(y, 'y', { dtype: this.dtype, owner });
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
      const basis = slice(vectors, [...vectors.shape.slice(0, -2).map(() => 0), 0, d - r], [...vectors.shape.slice(0, -2), d, r]);
      const scores = polynomial(matmul(matmul(qc, basis), matmul(kc, basis), { transposeB: true }), this.alpha, this.coef0, this.degree);
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

/** Options of {@link TruncatedSVDKernel}. */
export interface TruncatedSVDKernelOptions extends SpectralKernelOptions {
  /** Randomized range finder (Halko, Martinsson & Tropp 2011) instead of the exact SVD (default false). */
  useRandomized?: boolean;
  /** Oversampling columns of the randomized path (default 10). */
  oversample?: number;
  /** Power iterations of the randomized path (default 2). */
  powerIterations?: number;
  /** Seed of the randomized path's test matrices. */
  seed?: number;
}

/**
 * Best rank-r approximation of the linear kernel x yᵀ, rows normalised when `normalize`.
 *
 * @remarks x yᵀ has rank <= d, so instead of the reference's SVD of the n×m matrix this computes
 * thin QR factors x = Qx Rx, y = Qy Ry, the SVD of the small Rx Ryᵀ = U S Vᵀ, and
 * M_r = (Qx U_r) S_r (Qy V_r)ᵀ: the same truncation (Eckart–Young) in O((n + m)d² + nmr).
 * The randomized path follows Halko et al. (2011): keep all rank + oversample columns, power
 * iterations with re-orthonormalisation, truncate after the small SVD; it draws from the
 * instance's seeded generator (the reference truncates before projecting and uses the global RNG).
 * With `normalize`, each row is divided by its L2 norm + 1e-8, as in the reference (the result is
 * then not symmetric).
 * @throws SpectransError `ERR_INVALID_ARGUMENT` for rank < 1 or bad randomized options.
 * @example
 * ```ts
 * const k = new TruncatedSVDKernel({ rank: 8, normalize: false });
 * const M8 = k.compute(x, y); // best rank-8 approximation of x yᵀ
 * ```
 */
export class TruncatedSVDKernel extends SpectralKernel {
  readonly useRandomized: boolean;
  readonly oversample: number;
  readonly powerIterations: number;
  readonly seed: number;
  readonly #rng: RandomGenerator;

  constructor(options: TruncatedSVDKernelOptions) {
    super(checkOptions('TruncatedSVDKernel', options, [...SPECTRAL_KEYS, 'useRandomized', 'oversample', 'powerIterations', 'seed'], ['rank']));
    this.useRandomized = booleanCheck(options.useRandomized ?? false, 'useRandomized');
    this.oversample = scalarCheck(options.oversample ?? 10, 'oversample', { integer: true, nonNegative: true });
    checkLimit('oversample', this.oversample, LIMITS.maxOversample, 'maxOversample');
    this.powerIterations = scalarCheck(options.powerIterations ?? 2, 'powerIterations', { integer: true, nonNegative: true });
    checkLimit('powerIterations', this.powerIterations, LIMITS.maxPowerIterations, 'maxPowerIterations');
    this.#rng = new RandomGenerator(checkSeed(options.seed));
    this.seed = this.#rng.seed;
  }

  compute(x: Tensor, y: Tensor): Tensor {
    this.assertLive();
    const owner = 'TruncatedSVDKernel.compute';
    checkPoints(x, 'x', { dtype: this.dtype, owner });
    checkPoints(y, 'y', { dtype: this.dtype, owner });
    checkSameDim(x, y, owner);
    return tidy(() => {
      const approx = this.useRandomized ? this.randomizedApproximation(x, y) : this.exactApproximation(x, y);
      if (!this.normalize) return approx;
      return normalizeRows(approx, 1e-8, 'add');
    });
  }

  private exactApproximation(x: Tensor, y: Tensor): Tensor {
    const fx = qr(x);
    const fy = qr(y);
    const core = matmul(fx.r, fy.r, { transposeB: true });
    const { u, s, v } = svd(core);
    const k = s.shape[s.rank - 1]!;
    const r = Math.min(this.rank, k);
    const lead = (t: Tensor): number[] => t.shape.slice(0, -2).map(() => 0);
    const ur = slice(u, [...lead(u), 0, 0], [...u.shape.slice(0, -2), u.shape[u.rank - 2]!, r]);
    const vr = slice(v, [...lead(v), 0, 0], [...v.shape.slice(0, -2), v.shape[v.rank - 2]!, r]);
    const sr = slice(s, [...s.shape.slice(0, -1).map(() => 0), 0], [...s.shape.slice(0, -1), r]);
    const left = mul(matmul(fx.q, ur), expandLast(sr));
    return matmul(left, matmul(fy.q, vr), { transposeB: true });
  }

  /** Halko et al. on M = x yᵀ per batch matrix, on the host in float64 (M is formed once). */
  private randomizedApproximation(x: Tensor, y: Tensor): Tensor {
    const M = matmul(x, y, { transposeB: true });
    const n = M.shape[M.rank - 2]!;
    const m = M.shape[M.rank - 1]!;
    const data = M.dataSync();
    const out = new Float64Array(data.length);
    for (let b = 0; b < data.length / (n * m); b++) {
      const a = Float64Array.from(data.subarray(b * n * m, (b + 1) * n * m));
      const res = randomizedSvd(a, n, m, Math.min(this.rank, n, m), { oversample: this.oversample, powerIterations: this.powerIterations, rng: this.#rng });
      const k = res.s.length;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < m; j++) {
          let acc = 0;
          for (let c = 0; c < k; c++) acc += res.u[i * k + c]! * res.s[c]! * res.v[j * k + c]!;
          out[b * n * m + i * m + j] = acc;
        }
      }
    }
    // Computed on the host: a gradient reaching it raises ERR_NOT_DIFFERENTIABLE naming svd.
    return taped('svd', [x, y], upload(M.backend, M.dtype === 'float64' ? out : Float32Array.from(out), M.shape, M.dtype));
  }
}

function expandLast(s: Tensor): Tensor {
  return reshape(s, [...s.shape.slice(0, -1), 1, s.shape[s.rank - 1]!]);
}

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

  constructor(options: LearnableSpectralKernelOptions) {
    super(checkOptions('LearnableSpectralKernel', options, [...SPECTRAL_KEYS, 'inputDim', 'initScale', 'trainableEigenvectors', 'seed'], ['rank', 'inputDim']));
    this.inputDim = checkDimension(options.inputDim, 'inputDim');
    if (this.rank > this.inputDim) {
      throw new SpectransError('ERR_INVALID_ARGUMENT', `rank must be <= inputDim (${this.inputDim}), got ${this.rank}`);
    }
    checkLimit('inputDim·rank (the eigenvectors)', this.inputDim * this.rank, LIMITS.maxParameterElements, 'maxParameterElements');
    checkOrthogonalWork(this.inputDim, this.rank);
    this.initScale = checkFiniteIn(scalarCheck(options.initScale ?? 1, 'initScale', { finite: true }), 'initScale', this.dtype);
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
    checkPoints(x, 'x', { dtype: this.dtype, owner: 'LearnableSpectralKernel.extractFeatures', inputDim: this.inputDim, minRank: 1 });
    return this.features(x);
  }

  private features(x: Tensor): Tensor {
    return tidy(() => {
      const flat = mul(matmul(reshape(x, [-1, this.inputDim]), this.param('eigenvectors')), sqrt(add(abs(this.param('eigenvalues')), 1e-8)));
      return reshape(flat, [...x.shape.slice(0, -1), this.rank]);
    });
  }

  compute(x: Tensor, y: Tensor): Tensor {
    this.assertLive();
    const owner = 'LearnableSpectralKernel.compute';
    checkPoints(x, 'x', { dtype: this.dtype, owner, inputDim: this.inputDim });
    checkPoints(y, 'y', { dtype: this.dtype, owner, inputDim: this.inputDim });
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

/** Every option of {@link FourierKernel}: no `normalize` (see the class remarks). */
const FOURIER_KEYS = [...MODULE_OPTION_KEYS, 'rank', 'inputDim', 'learnableFilter', 'filterType', 'cutoffFreq'] as const;

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

  constructor(options: FourierKernelOptions) {
    // No `normalize` option, as in the reference: the kernel is always the normalised DFT form.
    super({ ...checkOptions('FourierKernel', options, FOURIER_KEYS, ['rank', 'inputDim']), normalize: true });
    this.inputDim = checkDimension(options.inputDim, 'inputDim');
    const maxRank = Math.floor(this.inputDim / 2) + 1;
    if (this.rank > maxRank) {
      throw new SpectransError('ERR_INVALID_ARGUMENT', `rank must be <= floor(inputDim/2) + 1 = ${maxRank} (rfft bins of a length-${this.inputDim} signal), got ${this.rank}`);
    }
    this.learnableFilter = booleanCheck(options.learnableFilter ?? true, 'learnableFilter');
    this.filterType = choiceCheck(options.filterType ?? 'gaussian', 'filterType', ['gaussian', 'butterworth', 'ideal'] as const);
    this.cutoffFreq = scalarCheck(options.cutoffFreq ?? 0.5, 'cutoffFreq', { finite: true, positive: true });
    checkLimit('inputDim·2·rank (the DFT basis)', this.inputDim * 2 * this.rank, LIMITS.maxParameterElements, 'maxParameterElements');
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
      this.#basis = keep(upload(this.backend, this.dtype === 'float64' ? basis : Float32Array.from(basis), [d, 2 * r], this.dtype));
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
    checkPoints(y, 'y', { dtype: this.dtype, owner, inputDim: this.inputDim });
    return tidy(() => matmul(this.forward(x), this.forward(y), { transposeB: true }));
  }

  override dispose(): void {
    this.#basis?.dispose();
    this.#basis = undefined;
    super.dispose();
  }
}

