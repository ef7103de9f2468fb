/** Linear attention on random feature maps: φ(Q)(φ(K)ᵀV) / φ(Q)(φ(K)ᵀ1), non-causal and causal. */
import { SpectransError } from '../errors.js';
import { abs, greaterEqual, maximum, minimum, mul, reciprocal, where } from '../ops/elementwise.js';
import { tidy } from '../scope.js';
import type { Tensor } from '../tensor.js';
import { checkOptions } from '../options.js';
import { booleanCheck, scalarCheck } from '../validate.js';
import {
  isRandomFeatureMap,
  type AttentionFeatureHooks,
  type RandomFeatureMap,
} from '../kernels/random-feature-map.js';
import { checkAttentionInputs, checkMask, maskMultiplier } from './inputs.js';
import { causalProducts, fullProducts } from './feature-products.js';
import { logAttention } from './log-linear-attention.js';

/** Options of {@link linearAttention}. */
export interface LinearAttentionOptions {
  /**
   * The feature map φ, e.g. an RFFAttentionKernel (softmax, relu, elu) or a GaussianRFFKernel; the
   * optional {@link AttentionFeatureHooks} tell attention its input scale, redraw schedule and log features.
   */
  featureMap: RandomFeatureMap & AttentionFeatureHooks;
  /** Position i attends only to keys j <= i (needs n = m). Default false. */
  causal?: boolean;
  /** Key padding mask (..., m): nonzero keeps a key, 0 drops it. */
  mask?: Tensor;
  /**
   * Maps without log features (signed or general φ): each denominator is kept at least
   * eps·φ(|q|)·Σ|φ(k)| away from zero, keeping its sign (default 1e-6, relative to the denominator's own
   * scale, so a legitimately small denominator is never swamped). Softmax features need no guard.
   */
  eps?: number;
  /**
   * Factor applied to q and k before φ. Default: the map's `attentionInputScale` (d^(−1/4) for softmax
   * features, so that φ(q)·φ(k) estimates exp(qᵀk/√d), i.e. softmax(QKᵀ/√d) attention), else 1.
   */
  inputScale?: number;
  /**
   * Sequence chunk of the causal prefix sums (default 64): memory O(chunk·D + D·dv). With softmax
   * features it is rounded up to a power of two (the blocks inside a chunk are split in halves).
   * A backend's fused log-feature op (used without a mask) has its own schedule; its gradient uses
   * this chunk.
   */
  chunkSize?: number;
}

const LINEAR_ATTENTION_OPTION_KEYS = ['featureMap', 'causal', 'mask', 'eps', 'inputScale', 'chunkSize'] as const;

/**
 * Linear-time attention: out = φ(Q)(φ(K)ᵀV) / φ(Q)(φ(K)ᵀ1), never forming the (n, m) matrix.
 *
 * @param q - queries (..., n, d). @param k - keys (..., m, d). @param v - values (..., m, dv).
 * @returns (..., n, dv). A query with no visible key gets a zero output (as in softmaxAttention).
 * @remarks O(n·D·dv) time and O(n·D + D·dv) memory (Katharopoulos et al. 2020; Choromanski et al.
 * 2021). Positive softmax features (FAVOR+, maps with `logFeatures`) are stabilised exactly, at any
 * input scale: with ℓ the log features, keys are shifted per feature by their maximum cᵣ over the
 * visible keys and queries by their row maximum of ℓ + c. The shifts cancel in the ratio, every factor
 * is at most 1, and the largest term of every denominator is exactly 1, so attention weights always
 * sum to 1 and nothing overflows or underflows away. Causal attention keeps the same invariant: across
 * chunks a running per-feature maximum rescales the prefix sums (as online softmax does), and inside
 * a chunk the lower-triangular block is summed in log space. The estimator itself is unchanged.
 * Other maps use the plain products with a sign-keeping guard relative to the denominator's scale
 * (cos-based maps can give negative denominators). Without a mask, log features go through the
 * backend's fused `logLinearAttention` op where it has one (exact in the same sense). A map's
 * `beginAttentionCall` runs once per call (redraws are shared by q and k).
 * @throws SpectransError `ERR_SHAPE_MISMATCH` for disagreeing n/m/d/dv or a mask of the wrong shape;
 *   `ERR_INVALID_ARGUMENT` for options that are not an object, an unknown or null option (with a
 *   suggestion), a bad option value or a causal call with n ≠ m.
 * @example
 * ```ts
 * const favor = new RFFAttentionKernel({ inputDim: 64, numFeatures: 256, seed: 0 });
 * const out = linearAttention(q, k, v, { featureMap: favor, causal: true }); // (..., n, dv)
 * ```
 */
export function linearAttention(q: Tensor, k: Tensor, v: Tensor, options: LinearAttentionOptions): Tensor {
  const owner = 'linearAttention';
  checkOptions(owner, options, LINEAR_ATTENTION_OPTION_KEYS, ['featureMap']);
  if (!isRandomFeatureMap(options.featureMap)) {
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `${owner}: options.featureMap must be a RandomFeatureMap (e.g. an RFFAttentionKernel)`,
    );
  }
  const map = options.featureMap;
  const { n, m, d } = checkAttentionInputs(owner, q, k, v);
  if (d !== map.inputDim) {
    throw new SpectransError(
      'ERR_SHAPE_MISMATCH',
      `${owner}: q and k have d = ${d} but the feature map's inputDim is ${map.inputDim}`,
    );
  }
  const causal = booleanCheck(options.causal ?? false, 'causal');
  const eps = scalarCheck(options.eps ?? 1e-6, 'eps', { finite: true, nonNegative: true });
  const chunkOption =
    options.chunkSize === undefined
      ? undefined
      : scalarCheck(options.chunkSize, 'chunkSize', { integer: true, positive: true });
  const scale = scalarCheck(options.inputScale ?? map.attentionInputScale ?? 1, 'inputScale', {
    finite: true,
    positive: true,
  });
  if (causal && n !== m)
    throw new SpectransError('ERR_INVALID_ARGUMENT', `${owner}: causal attention needs n = m, got n = ${n}, m = ${m}`);
  if (options.mask !== undefined) checkMask(owner, options.mask, k);
  map.beginAttentionCall?.();

  return tidy(() => {
    const qs = scale === 1 ? q : mul(q, scale);
    const ks = scale === 1 ? k : mul(k, scale);
    const keep = options.mask === undefined ? undefined : maskMultiplier(options.mask, q.dtype);
    const logQ = map.logFeatures?.(qs, 'query');
    if (logQ) {
      return logAttention(logQ, map.logFeatures!(ks, 'key')!, v, keep, causal, chunkOption ?? 64);
    }
    const features = (x: Tensor, role: 'query' | 'key'): Tensor => map.attentionFeatures?.(x, role) ?? map.forward(x);
    const phiQ = features(qs, 'query');
    const phiK = keep ? mul(features(ks, 'key'), keep) : features(ks, 'key');
    const products = causal ? causalProducts : fullProducts;
    const chunk = chunkOption ?? 64;
    const [num, den] = products(phiQ, phiK, v, chunk);
    const size = eps === 0 ? undefined : products(abs(phiQ), abs(phiK), undefined, chunk)[1];
    return mul(num!, guardedReciprocal(den, size, eps));
  });
}

/**
 * 1 / den with den kept at least eps·size (and the smallest normal float32) away from 0, keeping its
 * sign (0 counts as positive); size is the denominator computed from |φ|, its natural scale.
 */
function guardedReciprocal(den: Tensor, size: Tensor | undefined, eps: number): Tensor {
  return tidy(() => {
    const floor = size ? maximum(mul(size, eps), 1.2e-38) : 1.2e-38;
    const positive = greaterEqual(den, 0);
    return reciprocal(
      where(positive, maximum(den, floor), minimum(den, typeof floor === 'number' ? -floor : mul(floor, -1))),
    );
  });
}
