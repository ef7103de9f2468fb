/**
 * Elementwise ops: unary, binary with NumPy broadcasting, scalar, where and cast, with the
 * corrections each engine needs (see `ENGINE_FIXES`).
 */
import { SpectransError, type DType, type Shape } from '@spectrans/core';
import { type BinaryOp, type UnaryOp } from '@spectrans/core/backend';
import type { Tensor } from '@tensorflow/tfjs-core';
import { coalesceBroadcast, MAX_BROADCAST_RANK, sameShape, sizeOfShape } from './broadcast.js';
import type { Tf } from './engines.js';
import { run, type Ref, type TfjsRuntime } from './runtime.js';
import { accurateTrig } from './trig.js';

/** `op(x)` on a tensor of any rank (flattened first, so rank limits never apply). */
export function unary(rt: TfjsRuntime, op: UnaryOp, x: Ref): Tensor {
  const { tf } = rt;
  return run(rt, [x], () => {
    const size = sizeOfShape(x.shape);
    if (size === 0) return tf.zeros([...x.shape]);
    return tf.reshape(applyUnary(rt, op, tf.reshape(x.handle, [size])), [...x.shape]);
  });
}

/** The unary op on a 1-D tensor (call inside a tidy). */
function applyUnary(rt: TfjsRuntime, op: UnaryOp, t: Tensor): Tensor {
  const { tf, fixes } = rt;
  switch (op) {
    case 'neg':
      return tf.neg(t);
    case 'abs':
      return tf.abs(t);
    case 'exp':
      return tf.exp(t);
    case 'log':
      return fixes.logZero ? tf.where(tf.equal(t, 0), tf.fill(t.shape, -Infinity), tf.log(t)) : tf.log(t);
    case 'sqrt':
      return tf.sqrt(t);
    case 'square':
      return tf.square(t);
    case 'reciprocal':
      return tf.reciprocal(t);
    case 'tanh':
      return tf.tanh(t);
    case 'relu':
      return fixes.reluNaN ? tf.where(tf.greater(t, 0), t, tf.where(tf.isNaN(t), t, tf.zerosLike(t))) : tf.relu(t);
    case 'sin':
      return fixes.trig ? accurateTrig(tf, t, { cos: false, sin: true }).sin! : tf.sin(t);
    case 'cos':
      return fixes.trig ? accurateTrig(tf, t, { cos: true, sin: false }).cos! : tf.cos(t);
    case 'elu': {
      // x > 0 ? x : e^x - 1, the latter as expm1 (NaN fails the test and passes through expm1)
      const e = fixes.elu ? tf.where(tf.greater(t, 0), t, tf.expm1(t)) : tf.elu(t);
      return fixes.expm1NaN ? tf.where(tf.isNaN(t), t, e) : e;
    }
    case 'sign':
      // step(x) - step(-x): ±1, 0 for ±0, NaN for NaN (tf.sign gives 0 for NaN, and on wasm for |x| < 1e-6)
      return tf.sub(tf.step(t), tf.step(tf.neg(t)));
  }
}

/** `op(a, b)` with `a` and `b` broadcast to `outShape`. */
export function binary(rt: TfjsRuntime, op: BinaryOp, a: Ref, b: Ref, outShape: Shape): Tensor {
  const { tf } = rt;
  return run(rt, [a, b], () => {
    const size = sizeOfShape(outShape);
    if (size === 0) return tf.zeros([...outShape]);
    if (sameShape(a.shape, outShape) && sameShape(b.shape, outShape)) {
      return tf.reshape(applyBinary(rt, op, tf.reshape(a.handle, [size]), tf.reshape(b.handle, [size])), [...outShape]);
    }
    const [ta, tb] = broadcastOperands(rt, [a, b], outShape) as [Tensor, Tensor];
    return tf.reshape(applyBinary(rt, op, ta, tb), [...outShape]);
  });
}

/** `op(x, scalar)`, or `op(scalar, x)` when `scalarFirst`. */
export function binaryScalar(rt: TfjsRuntime, op: BinaryOp, x: Ref, scalar: number, scalarFirst: boolean): Tensor {
  const { tf } = rt;
  return run(rt, [x], () => {
    const size = sizeOfShape(x.shape);
    if (size === 0) return tf.zeros([...x.shape]);
    const t = tf.reshape(x.handle, [size]);
    const s = tf.scalar(scalar, 'float32');
    return tf.reshape(scalarFirst ? applyBinary(rt, op, s, t) : applyBinary(rt, op, t, s), [...x.shape]);
  });
}

/** `cond ? a : b` (cond nonzero, NaN included, is true), all broadcast to `outShape`. */
export function where(rt: TfjsRuntime, cond: Ref, a: Ref, b: Ref, outShape: Shape): Tensor {
  const { tf } = rt;
  return run(rt, [cond, a, b], () => {
    if (sizeOfShape(outShape) === 0) return tf.zeros([...outShape]);
    const [tc, ta, tb] = broadcastOperands(rt, [cond, a, b], outShape) as [Tensor, Tensor, Tensor];
    return tf.reshape(tf.where(tf.notEqual(tc, 0), ta, tb), [...outShape]); // tf.where tiles to the common shape
  });
}

/** A copy in `dtype`; only float32 exists on tfjs (core never asks for an undeclared dtype). */
export function cast(rt: TfjsRuntime, x: Ref, dtype: DType): Tensor {
  if (dtype !== 'float32') {
    throw new SpectransError(
      'ERR_UNSUPPORTED_DTYPE',
      `backend 'tfjs-${rt.engine}' supports float32 only, not ${dtype}`,
    );
  }
  return run(rt, [x], () => rt.tf.clone(x.handle));
}

/**
 * The operands reshaped for a broadcast with as few axes as possible; when more than
 * MAX_BROADCAST_RANK remain, tiled to the output and flattened (XNNPACK mishandles rank > 6).
 */
function broadcastOperands(rt: TfjsRuntime, refs: readonly Ref[], outShape: Shape): Tensor[] {
  const { tf } = rt;
  const plan = coalesceBroadcast(
    refs.map((r) => r.shape),
    outShape,
  );
  const reshaped = refs.map((r, i) => tf.reshape(r.handle, plan.shapes[i]!));
  if (plan.outShape.length <= MAX_BROADCAST_RANK) return reshaped;
  const size = sizeOfShape(outShape);
  return reshaped.map((t) => tf.reshape(tf.broadcastTo(t, plan.outShape), [size]));
}

/**
 * Math.pow's table for zero and infinite bases (b not NaN), and x ** 0 = 1: with o = "b is an odd integer",
 * 0^b = (b < 0 ? (o ? 1/a : ∞) : (o ? a : 0)) and ∞-bases the reverse, keeping the base's sign
 * through `a` and `1/a` (so −0 and −∞ give the signed results).
 */
function zeroInfPow(tf: Tf, a: Tensor, b: Tensor, p: Tensor): Tensor {
  const odd = tf.logicalAnd(tf.equal(tf.floor(b), b), tf.equal(tf.mod(tf.abs(b), 2), 1));
  const negative = tf.less(b, 0);
  const aa = tf.broadcastTo(a, p.shape);
  const ra = tf.broadcastTo(tf.reciprocal(a), p.shape); // 1/±0 = ±∞, 1/±∞ = ±0
  const inf = tf.fill(p.shape, Infinity);
  const zero = tf.zerosLike(p);
  const fromZero = tf.where(negative, tf.where(odd, ra, inf), tf.where(odd, aa, zero));
  const fromInf = tf.where(negative, tf.where(odd, ra, zero), tf.where(odd, aa, inf));
  // Neither operand NaN (GPU comparisons with NaN are unreliable, so test it explicitly).
  const valid = tf.logicalNot(tf.logicalOr(tf.isNaN(a), tf.isNaN(b)));
  const table = tf.where(
    tf.logicalAnd(valid, tf.equal(a, 0)),
    fromZero,
    tf.where(tf.logicalAnd(valid, tf.isInf(a)), fromInf, p),
  );
  return tf.where(tf.equal(b, 0), tf.onesLike(p), table); // x ** 0 is 1 for every x, NaN included
}

/** The binary op on tensors that broadcast natively (call inside a tidy). */
function applyBinary(rt: TfjsRuntime, op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  const { tf, fixes } = rt;
  const nanWhere = (mask: Tensor, value: Tensor): Tensor => tf.where(mask, tf.fill(value.shape, NaN), value);
  switch (op) {
    case 'add':
      return tf.add(a, b);
    case 'sub':
      return tf.sub(a, b);
    case 'mul':
      return tf.mul(a, b);
    case 'div': {
      const q = tf.div(a, b);
      if (!fixes.divSpecials) return q;
      // 0/0, ±∞/±∞ and anything with NaN are NaN (some engines shortcut x / x to 1).
      const bothZero = tf.logicalAnd(tf.equal(a, 0), tf.equal(b, 0));
      const bothInf = tf.logicalAnd(tf.isInf(a), tf.isInf(b));
      return nanWhere(tf.logicalOr(tf.logicalOr(bothZero, bothInf), tf.logicalOr(tf.isNaN(a), tf.isNaN(b))), q);
    }
    case 'pow': {
      const p = tf.pow(a, b);
      if (!fixes.powSpecials) return p;
      // JavaScript: 1 ** NaN and (±1) ** ±Infinity are NaN (C's pow gives 1); NaN ** b is NaN unless
      // b = 0, and a ** NaN is NaN for every a (webgl gave +∞ for 2 ** NaN).
      const cSpecial = tf.logicalAnd(tf.equal(tf.abs(a), 1), tf.logicalNot(tf.isFinite(b)));
      const nanBase = tf.logicalAnd(tf.isNaN(a), tf.notEqual(b, 0));
      const fixed = nanWhere(tf.logicalOr(tf.logicalOr(cSpecial, nanBase), tf.isNaN(b)), p);
      return fixes.powZeroInf ? zeroInfPow(tf, a, b, fixed) : fixed;
    }
    case 'maximum':
    case 'minimum': {
      const m = op === 'maximum' ? tf.maximum(a, b) : tf.minimum(a, b);
      return fixes.nanMinMax ? nanWhere(tf.logicalOr(tf.isNaN(a), tf.isNaN(b)), m) : m;
    }
    case 'greater':
      return tf.cast(tf.greater(a, b), 'float32');
    case 'greaterEqual':
      return tf.cast(tf.greaterEqual(a, b), 'float32');
    case 'less':
      return tf.cast(tf.less(a, b), 'float32');
    case 'lessEqual':
      return tf.cast(tf.lessEqual(a, b), 'float32');
    case 'equal':
      return tf.cast(tf.equal(a, b), 'float32');
  }
}
