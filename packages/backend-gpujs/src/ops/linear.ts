/** Batched matrix products and pairwise distances: one thread per output element, blocked sums. */
import type { DistanceMetric, Shape } from '@spectrans/core';
import { linear, MAX_TERMS_PER_THREAD, sumLoop, unflatten, type KernelSource } from '../codegen/source.js';
import { broadcastStrides, coalesceAxes, sizeOf } from '@spectrans/core/backend';
import type { Runtime } from '../runtime.js';
import type { Storage } from '../storage.js';
import type { Operand } from './operand.js';
import { reduce } from './reduce.js';

/** Strides of the leading (batch) axes of `shape` under broadcasting to `batch`, in elements. */
function batchStrides(shape: Shape, batch: Shape): number[] {
  const rows = shape[shape.length - 2]!;
  const cols = shape[shape.length - 1]!;
  return broadcastStrides(shape.slice(0, -2), batch).map((s) => s * rows * cols);
}

/**
 * Emits the flat offsets where output element `flat` (over `[...batch, n, m]`) starts reading in
 * each operand, given each operand's strides over those axes.
 */
function baseOffsets(
  src: KernelSource,
  flat: string,
  outShape: Shape,
  strides: readonly (readonly number[])[],
): string[] {
  const { dims, strides: s } = coalesceAxes(outShape, strides);
  if (dims.length === 0) return strides.map(() => '0');
  const coords = dims.length === 1 ? [flat] : unflatten(src, flat, dims);
  return s.map((st) => src.let('base', linear(coords, st)));
}

/** The terms of one thread: index `term(k)` for k in [0, count), `global(k)` the index along the full sum. */
interface TermRange {
  readonly count: number;
  global(k: string): string;
  readonly guard?: (k: string) => string;
}

/**
 * Runs a kernel that sums `k` terms per output element. Sums longer than MAX_TERMS_PER_THREAD
 * are split: chunk c of every element is computed by its own invocation, then the chunks are
 * summed by a reduction (split-k).
 */
function accumulate(
  rt: Runtime,
  op: string,
  size: number,
  k: number,
  inputs: readonly Storage[],
  emit: (src: KernelSource, flat: string, range: TermRange) => string,
): Storage {
  const chunks = k > MAX_TERMS_PER_THREAD ? Math.ceil(k / MAX_TERMS_PER_THREAD) : 1;
  const per = Math.ceil(k / chunks);
  const src = rt.source(inputs.length);
  let flat = 'i';
  let range: TermRange = { count: k, global: (kk) => kk };
  if (chunks > 1) {
    const [chunk, element] = unflatten(src, 'i', [chunks, size]);
    flat = element!;
    range = {
      count: per,
      global: (kk) => `(${chunk} * ${per} + ${kk})`,
      ...(k % per === 0 ? {} : { guard: (kk: string) => `${chunk} * ${per} + ${kk} < ${k}` }),
    };
  }
  const partial = rt.run({ op, source: src.build(emit(src, flat, range)), size: chunks * size, inputs });
  if (chunks === 1) return partial;
  try {
    return reduce(rt, 'sum', { shape: [chunks, size], storage: partial }, 0);
  } finally {
    partial.release();
  }
}

/** op(a) (..., n, k) @ op(b) (..., k, m) with broadcast batch axes. */
export function matmul(
  rt: Runtime,
  a: Operand,
  b: Operand,
  transposeA: boolean,
  transposeB: boolean,
  outShape: Shape,
): Storage {
  const size = sizeOf(outShape);
  if (size === 0) return rt.empty();
  const batch = outShape.slice(0, -2);
  const aCols = a.shape[a.shape.length - 1]!;
  const bCols = b.shape[b.shape.length - 1]!;
  const k = transposeA ? a.shape[a.shape.length - 2]! : aCols;
  // element (i, kk) of op(a) sits at i * aRow + kk * aK; element (kk, j) of op(b) at kk * bK + j * bCol
  const [aRow, aK] = transposeA ? [1, aCols] : [aCols, 1];
  const [bK, bCol] = transposeB ? [1, bCols] : [bCols, 1];
  return accumulate(rt, 'matmul', size, k, [a.storage, b.storage], (src, flat, range) => {
    const [baseA, baseB] = baseOffsets(src, flat, outShape, [
      [...batchStrides(a.shape, batch), aRow, 0],
      [...batchStrides(b.shape, batch), 0, bCol],
    ]);
    return sumLoop(
      src,
      range.count,
      (kk) => ({
        value: `t0[${baseA} + ${scaled(range.global(kk), aK)}] * t1[${baseB} + ${scaled(range.global(kk), bK)}]`,
      }),
      range.guard,
    );
  });
}

/** Pairwise squared Euclidean or L1 distances between rows, summing differences (never negative). */
export function cdist(rt: Runtime, x: Operand, y: Operand, metric: DistanceMetric, outShape: Shape): Storage {
  const size = sizeOf(outShape);
  if (size === 0) return rt.empty();
  const batch = outShape.slice(0, -2);
  const d = x.shape[x.shape.length - 1]!;
  return accumulate(rt, 'cdist', size, d, [x.storage, y.storage], (src, flat, range) => {
    const [baseX, baseY] = baseOffsets(src, flat, outShape, [
      [...batchStrides(x.shape, batch), d, 0],
      [...batchStrides(y.shape, batch), 0, d],
    ]);
    return sumLoop(
      src,
      range.count,
      (kk) => {
        const diff = src.fresh('df');
        const g = range.global(kk);
        return {
          lines: [`const ${diff} = t0[${baseX} + ${g}] - t1[${baseY} + ${g}];`],
          value: metric === 'l1' ? `Math.abs(${diff})` : `${diff} * ${diff}`,
        };
      },
      range.guard,
    );
  });
}

function scaled(k: string, stride: number): string {
  return stride === 1 ? k : `${k} * ${stride}`;
}
