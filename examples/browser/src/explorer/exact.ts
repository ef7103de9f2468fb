/**
 * Exact reference values in float64 on the host: the kernels' Gram matrices, softmax attention
 * weights, and the error statistics the page reports. Nothing here touches a backend, so every
 * backend's result is compared with the same numbers.
 */

/** A dense row-major matrix of float64 values. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly values: Float64Array;
}

/** The exact kernels the explorer's feature maps estimate. */
export type ExactKernel =
  | { readonly kind: 'gaussian'; readonly sigma: number }
  | { readonly kind: 'laplacian'; readonly sigma: number }
  | { readonly kind: 'softmax' }
  | { readonly kind: 'arccos1' };

/** k(x, y) for one pair of points. */
function kernelValue(kernel: ExactKernel, x: readonly number[], y: readonly number[]): number {
  let sq = 0;
  let l1 = 0;
  let dot = 0;
  let xx = 0;
  let yy = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i]!;
    const b = y[i]!;
    sq += (a - b) ** 2;
    l1 += Math.abs(a - b);
    dot += a * b;
    xx += a * a;
    yy += b * b;
  }
  switch (kernel.kind) {
    case 'gaussian':
      return Math.exp(-sq / (2 * kernel.sigma ** 2));
    case 'laplacian':
      return Math.exp(-l1 / kernel.sigma);
    case 'softmax':
      return Math.exp(dot);
    case 'arccos1': {
      // Arc-cosine kernel of degree 1 (Cho & Saul 2009): ‖x‖‖y‖(sin θ + (π − θ) cos θ)/π.
      const norms = Math.sqrt(xx * yy);
      if (norms === 0) return 0;
      const cos = Math.min(1, Math.max(-1, dot / norms));
      const theta = Math.acos(cos);
      return (norms * (Math.sin(theta) + (Math.PI - theta) * cos)) / Math.PI;
    }
  }
}

/** The exact Gram matrix K[i][j] = k(xᵢ, yⱼ). */
export function exactGram(kernel: ExactKernel, x: readonly (readonly number[])[], y = x): Matrix {
  const values = new Float64Array(x.length * y.length);
  for (let i = 0; i < x.length; i++)
    for (let j = 0; j < y.length; j++) values[i * y.length + j] = kernelValue(kernel, x[i]!, y[j]!);
  return { rows: x.length, cols: y.length, values };
}

/** Exact softmax attention weights softmax(scale·QKᵀ) row by row, optionally causal (j <= i). */
export function exactAttentionWeights(
  q: readonly (readonly number[])[],
  k: readonly (readonly number[])[],
  scale: number,
  causal = false,
): Matrix {
  const n = q.length;
  const m = k.length;
  const values = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const visible = causal ? Math.min(i + 1, m) : m;
    let top = -Infinity;
    for (let j = 0; j < visible; j++) {
      let s = 0;
      for (let t = 0; t < q[i]!.length; t++) s += q[i]![t]! * k[j]![t]!;
      values[i * m + j] = scale * s;
      top = Math.max(top, scale * s);
    }
    let total = 0;
    for (let j = 0; j < visible; j++) total += values[i * m + j] = Math.exp(values[i * m + j]! - top);
    for (let j = 0; j < visible; j++) values[i * m + j]! /= total;
    for (let j = visible; j < m; j++) values[i * m + j] = 0;
  }
  return { rows: n, cols: m, values };
}

/** Largest and mean absolute difference of an estimate from its reference. */
export interface ErrorStats {
  readonly max: number;
  readonly mean: number;
  /** max |reference|: the size the errors compare with (exp(xᵀy) kernels reach far above 1). */
  readonly scale: number;
}

/** max and mean of |a − b| elementwise, with b the reference. */
export function errorStats(a: ArrayLike<number>, b: ArrayLike<number>): ErrorStats {
  if (a.length !== b.length || a.length === 0)
    throw new RangeError(`errorStats: sizes ${a.length} and ${b.length} must agree and be positive`);
  let max = 0;
  let total = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(a[i]! - b[i]!);
    if (e > max) max = e;
    total += e;
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  // A NaN anywhere must not hide behind Math's comparisons: total is NaN then, and so is max.
  return { max: Number.isNaN(total) ? NaN : max, mean: total / a.length, scale };
}

/** Least-squares slope of log y against log x (−1/2 for an error that shrinks like 1/√D). */
export function logLogSlope(xs: readonly number[], ys: readonly number[]): number {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((s, v) => s + v, 0) / lx.length;
  const my = ly.reduce((s, v) => s + v, 0) / ly.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < lx.length; i++) {
    num += (lx[i]! - mx) * (ly[i]! - my);
    den += (lx[i]! - mx) ** 2;
  }
  return num / den;
}
