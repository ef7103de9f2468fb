import { SpectransError } from './errors.js';
import { checkTensorSize } from './limits.js';

/** A tensor shape: non-negative integer sizes, outermost first. */
export type Shape = readonly number[];

/** Number of elements of a shape (1 for a scalar shape `[]`). */
export function sizeOf(shape: Shape): number {
  requireArray(shape, 'sizeOf: shape');
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

/** Throws `ERR_INVALID_SHAPE` unless every size is a finite non-negative integer and the total is within `LIMITS.maxTensorElements`. */
export function assertShape(shape: unknown, argument: string): asserts shape is Shape {
  if (!Array.isArray(shape)) {
    throw new SpectransError('ERR_INVALID_SHAPE', `${argument} must be an array of sizes, got ${describe(shape)}`);
  }
  for (let i = 0; i < shape.length; i++) {
    const d: unknown = shape[i];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new SpectransError(
        'ERR_INVALID_SHAPE',
        `${argument}[${i}] must be a non-negative integer, got ${describe(d)} (shape ${describe(shape)})`,
      );
    }
  }
  checkTensorSize(argument, shape);
}

/** Throws `ERR_INVALID_SHAPE` unless `shape` is an array (the cheap check of the helpers below). */
function requireArray(shape: unknown, argument: string): void {
  if (!Array.isArray(shape))
    throw new SpectransError('ERR_INVALID_SHAPE', `${argument} must be an array of sizes, got ${describe(shape)}`);
}

/** Row-major strides of a shape. */
export function stridesOf(shape: Shape): number[] {
  requireArray(shape, 'stridesOf: shape');
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/**
 * NumPy broadcasting of two shapes, aligned at the trailing axis.
 * @throws SpectransError `ERR_SHAPE_MISMATCH` naming both shapes when they do not broadcast.
 */
export function broadcastShapes(a: Shape, b: Shape, what = 'operands'): number[] {
  requireArray(a, `${what}: first shape`);
  requireArray(b, `${what}: second shape`);
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new SpectransError(
        'ERR_SHAPE_MISMATCH',
        `${what} do not broadcast: [${a.join(', ')}] and [${b.join(', ')}] (axis ${i - rank}: ${da} vs ${db})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  checkTensorSize(`broadcast of ${what}`, out);
  return out;
}

/** Normalises a possibly negative axis; throws `ERR_INVALID_ARGUMENT` when out of range. */
export function normalizeAxis(axis: number, rank: number, argument = 'axis'): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `${argument} must be an integer in [${-rank}, ${rank - 1}] for a rank-${rank} tensor, got ${describe(axis)}`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/** True when two shapes are equal. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Short human-readable rendering of a value for error messages. */
export function describe(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined || value === null) return String(value);
  return typeof value;
}
