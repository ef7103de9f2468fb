/** Elementwise kernels with NumPy broadcasting: unary, binary, binary with a scalar, where. */
import type { Shape } from '@spectrans/core';
import { broadcastStrides, coalesceAxes, sizeOf, type BinaryOp, type UnaryOp } from '@spectrans/core/backend';
import { emitBinary, emitUnary } from '../codegen/math.js';
import { linear, unflatten } from '../codegen/source.js';
import type { Runtime } from '../runtime.js';
import type { Storage } from '../storage.js';
import type { Operand } from './operand.js';

/** `op(x)` elementwise. */
export function unary(rt: Runtime, op: UnaryOp, x: Operand): Storage {
  const src = rt.source(1);
  const r = emitUnary(src, op, src.let('v', 't0[i]'));
  return rt.run({ op, source: src.build(r), size: sizeOf(x.shape), inputs: [x.storage] });
}

/** `op(a, b)` with a and b broadcast to `outShape`. */
export function binary(rt: Runtime, op: BinaryOp, a: Operand, b: Operand, outShape: Shape): Storage {
  const src = rt.source(2);
  const [ia, ib] = broadcastIndices(src, outShape, [a.shape, b.shape]);
  const r = emitBinary(src, op, src.let('a', `t0[${ia}]`), src.let('b', `t1[${ib}]`));
  return rt.run({ op, source: src.build(r), size: sizeOf(outShape), inputs: [a.storage, b.storage] });
}

/**
 * `op(x, scalar)`, or `op(scalar, x)` when `scalarFirst`; the scalar is rounded to float32 first
 * (the contract) and passed as a uniform, so one kernel serves every value.
 */
export function binaryScalar(rt: Runtime, op: BinaryOp, x: Operand, scalar: number, scalarFirst: boolean): Storage {
  const src = rt.source(1, 1);
  const v = src.let('v', 't0[i]');
  const s = src.let('sc', 's0');
  const r = scalarFirst ? emitBinary(src, op, s, v) : emitBinary(src, op, v, s);
  return rt.run({
    op,
    source: src.build(r),
    size: sizeOf(x.shape),
    inputs: [x.storage],
    scalars: [Math.fround(scalar)],
  });
}

/** `cond != 0 ? a : b` with all three broadcast to `outShape` (NaN counts as true). */
export function where(rt: Runtime, cond: Operand, a: Operand, b: Operand, outShape: Shape): Storage {
  const src = rt.source(3);
  const [ic, ia, ib] = broadcastIndices(src, outShape, [cond.shape, a.shape, b.shape]);
  const r = src.let('w', `t2[${ib}]`);
  src.line(`if (t0[${ic}] != 0) { ${r} = t1[${ia}]; }`);
  return rt.run({
    op: 'where',
    source: src.build(r),
    size: sizeOf(outShape),
    inputs: [cond.storage, a.storage, b.storage],
  });
}

/** Emits the flat input index of each operand for output element `i` under broadcasting. */
function broadcastIndices(src: ReturnType<Runtime['source']>, outShape: Shape, shapes: readonly Shape[]): string[] {
  const { dims, strides } = coalesceAxes(
    outShape,
    shapes.map((s) => broadcastStrides(s, outShape)),
  );
  if (dims.length === 1 && strides.every((s) => s[0] === 1)) return shapes.map(() => 'i');
  const coords = unflatten(src, 'i', dims);
  return strides.map((s) => linear(coords, s));
}
