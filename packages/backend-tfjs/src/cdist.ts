/** Pairwise distances between rows, without the (n, m, d) difference tensor. */
import type { DistanceMetric, Shape } from '@spectrans/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { padShape, sameShape, sizeOfShape } from './broadcast.js';
import type { Tf } from './engines.js';
import { batchedMatmul } from './matmul.js';
import { run, type Ref, type TfjsRuntime } from './runtime.js';

/** Elements of one (batch, rows, cols, d) block of differences; blocks are computed one at a time. */
export const CDIST_BLOCK_ELEMENTS = 1 << 20;

/**
 * Distances between the rows of x (..., n, d) and y (..., m, d): (..., n, m).
 *
 * @remarks `l1`, and `sqeuclidean` up to the engine's `cdistDirectMaxElements`, sum |x - y| or
 * (x - y)² over blocks of rows and columns, so no more than CDIST_BLOCK_ELEMENTS differences exist
 * at once and each distance has the accuracy of a d-term sum (cdist(x, x) has an exact zero
 * diagonal). Larger `sqeuclidean` problems use the Gram form `|x|² + |y|² - 2 x·yᵀ` (one matmul) on
 * inputs centred on y's row mean c, which bounds the cancellation error by about
 * d·eps·(|x - c|² + |y - c|²); results are clamped at 0.
 */
export function cdist(rt: TfjsRuntime, x: Ref, y: Ref, metric: DistanceMetric, outShape: Shape): Tensor {
  const { tf } = rt;
  return run(rt, [x, y], () => {
    const d = x.shape[x.shape.length - 1]!;
    if (sizeOfShape(outShape) === 0 || d === 0) return tf.zeros([...outShape]);
    const batch = outShape.slice(0, -2);
    const n = outShape[outShape.length - 2]!;
    const m = outShape[outShape.length - 1]!;
    const [bx, by] = alignBatches(tf, x, y, batch);
    const work = sizeOfShape(batch) * n * m * d;
    const gram = metric === 'sqeuclidean' && work > rt.tuning.cdistDirectMaxElements;
    const out = gram
      ? gramForm(rt, bx, by, batch)
      : rt.tuning.jsKernels
        ? loops(tf, bx, by, metric)
        : blockwise(tf, bx, by, metric);
    return tf.reshape(out, [...outShape]);
  });
}

/**
 * x and y as (Bx, n, d) and (By, m, d) with Bx, By each 1 or the full batch size B, so that
 * (Bx, n, 1, d) - (By, 1, m, d) broadcasts to (B, n, m, d); other batch broadcasts are tiled.
 */
function alignBatches(tf: Tf, x: Ref, y: Ref, batch: Shape): [Tensor, Tensor] {
  const size = sizeOfShape(batch);
  const flat = (r: Ref): Tensor => {
    const own = padShape(r.shape.slice(0, -2), batch.length);
    const mat = r.shape.slice(-2);
    const t =
      sizeOfShape(own) === 1 || sameShape(own, batch)
        ? r.handle
        : tf.broadcastTo(tf.reshape(r.handle, [...own, ...mat]), [...batch, ...mat]);
    return tf.reshape(t, [sizeOfShape(own) === 1 ? 1 : size, mat[0]!, mat[1]!]);
  };
  return [flat(x), flat(y)];
}

/** Exact difference form over blocks of rows and columns. Returns (B, n, m). */
function blockwise(tf: Tf, x: Tensor, y: Tensor, metric: DistanceMetric): Tensor {
  const [bx, n, d] = x.shape as [number, number, number];
  const [by, m] = y.shape as [number, number, number];
  const b = Math.max(bx, by);
  const cols = Math.min(m, Math.max(1, Math.floor(CDIST_BLOCK_ELEMENTS / (b * d))));
  const rows = Math.min(n, Math.max(1, Math.floor(CDIST_BLOCK_ELEMENTS / (b * d * cols))));
  const block = (xs: Tensor, ys: Tensor): Tensor =>
    tf.tidy(() => {
      const diff = tf.sub(tf.expandDims(xs, 2), tf.expandDims(ys, 1)); // (B, r, c, d)
      return tf.sum(metric === 'l1' ? tf.abs(diff) : tf.square(diff), 3);
    });
  if (rows === n && cols === m) return block(x, y);
  const rowBlocks: Tensor[] = [];
  for (let r0 = 0; r0 < n; r0 += rows) {
    const r = Math.min(rows, n - r0);
    const xs = tf.slice(x, [0, r0, 0], [bx, r, d]);
    const colBlocks: Tensor[] = [];
    for (let c0 = 0; c0 < m; c0 += cols) {
      const c = Math.min(cols, m - c0);
      colBlocks.push(block(xs, tf.slice(y, [0, c0, 0], [by, c, d])));
    }
    rowBlocks.push(colBlocks.length === 1 ? colBlocks[0]! : tf.concat(colBlocks, 2));
  }
  return rowBlocks.length === 1 ? rowBlocks[0]! : tf.concat(rowBlocks, 1);
}

/**
 * The exact difference form as loops over the engine's own arrays (engines with `jsKernels`):
 * each distance is a d-term sum accumulated in double, then rounded once. Returns (B, n, m).
 */
function loops(tf: Tf, x: Tensor, y: Tensor, metric: DistanceMetric): Tensor {
  const [bx, n, d] = x.shape as [number, number, number];
  const [by, m] = y.shape as [number, number, number];
  const b = Math.max(bx, by);
  const xs = x.dataSync() as Float32Array;
  const ys = y.dataSync() as Float32Array;
  const out = new Float32Array(b * n * m);
  for (let k = 0; k < b; k++) {
    const xo = bx === 1 ? 0 : k * n * d;
    const yo = by === 1 ? 0 : k * m * d;
    for (let i = 0; i < n; i++) {
      const xi = xo + i * d;
      for (let j = 0; j < m; j++) {
        const yj = yo + j * d;
        let acc = 0;
        if (metric === 'l1') for (let t = 0; t < d; t++) acc += Math.abs(xs[xi + t]! - ys[yj + t]!);
        else
          for (let t = 0; t < d; t++) {
            const diff = xs[xi + t]! - ys[yj + t]!;
            acc += diff * diff;
          }
        out[(k * n + i) * m + j] = acc;
      }
    }
  }
  return tf.tensor3d(out, [b, n, m]);
}

/** |x - c|² + |y - c|² - 2 (x - c)·(y - c), c = mean of y's rows, clamped at 0. Returns (B, n, m). */
function gramForm(rt: TfjsRuntime, x: Tensor, y: Tensor, batch: Shape): Tensor {
  const { tf } = rt;
  const centre = tf.mean(y, 1, true); // (By, 1, d)
  const xc = tf.sub(x, centre);
  const yc = tf.sub(y, centre);
  const xx = tf.sum(tf.square(xc), 2, true); // (B, n, 1)
  const yy = tf.expandDims(tf.sum(tf.square(yc), 2), 1); // (B, 1, m)
  const xy = tf.reshape(batchedMatmul(rt, xc, yc, false, true, [sizeOfShape(batch)]), [-1, x.shape[1]!, y.shape[1]!]);
  return tf.relu(tf.sub(tf.add(xx, yy), tf.mul(xy, 2)));
}
