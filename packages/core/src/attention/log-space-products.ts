/**
 * The products of linear attention on positive features given in log space, φ = exp(ℓ), with shifts
 * chosen so that every factor is at most 1 and the largest term of every denominator is exactly 1.
 */
import { fill } from '../ops/creation.js';
import { add, exp, maximum, mul, sub, where } from '../ops/elementwise.js';
import { concat, matrixTranspose, reshape, slice } from '../ops/layout.js';
import { matmul } from '../ops/linear.js';
import { max, sum } from '../ops/reduce.js';
import type { Tensor } from '../tensor.js';
import { fullProducts, joinRows, rowsOf } from './feature-products.js';

/**
 * Stands for log 0: hidden keys and future positions. Finite so that sums of a few stay finite in
 * float32; any real log feature is many orders of magnitude larger.
 */
export const LOG_ZERO = -1e30;

/** ℓ(K) with hidden keys (keep = 0) at LOG_ZERO, so they never set a shift. */
function visibleLogs(logK: Tensor, keep: Tensor | undefined): Tensor {
  return keep ? where(keep, logK, fill([], LOG_ZERO, logK.dtype, { backend: logK.backend })) : logK;
}

/** exp(ℓ(K) − shift), hidden keys exactly 0 (their exponent is 0 when every key so far is hidden). */
function keyFeatures(logK: Tensor, shift: Tensor, keep: Tensor | undefined): Tensor {
  const features = exp(sub(logK, shift));
  return keep ? mul(features, keep) : features;
}

/**
 * Non-causal: keys shifted per feature by cᵣ = max over visible keys of ℓ(k)ᵣ, queries by the row
 * maximum of ℓ(q) + c. Returns numerator (..., n, dv) and denominator (..., n, 1), which is 0 when
 * no key is visible and at least 1 otherwise.
 */
export function fullLogProducts(logQ: Tensor, logK: Tensor, v: Tensor, keep: Tensor | undefined): [Tensor, Tensor] {
  const logKv = visibleLogs(logK, keep);
  const shift = max(logKv, -2, true); // (..., 1, D)
  const shiftedQ = add(logQ, shift);
  const phiQ = exp(sub(shiftedQ, max(shiftedQ, -1, true)));
  const [num, den] = fullProducts(phiQ, keyFeatures(logKv, shift, keep), v);
  return [num!, den];
}

/**
 * Causal, exactly. Query i is shifted by tᵢ = max over keys j <= i and features r of ℓ(qᵢ)ᵣ + ℓ(kⱼ)ᵣ,
 * the exact largest term, and every factor is kept at most 1:
 * - across chunks of L rows (L = chunk rounded up to a power of two), running sums S = Σ exp(ℓ(k) − c)vᵀ
 *   and z = Σ exp(ℓ(k) − c) with c the running per-feature maximum, rescaled by exp(c_old − c_new) when
 *   it grows (as online softmax does); c never exceeds a later query's prefix maximum;
 * - inside a chunk, by divide and conquer batched over all chunks: the keys before i in its chunk are i
 *   itself plus the first halves F of the blocks (of size 2h, h = 1, 2, ..., L/2) whose second half S
 *   holds i. Every key of F precedes every query of S, so F's per-feature maximum s_F never exceeds a
 *   query's prefix maximum and exp(ℓ(q) + s_F − t), exp(ℓ(k) − s_F) are both at most 1.
 * O(n·D·(dv + L)) work; the sequence is padded to a multiple of L with rows no real query sees.
 */
export function causalLogProducts(
  logQ: Tensor,
  logK: Tensor,
  v: Tensor,
  keep: Tensor | undefined,
  chunk: number,
): [Tensor, Tensor] {
  const n = logQ.shape[logQ.rank - 2]!;
  const dv = v.shape[v.rank - 1]!;
  const L = chunkRows(chunk, n);
  const N = Math.ceil(n / L) * L;
  const a = padRows(logQ, N, 0);
  const b = padRows(visibleLogs(logK, keep), N, LOG_ZERO);
  const vp = padRows(v, N, 0);
  const kp = keep && padRows(keep, N, 0);

  // Shifts inside chunks: each query's own key, then each level's F half.
  const diagonal = add(a, b);
  let top = max(diagonal, -1, true); // (..., N, 1)
  const levels: { h: number; shift: Tensor }[] = [];
  for (let h = 1; h < L; h *= 2) {
    const shift = max(half(b, h, 0), -2, true); // s_F (..., N/2h, 1, D)
    levels.push({ h, shift });
    top = maximum(top, intoSecondHalves(max(add(half(a, h, 1), shift), -1, true), h, LOG_ZERO));
  }

  // Across chunks, in order: finish each chunk's shifts, then add what earlier chunks contribute.
  const tops: Tensor[] = [];
  const nums: Tensor[] = [];
  const dens: Tensor[] = [];
  let c: Tensor | undefined; // (..., 1, D)
  let state: Tensor | undefined; // (..., D, dv)
  let kSum: Tensor | undefined; // (..., 1, D)
  for (let start = 0; start < N; start += L) {
    const aq = rowsOf(a, start, L);
    const bk = rowsOf(b, start, L);
    const vc = rowsOf(vp, start, L);
    // A query with no visible key keeps every exponent about LOG_ZERO / 2 below its shift: all terms 0.
    let t = maximum(rowsOf(top, start, L), LOG_ZERO / 2);
    if (c && state && kSum) {
      const shifted = add(aq, c);
      t = maximum(t, max(shifted, -1, true));
      const phiQ = exp(sub(shifted, t));
      nums.push(matmul(phiQ, state));
      dens.push(matmul(phiQ, kSum, { transposeB: true }));
    }
    tops.push(t);
    const grown = c ? maximum(c, max(bk, -2, true)) : max(bk, -2, true);
    const phiK = keyFeatures(bk, grown, kp && rowsOf(kp, start, L));
    const chunkState = matmul(phiK, vc, { transposeA: true });
    const chunkSum = sum(phiK, -2, true);
    if (c && state && kSum) {
      const decay = exp(sub(c, grown)); // <= 1
      state = add(mul(state, matrixTranspose(decay)), chunkState);
      kSum = add(mul(kSum, decay), chunkSum);
    } else {
      state = chunkState;
      kSum = chunkSum;
    }
    c = grown;
  }
  const t = joinRows(tops);
  const zerosFirst = (rows: number, cols: number): Tensor =>
    fill([...vp.shape.slice(0, -2), rows, cols], 0, vp.dtype, { backend: vp.backend });
  let num = nums.length === 0 ? undefined : concat([zerosFirst(L, dv), ...nums], -2);
  let den = dens.length === 0 ? undefined : concat([zerosFirst(L, 1), ...dens], -2);

  // Inside chunks, batched over all of them: the diagonal, then each level's (F, S) pairs.
  let w = sum(exp(sub(diagonal, t)), -1, true); // (..., N, 1)
  if (kp) w = mul(w, kp);
  num = num ? add(num, mul(w, vp)) : mul(w, vp);
  den = den ? add(den, w) : w;
  for (const { h, shift } of levels) {
    let phiK = exp(sub(half(b, h, 0), shift)); // (..., N/2h, h, D)
    if (kp) phiK = mul(phiK, half(kp, h, 0));
    const phiQ = exp(sub(add(half(a, h, 1), shift), half(t, h, 1)));
    const weights = matmul(phiQ, phiK, { transposeB: true }); // (..., N/2h, h, h)
    num = add(num, intoSecondHalves(matmul(weights, half(vp, h, 0)), h, 0));
    den = add(den, intoSecondHalves(sum(weights, -1, true), h, 0));
  }
  return N === n ? [num, den] : [rowsOf(num, 0, n), rowsOf(den, 0, n)];
}

/** The causal chunk: `chunk` rounded up to a power of two, at most the first power of two >= n. */
export function chunkRows(chunk: number, n: number): number {
  let L = 1;
  while (L < Math.min(chunk, n)) L *= 2;
  return L;
}

/** x (..., n, c) padded with rows of `value` to (..., N, c). */
export function padRows(x: Tensor, N: number, value: number): Tensor {
  const n = x.shape[x.rank - 2]!;
  if (N === n) return x;
  const pad = fill([...x.shape.slice(0, -2), N - n, x.shape[x.rank - 1]!], value, x.dtype, { backend: x.backend });
  return concat([x, pad], -2);
}

/** The first (which = 0) or second (1) halves of the blocks of 2h rows of x (..., N, c): (..., N/2h, h, c). */
export function half(x: Tensor, h: number, which: 0 | 1): Tensor {
  const lead = x.shape.slice(0, -2);
  const N = x.shape[x.rank - 2]!;
  const c = x.shape[x.rank - 1]!;
  const blocks = reshape(x, [...lead, N / (2 * h), 2, h, c]);
  const begin = blocks.shape.map((_, i) => (i === blocks.rank - 3 ? which : 0));
  const size = blocks.shape.map((s, i) => (i === blocks.rank - 3 ? 1 : s));
  return reshape(slice(blocks, begin, size), [...lead, N / (2 * h), h, c]);
}

/** Values (..., N/2h, h, c) of the second halves, placed back at their rows of (..., N, c); first halves get `value`. */
export function intoSecondHalves(y: Tensor, h: number, value: number): Tensor {
  const lead = y.shape.slice(0, -3);
  const blocks = y.shape[y.rank - 3]!;
  const c = y.shape[y.rank - 1]!;
  const first = fill([...lead, blocks, 1, h, c], value, y.dtype, { backend: y.backend });
  return reshape(concat([first, reshape(y, [...lead, blocks, 1, h, c])], -3), [...lead, blocks * 2 * h, c]);
}

/** Values (..., N/2h, h, c) of the first halves, placed back at their rows of (..., N, c); second halves get 0. */
export function intoFirstHalves(y: Tensor, h: number): Tensor {
  const lead = y.shape.slice(0, -3);
  const blocks = y.shape[y.rank - 3]!;
  const c = y.shape[y.rank - 1]!;
  const second = fill([...lead, blocks, 1, h, c], 0, y.dtype, { backend: y.backend });
  return reshape(concat([reshape(y, [...lead, blocks, 1, h, c]), second], -3), [...lead, blocks * 2 * h, c]);
}
