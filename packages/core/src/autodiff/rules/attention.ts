/** Backward rule of the fused linear attention on log features. */
import { logAttentionGrads } from '../../attention/log-attention-grads.js';
import { savedInput, savedOutput, type BackwardRule } from './rule.js';

/**
 * The backend's fused `logLinearAttention` (recorded as one op): gradients of logQ, logK and v from
 * the saved inputs and output, with the shifts held constant (they cancel in the output; see
 * `logAttentionGrads`).
 */
const logLinearAttentionRule: BackwardRule = (e, dy) =>
  logAttentionGrads({
    logQ: savedInput(e, 0),
    logK: savedInput(e, 1),
    v: savedInput(e, 2),
    out: savedOutput(e),
    dy,
    causal: e.attrs['causal'] === true,
    chunk: e.attrs['chunk'] as number,
    needs: e.needsGrad,
  });

/** Backward rules of the attention ops. */
export const attentionRules: Record<string, BackwardRule> = { logLinearAttention: logLinearAttentionRule };
