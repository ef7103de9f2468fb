/** The products of linear attention on plain features: numerator φ(Q)(φ(K)ᵀV) and denominator φ(Q)(φ(K)ᵀ1). */
import { add, mul } from '../ops/elementwise.js';
import { concat, slice } from '../ops/layout.js';
import { matmul } from '../ops/linear.js';
import { sum } from '../ops/reduce.js';
import type { Tensor } from '../tensor.js';
import { lowerTriangle } from './inputs.js';

/** Numerator (..., n, dv) (absent without v) and denominator (..., n, 1), every key visible to every query. */
export function fullProducts(
  phiQ: Tensor,
  phiK: Tensor,
  v: Tensor | undefined,
  _chunk?: number,
): [Tensor | undefined, Tensor] {
  const kSum = sum(phiK, -2, true);
  const den = matmul(phiQ, kSum, { transposeB: true });
  return [v ? matmul(phiQ, matmul(phiK, v, { transposeA: true })) : undefined, den];
}

/** Causal products by chunks: inside a chunk the lower-triangular block, across chunks running sums S = Σ φ(k)vᵀ and z = Σ φ(k). */
export function causalProducts(
  phiQ: Tensor,
  phiK: Tensor,
  v: Tensor | undefined,
  chunk: number,
): [Tensor | undefined, Tensor] {
  const n = phiQ.shape[phiQ.rank - 2]!;
  const nums: Tensor[] = [];
  const dens: Tensor[] = [];
  let state: Tensor | undefined;
  let kSum: Tensor | undefined;
  for (let start = 0; start < n; start += chunk) {
    const len = Math.min(chunk, n - start);
    const q = rowsOf(phiQ, start, len);
    const kc = rowsOf(phiK, start, len);
    const vc = v && rowsOf(v, start, len);
    const within = mul(matmul(q, kc, { transposeB: true }), lowerTriangle(len, q));
    let num = vc && matmul(within, vc);
    let den = sum(within, -1, true);
    if (kSum) {
      if (num && state) num = add(num, matmul(q, state));
      den = add(den, matmul(q, kSum, { transposeB: true }));
    }
    if (num) nums.push(num);
    dens.push(den);
    if (vc) {
      const chunkState = matmul(kc, vc, { transposeA: true });
      state = state ? add(state, chunkState) : chunkState;
    }
    const chunkSum = sum(kc, -2, true);
    kSum = kSum ? add(kSum, chunkSum) : chunkSum;
  }
  return [v ? joinRows(nums) : undefined, joinRows(dens)];
}

/** Rows [start, start + len) of x (..., rows, cols). */
export function rowsOf(x: Tensor, start: number, len: number): Tensor {
  if (start === 0 && len === x.shape[x.rank - 2]) return x;
  const begin = x.shape.map((_, i) => (i === x.rank - 2 ? start : 0));
  const size = x.shape.map((s, i) => (i === x.rank - 2 ? len : s));
  return slice(x, begin, size);
}

/** Concatenates row blocks (..., len, cols) back into (..., n, cols). */
export function joinRows(blocks: Tensor[]): Tensor {
  return blocks.length === 1 ? blocks[0]! : concat(blocks, -2);
}
