import { SpectransError } from '../errors.js';
import { checkDim } from './checks.js';

/**
 * In-place fast Walsh–Hadamard transform of `count` consecutive rows of length `n`.
 *
 * @param x - the data, `count * n` values (row-major); overwritten with the transform.
 * @param n - the row length, a power of two.
 * @param count - how many rows, a non-negative integer; default 1.
 * @returns `x`, for chaining.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` if `x` is not a `Float64Array`, `n` is not a
 *   positive power of two, or `count` is not a non-negative integer; `ERR_INVALID_SHAPE` if
 *   `x.length !== count * n`.
 *
 * @remarks
 * Unnormalised butterflies `(a, b) -> (a + b, a - b)`, log2(n) stages, O(n log n) per row: each row
 * is multiplied by the Sylvester–Hadamard matrix `H_n` (natural, "Hadamard" order,
 * `H_n[i][j] = (-1)^popcount(i & j)`), so applying it twice multiplies by `n`. See Fino & Algazi,
 * "Unified matrix treatment of the fast Walsh–Hadamard transform", IEEE Trans. Computers C-25, 1976.
 */
export function fwht(x: Float64Array, n: number, count = 1): Float64Array {
  if (!(x instanceof Float64Array)) {
    throw new SpectransError('ERR_INVALID_ARGUMENT', 'fwht: `x` must be a Float64Array');
  }
  checkDim('fwht', 'n', n);
  let pow = 1;
  while (pow < n) pow *= 2;
  if (pow !== n) {
    throw new SpectransError('ERR_INVALID_ARGUMENT', `fwht: \`n\` must be a power of two, got ${n}`);
  }
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `fwht: \`count\` must be a non-negative integer, got ${String(count)}`,
    );
  }
  if (x.length !== count * n) {
    throw new SpectransError(
      'ERR_INVALID_SHAPE',
      `fwht: \`x\` has length ${x.length}, expected count x n = ${count} x ${n} = ${count * n}`,
    );
  }
  for (let row = 0; row < count; row++) {
    const base = row * n;
    for (let h = 1; h < n; h *= 2) {
      for (let i = base; i < base + n; i += 2 * h) {
        for (let j = i; j < i + h; j++) {
          const p = x[j] as number;
          const q = x[j + h] as number;
          x[j] = p + q;
          x[j + h] = p - q;
        }
      }
    }
  }
  return x;
}
