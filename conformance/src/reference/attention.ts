/** Exact linear attention on log features and its gradients, in float64. */
import type { HostArray } from './ndarray.js';

/**
 * Exact attention on log features in float64: out_i = Σ_j w_ij v_j / Σ_j w_ij with
 * w_ij = Σ_r exp(ℓq_ir + ℓk_jr − M_i), M_i the largest exponent of row i (j <= i when causal).
 * Leading axes are equal (batch b of each input).
 */
export function logLinearAttentionRef(logQ: HostArray, logK: HostArray, v: HostArray, causal: boolean): HostArray {
  const rank = logQ.shape.length;
  const n = logQ.shape[rank - 2]!;
  const D = logQ.shape[rank - 1]!;
  const m = logK.shape[rank - 2]!;
  const dv = v.shape[rank - 1]!;
  const batches = logQ.data.length / (n * D);
  const out = new Float64Array(batches * n * dv);
  for (let b = 0; b < batches; b++) {
    for (let i = 0; i < n; i++) {
      const q = logQ.data.subarray((b * n + i) * D, (b * n + i + 1) * D);
      const keys = causal ? i + 1 : m;
      let top = -Infinity;
      for (let j = 0; j < keys; j++)
        for (let r = 0; r < D; r++) top = Math.max(top, q[r]! + logK.data[(b * m + j) * D + r]!);
      let den = 0;
      const num = new Float64Array(dv);
      for (let j = 0; j < keys; j++) {
        let w = 0;
        for (let r = 0; r < D; r++) w += Math.exp(q[r]! + logK.data[(b * m + j) * D + r]! - top);
        den += w;
        for (let c = 0; c < dv; c++) num[c]! += w * v.data[(b * m + j) * dv + c]!;
      }
      for (let c = 0; c < dv; c++) out[(b * n + i) * dv + c] = num[c]! / den;
    }
  }
  return { data: out, shape: [...logQ.shape.slice(0, -2), n, dv] };
}

/** The three gradients of {@link logLinearAttentionGradRef}. */
export interface LogAttentionGrads {
  readonly logQ: HostArray;
  readonly logK: HostArray;
  readonly v: HostArray;
}

/**
 * Exact gradients in float64 of L = Σ out ⊙ g, out = logLinearAttention(logQ, logK, v): with
 * w_ijr = exp(ℓq_ir + ℓk_jr − M_i) (M_i the largest exponent of row i), den_i = Σ_jr w_ijr and
 * M_ij = (g_i · v_j − g_i · out_i) / den_i,
 * dℓq_ir = Σ_j w_ijr M_ij, dℓk_jr = Σ_i w_ijr M_ij, dv_j = Σ_i (Σ_r w_ijr) g_i / den_i
 * (j <= i when causal). Leading axes are equal.
 */
export function logLinearAttentionGradRef(
  logQ: HostArray,
  logK: HostArray,
  v: HostArray,
  g: HostArray,
  causal: boolean,
): LogAttentionGrads {
  const rank = logQ.shape.length;
  const [n, D] = [logQ.shape[rank - 2]!, logQ.shape[rank - 1]!];
  const m = logK.shape[rank - 2]!;
  const dv = v.shape[rank - 1]!;
  const batches = logQ.data.length / (n * D);
  const dq = new Float64Array(logQ.data.length);
  const dk = new Float64Array(logK.data.length);
  const dV = new Float64Array(v.data.length);
  const w = new Float64Array(m * D);
  const rowW = new Float64Array(m);
  for (let b = 0; b < batches; b++) {
    const K = (j: number, r: number): number => logK.data[(b * m + j) * D + r]!;
    const V = (j: number, c: number): number => v.data[(b * m + j) * dv + c]!;
    for (let i = 0; i < n; i++) {
      const qi = (b * n + i) * D;
      const gi = (b * n + i) * dv;
      const keys = causal ? i + 1 : m;
      let top = -Infinity;
      for (let j = 0; j < keys; j++) for (let r = 0; r < D; r++) top = Math.max(top, logQ.data[qi + r]! + K(j, r));
      let den = 0;
      for (let j = 0; j < keys; j++) {
        rowW[j] = 0;
        for (let r = 0; r < D; r++) {
          w[j * D + r] = Math.exp(logQ.data[qi + r]! + K(j, r) - top);
          rowW[j]! += w[j * D + r]!;
        }
        den += rowW[j]!;
      }
      // g_i · out_i = Σ_j rowW_j (g_i · v_j) / den
      const gv = new Float64Array(keys);
      let gOut = 0;
      for (let j = 0; j < keys; j++) {
        for (let c = 0; c < dv; c++) gv[j]! += g.data[gi + c]! * V(j, c);
        gOut += (rowW[j]! * gv[j]!) / den;
      }
      for (let j = 0; j < keys; j++) {
        const mij = (gv[j]! - gOut) / den;
        for (let r = 0; r < D; r++) {
          dq[qi + r]! += w[j * D + r]! * mij;
          dk[(b * m + j) * D + r]! += w[j * D + r]! * mij;
        }
        for (let c = 0; c < dv; c++) dV[(b * m + j) * dv + c]! += (rowW[j]! * g.data[gi + c]!) / den;
      }
    }
  }
  return {
    logQ: { data: dq, shape: logQ.shape },
    logK: { data: dk, shape: logK.shape },
    v: { data: dV, shape: v.shape },
  };
}
