import type { Backend, TensorRef } from './backend/contract.js';
import type { DType, FloatArray } from './dtype.js';
import { SpectransError } from './errors.js';
import { sizeOf, type Shape } from './shape.js';
import { trackTensor, untrackTensor } from './scope.js';

let liveTensors = 0;

/**
 * An n-dimensional array of float32 or float64 held by one backend.
 *
 * Tensors are immutable; ops return new tensors. Free them with `dispose()` or create them inside
 * `tidy()`, which frees everything not returned.
 *
 * @example
 * ```ts
 * const x = tensor([1, 2, 3, 4], [2, 2]);
 * console.log(x.shape, await x.data()); // [2, 2] Float32Array [1, 2, 3, 4]
 * x.dispose();
 * ```
 */
export class Tensor {
  /** Sizes of each axis, outermost first. */
  readonly shape: Shape;
  readonly dtype: DType;
  /** Number of elements. */
  readonly size: number;
  /** The backend holding the data. */
  readonly backend: Backend;
  #handle: unknown;
  #disposed = false;

  /** @internal Use `tensor()` or an op; this wraps a handle the backend has just returned. */
  constructor(backend: Backend, handle: unknown, shape: Shape, dtype: DType) {
    this.backend = backend;
    this.#handle = handle;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.size = sizeOf(shape);
    liveTensors++;
    trackTensor(this);
  }

  /** Number of axes. */
  get rank(): number {
    return this.shape.length;
  }

  /** True once `dispose()` has run. */
  get isDisposed(): boolean {
    return this.#disposed;
  }

  /**
   * @internal The backend's view of this tensor, for ops.
   * @throws SpectransError `ERR_DISPOSED` if the tensor was disposed.
   */
  ref(argument = 'tensor'): TensorRef<unknown> {
    if (this.#disposed) {
      throw new SpectransError(
        'ERR_DISPOSED',
        `${argument} was disposed (shape [${this.shape.join(', ')}], ${this.dtype})`,
      );
    }
    return { handle: this.#handle, shape: this.shape, dtype: this.dtype };
  }

  /**
   * Reads the elements, row-major, as a new Float32Array or Float64Array.
   * @throws SpectransError `ERR_DISPOSED`.
   */
  async data(): Promise<FloatArray> {
    const ref = this.ref();
    try {
      return await this.backend.read(ref);
    } catch (e) {
      throw backendFailure(this.backend, 'read', e);
    }
  }

  /**
   * Reads the elements synchronously where the backend can.
   * @throws SpectransError `ERR_DISPOSED`; `ERR_UNSUPPORTED_OP` when the backend only reads asynchronously.
   */
  dataSync(): FloatArray {
    const ref = this.ref();
    if (!this.backend.readSync) {
      throw new SpectransError(
        'ERR_UNSUPPORTED_OP',
        `backend '${this.backend.name}' has no synchronous read; use await tensor.data()`,
      );
    }
    try {
      return this.backend.readSync(ref);
    } catch (e) {
      throw backendFailure(this.backend, 'readSync', e);
    }
  }

  /** Reads the elements as nested arrays of numbers matching `shape`. */
  async array(): Promise<NestedArray> {
    return nest(await this.data(), this.shape);
  }

  /** Frees the backend storage. Safe to call twice. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    liveTensors--;
    untrackTensor(this);
    const handle = this.#handle;
    this.#handle = undefined;
    try {
      this.backend.dispose(handle);
    } catch (e) {
      throw backendFailure(this.backend, 'dispose', e);
    }
  }

  /** A short description (shape, dtype, backend), without reading the data. */
  toString(): string {
    return `Tensor(shape=[${this.shape.join(', ')}], dtype=${this.dtype}, backend=${this.backend.name}${this.#disposed ? ', disposed' : ''})`;
  }
}

/**
 * @internal A backend's own error as `ERR_BACKEND_FAILURE` with the original as `cause`;
 * SpectransErrors pass through unchanged.
 */
export function backendFailure(backend: Backend, method: string, error: unknown): SpectransError {
  if (error instanceof SpectransError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SpectransError('ERR_BACKEND_FAILURE', `backend '${backend.name}' failed in ${method}: ${message}`, {
    cause: error,
  });
}

/** Nested arrays of numbers, as `Tensor.array()` returns. */
export type NestedArray = number | NestedArray[];

function nest(data: FloatArray, shape: Shape): NestedArray {
  if (shape.length === 0) return data[0] ?? NaN;
  const build = (offset: number, axis: number): NestedArray[] => {
    const n = shape[axis]!;
    const stride = sizeOf(shape.slice(axis + 1));
    const out: NestedArray[] = [];
    for (let i = 0; i < n; i++) {
      out.push(axis === shape.length - 1 ? data[offset + i]! : build(offset + i * stride, axis + 1));
    }
    return out;
  };
  return build(0, 0);
}

/** Live (created and not disposed) tensors across all backends, for leak checks. */
export function liveTensorCount(): number {
  return liveTensors;
}
