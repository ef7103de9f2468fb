/** Creating tensors from host data. */
import type { Backend } from '../backend/contract.js';
import { allocate, assertDType, type DType } from '../dtype.js';
import { SpectransError } from '../errors.js';
import { checkOptions } from '../options.js';
import { assertShape, sizeOf, describe, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { createOn, targetBackend, uploadCopy } from './dispatch.js';

/** Nested arrays of numbers, e.g. `[[1, 2], [3, 4]]`. */
export type NestedNumbers = number | readonly NestedNumbers[];

/**
 * Creates a tensor on the current backend (or `options.backend`).
 *
 * @param data - flat row-major numbers (with `shape`), or nested arrays (shape inferred).
 * @param shape - sizes of each axis; required for flat data.
 * @param dtype - `'float32'` (default) or `'float64'`.
 * @throws SpectransError `ERR_INVALID_SHAPE` (bad or inconsistent shape), `ERR_INVALID_ARGUMENT`
 *   (non-numeric data), `ERR_UNSUPPORTED_DTYPE`, `ERR_NO_BACKEND`.
 * @example
 * ```ts
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);          // shape [2, 3], float32
 * const y = tensor([1, 2, 3, 4], [2, 2], 'float64');
 * ```
 */
export function tensor(
  data: ArrayLike<number> | NestedNumbers,
  shape?: Shape,
  dtype: DType = 'float32',
  options: { backend?: Backend } = {},
): Tensor {
  checkOptions('tensor', options, ['backend']);
  assertDType(dtype, 'dtype');
  if (shape !== undefined) assertShape(shape, 'shape');
  let flat: ArrayLike<number>;
  let finalShape: Shape;
  if (typeof data === 'number') {
    flat = [data];
    finalShape = shape ?? [];
  } else if (isFlat(data)) {
    flat = data;
    finalShape = shape ?? [data.length];
  } else {
    const inferred = inferShape(data as NestedNumbers);
    flat = flatten(data as NestedNumbers, inferred);
    finalShape = shape ?? inferred;
  }
  assertShape(finalShape, 'shape');
  if (sizeOf(finalShape) !== flat.length) {
    throw new SpectransError(
      'ERR_INVALID_SHAPE',
      `data has ${flat.length} elements but shape [${finalShape.join(', ')}] needs ${sizeOf(finalShape)}`,
    );
  }
  for (let i = 0; i < flat.length; i++) {
    if (typeof flat[i] !== 'number') {
      throw new SpectransError('ERR_INVALID_ARGUMENT', `data[${i}] must be a number, got ${describe(flat[i])}`);
    }
  }
  return uploadCopy(targetBackend(options.backend), flat, finalShape, dtype);
}

/** A tensor of `shape` filled with `value` (by the backend's native `fill` where it has one). */
export function fill(
  shape: Shape,
  value: number,
  dtype: DType = 'float32',
  options: { backend?: Backend } = {},
): Tensor {
  checkOptions('fill', options, ['backend']);
  assertShape(shape, 'shape');
  assertDType(dtype, 'dtype');
  if (typeof value !== 'number')
    throw new SpectransError('ERR_INVALID_ARGUMENT', `value must be a number, got ${describe(value)}`);
  const backend = targetBackend(options.backend);
  const dims = [...shape];
  const native = backend.fill !== undefined;
  return createOn(backend, dims, dtype, 'fill', (b) =>
    native
      ? b.fill!(dtype === 'float32' ? Math.fround(value) : value, dims, dtype)
      : b.fromArray(allocate(dtype, sizeOf(dims)).fill(value), dims, dtype),
  );
}

/** A tensor of zeros. */
export function zeros(shape: Shape, dtype: DType = 'float32', options: { backend?: Backend } = {}): Tensor {
  return fill(shape, 0, dtype, options);
}

/** A tensor of ones. */
export function ones(shape: Shape, dtype: DType = 'float32', options: { backend?: Backend } = {}): Tensor {
  return fill(shape, 1, dtype, options);
}

function isFlat(data: unknown): data is ArrayLike<number> {
  if (ArrayBuffer.isView(data)) return true;
  return Array.isArray(data) && data.every((v) => !Array.isArray(v));
}

function inferShape(data: NestedNumbers): number[] {
  const shape: number[] = [];
  let level: NestedNumbers = data;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = (level as readonly NestedNumbers[])[0] ?? 0;
  }
  return shape;
}

function flatten(data: NestedNumbers, shape: Shape): number[] {
  const out: number[] = [];
  const walk = (v: NestedNumbers, axis: number, path: string): void => {
    if (axis === shape.length) {
      if (Array.isArray(v))
        throw new SpectransError('ERR_INVALID_SHAPE', `data${path} is nested deeper than data[0]...`);
      out.push(v as number);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[axis]) {
      throw new SpectransError(
        'ERR_INVALID_SHAPE',
        `data${path} must be an array of length ${shape[axis]} (ragged nested arrays)`,
      );
    }
    (v as readonly NestedNumbers[]).forEach((item, i) => walk(item, axis + 1, `${path}[${i}]`));
  };
  walk(data, 0, '');
  return out;
}
