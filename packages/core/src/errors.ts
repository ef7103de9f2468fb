/**
 * Stable error codes raised by spectrans. Every code is documented in the core README.
 */
export type ErrorCode =
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_INVALID_SHAPE'
  | 'ERR_SHAPE_MISMATCH'
  | 'ERR_DTYPE_MISMATCH'
  | 'ERR_UNSUPPORTED_DTYPE'
  | 'ERR_UNSUPPORTED_OP'
  | 'ERR_SYNC_READ_UNSUPPORTED'
  | 'ERR_DISPOSED'
  | 'ERR_BACKEND_INIT'
  | 'ERR_BACKEND_MISMATCH'
  | 'ERR_BACKEND_FAILURE'
  | 'ERR_NO_BACKEND'
  | 'ERR_UNKNOWN_KERNEL'
  | 'ERR_STATE_DICT'
  | 'ERR_NOT_CONVERGED'
  | 'ERR_NOT_DIFFERENTIABLE';

/**
 * The one error type of spectrans: a stable `code`, a message that names the argument or op at
 * fault, and the wrapped library error as `cause` where there is one.
 *
 * @example
 * ```ts
 * try { matmul(a, b); } catch (e) {
 *   if (e instanceof SpectransError && e.code === 'ERR_SHAPE_MISMATCH') console.log(e.message);
 * }
 * ```
 */
export class SpectransError extends Error {
  override readonly name = 'SpectransError';
  /** Stable machine-readable code. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Throws `ERR_INVALID_ARGUMENT` unless `cond` holds. */
export function check(cond: boolean, code: ErrorCode, message: () => string): asserts cond {
  if (!cond) throw new SpectransError(code, message());
}
