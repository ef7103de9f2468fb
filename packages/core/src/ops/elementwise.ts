/** Elementwise ops with NumPy broadcasting. */
import type { BinaryOp, UnaryOp } from '../backend/contract.js';
import { SpectransError } from '../errors.js';
import { broadcastShapes, describe } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { prepare, wrap } from './dispatch.js';
import { taped } from '../autodiff/tape.js';

/** A tensor or a plain number (broadcast as a scalar). */
export type TensorOrNumber = Tensor | number;

function unaryOp(op: UnaryOp, x: Tensor): Tensor {
  const { backend, refs, dtype } = prepare(op, [[x, 'x']]);
  return taped(op, [x], wrap(backend, backend.unary(op, refs[0]!), x.shape, dtype));
}

function binaryOp(op: BinaryOp, a: TensorOrNumber, b: TensorOrNumber): Tensor {
  if (typeof a === 'number' || typeof b === 'number') {
    if (typeof a === 'number' && typeof b === 'number') {
      throw new SpectransError('ERR_INVALID_ARGUMENT', `${op}: at least one of a, b must be a Tensor`);
    }
    const scalarFirst = typeof a === 'number';
    const scalar = (scalarFirst ? a : b) as number;
    const t = (scalarFirst ? b : a) as Tensor;
    if (typeof scalar !== 'number')
      throw new SpectransError('ERR_INVALID_ARGUMENT', `${op}: scalar must be a number, got ${describe(scalar)}`);
    const { backend, refs, dtype } = prepare(op, [[t, scalarFirst ? 'b' : 'a']]);
    return taped(op, [t], wrap(backend, backend.binaryScalar(op, refs[0]!, scalar, scalarFirst), t.shape, dtype), {
      scalar,
      scalarFirst,
    });
  }
  const { backend, refs, dtype } = prepare(op, [
    [a, 'a'],
    [b, 'b'],
  ]);
  const outShape = broadcastShapes(a.shape, b.shape, `${op}: a and b`);
  return taped(op, [a, b], wrap(backend, backend.binary(op, refs[0]!, refs[1]!, outShape), outShape, dtype));
}

/** -x */
export const neg = (x: Tensor): Tensor => unaryOp('neg', x);
/** |x| */
export const abs = (x: Tensor): Tensor => unaryOp('abs', x);
/** e^x */
export const exp = (x: Tensor): Tensor => unaryOp('exp', x);
/** Natural logarithm. */
export const log = (x: Tensor): Tensor => unaryOp('log', x);
/** Square root. */
export const sqrt = (x: Tensor): Tensor => unaryOp('sqrt', x);
/** x² */
export const square = (x: Tensor): Tensor => unaryOp('square', x);
/** 1 / x */
export const reciprocal = (x: Tensor): Tensor => unaryOp('reciprocal', x);
/** sin(x), accurate for large arguments on every backend. */
export const sin = (x: Tensor): Tensor => unaryOp('sin', x);
/** cos(x), accurate for large arguments on every backend. */
export const cos = (x: Tensor): Tensor => unaryOp('cos', x);
/** tanh(x) */
export const tanh = (x: Tensor): Tensor => unaryOp('tanh', x);
/** max(x, 0) */
export const relu = (x: Tensor): Tensor => unaryOp('relu', x);
/** ELU with alpha = 1: x for x > 0, e^x - 1 otherwise. */
export const elu = (x: Tensor): Tensor => unaryOp('elu', x);
/** -1, 0 or 1. */
export const sign = (x: Tensor): Tensor => unaryOp('sign', x);

/** a + b (broadcasting). */
export const add = (a: TensorOrNumber, b: TensorOrNumber): Tensor => binaryOp('add', a, b);
/** a - b (broadcasting). */
export const sub = (a: TensorOrNumber, b: TensorOrNumber): Tensor => binaryOp('sub', a, b);
/** a * b (broadcasting). */
export const mul = (a: TensorOrNumber, b: TensorOrNumber): Tensor => binaryOp('mul', a, b);
/** a / b (broadcasting). */
export const div = (a: TensorOrNumber, b: TensorOrNumber): Tensor => binaryOp('div', a, b);
/** a ** b (broadcasting). */
export const pow = (a: TensorOrNumber, b: TensorOrNumber): Tensor => binaryOp('pow', a, b);
/** Elementwise maximum (NaN propagates). */
export const maximum = (a: TensorOrNumber, b: TensorOrNumber): Tensor => binaryOp('maximum', a, b);
/** Elementwise minimum (NaN propagates). */
export const minimum = (a: TensorOrNumber, b: TensorOrNumber): Tensor => binaryOp('minimum', a, b);
/** 1 where a > b, else 0. */
export const greater = (a: TensorOrNumber, b: TensorOrNumber): Tensor => binaryOp('greater', a, b);
/** 1 where a >= b, else 0. */
export const greaterEqual = (a: TensorOrNumber, b: TensorOrNumber): Tensor => binaryOp('greaterEqual', a, b);
/** 1 where a < b, else 0. */
export const less = (a: TensorOrNumber, b: TensorOrNumber): Tensor => binaryOp('less', a, b);
/** 1 where a <= b, else 0. */
export const lessEqual = (a: TensorOrNumber, b: TensorOrNumber): Tensor => binaryOp('lessEqual', a, b);
/** 1 where a == b, else 0. */
export const equal = (a: TensorOrNumber, b: TensorOrNumber): Tensor => binaryOp('equal', a, b);

/** Clamps into [lo, hi]. */
export function clip(x: Tensor, lo: number, hi: number): Tensor {
  if (!(lo <= hi))
    throw new SpectransError('ERR_INVALID_ARGUMENT', `clip: lo must be <= hi, got ${describe(lo)} and ${describe(hi)}`);
  const low = maximum(x, lo);
  try {
    return minimum(low, hi);
  } finally {
    low.dispose();
  }
}

/**
 * `cond ? a : b` elementwise with broadcasting; cond is nonzero for true.
 * @throws SpectransError `ERR_SHAPE_MISMATCH` when the three shapes do not broadcast.
 */
export function where(cond: Tensor, a: Tensor, b: Tensor): Tensor {
  const { backend, refs, dtype } = prepare('where', [
    [cond, 'cond'],
    [a, 'a'],
    [b, 'b'],
  ]);
  const outShape = broadcastShapes(
    broadcastShapes(cond.shape, a.shape, 'where: cond and a'),
    b.shape,
    'where: cond, a and b',
  );
  return taped(
    'where',
    [cond, a, b],
    wrap(backend, backend.where(refs[0]!, refs[1]!, refs[2]!, outShape), outShape, dtype),
  );
}
