/** Linear attention on random feature maps: φ(Q)(φ(K)ᵀV) / φ(Q)(φ(K)ᵀ1), non-causal and causal. */
import { SpectransError } from '../errors.js';
import { add, greaterEqual, maximum, minimum, mul, reciprocal, where } from '../ops/elementwise.js';
import { concat, slice } from '../ops/layout.js';
import { matmul } from '../ops/linear.js';
import { sum } from '../ops/reduce.js';
import { tidy } from '../scope.js';
import type { Tensor } from '../tensor.js';
import { booleanCheck, scalarCheck } from '../validate.js';
import { RFFAttentionKernel } from '../kernels/attention.js';
import { isRandomFeatureMap, type RandomFeatureMap } from '../kernels/random-feature-map.js';
import { checkAttentionInputs, checkMask, lowerTriangle, maskMultiplier } from './inputs.js';

/** Options of {@link linearAttention}. */
export interface LinearAttentionOptions {
  /** The feature map φ, e.g. an RFFAttentionKernel (softmax, relu, elu) or a GaussianRFFKernel. */
  featureMap: RandomFeatureMap;
  /** Position i attends only to keys j <= i (needs n = m). Default false. */
  causal?: boolean;
  /** Key padding mask (..., m): nonzero keeps a key, 0 drops it. */
  mask?: Tensor;
  /** Denominators are kept at least this far from zero (default 1e-6). */
  eps?: number;
  /**
   * Factor applied to q and k before φ. Default: d^(−1/4) for a softmax RFFAttentionKernel (so that
   * φ(q)·φ(k) estimates exp(qᵀk/√d), i.e. softmax(QKᵀ/√d) attention), else 1.
   */
  inputScale?: number;
  /** Sequence chunk of the causal prefix sums (default 64): memory O(chunk·D + D·dv). */
  chunkSize?: number;
}

/**
 * Linear-time attention: out = φ(Q)(φ(K)ᵀV) / φ(Q)(φ(K)ᵀ1), never forming the (n, m) matrix.
 *
 * @param q - queries (..., n, d). @param k - keys (..., m, d). @param v - values (..., m, dv).
 * @returns (..., n, dv).
 * @remarks O(n·D·dv) time and O(n·D + D·dv) memory (Katharopoulos et al. 2020; Choromanski et al.
 * 2021). With a softmax RFFAttentionKernel the Performer conventions apply: q and k are scaled by
 * d^(−1/4), query features are stabilised by their row maximum and key features by their maximum
 * over all positions and features (both cancel in the ratio), so inputs of magnitude 100 give finite
 * outputs. A feature map with `redraw` draws at most once per call, shared by q and k. Causal
 * attention runs over chunks: inside a chunk the (chunk × chunk) lower-triangular product, across
 * chunks running sums of φ(k)vᵀ and φ(k). Denominators are pushed away from 0 by `eps` keeping their
 * sign (cos-based maps can give negative ones).
 * @throws SpectransError `ERR_SHAPE_MISMATCH` for disagreeing n/m/d/dv or a mask of the wrong shape;
 *   `ERR_INVALID_ARGUMENT` for a bad option or a causal call with n ≠ m.
 * @example
 * ```ts
 * const favor = new RFFAttentionKernel({ inputDim: 64, numFeatures: 256, seed: 0 });
 * const out = linearAttention(q, k, v, { featureMap: favor, causal: true }); // (..., n, dv)
 * ```
 */
export function linearAttention(q: Tensor, k: Tensor, v: Tensor, options: LinearAttentionOptions): Tensor {
  const owner = 'linearAttention';
  if (!options || !isRandomFeatureMap(options.featureMap)) {
    throw new SpectransError('ERR_INVALID_ARGUMENT', `${owner}: options.featureMap must be a RandomFeatureMap (e.g. an RFFAttentionKernel)`);
  }
  const map = options.featureMap;
  const { n, m, d } = checkAttentionInputs(owner, q, k, v);
  if (d !== map.inputDim) {
    throw new SpectransError('ERR_SHAPE_MISMATCH', `${owner}: q and k have d = ${d} but the feature map's inputDim is ${map.inputDim}`);
  }
  const causal = booleanCheck(options.causal ?? false, 'causal');
  const eps = scalarCheck(options.eps ?? 1e-6, 'eps', { finite: true, nonNegative: true });
  const chunk = scalarCheck(options.chunkSize ?? 64, 'chunkSize', { integer: true, positive: true });
  const softmaxMap = map instanceof RFFAttentionKernel && map.kernelType === 'softmax';
  const scale = scalarCheck(options.inputScale ?? (softmaxMap ? d ** -0.25 : 1), 'inputScale', { finite: true, positive: true });
  if (causal && n !== m) throw new SpectransError('ERR_INVALID_ARGUMENT', `${owner}: causal attention needs n = m, got n = ${n}, m = ${m}`);
  if (options.mask !== undefined) checkMask(owner, options.mask, k);
  if (map instanceof RFFAttentionKernel) map.maybeRedraw();

  return tidy(() => {
    const qs = scale === 1 ? q : mul(q, scale);
    const ks = scale === 1 ? k : mul(k, scale);
    const phiQ = map instanceof RFFAttentionKernel ? map.features(qs, softmaxMap ? 'row' : 'none') : map.forward(qs);
    let phiK = map instanceof RFFAttentionKernel ? map.features(ks, softmaxMap ? 'global' : 'none') : map.forward(ks);
    if (options.mask !== undefined) phiK = mul(phiK, maskMultiplier(options.mask, phiK.dtype));
    const [num, den] = causal ? causalProducts(phiQ, phiK, v, chunk) : fullProducts(phiQ, phiK, v);
    return mul(num, guardedReciprocal(den, eps));
  });
}

/** φ(Q)(φ(K)ᵀV) and φ(Q)(φ(K)ᵀ1): numerator (..., n, dv) and denominator (..., n, 1). */
function fullProducts(phiQ: Tensor, phiK: Tensor, v: Tensor): [Tensor, Tensor] {
  const kv = matmul(phiK, v, { transposeA: true });
  const kSum = sum(phiK, -2, true);
  return [matmul(phiQ, kv), matmul(phiQ, kSum, { transposeB: true })];
}

/** Causal products by chunks with running sums S = Σ φ(k)vᵀ and z = Σ φ(k). */
function causalProducts(phiQ: Tensor, phiK: Tensor, v: Tensor, chunk: number): [Tensor, Tensor] {
  const n = phiQ.shape[phiQ.rank - 2]!;
  const nums: Tensor[] = [];
  const dens: Tensor[] = [];
  let state: Tensor | undefined;
  let kSum: Tensor | undefined;
  for (let start = 0; start < n; start += chunk) {
    const len = Math.min(chunk, n - start);
    const q = rowsOf(phiQ, start, len);
    const kc = rowsOf(phiK, start, len);
    const vc = rowsOf(v, start, len);
    const within = mul(matmul(q, kc, { transposeB: true }), lowerTriangle(len, q));
    let num = matmul(within, vc);
    let den = sum(within, -1, true);
    if (state && kSum) {
      num = add(num, matmul(q, state));
      den = add(den, matmul(q, kSum, { transposeB: true }));
    }
    nums.push(num);
    dens.push(den);
    const chunkState = matmul(kc, vc, { transposeA: true });
    const chunkSum = sum(kc, -2, true);
    state = state ? add(state, chunkState) : chunkState;
    kSum = kSum ? add(kSum, chunkSum) : chunkSum;
  }
  return [nums.length === 1 ? nums[0]! : concat(nums, -2), dens.length === 1 ? dens[0]! : concat(dens, -2)];
}

function rowsOf(x: Tensor, start: number, len: number): Tensor {
  const begin = x.shape.map((_, i) => (i === x.rank - 2 ? start : 0));
  const size = x.shape.map((s, i) => (i === x.rank - 2 ? len : s));
  return slice(x, begin, size);
}

/** 1 / den with den pushed at least eps away from 0, keeping its sign (0 counts as positive). */
function guardedReciprocal(den: Tensor, eps: number): Tensor {
  return tidy(() => reciprocal(where(greaterEqual(den, 0), maximum(den, eps), minimum(den, -eps))));
}
