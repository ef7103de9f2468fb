/** Exact (quadratic) softmax attention: the reference for linear attention and for short sequences. */
import { SpectransError } from '../errors.js';
import { div, exp, maximum, mul, sub, where } from '../ops/elementwise.js';
import { fill } from '../ops/creation.js';
import { matrixTranspose } from '../ops/layout.js';
import { matmul } from '../ops/linear.js';
import { max, sum } from '../ops/reduce.js';
import { tidy } from '../scope.js';
import type { Tensor } from '../tensor.js';
import { checkOptions } from '../options.js';
import { booleanCheck, scalarCheck } from '../validate.js';
import { checkAttentionInputs, checkMask, lowerTriangle, maskMultiplier } from './inputs.js';

/** Options of {@link softmaxAttention}. */
export interface SoftmaxAttentionOptions {
  /** Position i attends only to keys j <= i (needs n = m). Default false. */
  causal?: boolean;
  /** Key padding mask (..., m): nonzero keeps a key. */
  mask?: Tensor;
  /** Score scale (default 1/√d). */
  scale?: number;
}

/**
 * Exact attention softmax(s·QKᵀ) V, with optional causal and key-padding masks.
 *
 * @returns (..., n, dv). A query with no visible key gets a zero output (torch gives NaN).
 * @remarks O(n·m) time and memory: use it for tests and short sequences; {@link linearAttention}
 * approximates it in linear time. Masked scores are excluded after the row maximum is subtracted, so
 * large scores cannot overflow.
 * @throws SpectransError `ERR_SHAPE_MISMATCH` for disagreeing shapes or mask; `ERR_INVALID_ARGUMENT` for causal with n ≠ m, options that are not an object, an unknown or null option.
 * @example
 * ```ts
 * const out = softmaxAttention(q, k, v, { causal: true });
 * ```
 */
export function softmaxAttention(q: Tensor, k: Tensor, v: Tensor, options: SoftmaxAttentionOptions = {}): Tensor {
  const owner = 'softmaxAttention';
  checkOptions(owner, options, ['causal', 'mask', 'scale']);
  const { n, m, d } = checkAttentionInputs(owner, q, k, v);
  const causal = booleanCheck(options.causal ?? false, 'causal');
  const scale = scalarCheck(options.scale ?? 1 / Math.sqrt(d), 'scale', { finite: true });
  if (causal && n !== m)
    throw new SpectransError('ERR_INVALID_ARGUMENT', `${owner}: causal attention needs n = m, got n = ${n}, m = ${m}`);
  if (options.mask !== undefined) checkMask(owner, options.mask, k);
  return tidy(() => {
    let scores = mul(matmul(q, k, { transposeB: true }), scale);
    // Hidden keys become -Infinity before the row maximum, so they neither win it nor get weight.
    let keep: Tensor | undefined;
    if (options.mask !== undefined) keep = matrixTranspose(maskMultiplier(options.mask, q.dtype));
    if (causal) keep = keep ? mul(keep, lowerTriangle(n, q)) : lowerTriangle(n, q);
    if (keep) scores = where(keep, scores, fill([], -Infinity, q.dtype, { backend: q.backend }));
    // A row with no visible key has maximum -Infinity: clamp so its weights are exp(-Infinity) = 0.
    const weights = exp(sub(scores, maximum(max(scores, -1, true), -1e30)));
    const total = sum(weights, -1, true);
    return matmul(div(weights, maximum(total, 1e-30)), v);
  });
}
