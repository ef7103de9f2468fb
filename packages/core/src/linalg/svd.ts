import { SpectransError } from '../errors.js';
import { checkDim, checkMatrix } from './checks.js';
import { canonicalColumnSign, norm2, safeScaleExponent, scalePow2, transpose } from './dense.js';
import { pivotedQr } from './qr.js';

/** Result of {@link svd}: `a = u · diag(s) · vᵀ`. */
export interface SvdResult {
  /** m x k, orthonormal columns (row-major), k = min(m, n) (or the truncation rank). */
  readonly u: Float64Array;
  /** The k singular values, descending and non-negative. */
  readonly s: Float64Array;
  /** n x k, orthonormal columns (row-major); each column's largest-magnitude entry is positive. */
  readonly v: Float64Array;
}

const EPS = 2 ** -52;
const MAX_SWEEPS = 60;
/** Below this a column norm is treated as exactly zero (normalising it would lose accuracy). */
const TINY = 2 ** -1000;

/**
 * Thin singular value decomposition `a = u diag(s) vᵀ`.
 *
 * @param a - the m x n matrix, row-major; not modified.
 * @param m - the number of rows, a positive integer.
 * @param n - the number of columns, a positive integer.
 * @returns `{ u, s, v }` with `u` m x k and `v` n x k having orthonormal columns, `s` the k = min(m,
 *   n) singular values in descending order; each column of `v` has its largest-magnitude entry (the
 *   first on ties) positive, and the matching column of `u` is signed accordingly. Columns of `u`
 *   for zero singular values complete an orthonormal set.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` if `m` or `n` is not a positive integer, `a` is not
 *   a `Float64Array` or has a non-finite entry; `ERR_INVALID_SHAPE` if `a.length !== m * n`;
 *   `ERR_NOT_CONVERGED` if the Jacobi sweeps fail to converge.
 *
 * @remarks
 * The preconditioned one-sided Jacobi SVD of Drmač & Veselić ("New fast and accurate Jacobi SVD
 * algorithm I/II", SIAM J. Matrix Anal. Appl. 29, 2008; LAPACK `dgejsv`/`dgesvj`): a wide matrix is
 * handled through its transpose; the tall `a` is factored `a P = Q R` by Householder QR with column
 * pivoting, then cyclic one-sided (Hestenes) Jacobi rotations orthogonalise the columns of `Rᵀ`
 * until every pair's cosine is below `sqrt(k) ε` (the `dgesvj` stopping rule). The singular values
 * are the final column norms, which gives small singular values high relative accuracy (Demmel &
 * Veselić, SIAM J. Matrix Anal. Appl. 13, 1992). Finally one Newton–Schulz step
 * `X <- X (3I - XᵀX) / 2` (Higham, Functions of Matrices, 2008, Sec. 8.3) removes the rounding
 * drift from the orthogonality of both singular-vector factors. Input of extreme magnitude is
 * rescaled by a power of two first, so sums of squares neither overflow nor underflow.
 */
export function svd(a: Float64Array, m: number, n: number): SvdResult {
  checkDim('svd', 'm', m);
  checkDim('svd', 'n', n);
  checkMatrix('svd', 'a', a, m, n);
  return svdUnchecked(a, m, n);
}

/** {@link svd} without argument checks. @internal */
export function svdUnchecked(a: Float64Array, m: number, n: number): SvdResult {
  const k = Math.min(m, n);
  const e = safeScaleExponent(a);
  if (e !== 0) {
    const r = svdUnchecked(scalePow2(Float64Array.from(a), -e), m, n);
    return { u: r.u, s: scalePow2(r.s, e), v: r.v };
  }
  let u: Float64Array;
  let v: Float64Array;
  let s: Float64Array;
  if (m >= n) {
    ({ u, s, v } = svdTall(a, m, n));
  } else {
    // aᵀ = U S Vᵀ  =>  a = V S Uᵀ.
    const t = svdTall(transpose(a, m, n), n, m);
    u = t.v;
    v = t.u;
    s = t.s;
  }
  for (let c = 0; c < k; c++) canonicalColumnSign(v, n, k, c, { data: u, rows: m, cols: k });
  return { u, s, v };
}

/** Thin SVD of a p x q matrix with p >= q: u p x q, s q, v q x q (row-major). */
function svdTall(b: Float64Array, p: number, q: number): SvdResult {
  // b P = Q R (column pivoting), then one-sided Jacobi on X = Rᵀ: X V = Ux Σ, so
  // b = (Q V) Σ (P Ux)ᵀ. Columns of X are the rows of R, already contiguous.
  const { q: basis, r: w, perm } = pivotedQr(b, p, q);
  const vt = new Float64Array(q * q); // vt[c * q + i] = V[i, c]
  for (let c = 0; c < q; c++) vt[c * q + c] = 1;
  hestenesJacobi(w, q, q, vt);

  const norms = new Float64Array(q);
  for (let c = 0; c < q; c++) {
    const s = norm2(w, c * q, 1, q);
    norms[c] = s < TINY ? 0 : s;
  }
  const order = Array.from({ length: q }, (_, i) => i).sort(
    (x, y) => (norms[y] as number) - (norms[x] as number) || x - y,
  );

  const s = new Float64Array(q);
  const ux = new Float64Array(q * q); // sorted, normalised columns of X's left factor
  const vc = new Float64Array(q * q); // sorted columns of V, contiguous
  const zero: number[] = [];
  for (let c = 0; c < q; c++) {
    const src = order[c] as number;
    const sv = norms[src] as number;
    s[c] = sv;
    for (let i = 0; i < q; i++) vc[c * q + i] = vt[src * q + i] as number;
    if (sv === 0) {
      zero.push(c);
      continue;
    }
    for (let i = 0; i < q; i++) ux[c * q + i] = (w[src * q + i] as number) / sv;
  }
  completeOrthonormal(ux, q, q, zero);
  // Both factors are orthogonal to O(sqrt(q) ε) per pair; one Newton–Schulz step each squares that.
  newtonSchulzStep(vc, q);
  newtonSchulzStep(ux, q);

  const v = new Float64Array(q * q);
  for (let c = 0; c < q; c++) for (let i = 0; i < q; i++) v[(perm[i] as number) * q + c] = ux[c * q + i] as number;
  const u = new Float64Array(p * q);
  for (let i = 0; i < p; i++) {
    for (let t = 0; t < q; t++) {
      const bit = basis[i * q + t] as number;
      if (bit === 0) continue;
      for (let c = 0; c < q; c++) u[i * q + c] = (u[i * q + c] as number) + bit * (vc[c * q + t] as number);
    }
  }
  return { u, s, v };
}

/**
 * One Newton–Schulz step towards the orthogonal polar factor, `X <- X (3I - XᵀX) / 2`, for the q x q
 * matrix whose columns are stored contiguously in `x`. Squares the orthogonality error of a matrix
 * that is orthogonal up to rounding (Higham, Functions of Matrices, 2008, Sec. 8.3).
 */
function newtonSchulzStep(x: Float64Array, q: number): void {
  // g = XᵀX (symmetric), from contiguous columns.
  const g = new Float64Array(q * q);
  for (let i = 0; i < q; i++) {
    for (let j = i; j < q; j++) {
      let dot = 0;
      for (let t = 0; t < q; t++) dot += (x[i * q + t] as number) * (x[j * q + t] as number);
      g[i * q + j] = dot;
      g[j * q + i] = dot;
    }
  }
  // column c of X' = 1.5 x_c - 0.5 Σ_j x_j g[j][c]
  const out = new Float64Array(q * q);
  for (let c = 0; c < q; c++) {
    const oc = c * q;
    for (let j = 0; j < q; j++) {
      const coef = (j === c ? 1.5 : 0) - 0.5 * (g[j * q + c] as number);
      if (coef === 0) continue;
      const oj = j * q;
      for (let t = 0; t < q; t++) out[oc + t] = (out[oc + t] as number) + coef * (x[oj + t] as number);
    }
  }
  x.set(out);
}

/**
 * Cyclic one-sided Jacobi on the `q` columns (each of length `rows`, stored contiguously) of `w`,
 * accumulating the rotations into the columns of `vt` (also contiguous, length q).
 */
function hestenesJacobi(w: Float64Array, rows: number, q: number, vt: Float64Array): void {
  const tol = Math.sqrt(rows) * EPS;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let i = 0; i < q - 1; i++) {
      const oi = i * rows;
      for (let j = i + 1; j < q; j++) {
        const oj = j * rows;
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let t = 0; t < rows; t++) {
          const x = w[oi + t] as number;
          const y = w[oj + t] as number;
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || !(Math.abs(gamma) > tol * Math.sqrt(alpha) * Math.sqrt(beta))) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const az = Math.abs(zeta);
        // Smaller root of t^2 + 2 zeta t - 1 = 0 (sqrt(1 + zeta^2) ~ |zeta| once zeta^2 would overflow).
        const tAbs = 1 / (az + (az > 1e150 ? az : Math.sqrt(1 + az * az)));
        const tn = zeta >= 0 ? tAbs : -tAbs;
        const c = 1 / Math.sqrt(1 + tn * tn);
        const s = c * tn;
        for (let t = 0; t < rows; t++) {
          const x = w[oi + t] as number;
          const y = w[oj + t] as number;
          w[oi + t] = c * x - s * y;
          w[oj + t] = s * x + c * y;
        }
        const vi = i * q;
        const vj = j * q;
        for (let t = 0; t < q; t++) {
          const x = vt[vi + t] as number;
          const y = vt[vj + t] as number;
          vt[vi + t] = c * x - s * y;
          vt[vj + t] = s * x + c * y;
        }
      }
    }
    if (!rotated) return;
  }
  throw new SpectransError('ERR_NOT_CONVERGED', `svd: one-sided Jacobi did not converge in ${MAX_SWEEPS} sweeps`);
}

/**
 * Fills the columns listed in `missing` of `cols` (q contiguous columns of length `rows`) with unit
 * vectors orthogonal to all other columns: Gram–Schmidt, applied twice, on the coordinate vectors.
 */
function completeOrthonormal(cols: Float64Array, rows: number, q: number, missing: readonly number[]): void {
  if (missing.length === 0) return;
  const filled = new Set<number>();
  for (let c = 0; c < q; c++) if (!missing.includes(c)) filled.add(c);
  const cand = new Float64Array(rows);
  let e = 0;
  for (const c of missing) {
    for (; e < rows; e++) {
      cand.fill(0);
      cand[e] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (const f of filled) {
          const off = f * rows;
          let dot = 0;
          for (let t = 0; t < rows; t++) dot += (cols[off + t] as number) * (cand[t] as number);
          for (let t = 0; t < rows; t++) cand[t] = (cand[t] as number) - dot * (cols[off + t] as number);
        }
      }
      const nrm = norm2(cand, 0, 1, rows);
      // The best of the coordinate vectors keeps a component >= 1/sqrt(rows) off the span.
      if (nrm > 0.5 / Math.sqrt(rows)) {
        for (let t = 0; t < rows; t++) cols[c * rows + t] = (cand[t] as number) / nrm;
        filled.add(c);
        e++;
        break;
      }
    }
    if (!filled.has(c)) {
      throw new SpectransError('ERR_NOT_CONVERGED', 'svd: could not complete the orthonormal basis of u');
    }
  }
}
