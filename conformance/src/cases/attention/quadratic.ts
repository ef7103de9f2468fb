/**
 * The exact-kernel limit of linear attention: a deterministic feature map whose inner products are
 * (xᵀy)², and quadratic attention with the same scores, built from public ops only.
 */
import { div, matmul, maximum, mul, reshape, sum, tidy, type RandomFeatureMap, type Tensor } from '@spectrans/core';
import type { CaseContext } from '../../types.js';

/**
 * A deterministic feature map φ(x) = vec(x xᵀ), so φ(x)·φ(y) = (xᵀy)² exactly: the exact-kernel
 * limit in which linear attention must equal the quadratic computation.
 */
export class QuadraticFeatureMap implements RandomFeatureMap {
  readonly numFeatures: number;
  readonly kernelScale = 1;
  readonly seed = 0;
  constructor(readonly inputDim: number) {
    this.numFeatures = inputDim * inputDim;
  }
  get featureDim(): number {
    return this.numFeatures;
  }
  forward(x: Tensor): Tensor {
    const d = this.inputDim;
    const lead = x.shape.slice(0, -1);
    return tidy(() => reshape(mul(reshape(x, [...lead, d, 1]), reshape(x, [...lead, 1, d])), [...lead, d * d]));
  }
  kernelApproximation(x: Tensor, y: Tensor): Tensor {
    return tidy(() => matmul(this.forward(x), this.forward(y), { transposeB: true }));
  }
  dispose(): void {}
}

/** Quadratic attention with kernel scores (q·k)², optional lower-triangular and key masks (`keep`). */
export function quadraticReference(q: Tensor, k: Tensor, v: Tensor, keep?: Tensor): Tensor {
  return tidy(() => {
    const s = matmul(q, k, { transposeB: true });
    let a = mul(s, s);
    if (keep) a = mul(a, keep);
    return matmul(div(a, maximum(sum(a, -1, true), 1e-30)), v);
  });
}

/** The n × n lower-triangular mask of ones, as a case input. */
export function triangle(ctx: CaseContext, n: number): Tensor {
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) data[i * n + j] = 1;
  return ctx.input(data, [n, n]);
}
