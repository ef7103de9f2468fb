import { SpectransError } from '../errors.js';
import { RandomGenerator } from '../random/generator.js';
import { checkDim, checkMatrix } from './checks.js';
import { matmul, matmulTN, safeScaleExponent, scalePow2 } from './dense.js';
import { householderQr } from './qr.js';
import { svdUnchecked, type SvdResult } from './svd.js';

/** Options of {@link randomizedSvd}. */
export interface RandomizedSvdOptions {
  /** Extra random directions beyond `rank` (a non-negative integer); default 10. */
  readonly oversample?: number;
  /** Power (subspace) iterations (a non-negative integer); default 2. */
  readonly powerIterations?: number;
  /**
   * Source of the Gaussian test matrix; it is advanced by one `normal` call. Default: a fresh
   * `new RandomGenerator()` (read its seed back only by passing your own).
   */
  readonly rng?: RandomGenerator;
}

function checkCountOption(name: string, v: unknown): asserts v is number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `randomizedSvd: \`${name}\` must be a non-negative integer, got ${String(v)}`,
    );
  }
}

/**
 * Approximate truncated SVD by randomised range finding.
 *
 * @param a - the m x n matrix, row-major; not modified.
 * @param m - the number of rows, a positive integer.
 * @param n - the number of columns, a positive integer.
 * @param rank - how many singular triplets to return, an integer in [1, min(m, n)].
 * @param options - `oversample` (default 10), `powerIterations` (default 2), `rng`.
 * @returns `{ u, s, v }` as {@link svd} returns them, truncated to `rank` columns: `u` m x rank,
 *   `s` rank values descending, `v` n x rank.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` if `m`, `n` or `rank` is out of range, an option is
 *   not a non-negative integer, `rng` is not a `RandomGenerator`, or `a` is not a `Float64Array` or
 *   has a non-finite entry; `ERR_INVALID_SHAPE` if `a.length !== m * n`; `ERR_NOT_CONVERGED` from
 *   the inner SVD.
 *
 * @remarks
 * Halko, Martinsson & Tropp, "Finding structure with randomness", SIAM Review 53(2), 2011:
 * `l = min(rank + oversample, m, n)` Gaussian test vectors `Ω` (n x l), `Q = orth(A Ω)` (Alg. 4.1),
 * then `powerIterations` rounds of `Q = orth(A orth(Aᵀ Q))` with Householder re-orthonormalisation at
 * every step (Alg. 4.4, randomised subspace iteration); then the SVD of the small `B = Qᵀ A`
 * (l x n), `U = Q U_B` (Alg. 5.1). All `l` columns are kept until the final truncation to `rank`.
 * For an exactly rank-`r` matrix with `rank >= r` the result is exact to rounding error; otherwise
 * the error decays like `(σ_{rank+1} / σ_rank)^(2 powerIterations + 1)`.
 */
export function randomizedSvd(
  a: Float64Array,
  m: number,
  n: number,
  rank: number,
  options: RandomizedSvdOptions = {},
): SvdResult {
  checkDim('randomizedSvd', 'm', m);
  checkDim('randomizedSvd', 'n', n);
  checkDim('randomizedSvd', 'rank', rank);
  const kMax = Math.min(m, n);
  if (rank > kMax) {
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `randomizedSvd: \`rank\` must be at most min(m, n) = ${kMax}, got ${rank}`,
    );
  }
  const { oversample = 10, powerIterations = 2 } = options;
  checkCountOption('oversample', oversample);
  checkCountOption('powerIterations', powerIterations);
  const rng = options.rng ?? new RandomGenerator();
  if (!(rng instanceof RandomGenerator)) {
    throw new SpectransError('ERR_INVALID_ARGUMENT', 'randomizedSvd: `rng` must be a RandomGenerator');
  }
  checkMatrix('randomizedSvd', 'a', a, m, n);

  const scale = safeScaleExponent(a);
  if (scale !== 0) a = scalePow2(Float64Array.from(a), -scale); // exact; undone on s below
  const l = Math.min(rank + oversample, kMax);
  const omega = rng.normal(n * l); // n x l
  let q = householderQr(matmul(a, omega, m, n, l), m, l).q; // m x l
  for (let it = 0; it < powerIterations; it++) {
    const z = householderQr(matmulTN(a, q, m, n, l), n, l).q; // n x l
    q = householderQr(matmul(a, z, m, n, l), m, l).q; // m x l
  }
  const b = matmulTN(q, a, m, l, n); // l x n
  const small = svdUnchecked(b, l, n); // u: l x l, s: l, v: n x l
  const uFull = matmul(q, small.u, m, l, l); // m x l

  const u = new Float64Array(m * rank);
  const v = new Float64Array(n * rank);
  for (let i = 0; i < m; i++) for (let c = 0; c < rank; c++) u[i * rank + c] = uFull[i * l + c] as number;
  for (let i = 0; i < n; i++) for (let c = 0; c < rank; c++) v[i * rank + c] = small.v[i * l + c] as number;
  return { u, s: scalePow2(small.s.slice(0, rank), scale), v };
}
