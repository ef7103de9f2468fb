/**
 * The fused `logLinearAttentionGrad` op on float32, non-causal: the backward pass of
 * `logLinearAttention` as the forward's two phases plus four GEMMs, two of them with the
 * elementwise factor fused into their epilogue. Causal calls and other dtypes decline, and core
 * runs its rule written with core ops.
 *
 * With the forward's shifts (constants for the gradient, see core's `log-attention-grads.ts`),
 * P = exp(ℓQ + c − t) / den (the queries phase), φK = exp(ℓK − c) (the keys phase),
 * V₁ = [v, 1], S₁ = φKᵀ V₁ = [S, z] and G₁ = [dy, −dy·out] row by row:
 *   dℓQ = P ⊙ (G₁ S₁ᵀ),   dS₁ = Pᵀ G₁ = [dS, dz],   dℓK = φK ⊙ (V₁ dS₁ᵀ),   dv = φK dS.
 * Every factor is at most 1 (P ≤ 1/den ≤ 1), as in the forward.
 */
import { sizeOf } from '@spectrans/core/backend';
import type { Shape, TensorRef } from '@spectrans/core/backend';
import { keyPhase, queryPhase, type AttentionContext } from './attention.js';
import { handleOf, type WasmHandle } from './storage.js';

type Ref = TensorRef<WasmHandle>;

/** What the gradient needs besides the forward's context: a product times an elementwise factor. */
export interface AttentionGradContext extends AttentionContext {
  /** F ⊙ (op(a) op(b)), F laid out as the product (outShape). */
  matmulTimes(
    a: Ref,
    b: Ref,
    transposeA: boolean,
    transposeB: boolean,
    outShape: Shape,
    factor: WasmHandle,
  ): WasmHandle;
}

/** The op for one backend (see the module comment); returns undefined for the calls it declines. */
export function logLinearAttentionGradOp(
  ctx: AttentionGradContext,
): (
  logQ: Ref,
  logK: Ref,
  v: Ref,
  out: Ref,
  dy: Ref,
  causal: boolean,
  needs: readonly boolean[],
) => (WasmHandle | undefined)[] | undefined {
  const { store, kernels } = ctx;
  return (logQ, logK, v, out, dy, causal, needs) => {
    if (causal || logQ.dtype !== 'float32') return undefined;
    const rank = logQ.shape.length;
    const lead = logQ.shape.slice(0, -2);
    const batches = sizeOf(lead);
    const n = logQ.shape[rank - 2]!;
    const m = logK.shape[rank - 2]!;
    const D = logQ.shape[rank - 1]!;
    const dv = v.shape[rank - 1]!;
    const f32 = (handle: WasmHandle, ...shape: number[]): Ref => ({
      handle,
      shape: [...lead, ...shape],
      dtype: 'float32',
    });
    const temps: WasmHandle[] = [];
    const temp = (h: WasmHandle): WasmHandle => (temps.push(h), h);
    const results: (WasmHandle | undefined)[] = [undefined, undefined, undefined];
    try {
      const keys = keyPhase(ctx, logK, batches, m, D);
      temps.push(keys.phiK, keys.shift, keys.kSum);
      const v1 = temp(store.allocate(batches * m * (dv + 1), 'float32'));
      kernels.la_augment_rows_f32(handleOf(v).ptr, batches * m, dv, 0, v1.ptr);
      const g1 = temp(store.allocate(batches * n * (dv + 1), 'float32'));
      kernels.la_augment_rows_f32(handleOf(dy).ptr, batches * n, dv, handleOf(out).ptr, g1.ptr);
      const p = temp(queryPhase(ctx, logQ, keys, batches, n, D));
      const phiK = f32(keys.phiK, m, D);
      if (needs[0]) {
        const s1 = temp(ctx.matmul(phiK, f32(v1, m, dv + 1), true, false, [...lead, D, dv + 1]));
        results[0] = ctx.matmulTimes(f32(g1, n, dv + 1), f32(s1, D, dv + 1), false, true, [...lead, n, D], p);
      }
      if (needs[1] || needs[2]) {
        const dS1 = temp(ctx.matmul(f32(p, n, D), f32(g1, n, dv + 1), true, false, [...lead, D, dv + 1]));
        if (needs[1])
          results[1] = ctx.matmulTimes(
            f32(v1, m, dv + 1),
            f32(dS1, D, dv + 1),
            false,
            true,
            [...lead, m, D],
            keys.phiK,
          );
        if (needs[2]) {
          // dS: the first dv columns of dS₁ (D·dv floats, a cheap copy next to the m·D·dv product).
          const dS = temp(store.allocate(batches * D * dv, 'float32'));
          kernels.copy_rows(dS.ptr, dS1.ptr, batches * D, dv * 4, (dv + 1) * 4);
          results[2] = ctx.matmul(phiK, f32(dS, D, dv), false, false, [...lead, m, dv]);
        }
      }
      return results;
    } catch (e) {
      for (const h of results) if (h) store.dispose(h);
      throw e;
    } finally {
      for (const h of temps) store.dispose(h);
    }
  };
}
