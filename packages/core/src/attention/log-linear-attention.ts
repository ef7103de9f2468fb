/** The optional fused op of linear attention on log features, with core's composed path as fallback. */
import { SpectransError } from '../errors.js';
import { taped } from '../autodiff/tape.js';
import { maximum, mul, reciprocal } from '../ops/elementwise.js';
import { prepare, wrap } from '../ops/dispatch.js';
import { checkOptions } from '../options.js';
import { tidy } from '../scope.js';
import { shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { booleanCheck, scalarCheck } from '../validate.js';
import { checkAttentionInputs } from './inputs.js';
import { causalLogProducts, fullLogProducts } from './log-space-products.js';

/** Options of {@link logLinearAttention}. */
export interface LogLinearAttentionOptions {
  /** Query i sees keys j <= i only (needs n = m). Default false. */
  causal?: boolean;
  /**
   * Sequence chunk of the causal composed path and of the causal gradient (default 64, rounded up
   * to a power of two). A backend's fused op has its own schedule; its gradient uses this chunk.
   */
  chunkSize?: number;
}

/**
 * Linear attention on positive features given in log space, φ = exp(ℓ):
 * out_i = Σ_j exp(ℓq_i + ℓk_j) v_j / Σ_j exp(ℓq_i + ℓk_j), over every key or, with `causal`, keys j <= i.
 *
 * @param logQ - query log features (..., n, D). @param logK - key log features (..., m, D).
 * @param v - values (..., m, dv); leading axes of the three broadcast.
 * @returns (..., n, dv).
 * @remarks Exact at any magnitude of ℓ, as `linearAttention` is for FAVOR+: keys are shifted per
 * feature by their maximum over the keys a query sees (never by a later key), queries by their
 * largest term, so every factor is at most 1 and every denominator's largest term is exactly 1.
 * Terms of logQ constant along its last axis cancel exactly (each query is shifted by its maximum).
 * Runs the backend's fused `logLinearAttention` where it has one (while a gradient is being
 * recorded too: it is one op on the tape, whose backward rule is written with core ops), else
 * core's composed log-space products.
 * @throws SpectransError `ERR_INVALID_SHAPE` for a rank below 2 or an empty input;
 *   `ERR_SHAPE_MISMATCH` for disagreeing D, m or batch axes; `ERR_INVALID_ARGUMENT` for bad options
 *   or a causal call with n ≠ m; `ERR_DTYPE_MISMATCH`/`ERR_BACKEND_MISMATCH` for mixed inputs.
 * @example
 * ```ts
 * const out = logLinearAttention(favor.logFeatures(q)!, favor.logFeatures(k)!, v, { causal: true });
 * ```
 */
export function logLinearAttention(
  logQ: Tensor,
  logK: Tensor,
  v: Tensor,
  options: LogLinearAttentionOptions = {},
): Tensor {
  const owner = 'logLinearAttention';
  checkOptions(owner, options, ['causal', 'chunkSize']);
  const { n, m } = checkAttentionInputs(owner, logQ, logK, v, ['logQ', 'logK', 'v']);
  prepare(owner, [
    [logQ, 'logQ'],
    [logK, 'logK'],
    [v, 'v'],
  ]);
  const causal = booleanCheck(options.causal ?? false, 'causal');
  if (causal && n !== m)
    throw new SpectransError('ERR_INVALID_ARGUMENT', `${owner}: causal attention needs n = m, got n = ${n}, m = ${m}`);
  const chunk = scalarCheck(options.chunkSize ?? 64, 'chunkSize', { integer: true, positive: true });
  return logAttention(logQ, logK, v, undefined, causal, chunk);
}

/**
 * @internal Attention on checked log features: the backend's fused op when it applies (no mask,
 * equal leading axes, and the backend accepts; recorded as one op with its own backward rule),
 * else the composed products (recorded op by op).
 * keep: the mask's 1/0 multipliers (..., m, 1); chunk: the composed causal path's chunk.
 */
export function logAttention(
  logQ: Tensor,
  logK: Tensor,
  v: Tensor,
  keep: Tensor | undefined,
  causal: boolean,
  chunk: number,
): Tensor {
  const lead = logQ.shape.slice(0, -2);
  if (
    keep === undefined &&
    shapesEqual(lead, logK.shape.slice(0, -2)) &&
    shapesEqual(lead, v.shape.slice(0, -2)) &&
    logQ.shape.every((s) => s > 0) &&
    logK.shape.every((s) => s > 0) &&
    v.shape.every((s) => s > 0)
  ) {
    const { backend, refs, dtype } = prepare('logLinearAttention', [
      [logQ, 'logQ'],
      [logK, 'logK'],
      [v, 'v'],
    ]);
    if (backend.logLinearAttention) {
      const outShape = [...lead, logQ.shape[logQ.rank - 2]!, v.shape[v.rank - 1]!];
      const handle = backend.logLinearAttention(refs[0]!, refs[1]!, refs[2]!, causal, outShape);
      // While recording, one tape entry whose rule differentiates the whole op (the chunk only
      // shapes the rule's causal schedule).
      if (handle !== undefined)
        return taped('logLinearAttention', [logQ, logK, v], wrap(backend, handle, outShape, dtype), { causal, chunk });
    }
  }
  return tidy(() => {
    const [num, den] = causal ? causalLogProducts(logQ, logK, v, keep, chunk) : fullLogProducts(logQ, logK, v, keep);
    // den is 0 (no visible key; num is 0 too) or at least 1.
    return mul(num, reciprocal(maximum(den, 1e-30)));
  });
}
