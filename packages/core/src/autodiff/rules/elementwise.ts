/** Backward rules of the elementwise ops (tensor-tensor with broadcasting, and tensor-scalar forms). */
import {
  add,
  cos,
  div,
  greater,
  greaterEqual,
  less,
  lessEqual,
  log,
  minimum,
  mul,
  neg,
  pow,
  sign,
  sin,
  square,
  sub,
  where,
  type TensorOrNumber,
} from '../../ops/elementwise.js';
import type { Tensor } from '../../tensor.js';
import type { TapeEntry } from '../tape.js';
import { unbroadcast, zerosLike } from '../shape-grads.js';
import { savedInput, savedOutput, type BackwardRule } from './rule.js';

const x0 = (e: TapeEntry): Tensor => savedInput(e, 0);

/** Backward rules of the unary ops: dy times the derivative, from the saved input or output. */
export const unaryRules: Record<string, BackwardRule> = {
  neg: (_e, dy) => [neg(dy)],
  abs: (e, dy) => [mul(dy, sign(x0(e)))],
  exp: (e, dy) => [mul(dy, savedOutput(e))],
  log: (e, dy) => [div(dy, x0(e))],
  sqrt: (e, dy) => [div(dy, mul(savedOutput(e), 2))],
  square: (e, dy) => [mul(dy, mul(x0(e), 2))],
  reciprocal: (e, dy) => [neg(mul(dy, square(savedOutput(e))))],
  sin: (e, dy) => [mul(dy, cos(x0(e)))],
  cos: (e, dy) => [neg(mul(dy, sin(x0(e))))],
  tanh: (e, dy) => [mul(dy, sub(1, square(savedOutput(e))))],
  // relu'(0) = 0, as in tfjs and PyTorch.
  relu: (e, dy) => [mul(dy, greater(x0(e), 0))],
  // elu' is 1 for x > 0 and e^x = y + 1 otherwise: min(y, 0) + 1 covers both.
  elu: (e, dy) => [mul(dy, add(minimum(savedOutput(e), 0), 1))],
};

/** Gradients of a binary op for both sides: `a` and `b` are tensors or the op's scalar. */
type BinaryGrad = (
  a: TensorOrNumber,
  b: TensorOrNumber,
  dy: Tensor,
  e: TapeEntry,
  want: [boolean, boolean],
) => [Tensor | undefined, Tensor | undefined];

function binaryRule(grad: BinaryGrad): BackwardRule {
  return (e, dy) => {
    const scalar = e.attrs['scalar'];
    if (typeof scalar === 'number') {
      const first = e.attrs['scalarFirst'] === true;
      const t = e.saved[0] ?? Number.NaN; // saved only where the rule reads it
      const [ga, gb] = first ? grad(scalar, t, dy, e, [false, true]) : grad(t, scalar, dy, e, [true, false]);
      return [first ? gb : ga];
    }
    const [ga, gb] = grad(e.saved[0] ?? Number.NaN, e.saved[1] ?? Number.NaN, dy, e, [
      e.needsGrad[0]!,
      e.needsGrad[1]!,
    ]);
    return [ga && unbroadcast(ga, e.inputs[0]!.shape), gb && unbroadcast(gb, e.inputs[1]!.shape)];
  };
}

const when = <T>(flag: boolean, f: () => T): T | undefined => (flag ? f() : undefined);

/** log(a) where a > 0, else 0: the pow rule's factor for the exponent (0^b and negative bases). */
function safeLog(a: TensorOrNumber, like: Tensor): TensorOrNumber {
  if (typeof a === 'number') return a > 0 ? Math.log(a) : 0;
  return where(greater(a, 0), log(a), zerosLike([], like));
}

/** Backward rules of the binary ops; ties of maximum/minimum send the gradient to `a`. */
export const binaryRules: Record<string, BackwardRule> = {
  add: binaryRule((_a, _b, dy, _e, [wa, wb]) => [when(wa, () => dy), when(wb, () => dy)]),
  sub: binaryRule((_a, _b, dy, _e, [wa, wb]) => [when(wa, () => dy), when(wb, () => neg(dy))]),
  mul: binaryRule((a, b, dy, _e, [wa, wb]) => [when(wa, () => mul(dy, b)), when(wb, () => mul(dy, a))]),
  // d(a/b)/db = -a/b² = -y/b.
  div: binaryRule((_a, b, dy, e, [wa, wb]) => [
    when(wa, () => div(dy, b)),
    when(wb, () => neg(div(mul(dy, savedOutput(e)), b))),
  ]),
  pow: binaryRule((a, b, dy, e, [wa, wb]) => [
    when(wa, () => mul(mul(dy, b), typeof b === 'number' ? pow(a, b - 1) : pow(a, sub(b, 1)))),
    when(wb, () => mul(mul(dy, savedOutput(e)), safeLog(a, dy))),
  ]),
  maximum: binaryRule((a, b, dy, _e, [wa, wb]) => [
    when(wa, () => mul(dy, greaterEqual(a, b))),
    when(wb, () => mul(dy, less(a, b))),
  ]),
  minimum: binaryRule((a, b, dy, _e, [wa, wb]) => [
    when(wa, () => mul(dy, lessEqual(a, b))),
    when(wb, () => mul(dy, greater(a, b))),
  ]),
  where: (e, dy) => {
    const cond = x0(e);
    const zero = zerosLike([], dy);
    return [
      undefined,
      when(e.needsGrad[1]!, () => unbroadcast(where(cond, dy, zero), e.inputs[1]!.shape)),
      when(e.needsGrad[2]!, () => unbroadcast(where(cond, zero, dy), e.inputs[2]!.shape)),
    ];
  },
};
