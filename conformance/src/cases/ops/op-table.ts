/** Core's public op functions by contract op name, and the tolerance kind of each. */
import * as core from '@spectrans/core';
import type { Tensor } from '@spectrans/core';
import type { BinaryOp, UnaryOp } from '@spectrans/core/backend';
import type { ToleranceKind } from '../../tolerance.js';

/** Every unary op of the contract, in a stable order. */
export const UNARY_OPS: readonly UnaryOp[] = [
  'neg',
  'abs',
  'exp',
  'log',
  'sqrt',
  'square',
  'reciprocal',
  'sin',
  'cos',
  'tanh',
  'relu',
  'elu',
  'sign',
];

/** Every binary op of the contract, in a stable order. */
export const BINARY_OPS: readonly BinaryOp[] = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'greater',
  'greaterEqual',
  'less',
  'lessEqual',
  'equal',
];

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

/** Tolerance kind of each unary op. */
export const UNARY_KIND: Readonly<Record<UnaryOp, ToleranceKind>> = {
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
};

/** Tolerance kind of each binary op. */
export const BINARY_KIND: Readonly<Record<BinaryOp, ToleranceKind>> = {
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
};
