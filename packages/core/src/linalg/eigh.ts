import { SpectransError } from '../errors.js';
import { checkDim, checkMatrix } from './checks.js';
import { canonicalColumnSign, safeScaleExponent, scalePow2, transpose } from './dense.js';

/** Result of {@link eigh}: `a = vectors · diag(values) · vectorsᵀ`. */
export interface EighResult {
  /** The n eigenvalues, ascending. */
  readonly values: Float64Array;
  /** n x n orthogonal matrix (row-major) whose column j is the eigenvector of `values[j]`. */
  readonly vectors: Float64Array;
}

/** QL iterations allowed per eigenvalue before giving up (EISPACK allows 30). */
const MAX_ITERATIONS_PER_VALUE = 60;
const EPS = 2 ** -52;

/**
 * Eigendecomposition of a real symmetric matrix.
 *
 * @param a - the n x n matrix, row-major; it is symmetrised as `(a + aᵀ) / 2` first. Not modified.
 * @param n - the order, a positive integer.
 * @returns `{ values, vectors }`: eigenvalues ascending, eigenvectors as the columns of an
 *   orthogonal matrix; each eigenvector's largest-magnitude component (the first on ties) is
 *   positive.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` if `n` is not a positive integer, `a` is not a
 *   `Float64Array` or has a non-finite entry; `ERR_INVALID_SHAPE` if `a.length !== n * n`;
 *   `ERR_NOT_CONVERGED` if the QL iteration fails to converge.
 *
 * @remarks
 * Householder tridiagonalisation followed by the implicit QL algorithm with Wilkinson-type shifts:
 * the Algol procedures `tred2` and `tql2` of Bowdler, Martin, Reinsch & Wilkinson (Handbook for
 * Automatic Computation, Vol. II, Linear Algebra, 1971), as carried by EISPACK and the public-domain
 * JAMA library. Backward stable: the residual `‖a V - V Λ‖` is of order `ε ‖a‖`.
 */
export function eigh(a: Float64Array, n: number): EighResult {
  checkDim('eigh', 'n', n);
  checkMatrix('eigh', 'a', a, n, n);
  // V starts as the symmetrised matrix.
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) v[i * n + j] = 0.5 * (a[i * n + j] as number) + 0.5 * (a[j * n + i] as number);
  }
  // Extreme magnitudes are rescaled by a power of two (exact) so that sums of squares stay finite.
  const scale = safeScaleExponent(v);
  scalePow2(v, -scale);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tred2(v, d, e, n);
  // tql2 rotates pairs of columns of V: work on Vᵀ so that they are contiguous rows.
  const z = transpose(v, n, n);
  tql2(z, d, e, n);

  // Sort ascending (ties keep their QL order); rows of z follow.
  const order = Array.from({ length: n }, (_, i) => i).sort((p, q) => (d[p] as number) - (d[q] as number) || p - q);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    const src = order[c] as number;
    values[c] = d[src] as number;
    for (let i = 0; i < n; i++) vectors[i * n + c] = z[src * n + i] as number;
  }
  scalePow2(values, scale);
  for (let c = 0; c < n; c++) canonicalColumnSign(vectors, n, n, c);
  return { values, vectors };
}

/**
 * Householder reduction of the symmetric matrix in `v` (row-major, n x n) to tridiagonal form:
 * on return `d` is the diagonal, `e[1..n-1]` the subdiagonal and `v` the accumulated orthogonal
 * transformation. EISPACK `tred2`.
 */
function tred2(v: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  const V = (i: number, j: number): number => v[i * n + j] as number;
  for (let j = 0; j < n; j++) d[j] = V(n - 1, j);

  for (let i = n - 1; i > 0; i--) {
    // Scale to avoid under/overflow.
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k] as number);
    if (scale === 0) {
      e[i] = d[i - 1] as number;
      for (let j = 0; j < i; j++) {
        d[j] = V(i - 1, j);
        v[i * n + j] = 0;
        v[j * n + i] = 0;
      }
    } else {
      // Generate the Householder vector.
      for (let k = 0; k < i; k++) {
        const dk = (d[k] as number) / scale;
        d[k] = dk;
        h += dk * dk;
      }
      let f = d[i - 1] as number;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;

      // Apply the similarity transformation to the remaining columns.
      for (let j = 0; j < i; j++) {
        f = d[j] as number;
        v[j * n + i] = f;
        g = (e[j] as number) + V(j, j) * f;
        for (let k = j + 1; k <= i - 1; k++) {
          const vkj = V(k, j);
          g += vkj * (d[k] as number);
          e[k] = (e[k] as number) + vkj * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        const ej = (e[j] as number) / h;
        e[j] = ej;
        f += ej * (d[j] as number);
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = (e[j] as number) - hh * (d[j] as number);
      for (let j = 0; j < i; j++) {
        f = d[j] as number;
        g = e[j] as number;
        for (let k = j; k <= i - 1; k++) {
          v[k * n + j] = V(k, j) - (f * (e[k] as number) + g * (d[k] as number));
        }
        d[j] = V(i - 1, j);
        v[i * n + j] = 0;
      }
    }
    d[i] = h;
  }

  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    v[(n - 1) * n + i] = V(i, i);
    v[i * n + i] = 1;
    const h = d[i + 1] as number;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V(k, i + 1) / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V(k, i + 1) * V(k, j);
        for (let k = 0; k <= i; k++) v[k * n + j] = V(k, j) - g * (d[k] as number);
      }
    }
    for (let k = 0; k <= i; k++) v[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V(n - 1, j);
    v[(n - 1) * n + j] = 0;
  }
  v[(n - 1) * n + (n - 1)] = 1;
  e[0] = 0;
}

/**
 * Implicit QL iteration on the tridiagonal (`d`, `e[1..n-1]`), accumulating the rotations into the
 * rows of `z` (= Vᵀ, row-major n x n). On return `d` holds the (unsorted) eigenvalues and row `j`
 * of `z` the eigenvector of `d[j]`. EISPACK `tql2`.
 */
function tql2(z: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i] as number;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  for (let l = 0; l < n; l++) {
    // Find a small subdiagonal element.
    tst1 = Math.max(tst1, Math.abs(d[l] as number) + Math.abs(e[l] as number));
    let m = l;
    while (m < n - 1) {
      if (Math.abs(e[m] as number) <= EPS * tst1) break;
      m++;
    }
    // If m === l, d[l] is an eigenvalue; otherwise iterate.
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > MAX_ITERATIONS_PER_VALUE) {
          throw new SpectransError(
            'ERR_NOT_CONVERGED',
            `eigh: the QL iteration did not converge for eigenvalue ${l} of ${n} after ${MAX_ITERATIONS_PER_VALUE} iterations`,
          );
        }
        // Implicit shift.
        let g = d[l] as number;
        let p = ((d[l + 1] as number) - g) / (2 * (e[l] as number));
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        const el = e[l] as number;
        d[l] = el / (p + r);
        d[l + 1] = el * (p + r);
        const dl1 = d[l + 1] as number;
        let h = g - (d[l] as number);
        for (let i = l + 2; i < n; i++) d[i] = (d[i] as number) - h;
        f += h;

        // Implicit QL transformation.
        p = d[m] as number;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1] as number;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          const ei = e[i] as number;
          g = c * ei;
          h = c * p;
          r = Math.hypot(p, ei);
          e[i + 1] = s * r;
          s = ei / r;
          c = p / r;
          const di = d[i] as number;
          p = c * di - s * g;
          d[i + 1] = h + s * (c * g + s * di);
          // Accumulate the rotation into rows i and i+1 of z.
          const ri = i * n;
          const ri1 = ri + n;
          for (let k = 0; k < n; k++) {
            const zi1 = z[ri1 + k] as number;
            const zi = z[ri + k] as number;
            z[ri1 + k] = s * zi + c * zi1;
            z[ri + k] = c * zi - s * zi1;
          }
        }
        p = (-s * s2 * c3 * el1 * (e[l] as number)) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l] as number) > EPS * tst1);
    }
    d[l] = (d[l] as number) + f;
    e[l] = 0;
  }
}
