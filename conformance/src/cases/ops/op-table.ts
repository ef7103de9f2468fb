/**
 * Core's public op functions by contract op name. The op lists and each op's tolerance kind are in
 * `reference/elementwise.ts` (exported for backends' own tests).
 */
import * as core from '@spectrans/core';
import type { Tensor } from '@spectrans/core';
import type { BinaryOp, UnaryOp } from '@spectrans/core/backend';

/** Core's function for each unary op. */
export const UNARY_FN: Readonly<Record<UnaryOp, (x: Tensor) => Tensor>> = {
  neg: core.neg,
  abs: core.abs,
  exp: core.exp,
  log: core.log,
  sqrt: core.sqrt,
  square: core.square,
  reciprocal: core.reciprocal,
  sin: core.sin,
  cos: core.cos,
  tanh: core.tanh,
  relu: core.relu,
  elu: core.elu,
  sign: core.sign,
};

/** Core's function for each binary op (tensor or number on either side). */
export const BINARY_FN: Readonly<Record<BinaryOp, (a: core.TensorOrNumber, b: core.TensorOrNumber) => Tensor>> = {
  add: core.add,
  sub: core.sub,
  mul: core.mul,
  div: core.div,
  pow: core.pow,
  maximum: core.maximum,
  minimum: core.minimum,
  greater: core.greater,
  greaterEqual: core.greaterEqual,
  less: core.less,
  lessEqual: core.lessEqual,
  equal: core.equal,
};
