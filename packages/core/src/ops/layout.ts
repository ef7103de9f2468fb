/** Ops that move elements without arithmetic: transpose, reshape, concat, slice, cast. */
import { assertDType, type DType } from '../dtype.js';
import { SpectransError } from '../errors.js';
import { checkTensorSize } from '../limits.js';
import { assertShape, describe, normalizeAxis, sizeOf, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { assertDTypeSupported, asTensor, prepare, wrap } from './dispatch.js';
import { taped } from '../autodiff/tape.js';

/**
 * Permutes axes; by default reverses them.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` unless `perm` is a permutation of 0..rank-1.
 */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const { backend, refs, dtype } = prepare('transpose', [[x, 'x']]);
  const p = perm ?? x.shape.map((_, i) => x.rank - 1 - i);
  const valid = Array.isArray(p) && p.length === x.rank && [...p].sort((a, b) => a - b).every((v, i) => v === i);
  if (!valid) {
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `transpose: perm must be a permutation of 0..${x.rank - 1}, got ${describe(p)}`,
    );
  }
  const outShape = p.map((i) => x.shape[i]!);
  return taped('transpose', [x], wrap(backend, backend.transpose(refs[0]!, p), outShape, dtype), { perm: p });
}

/** Swaps the last two axes. */
export function matrixTranspose(x: Tensor): Tensor {
  asTensor(x, 'matrixTranspose: x');
  if (x.rank < 2)
    throw new SpectransError(
      'ERR_INVALID_SHAPE',
      `matrixTranspose: x must have rank >= 2, got shape [${x.shape.join(', ')}]`,
    );
  const perm = x.shape.map((_, i) => i);
  perm[x.rank - 2] = x.rank - 1;
  perm[x.rank - 1] = x.rank - 2;
  return transpose(x, perm);
}

/**
 * Same elements under a new shape; one size may be -1 (inferred).
 * @throws SpectransError `ERR_INVALID_SHAPE` when the sizes do not match.
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const { backend, refs, dtype } = prepare('reshape', [[x, 'x']]);
  if (!Array.isArray(shape))
    throw new SpectransError('ERR_INVALID_SHAPE', `reshape: shape must be an array of sizes, got ${describe(shape)}`);
  const inferred = shape.filter((d) => d === -1).length;
  let out: number[] = [...shape];
  if (inferred === 1) {
    const known = sizeOf(shape.filter((d) => d !== -1));
    if (known === 0 || x.size % known !== 0) {
      throw new SpectransError(
        'ERR_INVALID_SHAPE',
        `reshape: cannot infer -1 in [${shape.join(', ')}] for ${x.size} elements`,
      );
    }
    out = shape.map((d) => (d === -1 ? x.size / known : d));
  }
  assertShape(out, 'reshape: shape');
  if (sizeOf(out) !== x.size) {
    throw new SpectransError(
      'ERR_INVALID_SHAPE',
      `reshape: [${x.shape.join(', ')}] (${x.size} elements) cannot become [${shape.join(', ')}]`,
    );
  }
  return taped('reshape', [x], wrap(backend, backend.reshape(refs[0]!, out), out, dtype));
}

/** Inserts an axis of size 1 at `axis`. */
export function expandDims(x: Tensor, axis: number): Tensor {
  asTensor(x, 'expandDims: x');
  const a = normalizeAxis(axis, x.rank + 1, 'axis');
  const shape = [...x.shape];
  shape.splice(a, 0, 1);
  return reshape(x, shape);
}

/**
 * Concatenates along `axis`.
 * @throws SpectransError `ERR_SHAPE_MISMATCH` when the other axes differ; `ERR_INVALID_ARGUMENT` for an empty list.
 */
export function concat(xs: readonly Tensor[], axis: number): Tensor {
  if (!Array.isArray(xs) || xs.length === 0)
    throw new SpectransError('ERR_INVALID_ARGUMENT', 'concat: xs must be a non-empty array of tensors');
  const { backend, refs, dtype } = prepare(
    'concat',
    xs.map((t, i) => [t, `xs[${i}]`] as const),
  );
  const first = asTensor(xs[0], 'concat: xs[0]');
  const a = normalizeAxis(axis, first.rank, 'axis');
  const outShape = [...first.shape];
  outShape[a] = 0;
  xs.forEach((t: Tensor, i: number) => {
    const ok = t.rank === first.rank && t.shape.every((d: number, j: number) => j === a || d === first.shape[j]);
    if (!ok) {
      throw new SpectransError(
        'ERR_SHAPE_MISMATCH',
        `concat: xs[${i}] has shape [${t.shape.join(', ')}], incompatible with [${first.shape.join(', ')}] along axis ${a}`,
      );
    }
    outShape[a]! += t.shape[a]!;
  });
  checkTensorSize('concat: output', outShape);
  return taped('concat', xs, wrap(backend, backend.concat(refs, a, outShape), outShape, dtype), { axis: a });
}

/**
 * The block of `x` starting at `begin` with extent `size` (-1 = to the end). Shorter arrays cover the leading axes.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` for a block outside the tensor.
 */
export function slice(x: Tensor, begin: readonly number[], size?: readonly number[]): Tensor {
  const { backend, refs, dtype } = prepare('slice', [[x, 'x']]);
  if (!Array.isArray(begin) || begin.length > x.rank) {
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `slice: begin must be an array of at most ${x.rank} indices, got ${describe(begin)}`,
    );
  }
  const b = x.shape.map((_, i) => begin[i] ?? 0);
  const s = x.shape.map((d, i) => {
    const v = size?.[i] ?? -1;
    return v === -1 ? d - b[i]! : v;
  });
  for (let i = 0; i < x.rank; i++) {
    const ok =
      Number.isInteger(b[i]) && Number.isInteger(s[i]) && b[i]! >= 0 && s[i]! >= 0 && b[i]! + s[i]! <= x.shape[i]!;
    if (!ok) {
      throw new SpectransError(
        'ERR_INVALID_ARGUMENT',
        `slice: axis ${i} block [${b[i]}, ${b[i]}+${s[i]}) is outside size ${x.shape[i]} (shape [${x.shape.join(', ')}])`,
      );
    }
  }
  return taped('slice', [x], wrap(backend, backend.slice(refs[0]!, b, s), s, dtype), { begin: b });
}

/**
 * Converts to `dtype` (a copy even when the dtype is unchanged).
 * @throws SpectransError `ERR_UNSUPPORTED_DTYPE` when the backend lacks `dtype`.
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  assertDType(dtype, 'dtype');
  const { backend, refs } = prepare('cast', [[x, 'x']]);
  assertDTypeSupported(backend, dtype);
  return taped('cast', [x], wrap(backend, backend.cast(refs[0]!, dtype), x.shape, dtype));
}

/** A new tensor with the same contents (handy to hand out a tensor the caller may dispose). */
export function clone(x: Tensor): Tensor {
  return reshape(x, asTensor(x, 'clone: x').shape);
}

export type { Shape };
