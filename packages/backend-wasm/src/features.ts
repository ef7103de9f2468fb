/**
 * The optional `positiveFeatures` op on float32: the GEMM z = x ω written into the output, then one
 * threaded pass of csrc/features.c turning it into the features in place ('global' takes two: the
 * row maxima, then the features). Other dtypes decline, and core composes the op.
 */
import { sizeOf } from '@spectrans/core/backend';
import type { PositiveFeatureStabilizer, Shape, TensorRef } from '@spectrans/core/backend';
import type { AttentionContext } from './attention.js';
import { float32Bits, JOB, PARALLEL_MIN_ELEMENTS } from './jobs.js';
import { handleOf, type WasmHandle } from './storage.js';

const MODE: Readonly<Record<PositiveFeatureStabilizer, number>> = { none: 0, row: 1, global: 2 };

export function positiveFeaturesOp(
  ctx: AttentionContext,
): (
  x: TensorRef<WasmHandle>,
  omega: TensorRef<WasmHandle>,
  stabilizer: PositiveFeatureStabilizer,
  scale: number,
  outShape: Shape,
) => WasmHandle | undefined {
  return (x, omega, stabilizer, scale, _outShape) => {
    if (x.dtype !== 'float32' || omega.dtype !== 'float32') return undefined;
    const d = x.shape[x.shape.length - 1]!;
    const D = omega.shape[1]!;
    const rows = sizeOf(x.shape.slice(0, -1));
    const out = ctx.matmul({ handle: x.handle, shape: [rows, d], dtype: 'float32' }, omega, false, false, [rows, D]);
    if (rows * D === 0) return out;
    // 'global': one maximum per batch element, x's last two axes (all of x for rank <= 2).
    const group = x.shape.length >= 2 ? x.shape[x.shape.length - 2]! : 1;
    const nt = rows * D >= PARALLEL_MIN_ELEMENTS ? ctx.threads : 1;
    const words = (phase: number, maxima: number): number[] => [
      JOB.posFeaturesF32,
      MODE[stabilizer],
      phase,
      rows,
      d,
      D,
      handleOf(x).ptr,
      out.ptr,
      float32Bits(scale),
      group,
      maxima,
    ];
    if (stabilizer !== 'global') {
      ctx.setJob(words(0, 0));
      return ctx.produce(out, () => ctx.run(nt));
    }
    const maximaBytes = rows * 4;
    const maxima = ctx.heap.alloc(maximaBytes);
    try {
      return ctx.produce(out, () => {
        ctx.setJob(words(0, maxima));
        ctx.run(nt);
        ctx.setJob(words(1, maxima));
        ctx.run(nt);
      });
    } finally {
      ctx.heap.free(maxima, maximaBytes);
    }
  };
}
