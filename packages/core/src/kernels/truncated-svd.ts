/** TruncatedSVDKernel: the best rank-r approximation of x yᵀ. */
import { mul } from '../ops/elementwise.js';
import { qr } from '../ops/qr.js';
import { svd } from '../ops/svd.js';
import { reshape, slice } from '../ops/layout.js';
import { matmul } from '../ops/linear.js';
import { RandomGenerator } from '../random/generator.js';
import { randomizedSvd } from '../linalg/randomized-svd.js';
import { upload } from '../ops/dispatch.js';
import { taped } from '../autodiff/tape.js';
import { tidy } from '../scope.js';
import type { Tensor } from '../tensor.js';
import { booleanCheck, scalarCheck } from '../validate.js';
import { checkPoints, checkSameDim, COMPUTE_WITHOUT_Y } from './inputs.js';
import { normalizeRows } from './norms.js';
import { checkOptions } from '../options.js';
import { checkLimit, LIMITS } from '../limits.js';
import { checkSeed } from './random-feature-map.js';
import { SpectralKernel, type SpectralKernelOptions, SPECTRAL_KEYS } from './spectral-kernel.js';

/** Every option of {@link TruncatedSVDKernel}. */
const TRUNCATED_SVD_KEYS = [
  ...SPECTRAL_KEYS,
  'useRandomized',
  'oversample',
  'powerIterations',
  'seed',
] as const satisfies readonly (keyof TruncatedSVDKernelOptions)[];

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

  /** The options `toString()` prints. */
  protected override optionNames(): readonly string[] {
    return TRUNCATED_SVD_KEYS;
  }

  constructor(options: TruncatedSVDKernelOptions) {
    super(checkOptions('TruncatedSVDKernel', options, TRUNCATED_SVD_KEYS, ['rank']));
    this.useRandomized = booleanCheck(options.useRandomized ?? false, 'useRandomized');
    this.oversample = scalarCheck(options.oversample ?? 10, 'oversample', { integer: true, nonNegative: true });
    checkLimit('oversample', this.oversample, LIMITS.maxOversample, 'maxOversample');
    this.powerIterations = scalarCheck(options.powerIterations ?? 2, 'powerIterations', {
      integer: true,
      nonNegative: true,
    });
    checkLimit('powerIterations', this.powerIterations, LIMITS.maxPowerIterations, 'maxPowerIterations');
    this.#rng = new RandomGenerator(checkSeed(options.seed));
    this.seed = this.#rng.seed;
  }

  compute(x: Tensor, y: Tensor): Tensor {
    this.assertLive();
    const owner = 'TruncatedSVDKernel.compute';
    checkPoints(x, 'x', { dtype: this.dtype, owner });
    checkPoints(y, 'y', { dtype: this.dtype, owner, ifMissing: COMPUTE_WITHOUT_Y });
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
      const res = randomizedSvd(a, n, m, Math.min(this.rank, n, m), {
        oversample: this.oversample,
        powerIterations: this.powerIterations,
        rng: this.#rng,
      });
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
    return taped(
      'svd',
      [x, y],
      upload(M.backend, M.dtype === 'float64' ? out : Float32Array.from(out), M.shape, M.dtype),
    );
  }
}

function expandLast(s: Tensor): Tensor {
  return reshape(s, [...s.shape.slice(0, -1), 1, s.shape[s.rank - 1]!]);
}
