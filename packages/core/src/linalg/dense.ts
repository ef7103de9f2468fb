/**
 * Small dense kernels (row-major float64) used by the host decompositions.
 *
 * @internal
 */

/** `C = A B` for `A` (m x k) and `B` (k x n); returns a new m x n array. */
export function matmul(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p] as number;
      if (aip === 0) continue;
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j] = (c[ci + j] as number) + aip * (b[bp + j] as number);
    }
  }
  return c;
}

/** `C = Aᵀ B` for `A` (k x m) and `B` (k x n); returns a new m x n array. */
export function matmulTN(a: Float64Array, b: Float64Array, k: number, m: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let p = 0; p < k; p++) {
    const ap = p * m;
    const bp = p * n;
    for (let i = 0; i < m; i++) {
      const api = a[ap + i] as number;
      if (api === 0) continue;
      const ci = i * n;
      for (let j = 0; j < n; j++) c[ci + j] = (c[ci + j] as number) + api * (b[bp + j] as number);
    }
  }
  return c;
}

/** Transpose of an m x n matrix (a new n x m array). */
export function transpose(a: Float64Array, m: number, n: number): Float64Array {
  const t = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) t[j * m + i] = a[i * n + j] as number;
  }
  return t;
}

/**
 * Euclidean norm of `count` entries of `x` starting at `start` with stride `stride`, scaled so that
 * it neither overflows nor underflows (the scale/sum-of-squares scheme of LAPACK's `dnrm2`).
 */
export function norm2(x: Float64Array, start: number, stride: number, count: number): number {
  let scale = 0;
  for (let i = 0, p = start; i < count; i++, p += stride) {
    const v = Math.abs(x[p] as number);
    if (v > scale) scale = v;
  }
  if (scale === 0) return 0;
  let ssq = 0;
  for (let i = 0, p = start; i < count; i++, p += stride) {
    const v = (x[p] as number) / scale;
    ssq += v * v;
  }
  return scale * Math.sqrt(ssq);
}

/**
 * Flips the sign of column `j` (and of the same column of `partner`) so that the column's
 * largest-magnitude entry (the first one on ties) is positive.
 */
export function canonicalColumnSign(
  x: Float64Array,
  rows: number,
  cols: number,
  j: number,
  partner?: { data: Float64Array; rows: number; cols: number },
): void {
  let best = 0;
  let bestAbs = -1;
  for (let i = 0; i < rows; i++) {
    const v = Math.abs(x[i * cols + j] as number);
    if (v > bestAbs) {
      bestAbs = v;
      best = i;
    }
  }
  if ((x[best * cols + j] as number) >= 0) return;
  for (let i = 0; i < rows; i++) x[i * cols + j] = -(x[i * cols + j] as number);
  if (partner) {
    const { data, rows: pr, cols: pc } = partner;
    for (let i = 0; i < pr; i++) data[i * pc + j] = -(data[i * pc + j] as number);
  }
}

/**
 * The exponent `e` to rescale `a` by `2^-e` before a decomposition whose intermediate sums of
 * squares would otherwise overflow or lose precision to underflow: 0 when the largest magnitude
 * is 0 or within [2^-300, 2^300], else roughly log2 of that magnitude. Scaling by a power of two
 * is exact (bar entries pushed below the subnormal range, which are far below ε ‖a‖).
 */
export function safeScaleExponent(a: Float64Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i] as number);
    if (v > max) max = v;
  }
  if (max === 0 || (max >= 2 ** -300 && max <= 2 ** 300)) return 0;
  return Math.floor(Math.log2(max));
}

/** Multiplies every entry of `x` by `2^e` in place (in two exact steps, so |e| up to 2046 is fine). */
export function scalePow2(x: Float64Array, e: number): Float64Array {
  if (e === 0) return x;
  const half = Math.trunc(e / 2);
  const f1 = 2 ** half;
  const f2 = 2 ** (e - half);
  for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) * f1 * f2;
  return x;
}
