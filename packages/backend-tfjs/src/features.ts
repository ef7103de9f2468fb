/** Fused random Fourier features and the fast Walsh–Hadamard transform, each one tfjs tidy. */
import { hostLinalg } from '@spectrans/core';
import type { Shape } from '@spectrans/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { sizeOfShape } from './broadcast.js';
import { matMul } from './matmul.js';
import { run, type Ref, type TfjsRuntime } from './runtime.js';
import { accurateTrig } from './trig.js';

/**
 * With phases p = x ω + b: `scale · cos(p)`, or with `cosSin` `scale · [cos(p), sin(p)]` along the
 * last axis (all cosines, then all sines). x (..., d), omega (d, D), bias (D) -> (..., D) or (..., 2D).
 *
 * @remarks Rahimi & Recht (2007), "Random features for large-scale kernel machines". With
 * `cosSin`, cos and sin share one phase reduction on engines that need ours.
 */
export function rffFeatures(
  rt: TfjsRuntime,
  x: Ref,
  omega: Ref,
  bias: Ref,
  scale: number,
  cosSin: boolean,
  outShape: Shape,
): Tensor {
  const { tf, fixes } = rt;
  return run(rt, [x, omega, bias], () => {
    if (sizeOfShape(outShape) === 0) return tf.zeros([...outShape]);
    const d = x.shape[x.shape.length - 1]!;
    const D = omega.shape[1]!;
    const rows = sizeOfShape(x.shape.slice(0, -1));
    const proj = d === 0 ? tf.zeros([rows, D]) : matMul(rt, tf.reshape(x.handle, [rows, d]), omega.handle);
    const phase = tf.add(proj, bias.handle);
    const flat = tf.reshape(phase, [rows * D]);
    let features: Tensor;
    if (fixes.trig) {
      const t = accurateTrig(tf, flat, { cos: true, sin: cosSin });
      features = cosSin ? tf.concat([tf.reshape(t.cos!, [rows, D]), tf.reshape(t.sin!, [rows, D])], 1) : t.cos!;
    } else {
      features = cosSin ? tf.concat([tf.cos(phase), tf.sin(phase)], 1) : tf.cos(flat);
    }
    return tf.reshape(tf.mul(features, scale), [...outShape]);
  });
}

/**
 * Unnormalised Walsh–Hadamard transform along the last axis (a power of two), natural (Hadamard)
 * order: log2(n) butterfly stages `(a, b) -> (a + b, a - b)` on pairs h = 1, 2, 4, ... apart,
 * each a reshape to (rows·n/2h, 2, h), two slices, an add, a subtract and a concat.
 */
export function fwht(rt: TfjsRuntime, x: Ref): Tensor {
  const { tf } = rt;
  return run(rt, [x], () => {
    const size = sizeOfShape(x.shape);
    const n = x.shape[x.shape.length - 1]!;
    if (size === 0) return tf.zeros([...x.shape]);
    if (rt.tuning.jsKernels) {
      // The engine's arrays are JavaScript memory: core's float64 butterfly, rounded once.
      const rows = Float64Array.from(x.handle.dataSync());
      hostLinalg.fwht(rows, n, size / n);
      return tf.tensor(Float32Array.from(rows), [...x.shape]);
    }
    let t = tf.reshape(x.handle, [size]);
    for (let h = 1; h < n; h *= 2) {
      const blocks = size / (2 * h);
      const pairs = tf.reshape(t, [blocks, 2, h]);
      const a = tf.slice(pairs, [0, 0, 0], [blocks, 1, h]);
      const b = tf.slice(pairs, [0, 1, 0], [blocks, 1, h]);
      t = tf.reshape(tf.concat([tf.add(a, b), tf.sub(a, b)], 1), [size]);
    }
    return tf.reshape(t, [...x.shape]);
  });
}
