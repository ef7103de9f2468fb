/** Float64 references of the elementwise ops of the contract. */
import type { BinaryOp, UnaryOp } from '@spectrans/core/backend';
import type { ToleranceKind } from '../tolerance.js';
import { broadcastIndex, broadcastShape, type HostArray } from './ndarray.js';

/** Exact (float64) definition of each unary op, following the contract's conventions. */
export const UNARY_REFERENCE: Readonly<Record<UnaryOp, (x: number) => number>> = Object.freeze({
  neg: (x: number) => -x,
  abs: (x: number) => Math.abs(x),
  exp: (x: number) => Math.exp(x),
  log: (x: number) => Math.log(x),
  sqrt: (x: number) => Math.sqrt(x),
  square: (x: number) => x * x,
  reciprocal: (x: number) => 1 / x,
  sin: (x: number) => Math.sin(x),
  cos: (x: number) => Math.cos(x),
  tanh: (x: number) => Math.tanh(x),
  relu: (x: number) => (Number.isNaN(x) ? NaN : x > 0 ? x : 0),
  elu: (x: number) => (Number.isNaN(x) ? NaN : x > 0 ? x : Math.expm1(x)),
  sign: (x: number) => (Number.isNaN(x) ? NaN : x > 0 ? 1 : x < 0 ? -1 : 0),
});

/** Exact (float64) definition of each binary op: comparisons give 1/0 (0 with NaN), max/min propagate NaN. */
export const BINARY_REFERENCE: Readonly<Record<BinaryOp, (a: number, b: number) => number>> = Object.freeze({
  add: (a: number, b: number) => a + b,
  sub: (a: number, b: number) => a - b,
  mul: (a: number, b: number) => a * b,
  div: (a: number, b: number) => a / b,
  pow: (a: number, b: number) => Math.pow(a, b),
  maximum: (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  minimum: (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
  greater: (a: number, b: number) => (a > b ? 1 : 0),
  greaterEqual: (a: number, b: number) => (a >= b ? 1 : 0),
  less: (a: number, b: number) => (a < b ? 1 : 0),
  lessEqual: (a: number, b: number) => (a <= b ? 1 : 0),
  equal: (a: number, b: number) => (a === b ? 1 : 0),
});

/** Every unary op of the contract, in a stable order. */
export const UNARY_OPS: readonly UnaryOp[] = Object.freeze(Object.keys(UNARY_REFERENCE) as UnaryOp[]);

/** Every binary op of the contract, in a stable order. */
export const BINARY_OPS: readonly BinaryOp[] = Object.freeze(Object.keys(BINARY_REFERENCE) as BinaryOp[]);

/** The tolerance kind each unary op is held to (see `TOLERANCES`). */
export const UNARY_KIND: Readonly<Record<UnaryOp, ToleranceKind>> = Object.freeze({
  neg: 'exact',
  abs: 'exact',
  relu: 'exact',
  sign: 'exact',
  square: 'arithmetic',
  sqrt: 'arithmetic',
  reciprocal: 'arithmetic',
  exp: 'transcendental',
  log: 'transcendental',
  sin: 'transcendental',
  cos: 'transcendental',
  tanh: 'transcendental',
  elu: 'transcendental',
});

/** The tolerance kind each binary op is held to (see `TOLERANCES`). */
export const BINARY_KIND: Readonly<Record<BinaryOp, ToleranceKind>> = Object.freeze({
  add: 'arithmetic',
  sub: 'arithmetic',
  mul: 'arithmetic',
  div: 'arithmetic',
  pow: 'transcendental',
  maximum: 'exact',
  minimum: 'exact',
  greater: 'exact',
  greaterEqual: 'exact',
  less: 'exact',
  lessEqual: 'exact',
  equal: 'exact',
});

/** `op(x)` elementwise. */
export function unaryRef(op: UnaryOp, x: HostArray): HostArray {
  return { data: x.data.map(UNARY_REFERENCE[op]), shape: x.shape };
}

/** `op(a, b)` with NumPy broadcasting. */
export function binaryRef(op: BinaryOp, a: HostArray, b: HostArray): HostArray {
  const shape = broadcastShape(a.shape, b.shape);
  const ia = broadcastIndex(a.shape, shape);
  const ib = broadcastIndex(b.shape, shape);
  const fn = BINARY_REFERENCE[op];
  const data = new Float64Array(ia.length);
  for (let i = 0; i < data.length; i++) data[i] = fn(a.data[ia[i]!]!, b.data[ib[i]!]!);
  return { data, shape };
}

/** `op(x, s)`, or `op(s, x)` when `scalarFirst`. */
export function binaryScalarRef(op: BinaryOp, x: HostArray, scalar: number, scalarFirst: boolean): HostArray {
  const fn = BINARY_REFERENCE[op];
  return { data: x.data.map((v) => (scalarFirst ? fn(scalar, v) : fn(v, scalar))), shape: x.shape };
}

/** `cond != 0 ? a : b` with broadcasting of all three (NaN counts as nonzero). */
export function whereRef(cond: HostArray, a: HostArray, b: HostArray): HostArray {
  const shape = broadcastShape(broadcastShape(cond.shape, a.shape), b.shape);
  const ic = broadcastIndex(cond.shape, shape);
  const ia = broadcastIndex(a.shape, shape);
  const ib = broadcastIndex(b.shape, shape);
  const data = new Float64Array(ic.length);
  for (let i = 0; i < data.length; i++) data[i] = cond.data[ic[i]!]! !== 0 ? a.data[ia[i]!]! : b.data[ib[i]!]!;
  return { data, shape };
}
