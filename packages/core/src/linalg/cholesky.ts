import { checkDim, checkMatrix } from './checks.js';

/**
 * Cholesky factorisation `a = L Lᵀ` of a symmetric positive-definite matrix.
 *
 * @param a - the n x n matrix, row-major; only its lower triangle (diagonal included) is read.
 *   Not modified.
 * @param n - the order, a positive integer.
 * @returns the lower-triangular factor `L` (n x n, row-major, zeros above the diagonal, positive
 *   diagonal), or `null` if `a` is not numerically positive definite, i.e. a pivot comes out
 *   `<= 0` in floating point.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` if `n` is not a positive integer, `a` is not a
 *   `Float64Array` or has a non-finite entry; `ERR_INVALID_SHAPE` if `a.length !== n * n`.
 *
 * @remarks
 * The row-oriented Cholesky–Banachiewicz algorithm (Golub & Van Loan, Matrix Computations, 4th ed.,
 * Alg. 4.2.1), with LAPACK `dpotrf`'s failure test (a non-positive pivot). Backward stable for
 * positive-definite input (Higham, Accuracy and Stability of Numerical Algorithms, Thm. 10.3).
 */
export function cholesky(a: Float64Array, n: number): Float64Array | null {
  checkDim('cholesky', 'n', n);
  checkMatrix('cholesky', 'a', a, n, n);
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let sum = a[ri + j] as number;
      for (let k = 0; k < j; k++) sum -= (l[ri + k] as number) * (l[rj + k] as number);
      if (i === j) {
        if (!(sum > 0)) return null;
        l[ri + i] = Math.sqrt(sum);
      } else {
        l[ri + j] = sum / (l[rj + j] as number);
      }
    }
  }
  return l;
}
