/** Float64 references of matmul, cdist, the fused RFF op and the Walsh–Hadamard transform. */
import type { DistanceMetric } from '@spectrans/core';
import type { AccumulatedRef } from './reduce.js';
import { broadcastIndex, broadcastShape, sizeOf, type HostArray } from './ndarray.js';

/** Batched index maps of two stacks of matrices whose leading axes broadcast. */
function batchPairs(
  aShape: readonly number[],
  bShape: readonly number[],
): { batch: number[]; ia: Int32Array; ib: Int32Array } {
  const ba = aShape.slice(0, -2);
  const bb = bShape.slice(0, -2);
  const batch = broadcastShape(ba, bb);
  return { batch, ia: broadcastIndex(ba, batch), ib: broadcastIndex(bb, batch) };
}

/**
 * op(a) · op(b) over the last two axes with broadcast batch axes; `scale` is (|op(a)|·|op(b)|)_ij and
 * `k` the inner dimension.
 */
export function matmulRef(a: HostArray, b: HostArray, transposeA: boolean, transposeB: boolean): AccumulatedRef {
  const ar = a.shape[a.shape.length - 2]!;
  const ac = a.shape[a.shape.length - 1]!;
  const br = b.shape[b.shape.length - 2]!;
  const bc = b.shape[b.shape.length - 1]!;
  const [n, k] = transposeA ? [ac, ar] : [ar, ac];
  const m = transposeB ? br : bc;
  const { batch, ia, ib } = batchPairs(a.shape, b.shape);
  const count = sizeOf(batch);
  const data = new Float64Array(count * n * m);
  const scale = new Float64Array(count * n * m);
  for (let t = 0; t < count; t++) {
    const ao = ia[t]! * ar * ac;
    const bo = ib[t]! * br * bc;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        let s = 0;
        let mag = 0;
        for (let p = 0; p < k; p++) {
          const x = a.data[ao + (transposeA ? p * ac + i : i * ac + p)]!;
          const y = b.data[bo + (transposeB ? j * bc + p : p * bc + j)]!;
          s += x * y;
          mag += Math.abs(x) * Math.abs(y);
        }
        data[(t * n + i) * m + j] = s;
        scale[(t * n + i) * m + j] = mag;
      }
    }
  }
  return { data, shape: [...batch, n, m], scale, k: Math.max(k, 1) };
}

/**
 * Pairwise distances between rows of x (..., n, d) and y (..., m, d). `scale` bounds the rounding of
 * any evaluation order, including the expansion ‖x‖² + ‖y‖² − 2x·y: Σ(|x|+|y|)² for 'sqeuclidean',
 * Σ(|x|+|y|) for 'l1'.
 */
export function cdistRef(x: HostArray, y: HostArray, metric: DistanceMetric): AccumulatedRef {
  const n = x.shape[x.shape.length - 2]!;
  const m = y.shape[y.shape.length - 2]!;
  const d = x.shape[x.shape.length - 1]!;
  const { batch, ia, ib } = batchPairs(x.shape, y.shape);
  const count = sizeOf(batch);
  const data = new Float64Array(count * n * m);
  const scale = new Float64Array(count * n * m);
  for (let t = 0; t < count; t++) {
    const xo = ia[t]! * n * d;
    const yo = ib[t]! * m * d;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        let s = 0;
        let mag = 0;
        for (let p = 0; p < d; p++) {
          const u = x.data[xo + i * d + p]!;
          const v = y.data[yo + j * d + p]!;
          const diff = u - v;
          const bound = Math.abs(u) + Math.abs(v);
          if (metric === 'l1') {
            s += Math.abs(diff);
            mag += bound;
          } else {
            s += diff * diff;
            mag += bound * bound;
          }
        }
        data[(t * n + i) * m + j] = s;
        scale[(t * n + i) * m + j] = mag;
      }
    }
  }
  return { data, shape: [...batch, n, m], scale, k: Math.max(d, 1) };
}

/**
 * `exp(scale · cdist(x, y, metric))`. The result's `scale` is |e|·|scale|·(the distance's term
 * magnitude) per element: an error δ in the distance moves the result by e·|scale|·δ. `k` counts the
 * distance's terms plus the product by the scale.
 */
export function expCdistRef(x: HostArray, y: HostArray, metric: DistanceMetric, scale: number): AccumulatedRef {
  const dist = cdistRef(x, y, metric);
  const data = dist.data.map((v) => Math.exp(scale * v));
  const mags = dist.scale.map((s, i) => Math.abs(data[i]! * scale) * s);
  return { data, shape: dist.shape, scale: mags, k: dist.k + 1 };
}

/**
 * With p = x ω + b: `scale·cos(p)`, or `scale·[cos(p), sin(p)]` (all cosines, then all sines). The
 * result's `scale` is |scale|·((|x||ω|) + |b|) per element, the magnitude the phase error scales with.
 */
export function rffFeaturesRef(
  x: HostArray,
  omega: HostArray,
  bias: HostArray,
  scale: number,
  cosSin: boolean,
): AccumulatedRef {
  const d = x.shape[x.shape.length - 1]!;
  const D = omega.shape[1]!;
  const rows = d === 0 ? sizeOf(x.shape.slice(0, -1)) : x.data.length / d;
  const width = cosSin ? 2 * D : D;
  const data = new Float64Array(rows * width);
  const mags = new Float64Array(rows * width);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < D; j++) {
      const b = bias.data[j]!;
      let p = b;
      let mag = Math.abs(b);
      for (let q = 0; q < d; q++) {
        const u = x.data[r * d + q]!;
        const w = omega.data[q * D + j]!;
        p += u * w;
        mag += Math.abs(u * w);
      }
      data[r * width + j] = scale * Math.cos(p);
      mags[r * width + j] = Math.abs(scale) * mag;
      if (cosSin) {
        data[r * width + D + j] = scale * Math.sin(p);
        mags[r * width + D + j] = Math.abs(scale) * mag;
      }
    }
  }
  return { data, shape: [...x.shape.slice(0, -1), width], scale: mags, k: d + 1 };
}

/**
 * Positive random features with z = x ω: `scale·exp(t)` with t = z − ‖x‖²/2 ('none'),
 * z − max_j z_j per row ('row'), or z − ‖x‖²/2 − M with M the largest z − ‖x‖²/2 over each batch
 * element, x's last two axes (all of x for rank <= 2) ('global'). The result's `scale` is
 * |result|·(the magnitude of the exponent's terms plus that of its shift): the error of the
 * exponent, which exp turns into a relative error of the result, scales with it.
 */
export function positiveFeaturesRef(
  x: HostArray,
  omega: HostArray,
  stabilizer: 'none' | 'row' | 'global',
  scale: number,
): AccumulatedRef {
  const d = x.shape[x.shape.length - 1]!;
  const D = omega.shape[1]!;
  const rows = sizeOf(x.shape.slice(0, -1));
  const group = x.shape.length >= 2 ? x.shape[x.shape.length - 2]! : 1;
  const t = new Float64Array(rows * D);
  const mags = new Float64Array(rows * D);
  for (let r = 0; r < rows; r++) {
    let h = 0;
    for (let q = 0; q < d; q++) h += x.data[r * d + q]! ** 2 / 2;
    for (let j = 0; j < D; j++) {
      let z = 0;
      let mag = 0;
      for (let q = 0; q < d; q++) {
        const p = x.data[r * d + q]! * omega.data[q * D + j]!;
        z += p;
        mag += Math.abs(p);
      }
      t[r * D + j] = stabilizer === 'row' ? z : z - h;
      mags[r * D + j] = stabilizer === 'row' ? mag : mag + h;
    }
  }
  // The shift: per row ('row') or per group of rows ('global'); its own error scales with the
  // largest magnitude among the terms it is the maximum of.
  const span = stabilizer === 'row' ? D : stabilizer === 'global' ? group * D : 0;
  if (span > 0) {
    for (let a = 0; a < t.length; a += span) {
      let shift = -Infinity;
      let shiftMag = 0;
      for (let i = a; i < a + span; i++) {
        shift = Math.max(shift, t[i]!);
        shiftMag = Math.max(shiftMag, mags[i]!);
      }
      for (let i = a; i < a + span; i++) {
        t[i] = t[i]! - shift;
        mags[i] = mags[i]! + shiftMag;
      }
    }
  }
  const data = new Float64Array(rows * D);
  for (let i = 0; i < data.length; i++) {
    data[i] = scale * Math.exp(t[i]!);
    mags[i] = Math.abs(data[i]!) * mags[i]!;
  }
  return { data, shape: [...x.shape.slice(0, -1), D], scale: mags, k: d + 2 };
}

/** Unnormalised Walsh–Hadamard transform of each row (length n, a power of two) of the last axis. */
export function fwhtRef(x: HostArray): AccumulatedRef {
  const n = x.shape[x.shape.length - 1]!;
  const data = Float64Array.from(x.data);
  const scale = new Float64Array(data.length);
  for (let r = 0; r < data.length / n; r++) {
    let mag = 0;
    for (let i = 0; i < n; i++) mag += Math.abs(data[r * n + i]!);
    for (let h = 1; h < n; h *= 2) {
      for (let i = 0; i < n; i += 2 * h) {
        for (let j = i; j < i + h; j++) {
          const u = data[r * n + j]!;
          const v = data[r * n + j + h]!;
          data[r * n + j] = u + v;
          data[r * n + j + h] = u - v;
        }
      }
    }
    for (let i = 0; i < n; i++) scale[r * n + i] = mag;
  }
  return { data, shape: x.shape, scale, k: Math.max(Math.log2(n), 1) };
}
