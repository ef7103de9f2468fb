/** Fused random Fourier features and the fast Walsh–Hadamard transform. */
import type { DType, FloatArray } from '@spectrans/core';
import { allocate } from './storage.js';

/** Writes one feature of phase p = t + b: `scale·cos(p)` at column j, and with `cosSin` also `scale·sin(p)` at D + j. */
function emit(
  out: FloatArray,
  o: number,
  j: number,
  D: number,
  t: number,
  b: number,
  scale: number,
  cosSin: boolean,
): void {
  const phase = t + b;
  out[o + j] = scale * Math.cos(phase);
  if (cosSin) out[o + D + j] = scale * Math.sin(phase);
}

/**
 * Random Fourier features in one pass, with phases p = x ω + b: `scale · cos(p)` or, with
 * `cosSin`, `scale · [cos(p), sin(p)]` (all cosines, then all sines), for every row of x (..., d).
 *
 * The projection is register-tiled: each 4-row by 4-column tile of `x ω` is accumulated in 16
 * local doubles (Σ over d in index order, like a plain dot product) and turned into features as it
 * leaves the registers, so no projection matrix, and no row buffer either, is ever stored. Rows and
 * columns left over at the edges take a scalar loop.
 *
 * @param rows - number of rows of x (the product of its leading axes).
 * @param omega - frequencies (d, D), row-major.
 * @param bias - phases (D), added to both halves with `cosSin`.
 */
export function rffFeatures(
  x: FloatArray,
  omega: FloatArray,
  bias: FloatArray,
  rows: number,
  d: number,
  D: number,
  scale: number,
  cosSin: boolean,
  dtype: DType,
): FloatArray {
  const width = cosSin ? 2 * D : D;
  const out = allocate(dtype, rows * width);
  const fullRows = rows - (rows % 4);
  const fullCols = D - (D % 4);
  for (let r = 0; r < fullRows; r += 4) {
    const x0 = r * d;
    const x1 = x0 + d;
    const x2 = x1 + d;
    const x3 = x2 + d;
    const o0 = r * width;
    const o1 = o0 + width;
    const o2 = o1 + width;
    const o3 = o2 + width;
    for (let j = 0; j < fullCols; j += 4) {
      let t00 = 0,
        t01 = 0,
        t02 = 0,
        t03 = 0,
        t10 = 0,
        t11 = 0,
        t12 = 0,
        t13 = 0;
      let t20 = 0,
        t21 = 0,
        t22 = 0,
        t23 = 0,
        t30 = 0,
        t31 = 0,
        t32 = 0,
        t33 = 0;
      let w = j;
      for (let p = 0; p < d; p++) {
        const w0 = omega[w]!,
          w1 = omega[w + 1]!,
          w2 = omega[w + 2]!,
          w3 = omega[w + 3]!;
        let v = x[x0 + p]!;
        t00 += v * w0;
        t01 += v * w1;
        t02 += v * w2;
        t03 += v * w3;
        v = x[x1 + p]!;
        t10 += v * w0;
        t11 += v * w1;
        t12 += v * w2;
        t13 += v * w3;
        v = x[x2 + p]!;
        t20 += v * w0;
        t21 += v * w1;
        t22 += v * w2;
        t23 += v * w3;
        v = x[x3 + p]!;
        t30 += v * w0;
        t31 += v * w1;
        t32 += v * w2;
        t33 += v * w3;
        w += D;
      }
      const b0 = bias[j]!,
        b1 = bias[j + 1]!,
        b2 = bias[j + 2]!,
        b3 = bias[j + 3]!;
      emit(out, o0, j, D, t00, b0, scale, cosSin);
      emit(out, o0, j + 1, D, t01, b1, scale, cosSin);
      emit(out, o0, j + 2, D, t02, b2, scale, cosSin);
      emit(out, o0, j + 3, D, t03, b3, scale, cosSin);
      emit(out, o1, j, D, t10, b0, scale, cosSin);
      emit(out, o1, j + 1, D, t11, b1, scale, cosSin);
      emit(out, o1, j + 2, D, t12, b2, scale, cosSin);
      emit(out, o1, j + 3, D, t13, b3, scale, cosSin);
      emit(out, o2, j, D, t20, b0, scale, cosSin);
      emit(out, o2, j + 1, D, t21, b1, scale, cosSin);
      emit(out, o2, j + 2, D, t22, b2, scale, cosSin);
      emit(out, o2, j + 3, D, t23, b3, scale, cosSin);
      emit(out, o3, j, D, t30, b0, scale, cosSin);
      emit(out, o3, j + 1, D, t31, b1, scale, cosSin);
      emit(out, o3, j + 2, D, t32, b2, scale, cosSin);
      emit(out, o3, j + 3, D, t33, b3, scale, cosSin);
    }
    for (let j = fullCols; j < D; j++) {
      for (let i = 0; i < 4; i++)
        emit(out, o0 + i * width, j, D, dot(x, x0 + i * d, omega, j, D, d), bias[j]!, scale, cosSin);
    }
  }
  for (let r = fullRows; r < rows; r++) {
    for (let j = 0; j < D; j++) emit(out, r * width, j, D, dot(x, r * d, omega, j, D, d), bias[j]!, scale, cosSin);
  }
  return out;
}

/** Σ_p x[xo + p] · omega[p·D + j]: one entry of the projection. */
function dot(x: FloatArray, xo: number, omega: FloatArray, j: number, D: number, d: number): number {
  let s = 0;
  for (let p = 0, w = j; p < d; p++, w += D) s += x[xo + p]! * omega[w]!;
  return s;
}

/**
 * Unnormalised fast Walsh–Hadamard transform of every row of length `n` (a power of two), in
 * natural (Sylvester) order, so that applying it twice multiplies by n. Butterflies run in double
 * precision on one row buffer; the result is rounded once into `dtype`.
 */
export function fwht(x: FloatArray, n: number, dtype: DType): FloatArray {
  const out = allocate(dtype, x.length);
  const count = n === 0 ? 0 : x.length / n;
  const row = new Float64Array(n);
  for (let r = 0; r < count; r++) {
    const base = r * n;
    for (let i = 0; i < n; i++) row[i] = x[base + i]!;
    for (let h = 1; h < n; h *= 2) {
      for (let i = 0; i < n; i += 2 * h) {
        for (let j = i; j < i + h; j++) {
          const p = row[j]!;
          const q = row[j + h]!;
          row[j] = p + q;
          row[j + h] = p - q;
        }
      }
    }
    out.set(row, base);
  }
  return out;
}
