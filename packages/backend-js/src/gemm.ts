/**
 * The engine behind `matmul` and `cdist`: a cache-blocked, register-tiled loop nest that combines
 * every row of A (n x k) with every column of B (k x m) under one of three reductions,
 *
 * - `'dot'`:         C[i, j] += Σ_p A[i, p] · B[p, j]
 * - `'sqeuclidean'`: C[i, j] += Σ_p (A[i, p] − B[p, j])²
 * - `'l1'`:          C[i, j] += Σ_p |A[i, p] − B[p, j]|
 *
 * accumulated in double precision into a Float64Array.
 *
 * Layout follows Goto & van de Geijn ("Anatomy of high-performance matrix multiplication", ACM TOMS
 * 34, 2008): for each block of KC steps along k, B is packed into panels of NR columns (KC x NR,
 * contiguous, float64), then for each block of MC rows A is packed into panels of MR rows; a 4 x 4
 * micro-kernel keeps its 16 accumulators in registers while it streams one A panel and one B panel.
 * Packing reads strided views, so transposed operands cost nothing extra, and converts float32 to
 * float64 on the way.
 */
import type { FloatArray } from '@spectrans/core';
import { batchOffsets as batchOffsetsOf } from './broadcast.js';

/** A strided matrix: element (i, j) is `data[off + i * rs + j * cs]`. */
export interface MatrixView {
  readonly data: FloatArray;
  readonly off: number;
  /** Row stride. */
  readonly rs: number;
  /** Column stride. */
  readonly cs: number;
}

/** How a row of A and a column of B combine. */
export type PairKind = 'dot' | 'sqeuclidean' | 'l1';

/** Rows per A panel (micro-tile height). */
export const MR = 4;
/** Columns per B panel (micro-tile width). */
export const NR = 4;
/** Steps along k per packed block (A panel MR x KC and B panel KC x NR stay in L1). */
export const KC = 256;
/** Rows per packed A block (MC x KC doubles, 128 KiB, stays in L2). */
export const MC = 64;

/** Packed buffers reused across the matrices of one batched call. */
export class PackBuffers {
  readonly a: Float64Array;
  readonly b: Float64Array;
  /** One micro-tile, for the edges of C. */
  readonly tile = new Float64Array(MR * NR);

  /** Buffers sized for products of n x k by k x m. */
  constructor(n: number, m: number, k: number) {
    const kc = Math.min(KC, k);
    this.a = new Float64Array(Math.min(MC, roundUp(n, MR)) * kc);
    this.b = new Float64Array(roundUp(m, NR) * kc);
  }
}

function roundUp(x: number, to: number): number {
  return Math.ceil(x / to) * to;
}

// Micro-kernels: 16 accumulators in locals. The panel offsets advance inside the loop body (not in
// the for-header), which lets V8 keep the loop tight (about 10% faster on x64).
type MicroKernel = (
  kc: number,
  a: Float64Array,
  ao: number,
  b: Float64Array,
  bo: number,
  c: Float64Array,
  co: number,
  ldc: number,
) => void;

function dot4x4(
  kc: number,
  a: Float64Array,
  ao: number,
  b: Float64Array,
  bo: number,
  c: Float64Array,
  co: number,
  ldc: number,
): void {
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0,
    c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0,
    c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0;
  for (let p = 0; p < kc; p++) {
    const b0 = b[bo]!,
      b1 = b[bo + 1]!,
      b2 = b[bo + 2]!,
      b3 = b[bo + 3]!;
    let x = a[ao]!;
    c00 += x * b0;
    c01 += x * b1;
    c02 += x * b2;
    c03 += x * b3;
    x = a[ao + 1]!;
    c10 += x * b0;
    c11 += x * b1;
    c12 += x * b2;
    c13 += x * b3;
    x = a[ao + 2]!;
    c20 += x * b0;
    c21 += x * b1;
    c22 += x * b2;
    c23 += x * b3;
    x = a[ao + 3]!;
    c30 += x * b0;
    c31 += x * b1;
    c32 += x * b2;
    c33 += x * b3;
    ao += 4;
    bo += 4;
  }
  c[co] = c[co]! + c00;
  c[co + 1] = c[co + 1]! + c01;
  c[co + 2] = c[co + 2]! + c02;
  c[co + 3] = c[co + 3]! + c03;
  co += ldc;
  c[co] = c[co]! + c10;
  c[co + 1] = c[co + 1]! + c11;
  c[co + 2] = c[co + 2]! + c12;
  c[co + 3] = c[co + 3]! + c13;
  co += ldc;
  c[co] = c[co]! + c20;
  c[co + 1] = c[co + 1]! + c21;
  c[co + 2] = c[co + 2]! + c22;
  c[co + 3] = c[co + 3]! + c23;
  co += ldc;
  c[co] = c[co]! + c30;
  c[co + 1] = c[co + 1]! + c31;
  c[co + 2] = c[co + 2]! + c32;
  c[co + 3] = c[co + 3]! + c33;
}

function sq4x4(
  kc: number,
  a: Float64Array,
  ao: number,
  b: Float64Array,
  bo: number,
  c: Float64Array,
  co: number,
  ldc: number,
): void {
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0,
    c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0,
    c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0;
  for (let p = 0; p < kc; p++) {
    const b0 = b[bo]!,
      b1 = b[bo + 1]!,
      b2 = b[bo + 2]!,
      b3 = b[bo + 3]!;
    let x = a[ao]!,
      d0 = x - b0,
      d1 = x - b1,
      d2 = x - b2,
      d3 = x - b3;
    c00 += d0 * d0;
    c01 += d1 * d1;
    c02 += d2 * d2;
    c03 += d3 * d3;
    x = a[ao + 1]!;
    d0 = x - b0;
    d1 = x - b1;
    d2 = x - b2;
    d3 = x - b3;
    c10 += d0 * d0;
    c11 += d1 * d1;
    c12 += d2 * d2;
    c13 += d3 * d3;
    x = a[ao + 2]!;
    d0 = x - b0;
    d1 = x - b1;
    d2 = x - b2;
    d3 = x - b3;
    c20 += d0 * d0;
    c21 += d1 * d1;
    c22 += d2 * d2;
    c23 += d3 * d3;
    x = a[ao + 3]!;
    d0 = x - b0;
    d1 = x - b1;
    d2 = x - b2;
    d3 = x - b3;
    c30 += d0 * d0;
    c31 += d1 * d1;
    c32 += d2 * d2;
    c33 += d3 * d3;
    ao += 4;
    bo += 4;
  }
  c[co] = c[co]! + c00;
  c[co + 1] = c[co + 1]! + c01;
  c[co + 2] = c[co + 2]! + c02;
  c[co + 3] = c[co + 3]! + c03;
  co += ldc;
  c[co] = c[co]! + c10;
  c[co + 1] = c[co + 1]! + c11;
  c[co + 2] = c[co + 2]! + c12;
  c[co + 3] = c[co + 3]! + c13;
  co += ldc;
  c[co] = c[co]! + c20;
  c[co + 1] = c[co + 1]! + c21;
  c[co + 2] = c[co + 2]! + c22;
  c[co + 3] = c[co + 3]! + c23;
  co += ldc;
  c[co] = c[co]! + c30;
  c[co + 1] = c[co + 1]! + c31;
  c[co + 2] = c[co + 2]! + c32;
  c[co + 3] = c[co + 3]! + c33;
}

function l14x4(
  kc: number,
  a: Float64Array,
  ao: number,
  b: Float64Array,
  bo: number,
  c: Float64Array,
  co: number,
  ldc: number,
): void {
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0,
    c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0,
    c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0;
  for (let p = 0; p < kc; p++) {
    const b0 = b[bo]!,
      b1 = b[bo + 1]!,
      b2 = b[bo + 2]!,
      b3 = b[bo + 3]!;
    let x = a[ao]!;
    c00 += Math.abs(x - b0);
    c01 += Math.abs(x - b1);
    c02 += Math.abs(x - b2);
    c03 += Math.abs(x - b3);
    x = a[ao + 1]!;
    c10 += Math.abs(x - b0);
    c11 += Math.abs(x - b1);
    c12 += Math.abs(x - b2);
    c13 += Math.abs(x - b3);
    x = a[ao + 2]!;
    c20 += Math.abs(x - b0);
    c21 += Math.abs(x - b1);
    c22 += Math.abs(x - b2);
    c23 += Math.abs(x - b3);
    x = a[ao + 3]!;
    c30 += Math.abs(x - b0);
    c31 += Math.abs(x - b1);
    c32 += Math.abs(x - b2);
    c33 += Math.abs(x - b3);
    ao += 4;
    bo += 4;
  }
  c[co] = c[co]! + c00;
  c[co + 1] = c[co + 1]! + c01;
  c[co + 2] = c[co + 2]! + c02;
  c[co + 3] = c[co + 3]! + c03;
  co += ldc;
  c[co] = c[co]! + c10;
  c[co + 1] = c[co + 1]! + c11;
  c[co + 2] = c[co + 2]! + c12;
  c[co + 3] = c[co + 3]! + c13;
  co += ldc;
  c[co] = c[co]! + c20;
  c[co + 1] = c[co + 1]! + c21;
  c[co + 2] = c[co + 2]! + c22;
  c[co + 3] = c[co + 3]! + c23;
  co += ldc;
  c[co] = c[co]! + c30;
  c[co + 1] = c[co + 1]! + c31;
  c[co + 2] = c[co + 2]! + c32;
  c[co + 3] = c[co + 3]! + c33;
}

const MICRO: { readonly [K in PairKind]: MicroKernel } = { dot: dot4x4, sqeuclidean: sq4x4, l1: l14x4 };

/**
 * Packs rows i0..i0+mc of A, steps p0..p0+kc, into panels of MR rows: panel q holds, for each step
 * p, the MR values A[i0 + q·MR + r, p0 + p] (zero past the last row).
 */
function packA(A: MatrixView, i0: number, mc: number, p0: number, kc: number, out: Float64Array): void {
  const { data, rs, cs } = A;
  let o = 0;
  for (let q = 0; q < mc; q += MR) {
    const rows = Math.min(MR, mc - q);
    const base = A.off + (i0 + q) * rs + p0 * cs;
    if (rows === MR) {
      const r0 = base;
      const r1 = base + rs,
        r2 = base + 2 * rs,
        r3 = base + 3 * rs;
      for (let p = 0, s = 0; p < kc; p++, s += cs, o += 4) {
        out[o] = data[r0 + s]!;
        out[o + 1] = data[r1 + s]!;
        out[o + 2] = data[r2 + s]!;
        out[o + 3] = data[r3 + s]!;
      }
    } else {
      for (let p = 0; p < kc; p++, o += MR) {
        for (let r = 0; r < MR; r++) out[o + r] = r < rows ? data[base + r * rs + p * cs]! : 0;
      }
    }
  }
}

/**
 * Packs steps p0..p0+kc of B, all m columns, into panels of NR columns: panel q holds, for each
 * step p, the NR values B[p0 + p, q·NR + c] (zero past the last column).
 */
function packB(B: MatrixView, p0: number, kc: number, m: number, out: Float64Array): void {
  const { data, rs, cs } = B;
  let o = 0;
  for (let q = 0; q < m; q += NR) {
    const cols = Math.min(NR, m - q);
    const base = B.off + p0 * rs + q * cs;
    if (cols === NR) {
      const c1 = base + cs,
        c2 = base + 2 * cs,
        c3 = base + 3 * cs;
      for (let p = 0, s = 0; p < kc; p++, s += rs, o += 4) {
        out[o] = data[base + s]!;
        out[o + 1] = data[c1 + s]!;
        out[o + 2] = data[c2 + s]!;
        out[o + 3] = data[c3 + s]!;
      }
    } else {
      for (let p = 0; p < kc; p++, o += NR) {
        for (let c = 0; c < NR; c++) out[o + c] = c < cols ? data[base + p * rs + c * cs]! : 0;
      }
    }
  }
}

/**
 * C[i, j] (+)= combine(A row i, B column j) for the n x m block of C at `cOff` with row stride
 * `ldc`. Adds to what C holds, so C must start at zero (or hold a partial result).
 *
 * @param n - rows of A and C.
 * @param m - columns of B and C.
 * @param k - columns of A, rows of B.
 */
export function blockedPairwise(
  kind: PairKind,
  n: number,
  m: number,
  k: number,
  A: MatrixView,
  B: MatrixView,
  C: Float64Array,
  cOff: number,
  ldc: number,
  buf: PackBuffers,
): void {
  const kernel = MICRO[kind];
  const tile = buf.tile;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = Math.min(KC, k - p0);
    packB(B, p0, kc, m, buf.b);
    for (let i0 = 0; i0 < n; i0 += MC) {
      const mc = Math.min(MC, n - i0);
      packA(A, i0, mc, p0, kc, buf.a);
      for (let j = 0; j < m; j += NR) {
        const bo = j * kc;
        const cols = Math.min(NR, m - j);
        for (let q = 0; q < mc; q += MR) {
          const rows = Math.min(MR, mc - q);
          const co = cOff + (i0 + q) * ldc + j;
          if (rows === MR && cols === NR) {
            kernel(kc, buf.a, q * kc, buf.b, bo, C, co, ldc);
          } else {
            tile.fill(0);
            kernel(kc, buf.a, q * kc, buf.b, bo, tile, 0, NR);
            for (let r = 0; r < rows; r++) {
              for (let c = 0; c < cols; c++) C[co + r * ldc + c] = C[co + r * ldc + c]! + tile[r * NR + c]!;
            }
          }
        }
      }
    }
  }
}

/**
 * The same contract as {@link blockedPairwise} with plain loops, for products too small or too
 * thin (fewer than MR rows or NR columns) for packing to pay. Walks k innermost when B's columns
 * are contiguous along k (or B is a single column), else streams rows of B into rows of C.
 */
export function simplePairwise(
  kind: PairKind,
  n: number,
  m: number,
  k: number,
  A: MatrixView,
  B: MatrixView,
  C: Float64Array,
  cOff: number,
  ldc: number,
): void {
  const { data: a, rs: ars, cs: acs } = A;
  const { data: b, rs: brs, cs: bcs } = B;
  if (kind === 'dot' && bcs === 1 && m > 1) {
    // C row i += A[i, p] * B row p: contiguous inner loop over j.
    for (let i = 0; i < n; i++) {
      const ci = cOff + i * ldc;
      for (let p = 0; p < k; p++) {
        const x = a[A.off + i * ars + p * acs]!;
        const bp = B.off + p * brs;
        for (let j = 0; j < m; j++) C[ci + j] = C[ci + j]! + x * b[bp + j]!;
      }
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const ai = A.off + i * ars;
    for (let j = 0; j < m; j++) {
      let s = 0;
      let ia = ai;
      let ib = B.off + j * bcs;
      if (kind === 'dot') {
        for (let p = 0; p < k; p++, ia += acs, ib += brs) s += a[ia]! * b[ib]!;
      } else if (kind === 'sqeuclidean') {
        for (let p = 0; p < k; p++, ia += acs, ib += brs) {
          const d = a[ia]! - b[ib]!;
          s += d * d;
        }
      } else {
        for (let p = 0; p < k; p++, ia += acs, ib += brs) s += Math.abs(a[ia]! - b[ib]!);
      }
      C[cOff + i * ldc + j] = C[cOff + i * ldc + j]! + s;
    }
  }
}

/** Whether {@link blockedPairwise} pays for an n x k by k x m problem. */
export function worthBlocking(n: number, m: number, k: number): boolean {
  return n >= MR && m >= NR && n * m * k >= 4096;
}

/** One operand of {@link batchedPairwise}: its data, batch axes and per-matrix view. */
export interface BatchedOperand {
  readonly data: FloatArray;
  /** Leading (batch) axes of the operand's shape. */
  readonly batch: readonly number[];
  /** Elements per matrix. */
  readonly matrixSize: number;
  /** Row stride of the (possibly transposed) matrix view. */
  readonly rs: number;
  /** Column stride of the (possibly transposed) matrix view. */
  readonly cs: number;
}

/**
 * Runs {@link blockedPairwise} (or {@link simplePairwise} when small) over every matrix of a batch
 * with NumPy broadcasting of the batch axes, into a new row-major array of `outBatch × n × m`
 * elements of `out`'s kind. When B is shared by the whole batch and A's matrices are stacked rows,
 * the batch is folded into one tall product, so packing B happens once.
 */
export function batchedPairwise(
  kind: PairKind,
  A: BatchedOperand,
  B: BatchedOperand,
  outBatch: readonly number[],
  n: number,
  m: number,
  k: number,
  out: FloatArray,
): FloatArray {
  let count = 1;
  for (const d of outBatch) count *= d;
  if (count === 0 || n === 0 || m === 0) return out;
  let bCount = 1;
  for (const d of B.batch) bCount *= d;
  let aCount = 1;
  for (const d of A.batch) aCount *= d;
  const foldRows = bCount === 1 && aCount === count && A.rs * n === A.matrixSize;
  const rows = foldRows ? count * n : n;
  const matrices = foldRows ? 1 : count;
  const blocked = worthBlocking(rows, m, k);
  const buf = blocked ? new PackBuffers(rows, m, k) : undefined;
  const direct = out instanceof Float64Array;
  const scratch = direct ? out : new Float64Array(rows * m);
  const offsets = foldRows ? [new Int32Array(1), new Int32Array(1)] : batchOffsetsOf([A.batch, B.batch], outBatch);
  for (let t = 0; t < matrices; t++) {
    const cOff = direct ? t * rows * m : 0;
    if (!direct && t > 0) scratch.fill(0);
    const av: MatrixView = { data: A.data, off: offsets[0]![t]! * A.matrixSize, rs: A.rs, cs: A.cs };
    const bv: MatrixView = { data: B.data, off: offsets[1]![t]! * B.matrixSize, rs: B.rs, cs: B.cs };
    if (buf) blockedPairwise(kind, rows, m, k, av, bv, scratch, cOff, m, buf);
    else simplePairwise(kind, rows, m, k, av, bv, scratch, cOff, m);
    if (!direct) out.set(scratch, t * rows * m);
  }
  return out;
}
