/**
 * Elementwise ops: unary functions, binary functions with NumPy broadcasting, `where` and `cast`.
 * Every value is computed in double precision and rounded once when stored into a float32 array.
 */
import { sizeOf } from '@spectrans/core';
import type { DType, FloatArray } from '@spectrans/core';
import type { BinaryOp, UnaryOp } from '@spectrans/core/backend';
import { broadcastStrides, coalesce, RowCursor } from './broadcast.js';
import { allocate } from './storage.js';

// ---- unary ---------------------------------------------------------------------------------------

/**
 * `op` applied to every element of `x`, into a new array of `dtype`.
 * Semantics: `elu` uses alpha = 1; `sign(±0) = 0`; `relu` and `sign` pass NaN.
 */
export function unary(op: UnaryOp, x: FloatArray, dtype: DType): FloatArray {
  const n = x.length;
  const o = allocate(dtype, n);
  switch (op) {
    case 'neg':
      for (let i = 0; i < n; i++) o[i] = -x[i]!;
      break;
    case 'abs':
      for (let i = 0; i < n; i++) o[i] = Math.abs(x[i]!);
      break;
    case 'exp':
      for (let i = 0; i < n; i++) o[i] = Math.exp(x[i]!);
      break;
    case 'log':
      for (let i = 0; i < n; i++) o[i] = Math.log(x[i]!);
      break;
    case 'sqrt':
      for (let i = 0; i < n; i++) o[i] = Math.sqrt(x[i]!);
      break;
    case 'square':
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        o[i] = v * v;
      }
      break;
    case 'reciprocal':
      for (let i = 0; i < n; i++) o[i] = 1 / x[i]!;
      break;
    case 'sin':
      // V8's Math.sin/cos (fdlibm) reduce the argument exactly: accurate for large arguments.
      for (let i = 0; i < n; i++) o[i] = Math.sin(x[i]!);
      break;
    case 'cos':
      for (let i = 0; i < n; i++) o[i] = Math.cos(x[i]!);
      break;
    case 'tanh':
      for (let i = 0; i < n; i++) o[i] = Math.tanh(x[i]!);
      break;
    case 'relu':
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        o[i] = v > 0 ? v : v === v ? 0 : v; // NaN passes
      }
      break;
    case 'elu':
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        o[i] = v > 0 ? v : Math.expm1(v);
      }
      break;
    case 'sign':
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        o[i] = v > 0 ? 1 : v < 0 ? -1 : v === 0 ? 0 : v; // sign(±0) = 0, NaN passes
      }
      break;
    default:
      throw new Error(`js backend: unknown unary op ${String(op satisfies never)}`);
  }
  return o;
}

// ---- binary --------------------------------------------------------------------------------------

/**
 * A strided binary kernel: `o[oo + i] = f(a[ao + i*as], b[bo + i*bs])` for i < n.
 * Stride 0 broadcasts one value along the row.
 */
type BinaryKernel = (
  a: FloatArray,
  ao: number,
  as: number,
  b: FloatArray,
  bo: number,
  bs: number,
  o: FloatArray,
  oo: number,
  n: number,
) => void;

const KERNELS: { readonly [K in BinaryOp]: BinaryKernel } = {
  add(a, ao, as, b, bo, bs, o, oo, n) {
    for (let i = 0; i < n; i++, ao += as, bo += bs) o[oo + i] = a[ao]! + b[bo]!;
  },
  sub(a, ao, as, b, bo, bs, o, oo, n) {
    for (let i = 0; i < n; i++, ao += as, bo += bs) o[oo + i] = a[ao]! - b[bo]!;
  },
  mul(a, ao, as, b, bo, bs, o, oo, n) {
    for (let i = 0; i < n; i++, ao += as, bo += bs) o[oo + i] = a[ao]! * b[bo]!;
  },
  div(a, ao, as, b, bo, bs, o, oo, n) {
    for (let i = 0; i < n; i++, ao += as, bo += bs) o[oo + i] = a[ao]! / b[bo]!;
  },
  pow(a, ao, as, b, bo, bs, o, oo, n) {
    for (let i = 0; i < n; i++, ao += as, bo += bs) o[oo + i] = Math.pow(a[ao]!, b[bo]!);
  },
  maximum(a, ao, as, b, bo, bs, o, oo, n) {
    // Math.max propagates NaN and orders -0 < +0.
    for (let i = 0; i < n; i++, ao += as, bo += bs) o[oo + i] = Math.max(a[ao]!, b[bo]!);
  },
  minimum(a, ao, as, b, bo, bs, o, oo, n) {
    for (let i = 0; i < n; i++, ao += as, bo += bs) o[oo + i] = Math.min(a[ao]!, b[bo]!);
  },
  greater(a, ao, as, b, bo, bs, o, oo, n) {
    for (let i = 0; i < n; i++, ao += as, bo += bs) o[oo + i] = a[ao]! > b[bo]! ? 1 : 0;
  },
  greaterEqual(a, ao, as, b, bo, bs, o, oo, n) {
    for (let i = 0; i < n; i++, ao += as, bo += bs) o[oo + i] = a[ao]! >= b[bo]! ? 1 : 0;
  },
  less(a, ao, as, b, bo, bs, o, oo, n) {
    for (let i = 0; i < n; i++, ao += as, bo += bs) o[oo + i] = a[ao]! < b[bo]! ? 1 : 0;
  },
  lessEqual(a, ao, as, b, bo, bs, o, oo, n) {
    for (let i = 0; i < n; i++, ao += as, bo += bs) o[oo + i] = a[ao]! <= b[bo]! ? 1 : 0;
  },
  equal(a, ao, as, b, bo, bs, o, oo, n) {
    for (let i = 0; i < n; i++, ao += as, bo += bs) o[oo + i] = a[ao]! === b[bo]! ? 1 : 0;
  },
};

function kernelOf(op: BinaryOp): BinaryKernel {
  const k = KERNELS[op];
  if (!k) throw new Error(`js backend: unknown binary op ${String(op)}`);
  return k;
}

/**
 * `op(a, b)` with `a` and `b` broadcast to `outShape`. Comparisons give 1 or 0 (0 when either side
 * is NaN); `maximum`/`minimum` propagate NaN.
 *
 * Fast paths: equal shapes and scalar operands run as one flat loop; a trailing-row broadcast such
 * as (n, d) with (d) runs one loop per row; anything else walks coalesced strides.
 */
export function binary(
  op: BinaryOp,
  a: FloatArray,
  aShape: readonly number[],
  b: FloatArray,
  bShape: readonly number[],
  outShape: readonly number[],
  dtype: DType,
): FloatArray {
  const kernel = kernelOf(op);
  const size = sizeOf(outShape);
  const o = allocate(dtype, size);
  if (size === 0) return o;
  const aFull = a.length === size;
  const bFull = b.length === size;
  if ((aFull || a.length === 1) && (bFull || b.length === 1)) {
    // Each operand is a single value or has as many elements as the output, which (as every axis
    // is either equal to the output's or of size 1) means the same elements in the same order.
    kernel(a, 0, aFull ? 1 : 0, b, 0, bFull ? 1 : 0, o, 0, size);
    return o;
  }
  const layout = coalesce(outShape, [broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape)]);
  const cur = new RowCursor(layout);
  const inner = cur.inner;
  const as = cur.innerStrides[0]!;
  const bs = cur.innerStrides[1]!;
  let oo = 0;
  for (let r = 0; r < cur.rows; r++, cur.next(), oo += inner) {
    kernel(a, cur.offsets[0]!, as, b, cur.offsets[1]!, bs, o, oo, inner);
  }
  return o;
}

/**
 * `op(x, scalar)`, or `op(scalar, x)` when `scalarFirst`. The scalar is first rounded to `dtype`,
 * so the result equals `binary` with a one-element tensor of that dtype.
 */
export function binaryScalar(
  op: BinaryOp,
  x: FloatArray,
  scalar: number,
  scalarFirst: boolean,
  dtype: DType,
): FloatArray {
  const kernel = kernelOf(op);
  const s = allocate(dtype, 1);
  s[0] = scalar;
  const o = allocate(dtype, x.length);
  if (scalarFirst) kernel(s, 0, 0, x, 0, 1, o, 0, x.length);
  else kernel(x, 0, 1, s, 0, 0, o, 0, x.length);
  return o;
}

/** `cond ? a : b` elementwise (cond nonzero, NaN included, is true), all broadcast to `outShape`. */
export function where(
  cond: FloatArray,
  condShape: readonly number[],
  a: FloatArray,
  aShape: readonly number[],
  b: FloatArray,
  bShape: readonly number[],
  outShape: readonly number[],
  dtype: DType,
): FloatArray {
  const size = sizeOf(outShape);
  const o = allocate(dtype, size);
  if (size === 0) return o;
  const layout = coalesce(outShape, [
    broadcastStrides(condShape, outShape),
    broadcastStrides(aShape, outShape),
    broadcastStrides(bShape, outShape),
  ]);
  const cur = new RowCursor(layout);
  const inner = cur.inner;
  const cs = cur.innerStrides[0]!;
  const as = cur.innerStrides[1]!;
  const bs = cur.innerStrides[2]!;
  let oo = 0;
  for (let r = 0; r < cur.rows; r++, cur.next()) {
    let ci = cur.offsets[0]!;
    let ai = cur.offsets[1]!;
    let bi = cur.offsets[2]!;
    for (let i = 0; i < inner; i++, ci += cs, ai += as, bi += bs) o[oo++] = cond[ci]! !== 0 ? a[ai]! : b[bi]!;
  }
  return o;
}

/** A copy of `x` as `dtype`, rounding to nearest when narrowing to float32. */
export function cast(x: FloatArray, dtype: DType): FloatArray {
  return dtype === 'float64' ? new Float64Array(x) : new Float32Array(x);
}
