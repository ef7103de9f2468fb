/**
 * The fused `logLinearAttention` op on float32: drives the kernels of csrc/attention.c (and two GEMMs
 * for the non-causal case). Other dtypes decline, and core composes the op instead.
 */
import { sizeOf } from '@spectrans/core/backend';
import type { Shape, TensorRef } from '@spectrans/core/backend';
import type { WasmHeap } from './heap.js';
import { JOB, PARALLEL_MIN_ELEMENTS, PARALLEL_MIN_FLOPS } from './jobs.js';
import type { KernelExports } from './runtime.js';
import { handleOf, type HandleStore, type WasmHandle } from './storage.js';

/** What the attention driver needs from the backend it belongs to. */
export interface AttentionContext {
  readonly store: HandleStore;
  readonly heap: WasmHeap;
  readonly kernels: KernelExports;
  /** Threads of the pool, the calling thread included. */
  readonly threads: number;
  /** Writes a job record. */
  setJob(words: readonly number[]): void;
  /** Runs the job record on `nt` threads. */
  run(nt: number): void;
  /** Runs `fill` to compute the new block `out`; disposes `out` when that throws. */
  produce(out: WasmHandle, fill: () => void): WasmHandle;
  /** The backend's float32 matmul. */
  matmul(
    a: TensorRef<WasmHandle>,
    b: TensorRef<WasmHandle>,
    transposeA: boolean,
    transposeB: boolean,
    outShape: Shape,
  ): WasmHandle;
}

/** Value columns per causal block: enough blocks to give every thread one, each a multiple of 4. */
function causalBlock(dv: number, batches: number, threads: number): number {
  const blocks = Math.min(Math.ceil(dv / 4), Math.max(1, Math.ceil(threads / batches)));
  const block = Math.ceil(Math.ceil(dv / blocks) / 4) * 4;
  return block >= dv ? dv : block;
}

/**
 * The op for one backend: float32 inputs with equal leading axes and no empty axis (core checks
 * the shapes); returns undefined for other dtypes.
 */
export function logLinearAttentionOp(
  ctx: AttentionContext,
): (
  logQ: TensorRef<WasmHandle>,
  logK: TensorRef<WasmHandle>,
  v: TensorRef<WasmHandle>,
  causal: boolean,
  outShape: Shape,
) => WasmHandle | undefined {
  const { store, heap, kernels, threads } = ctx;
  return (logQ, logK, v, causal, outShape) => {
    if (logQ.dtype !== 'float32') return undefined;
    const lead = outShape.slice(0, -2);
    const batches = sizeOf(lead);
    const n = logQ.shape[logQ.shape.length - 2]!;
    const m = logK.shape[logK.shape.length - 2]!;
    const D = logQ.shape[logQ.shape.length - 1]!;
    const dv = v.shape[v.shape.length - 1]!;
    if (causal) {
      const out = store.allocate(batches * n * dv, 'float32');
      const block = causalBlock(dv, batches, threads);
      const nt = batches * n * D * dv >= PARALLEL_MIN_FLOPS ? threads : 1;
      const scratchBytes = kernels.la_causal_scratch_floats(D, block) * 4 * nt;
      const scratch = heap.alloc(scratchBytes);
      try {
        ctx.setJob([
          JOB.laCausalF32,
          batches,
          n,
          D,
          dv,
          handleOf(logQ).ptr,
          handleOf(logK).ptr,
          handleOf(v).ptr,
          out.ptr,
          block,
          scratch,
        ]);
        return ctx.produce(out, () => ctx.run(nt));
      } finally {
        heap.free(scratch, scratchBytes);
      }
    }
    // Keys: shifts c, φ(K) and z; then S = φ(K)ᵀV; queries: φ(Q) over their denominators; out = φ(Q)S.
    const keys = keyPhase(ctx, logK, batches, m, D);
    let state: WasmHandle | undefined;
    let phiQ: WasmHandle | undefined;
    try {
      state = ctx.matmul({ handle: keys.phiK, shape: [...lead, m, D], dtype: 'float32' }, v, true, false, [
        ...lead,
        D,
        dv,
      ]);
      phiQ = queryPhase(ctx, logQ, keys, batches, n, D);
      return ctx.matmul(
        { handle: phiQ, shape: [...lead, n, D], dtype: 'float32' },
        { handle: state, shape: [...lead, D, dv], dtype: 'float32' },
        false,
        false,
        outShape,
      );
    } finally {
      for (const h of [keys.phiK, keys.shift, keys.kSum, state, phiQ]) if (h) store.dispose(h);
    }
  };
}

/** What the keys phase leaves: φ(K) = exp(ℓK − c) (batches, m, D), the shifts c and z = Σ_j φ(K)_j (batches, D). */
export interface KeyPhase {
  readonly phiK: WasmHandle;
  readonly shift: WasmHandle;
  readonly kSum: WasmHandle;
}

/** The non-causal keys phase (csrc/attention.c `la_keys_f32_job`); the caller disposes the result. */
export function keyPhase(
  ctx: AttentionContext,
  logK: TensorRef<WasmHandle>,
  batches: number,
  m: number,
  D: number,
): KeyPhase {
  const { store } = ctx;
  const phiK = store.allocate(batches * m * D, 'float32');
  const shift = store.allocate(batches * D, 'float32');
  const kSum = store.allocate(batches * D, 'float32');
  try {
    ctx.setJob([JOB.laKeysF32, batches, m, D, handleOf(logK).ptr, phiK.ptr, shift.ptr, kSum.ptr]);
    ctx.run(batches * m * D >= PARALLEL_MIN_ELEMENTS ? ctx.threads : 1);
  } catch (e) {
    for (const h of [phiK, shift, kSum]) store.dispose(h);
    throw e;
  }
  return { phiK, shift, kSum };
}

/**
 * The non-causal queries phase (`la_queries_f32_job`): P = exp(ℓQ + c − t) / den row by row,
 * (batches, n, D); the caller disposes it.
 */
export function queryPhase(
  ctx: AttentionContext,
  logQ: TensorRef<WasmHandle>,
  keys: KeyPhase,
  batches: number,
  n: number,
  D: number,
): WasmHandle {
  const { store, heap } = ctx;
  const Dp = Math.ceil(D / 4) * 4;
  const scratchBytes = 16 * Dp * ctx.threads;
  const scratch = heap.alloc(scratchBytes);
  const phiQ = store.allocate(batches * n * D, 'float32');
  try {
    ctx.setJob([JOB.laQueriesF32, batches, n, D, handleOf(logQ).ptr, keys.shift.ptr, keys.kSum.ptr, phiQ.ptr, scratch]);
    ctx.run(batches * n * D >= PARALLEL_MIN_ELEMENTS ? ctx.threads : 1);
  } catch (e) {
    store.dispose(phiQ);
    throw e;
  } finally {
    heap.free(scratch, scratchBytes);
  }
  return phiQ;
}
