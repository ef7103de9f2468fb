/**
 * The backward pass of linear attention on log features, out = num / den with
 * num_i = Σ_j Σ_r exp(ℓq_ir + ℓk_jr) v_j and den_i = Σ_j Σ_r exp(ℓq_ir + ℓk_jr) (j over every key,
 * or j <= i when causal): what the tape's `logLinearAttention` entry runs, written with core ops.
 *
 * With G = dL/dout, Ĝ_i = G_i / den_i and ĥ_i = −(G_i · out_i) / den_i (the quotient rule), every
 * term exp(ℓq_ir + ℓk_jr) gets the weight M_ij = Ĝ_i · v_j + ĥ_i, and
 *   dℓq_ir = Σ_j exp(ℓq_ir + ℓk_jr) M_ij,   dℓk_jr = Σ_i exp(ℓq_ir + ℓk_jr) M_ij,
 *   dv_j = Σ_i (Σ_r exp(ℓq_ir + ℓk_jr)) Ĝ_i.
 * In matrix form with W = [Ĝ, ĥ] and V₁ = [v, 1]: M = W V₁ᵀ, so the non-causal case is five
 * products through the states S₁ = φKᵀ V₁ = [S, z] and dS₁ = φQᵀ W.
 *
 * Shifts are constants. Every term is evaluated as exp(ℓq_ir + s_r − t_i) · exp(ℓk_jr − s_r): s a
 * per-feature key shift (the keys' maximum when non-causal; when causal, a running or block
 * maximum, one per group of keys and queries) and t_i a per-query shift (its largest term), so
 * every factor is at most 1 and den_i >= 1 after the shift. s_r cancels inside each product,
 * whatever its value, and exp(−t_i) multiplies row i of both num and den, so out does not depend on
 * s or t at all: out(ℓq, ℓk, v; s, t) = out(ℓq, ℓk, v; 0, 0) for any s, t. The chain rule through
 * s(ℓ), t(ℓ) therefore adds ∂out/∂s · ∂s/∂ℓ + ∂out/∂t · ∂t/∂ℓ = 0, even where a maximum is tied and
 * ∂s/∂ℓ is not defined: the gradient is the one at fixed shifts. Inside the rule the shifts only
 * scale the terms; Ĝ and ĥ use the same shifted den, so each shift cancels in every gradient term as
 * it does in out. (The tests check it numerically: these gradients equal those of the composed ops,
 * which differentiate through the maxima.)
 */
import { SpectransError } from '../errors.js';
import { fill } from '../ops/creation.js';
import { prepare, wrap } from '../ops/dispatch.js';
import { add, exp, maximum, mul, neg, reciprocal, sub } from '../ops/elementwise.js';
import { concat, matrixTranspose, reshape, slice } from '../ops/layout.js';
import { matmul } from '../ops/linear.js';
import { max, sum } from '../ops/reduce.js';
import type { Tensor } from '../tensor.js';
import { chunkRows, half, intoFirstHalves, intoSecondHalves, LOG_ZERO, padRows } from './log-space-products.js';

/** What the rule needs besides the inputs: the forward's output, the output's gradient and which inputs want one. */
export interface LogAttentionGradArgs {
  logQ: Tensor;
  logK: Tensor;
  v: Tensor;
  /** The forward's output (..., n, dv). */
  out: Tensor;
  /** dL/dout (..., n, dv). */
  dy: Tensor;
  causal: boolean;
  /** The causal chunk (rounded up to a power of two, as the composed path does). */
  chunk: number;
  /** Which of logQ, logK, v get a gradient. */
  needs: readonly boolean[];
}

/**
 * @internal dL/dlogQ, dL/dlogK, dL/dv (undefined where not needed) of linear attention on log
 * features with equal leading axes and no mask.
 */
export function logAttentionGrads(args: LogAttentionGradArgs): (Tensor | undefined)[] {
  return fusedGrads(args) ?? (args.causal ? causalGrads(args) : fullGrads(args));
}

/** The backend's fused `logLinearAttentionGrad`, or undefined where it has none or declines the call. */
function fusedGrads({
  logQ,
  logK,
  v,
  out,
  dy,
  causal,
  needs,
}: LogAttentionGradArgs): (Tensor | undefined)[] | undefined {
  const { backend, refs, dtype } = prepare('logLinearAttentionGrad', [
    [logQ, 'logQ'],
    [logK, 'logK'],
    [v, 'v'],
    [out, 'out'],
    [dy, 'dy'],
  ]);
  const handles = backend.logLinearAttentionGrad?.(refs[0]!, refs[1]!, refs[2]!, refs[3]!, refs[4]!, causal, needs);
  if (handles === undefined) return undefined;
  // Wrapped at once, so every handle the backend gave is owned by a tensor (and freed with its
  // scope); one it gave though not asked for is freed here.
  return [logQ, logK, v].map((input, i) => {
    const h = handles[i];
    if (h === undefined) {
      if (!needs[i]) return undefined;
      throw new SpectransError(
        'ERR_BACKEND_FAILURE',
        `backend '${backend.name}': logLinearAttentionGrad returned no gradient for input ${i} (logQ, logK, v)`,
      );
    }
    if (needs[i]) return wrap(backend, h, input.shape, dtype);
    backend.dispose(h);
    return undefined;
  });
}

/** x (..., rows, c) with a column of ones appended: (..., rows, c + 1). */
function withOnes(x: Tensor): Tensor {
  const ones = fill([...x.shape.slice(0, -1), 1], 1, x.dtype, { backend: x.backend });
  return concat([x, ones], -1);
}

/** Columns [start, start + len) of x (..., rows, cols). */
function columns(x: Tensor, start: number, len: number): Tensor {
  const begin = x.shape.map((_, i) => (i === x.rank - 1 ? start : 0));
  const size = x.shape.map((s, i) => (i === x.rank - 1 ? len : s));
  return slice(x, begin, size);
}

/** W = [Ĝ, ĥ] (..., n, dv + 1) from dL/dout, out and the (shifted) denominator. */
function weightedGrad(dy: Tensor, out: Tensor, den: Tensor): Tensor {
  // den >= 1 on every row a real query owns; padding rows have dy = 0 and may have den = 0.
  const inv = reciprocal(maximum(den, 1e-30));
  return concat([mul(dy, inv), neg(mul(sum(mul(dy, out), -1, true), inv))], -1);
}

/**
 * Every key visible: keys shifted per feature by their maximum, queries by their row maximum. With
 * several leading batches the shifts are spread over the rows first (see `spread`).
 */
function fullGrads({ logQ, logK, v, out, dy, needs }: LogAttentionGradArgs): (Tensor | undefined)[] {
  const dv = v.shape[v.rank - 1]!;
  const shift = max(logK, -2, true); // (..., 1, D)
  const batched = shift.size > shift.shape[shift.rank - 1]!;
  const phiK = exp(sub(logK, batched ? spread(shift, logK.shape[logK.rank - 2]!) : shift)); // <= 1
  const shiftedQ = add(logQ, batched ? spread(shift, logQ.shape[logQ.rank - 2]!) : shift);
  const phiQ = exp(sub(shiftedQ, max(shiftedQ, -1, true))); // <= 1, each row's largest exactly 1
  const v1 = withOnes(v);
  const state = matmul(phiK, v1, { transposeA: true }); // [S, z] (..., D, dv + 1)
  const den = matmul(phiQ, columns(state, dv, 1)); // (..., n, 1), >= 1
  const w = weightedGrad(dy, out, den);
  const dq = needs[0] ? mul(phiQ, matmul(w, state, { transposeB: true })) : undefined;
  if (!needs[1] && !needs[2]) return [dq, undefined, undefined];
  const dState = matmul(phiQ, w, { transposeA: true }); // [dS, dz] (..., D, dv + 1)
  return [
    dq,
    needs[1] ? mul(phiK, matmul(v1, dState, { transposeB: true })) : undefined,
    needs[2] ? matmul(phiK, columns(dState, 0, dv)) : undefined,
  ];
}

/** x (..., N, c) as chunks (..., N/L, L, c). */
function chunked(x: Tensor, L: number): Tensor {
  const N = x.shape[x.rank - 2]!;
  return reshape(x, [...x.shape.slice(0, -2), N / L, L, x.shape[x.rank - 1]!]);
}

/** Chunks (..., B, L, c) back to rows (..., B·L, c). */
function unchunked(x: Tensor): Tensor {
  const B = x.shape[x.rank - 3]!;
  const L = x.shape[x.rank - 2]!;
  return reshape(x, [...x.shape.slice(0, -3), B * L, x.shape[x.rank - 1]!]);
}

/** x yᵀ for blocks x, y (..., G, h, c): (..., G, h, h); for h = 1 as rowwise dot products (many 1×1 products are slow to batch). */
function blockProducts(x: Tensor, y: Tensor): Tensor {
  return x.shape[x.rank - 2] === 1 ? sum(mul(x, y), -1, true) : matmul(x, y, { transposeB: true });
}

/**
 * x (..., G, 1, c) repeated to (..., G, rows, c), as a product with a column of ones: elementwise ops
 * then see equal shapes (a backend may serve only simple broadcasts natively).
 */
function spread(x: Tensor, rows: number): Tensor {
  if (rows === 1) return x;
  return matmul(fill([rows, 1], 1, x.dtype, { backend: x.backend }), x);
}

/** Entry i of axis −3 of x (..., B, r, c), keeping the axis. */
function chunkAt(x: Tensor, i: number): Tensor {
  const begin = x.shape.map((_, a) => (a === x.rank - 3 ? i : 0));
  const size = x.shape.map((s, a) => (a === x.rank - 3 ? 1 : s));
  return slice(x, begin, size);
}

/**
 * Causal, with the composed forward's shifts (see `causalLogProducts`): the diagonal and the
 * divide-and-conquer levels inside chunks of L rows, and across chunks the running per-feature key
 * maximum c_C. Across chunks the forward direction (dℓq) reads the prefix states [S, z] before each
 * chunk; the reverse direction (dℓk, dv) runs the adjoint recurrence from the last chunk,
 * R_C = U_{C+1} + exp(c_C − c_{C+1}) ⊙ R_{C+1} with U_C = φQ_Cᵀ W_C, which sums each later query's
 * term once with factors at most 1. Memory O(n·D·log L + (n/L)·D·dv).
 */
function causalGrads({ logQ, logK, v, out, dy, chunk, needs }: LogAttentionGradArgs): (Tensor | undefined)[] {
  const n = logQ.shape[logQ.rank - 2]!;
  const dv = v.shape[v.rank - 1]!;
  const L = chunkRows(chunk, n);
  const N = Math.ceil(n / L) * L;
  const B = N / L;
  const a = padRows(logQ, N, 0);
  const b = padRows(logK, N, LOG_ZERO);
  const v1 = withOnes(padRows(v, N, 0)); // padded keys have φ = 0: their ones never count
  const like = { backend: a.backend };

  // The forward's shifts: inside chunks (the diagonal and each level's F half) ...
  const diagonal = add(a, b);
  let top = max(diagonal, -1, true); // (..., N, 1)
  const shifts: { shift: Tensor; queries: Tensor }[] = [];
  for (let h = 1; h < L; h *= 2) {
    const shift = spread(max(half(b, h, 0), -2, true), h); // s_F (..., N/2h, h, D)
    const queries = add(half(a, h, 1), shift);
    shifts.push({ shift, queries });
    top = maximum(top, intoSecondHalves(max(queries, -1, true), h, LOG_ZERO));
  }
  // ... and across them: c_C the running key maximum through chunk C; chunk 0 sees no earlier chunk.
  const bc = chunked(b, L);
  const chunkMax = max(bc, -2, true); // (..., B, 1, D)
  const running: Tensor[] = [chunkAt(chunkMax, 0)];
  for (let C = 1; C < B; C++) running.push(maximum(running[C - 1]!, chunkAt(chunkMax, C)));
  const c = B === 1 ? running[0]! : concat(running, -3);
  const none = fill([...c.shape.slice(0, -3), 1, 1, c.shape[c.rank - 1]!], LOG_ZERO, c.dtype, like);
  const cBefore = B === 1 ? none : concat([none, ...running.slice(0, -1)], -3);
  const interQ = add(chunked(a, L), spread(cBefore, L));
  const tc = maximum(maximum(chunked(top, L), LOG_ZERO / 2), max(interQ, -1, true)); // (..., B, L, 1)
  const t = unchunked(tc);

  // Features (every one at most 1) and the denominator, as the forward formed them.
  const phiQx = exp(sub(interQ, tc)); // queries against earlier chunks' keys (0 in chunk 0)
  const phiKc = exp(sub(bc, spread(c, L))); // keys shifted by the running maximum through their chunk
  const v1c = chunked(v1, L);
  const chunkStates = matmul(phiKc, v1c, { transposeA: true }); // (..., B, D, dv + 1)
  const zero = fill([...chunkStates.shape.slice(0, -3), 1, ...chunkStates.shape.slice(-2)], 0, c.dtype, like);
  const prefix = prefixStates(chunkStates, running, zero); // [S, z] before each chunk
  const diag = exp(sub(diagonal, t)); // (..., N, D)
  let den = sum(diag, -1, true);
  if (B > 1) den = add(den, unchunked(matmul(phiQx, columns(prefix, dv, 1))));
  const levels = shifts.map(({ shift, queries }, i) => {
    const h = 2 ** i;
    const phiK = exp(sub(half(b, h, 0), shift)); // (..., N/2h, h, D)
    const phiQ = exp(sub(queries, half(t, h, 1)));
    const weights = blockProducts(phiQ, phiK); // (..., N/2h, h, h)
    den = add(den, intoSecondHalves(sum(weights, -1, true), h, 0));
    return { h, phiK, phiQ, weights };
  });

  const w = weightedGrad(padRows(dy, N, 0), padRows(out, N, 0), den); // (..., N, dv + 1)
  const gHat = columns(w, 0, dv);
  const wc = chunked(w, L);
  const mDiag = sum(mul(w, v1), -1, true); // M_ii
  let dq = needs[0] ? mul(diag, mDiag) : undefined;
  let dk = needs[1] ? mul(diag, mDiag) : undefined;
  let dv_ = needs[2] ? mul(sum(diag, -1, true), gHat) : undefined;
  for (const { h, phiK, phiQ, weights } of levels) {
    const m = blockProducts(half(w, h, 1), half(v1, h, 0)); // M_SF (..., N/2h, h, h)
    if (dq) dq = add(dq, intoSecondHalves(mul(phiQ, matmul(m, phiK)), h, 0));
    if (dk) dk = add(dk, intoFirstHalves(mul(phiK, matmul(m, phiQ, { transposeA: true })), h));
    if (dv_) dv_ = add(dv_, intoFirstHalves(matmul(weights, half(gHat, h, 1), { transposeA: true }), h));
  }
  if (B > 1) {
    if (dq) dq = add(dq, unchunked(mul(phiQx, matmul(wc, prefix, { transposeB: true }))));
    if (dk || dv_) {
      const u = matmul(phiQx, wc, { transposeA: true }); // U_C (..., B, D, dv + 1)
      const later = suffixStates(u, running, zero);
      if (dk) dk = add(dk, unchunked(mul(phiKc, matmul(v1c, later, { transposeB: true }))));
      if (dv_) dv_ = add(dv_, unchunked(matmul(phiKc, columns(later, 0, dv))));
    }
  }
  const rows = (x: Tensor | undefined): Tensor | undefined =>
    x &&
    (N === n
      ? x
      : slice(
          x,
          x.shape.map(() => 0),
          [...x.shape.slice(0, -2), n, x.shape[x.rank - 1]!],
        ));
  return [rows(dq), rows(dk), rows(dv_)];
}

/**
 * P_C = the states of chunks before C, shifted by c_{C−1}: P_0 = 0, P_1 = X_0,
 * P_C = exp(c_{C−2} − c_{C−1}) ⊙ P_{C−1} + X_{C−1}. Returns (..., B, D, dv + 1).
 */
function prefixStates(x: Tensor, running: readonly Tensor[], zero: Tensor): Tensor {
  const B = running.length;
  const out: Tensor[] = [zero];
  for (let C = 1; C < B; C++) {
    const own = chunkAt(x, C - 1);
    if (C === 1) out.push(own);
    else {
      const decay = matrixTranspose(exp(sub(running[C - 2]!, running[C - 1]!))); // <= 1
      out.push(add(mul(out[C - 1]!, decay), own));
    }
  }
  return B === 1 ? zero : concat(out, -3);
}

/**
 * R_C = Σ_{C' > C} exp(c_C − c_{C'−1}) ⊙ U_{C'}, by R_{B−1} = 0, R_C = U_{C+1} + exp(c_C − c_{C+1}) ⊙ R_{C+1}.
 * Returns (..., B, D, dv + 1).
 */
function suffixStates(u: Tensor, running: readonly Tensor[], zero: Tensor): Tensor {
  const B = running.length;
  const out: Tensor[] = new Array<Tensor>(B);
  out[B - 1] = zero;
  for (let C = B - 2; C >= 0; C--) {
    const own = chunkAt(u, C + 1);
    if (C === B - 2) out[C] = own;
    else {
      const decay = matrixTranspose(exp(sub(running[C]!, running[C + 1]!))); // <= 1
      out[C] = add(own, mul(out[C + 1]!, decay));
    }
  }
  return concat(out, -3);
}
