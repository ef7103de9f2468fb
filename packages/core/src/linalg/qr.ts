import { checkDim, checkMatrix } from './checks.js';
import { applyBlockReflector, panelReflectors, triangularFactor } from './block-reflector.js';
import { norm2 } from './dense.js';

/** Result of {@link qr}: `a = q r`. */
export interface QrResult {
  /** m x k, orthonormal columns (row-major), k = min(m, n). */
  readonly q: Float64Array;
  /** k x n, upper triangular with a non-negative diagonal (row-major). */
  readonly r: Float64Array;
}

/**
 * Reduced QR decomposition `a = q r` by Householder reflections.
 *
 * @param a - the m x n matrix, row-major; not modified.
 * @param m - the number of rows, a positive integer.
 * @param n - the number of columns, a positive integer.
 * @returns `{ q, r }` with `q` m x k (orthonormal columns) and `r` k x n (upper triangular),
 *   k = min(m, n), and `diag(r) >= 0`.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` if `m` or `n` is not a positive integer, `a` is not
 *   a `Float64Array` or has a non-finite entry; `ERR_INVALID_SHAPE` if `a.length !== m * n`.
 *
 * @remarks
 * Householder QR as in Golub & Van Loan, Matrix Computations (4th ed.), Alg. 5.2.1, with LAPACK's
 * `dlarfg` reflector convention and `q` accumulated backwards (`dorg2r`); backward stable, so `q`
 * is orthonormal to working precision whatever the conditioning of `a`. Rows of `r` whose diagonal
 * came out negative are negated together with the matching columns of `q`, making the
 * factorisation canonical for full-rank `a`; for a Gaussian `a`, `q` is then Haar-distributed
 * (Mezzadri, "How to generate random matrices from the classical compact groups", Notices AMS
 * 54, 2007).
 */
export function qr(a: Float64Array, m: number, n: number): QrResult {
  checkDim('qr', 'm', m);
  checkDim('qr', 'n', n);
  checkMatrix('qr', 'a', a, m, n);
  return householderQr(a, m, n);
}

/** {@link qr} without argument checks. @internal */
export function householderQr(a: Float64Array, m: number, n: number): QrResult {
  return factor(a, m, n, false);
}

/**
 * Householder QR with column pivoting, `a P = q r` (Businger & Golub, Numer. Math. 7, 1965): at step
 * j the remaining column of largest norm is moved to position j, so `|r[j][j]|` is non-increasing.
 * `perm[j]` is the column of `a` that became column j. No argument checks, no sign normalisation
 * beyond {@link qr}'s. @internal
 */
export function pivotedQr(a: Float64Array, m: number, n: number): QrResult & { perm: Int32Array } {
  return factor(a, m, n, true) as QrResult & { perm: Int32Array };
}

/** Panel width of the blocked path; below `2 * PANEL` columns the unblocked loop is as fast. */
const PANEL = 32;

function factor(a: Float64Array, m: number, n: number, pivot: boolean): QrResult & { perm?: Int32Array } {
  const k = Math.min(m, n);
  const w = Float64Array.from(a); // reflectors below the diagonal, R on and above
  const tau = new Float64Array(k);
  const acc = new Float64Array(n);
  const perm = new Int32Array(n);
  for (let c = 0; c < n; c++) perm[c] = c;
  // Pivoting picks each column from norms updated by every reflector, so it stays unblocked.
  const blocked = !pivot && k >= 2 * PANEL;

  // The blocked path keeps each panel's V and T: R's trailing update and Q's accumulation both use them.
  const panels: { j0: number; jb: number; v: Float64Array; t: Float64Array }[] = [];
  if (blocked) {
    for (let j0 = 0; j0 < k; j0 += PANEL) {
      const jb = Math.min(PANEL, k - j0);
      for (let j = j0; j < j0 + jb; j++) reflectColumn(w, m, n, j, j0 + jb, tau, acc);
      const v = panelReflectors(w, n, m, j0, jb);
      const t = triangularFactor(v, m - j0, jb, tau, j0);
      panels.push({ j0, jb, v, t });
      // R's trailing columns ← (H_{j0} … H_{j0+jb−1})ᵀ · them = (I − V Tᵀ Vᵀ) · them.
      applyBlockReflector(w, n, j0, j0 + jb, n, v, m - j0, jb, t, true);
    }
  } else {
    for (let j = 0; j < k; j++) {
      if (pivot) pivotColumn(w, m, n, j, perm);
      reflectColumn(w, m, n, j, n, tau, acc);
    }
  }

  // q = H_0 ... H_{k-1} [I_k; 0], accumulated backwards (columns < j stay untouched at step j).
  const q = new Float64Array(m * k);
  for (let i = 0; i < k; i++) q[i * k + i] = 1;
  if (blocked) {
    for (const { j0, jb, v, t } of panels.reverse()) applyBlockReflector(q, k, j0, j0, k, v, m - j0, jb, t, false);
  } else {
    const accQ = new Float64Array(k);
    for (let j = k - 1; j >= 0; j--) {
      const t = tau[j] as number;
      if (t === 0) continue;
      applyReflector(q, k, m, j, j, k, w, n, j, t, accQ);
    }
  }

  const r = new Float64Array(k * n);
  for (let i = 0; i < k; i++) {
    const negate = (w[i * n + i] as number) < 0;
    for (let c = i; c < n; c++) {
      const v = w[i * n + c] as number;
      r[i * n + c] = negate ? -v : v;
    }
    if (negate) for (let row = 0; row < m; row++) q[row * k + i] = -(q[row * k + i] as number);
  }
  return pivot ? { q, r, perm } : { q, r };
}

/** Moves the remaining column of largest norm to position `j` (recomputed norms: no downdating cancellation). */
function pivotColumn(w: Float64Array, m: number, n: number, j: number, perm: Int32Array): void {
  let best = j;
  let bestNorm = -1;
  for (let c = j; c < n; c++) {
    const nc = norm2(w, j * n + c, n, m - j);
    if (nc > bestNorm) {
      bestNorm = nc;
      best = c;
    }
  }
  if (best === j) return;
  for (let i = 0; i < m; i++) {
    const t = w[i * n + j] as number;
    w[i * n + j] = w[i * n + best] as number;
    w[i * n + best] = t;
  }
  const t = perm[j] as number;
  perm[j] = perm[best] as number;
  perm[best] = t;
}

/**
 * The reflector H_j that zeroes column `j` below the diagonal (stored there, `tau[j]` set), applied
 * to columns `j+1 … c1−1`.
 */
function reflectColumn(
  w: Float64Array,
  m: number,
  n: number,
  j: number,
  c1: number,
  tau: Float64Array,
  acc: Float64Array,
): void {
  const alpha = w[j * n + j] as number;
  const xnorm = m - j - 1 > 0 ? norm2(w, (j + 1) * n + j, n, m - j - 1) : 0;
  if (xnorm === 0) return; // H_j = I
  const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, xnorm);
  const t = (beta - alpha) / beta;
  tau[j] = t;
  const denom = alpha - beta; // |denom| = |alpha| + |beta| >= xnorm > 0: no cancellation
  for (let i = j + 1; i < m; i++) w[i * n + j] = (w[i * n + j] as number) / denom;
  w[j * n + j] = beta;
  // Apply H_j = I - t v vᵀ (v_j = 1) to the trailing columns, row by row.
  if (j + 1 < c1) applyReflector(w, n, m, j, j + 1, c1, w, n, j, t, acc);
}

/**
 * Applies `I - t v vᵀ` to rows `j..m-1`, columns `c0..c1-1` of `x` (row stride `xs`), where `v` is
 * column `vc` of `v` (row stride `vs`) below row `j`, with an implicit 1 at row `j`.
 */
function applyReflector(
  x: Float64Array,
  xs: number,
  m: number,
  j: number,
  c0: number,
  c1: number,
  v: Float64Array,
  vs: number,
  vc: number,
  t: number,
  acc: Float64Array,
): void {
  // acc = vᵀ X (over the affected columns), accumulated row-wise for contiguous access.
  for (let c = c0; c < c1; c++) acc[c] = x[j * xs + c] as number;
  for (let i = j + 1; i < m; i++) {
    const vi = v[i * vs + vc] as number;
    if (vi === 0) continue;
    const row = i * xs;
    for (let c = c0; c < c1; c++) acc[c] = (acc[c] as number) + vi * (x[row + c] as number);
  }
  for (let c = c0; c < c1; c++) acc[c] = t * (acc[c] as number);
  for (let c = c0; c < c1; c++) x[j * xs + c] = (x[j * xs + c] as number) - (acc[c] as number);
  for (let i = j + 1; i < m; i++) {
    const vi = v[i * vs + vc] as number;
    if (vi === 0) continue;
    const row = i * xs;
    for (let c = c0; c < c1; c++) x[row + c] = (x[row + c] as number) - vi * (acc[c] as number);
  }
}
