import { SpectransError } from '../errors.js';

/**
 * Argument checks shared by the host linear-algebra routines.
 *
 * @internal
 */

/** Throws `ERR_INVALID_ARGUMENT` unless `v` is a positive safe integer. */
export function checkDim(op: string, name: string, v: unknown): asserts v is number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
    throw new SpectransError('ERR_INVALID_ARGUMENT', `${op}: \`${name}\` must be a positive integer, got ${String(v)}`);
  }
}

/**
 * Throws unless `a` is a `Float64Array` (`ERR_INVALID_ARGUMENT`) of length `m * n`
 * (`ERR_INVALID_SHAPE`); with `finite`, also unless every entry is finite (`ERR_INVALID_ARGUMENT`).
 */
export function checkMatrix(
  op: string,
  name: string,
  a: unknown,
  m: number,
  n: number,
  finite = true,
): asserts a is Float64Array {
  if (!(a instanceof Float64Array)) {
    throw new SpectransError('ERR_INVALID_ARGUMENT', `${op}: \`${name}\` must be a Float64Array`);
  }
  if (a.length !== m * n) {
    throw new SpectransError(
      'ERR_INVALID_SHAPE',
      `${op}: \`${name}\` has length ${a.length}, expected ${m} x ${n} = ${m * n}`,
    );
  }
  if (finite) {
    for (let i = 0; i < a.length; i++) {
      if (!Number.isFinite(a[i] as number)) {
        throw new SpectransError('ERR_INVALID_ARGUMENT', `${op}: \`${name}\` has a non-finite entry at index ${i}`);
      }
    }
  }
}
