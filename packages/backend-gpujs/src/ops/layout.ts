/** Kernels that move elements: transpose, slice, concat (gathers with index arithmetic). */
import type { Shape } from '@spectrans/core';
import { linear, unflatten } from '../codegen/source.js';
import { coalesceAxes, sizeOf, stridesOf } from '@spectrans/core/backend';
import type { Runtime } from '../runtime.js';
import type { Storage } from '../storage.js';
import { aroundAxis, axisCoord } from './reduce.js';
import type { Operand } from './operand.js';

/** At most this many tensors per concat kernel (WebGL guarantees 8 texture units per shader). */
export const CONCAT_INPUTS_PER_KERNEL = 7;

/** Output axis k is input axis `perm[k]`. */
export function transpose(rt: Runtime, x: Operand, perm: readonly number[]): Storage {
  const inStrides = stridesOf(x.shape);
  const outShape = perm.map((p) => x.shape[p]!);
  return gather(
    rt,
    'transpose',
    x,
    outShape,
    perm.map((p) => inStrides[p]!),
    0,
  );
}

/** The block at `begin` with extent `size`. */
export function slice(rt: Runtime, x: Operand, begin: readonly number[], size: Shape): Storage {
  const inStrides = stridesOf(x.shape);
  const offset = begin.reduce((acc, b, k) => acc + b * inStrides[k]!, 0);
  return gather(rt, 'slice', x, size, inStrides, offset);
}

/** out[c] = x[offset + Σ c_k stride_k] over `outShape`. */
function gather(
  rt: Runtime,
  op: string,
  x: Operand,
  outShape: Shape,
  strides: readonly number[],
  offset: number,
): Storage {
  const size = sizeOf(outShape);
  if (size === 0) return rt.empty();
  const {
    dims,
    strides: [s],
  } = coalesceAxes(outShape, [strides]);
  if (offset === 0 && size === x.storage.size && (dims.length === 0 || (dims.length === 1 && s![0] === 1))) {
    return x.storage.retain(); // an identity permutation or full slice: share (immutable, ref-counted)
  }
  const src = rt.source(1);
  const index = dims.length === 1 ? linear(['i'], s!, offset) : linear(unflatten(src, 'i', dims), s!, offset);
  return rt.run({ op, source: src.build(`t0[${index}]`), size, inputs: [x.storage] });
}

/** Concatenates along `axis`, CONCAT_INPUTS_PER_KERNEL inputs per kernel. */
export function concat(rt: Runtime, xs: readonly Operand[], axis: number, outShape: Shape): Storage {
  if (sizeOf(outShape) === 0) return rt.empty();
  const parts = xs.filter((x) => x.shape[axis]! > 0);
  if (parts.length === 1) return parts[0]!.storage.retain();
  let acc: Operand | undefined;
  let owned = false;
  for (let start = 0; start < parts.length;) {
    const take = parts.slice(start, start + CONCAT_INPUTS_PER_KERNEL - (acc ? 1 : 0));
    start += take.length;
    const group = acc ? [acc, ...take] : take;
    const shape = [...outShape];
    shape[axis] = group.reduce((n, x) => n + x.shape[axis]!, 0);
    const next = concatKernel(rt, group, axis, shape);
    if (owned && acc) acc.storage.release();
    acc = { shape, storage: next };
    owned = true;
  }
  return acc!.storage;
}

function concatKernel(rt: Runtime, xs: readonly Operand[], axis: number, outShape: Shape): Storage {
  const [outer, total, inner] = aroundAxis(outShape, axis);
  const src = rt.source(xs.length);
  const j = axisCoord(src, outer, total, inner);
  const row = outer > 1 ? unflatten(src, 'i', [outer, total * inner])[0]! : undefined;
  const r = src.let('r', '0');
  let startAt = 0;
  xs.forEach((x, t) => {
    const len = x.shape[axis]!;
    // (o, j, ii) -> o * len * inner + (j - start) * inner + ii = i + o * (len - total) * inner - start * inner
    const shift = row ? `${row} * ${(len - total) * inner} + ${-startAt * inner}` : `${-startAt * inner}`;
    const test = t === xs.length - 1 ? `${j} >= ${startAt}` : `${j} >= ${startAt} && ${j} < ${startAt + len}`;
    src.line(`if (${test}) { ${r} = t${t}[i + ${shift}]; }`);
    startAt += len;
  });
  return rt.run({ op: 'concat', source: src.build(r), size: sizeOf(outShape), inputs: xs.map((x) => x.storage) });
}
