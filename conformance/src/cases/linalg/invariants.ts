/**
 * Invariant checks of decompositions on host float64 copies: residual, orthogonality, ordering and
 * sign conventions. Raw factor entries are never compared (they are not unique).
 */
import type { CaseContext } from '../../types.js';

/** Row-major m×k times k×n. */
export function matmulHost(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let p = 0; p < k; p++) {
      const v = a[i * k + p]!;
      if (v === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j]! += v * b[p * n + j]!;
    }
  return out;
}

/** Row-major transpose of an m×n matrix. */
export function transposeHost(a: Float64Array, m: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j * m + i] = a[i * n + j]!;
  return out;
}

/** Frobenius norm. */
export function frobenius(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! ** 2;
  return Math.sqrt(s);
}

/** The allowed normalised error: the table's decomposition rtol times the largest dimension. */
export function decompositionBound(ctx: CaseContext, dim: number): number {
  return ctx.tolerance('decomposition').rtol * Math.max(dim, 1);
}

/** Asserts ‖actual − a‖_F / ‖a‖_F <= bound (a reconstruction residual); records it. */
export function checkResidual(
  ctx: CaseContext,
  actual: Float64Array,
  a: Float64Array,
  bound: number,
  what: string,
): void {
  const diff = actual.map((v, i) => v - a[i]!);
  const norm = frobenius(a);
  const residual = norm === 0 ? frobenius(diff) : frobenius(diff) / norm;
  ctx.recordError(residual, bound);
  ctx.check(
    residual <= bound,
    () => `${what}: relative residual ${residual.toExponential(3)} > ${bound.toExponential(3)}`,
  );
}

/** Asserts max |QᵀQ − I| <= bound for the k orthonormal columns of the m×k matrix q; records it. */
export function checkOrthonormalColumns(
  ctx: CaseContext,
  q: Float64Array,
  m: number,
  k: number,
  bound: number,
  what: string,
): void {
  const gram = matmulHost(transposeHost(q, m, k), q, k, m, k);
  let worst = 0;
  let at = [0, 0];
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      const dev = Math.abs(gram[i * k + j]! - (i === j ? 1 : 0));
      if (!(dev <= worst)) {
        worst = dev;
        at = [i, j];
      }
    }
  ctx.recordError(worst, bound);
  ctx.check(
    worst <= bound,
    () =>
      `${what}: columns not orthonormal: |(QᵀQ − I)[${at.join(', ')}]| = ${worst.toExponential(3)} > ${bound.toExponential(3)}`,
  );
}

/** Asserts each column of the n×k matrix v has its largest-magnitude entry positive (ties within `slack` accepted). */
export function checkColumnSigns(
  ctx: CaseContext,
  v: Float64Array,
  n: number,
  k: number,
  slack: number,
  what: string,
): void {
  for (let j = 0; j < k; j++) {
    let pos = 0;
    let neg = 0;
    for (let i = 0; i < n; i++) {
      const x = v[i * k + j]!;
      pos = Math.max(pos, x);
      neg = Math.max(neg, -x);
    }
    ctx.check(
      pos >= neg - slack,
      () =>
        `${what}: column ${j} has its largest-magnitude entry negative (${-neg} vs largest positive ${pos}); the convention is positive`,
    );
  }
}

/** Asserts values[i] <= values[i+1] + slack (ascending) or the reverse (descending). */
export function checkOrder(
  ctx: CaseContext,
  values: Float64Array,
  order: 'ascending' | 'descending',
  slack: number,
  what: string,
): void {
  for (let i = 0; i + 1 < values.length; i++) {
    const [lo, hi] = order === 'ascending' ? [values[i]!, values[i + 1]!] : [values[i + 1]!, values[i]!];
    ctx.check(lo <= hi + slack, () => `${what}: not ${order} at ${i}: ${values[i]} then ${values[i + 1]}`);
  }
}

/** A random m×n matrix of rank `rank` (product of m×rank and rank×n Gaussians), float64. */
export function lowRank(ctx: CaseContext, m: number, n: number, rank: number): Float64Array {
  return matmulHost(ctx.rng.normals(m * rank), ctx.rng.normals(rank * n), m, rank, n);
}

/** A random n×n orthogonal matrix (modified Gram–Schmidt of a Gaussian, twice), float64. */
export function randomOrthogonal(ctx: CaseContext, n: number): Float64Array {
  const q = ctx.rng.normals(n * n);
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < n; j++) {
      for (let p = 0; p < j; p++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += q[i * n + j]! * q[i * n + p]!;
        for (let i = 0; i < n; i++) q[i * n + j]! -= dot * q[i * n + p]!;
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += q[i * n + j]! ** 2;
      norm = Math.sqrt(norm);
      for (let i = 0; i < n; i++) q[i * n + j]! /= norm;
    }
  }
  return q;
}

/** Q·diag(values)·Qᵀ made exactly symmetric. */
export function symmetricWithSpectrum(ctx: CaseContext, values: readonly number[]): Float64Array {
  const n = values.length;
  const q = randomOrthogonal(ctx, n);
  const qd = q.map((v, idx) => v * values[idx % n]!);
  const a = matmulHost(qd, transposeHost(q, n, n), n, n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[i * n + j] = a[j * n + i]!;
  return a;
}

/** A random symmetric n×n matrix (exactly symmetric). */
export function randomSymmetric(ctx: CaseContext, n: number): Float64Array {
  const a = ctx.rng.normals(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[i * n + j] = a[j * n + i]!;
  return a;
}
