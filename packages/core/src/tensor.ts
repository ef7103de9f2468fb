import type { Backend, TensorRef } from './backend/contract.js';
import type { DType, FloatArray } from './dtype.js';
import { SpectransError } from './errors.js';
import { describeTensor } from './format.js';
import { sizeOf, type Shape } from './shape.js';
import { trackTensor, untrackTensor } from './scope.js';

let liveTensors = 0;

/**
 * An n-dimensional array of float32 or float64 held by one backend.
 *
 * Tensors are immutable; ops return new tensors. Free them with `dispose()` or create them inside
 * `tidy()`, which frees everything not returned.
 *
 * `array(rank)` checks the rank and types the result (`await x.array(2)` is a `number[][]`);
 * `console.log(x)` and `String(x)` print dtype, shape, backend and the leading values (see
 * {@link Tensor.toString}).
 *
 * @example
 * ```ts
 * const x = tensor([1, 2, 3, 4], [2, 2]);
 * console.log(x); // Tensor float32 [2, 2] on js: [[1, 2], [3, 4]]
 * const rows = await x.array(2); // number[][], so rows[0][0] is a number
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
   * Reads the elements synchronously, as `data()` does, where the backend can (`readSync`: js,
   * wasm, tfjs, gpu.js). On a GPU this waits for the device; prefer `await data()` in a loop.
   * @throws SpectransError `ERR_DISPOSED`; `ERR_SYNC_READ_UNSUPPORTED` naming the backend when it
   *   only reads asynchronously.
   */
  dataSync(): FloatArray {
    const ref = this.ref();
    if (!this.backend.readSync) {
      throw new SpectransError(
        'ERR_SYNC_READ_UNSUPPORTED',
        `backend '${this.backend.name}' has no synchronous read (readSync); use await tensor.data() or await tensor.array()`,
      );
    }
    try {
      return this.backend.readSync(ref);
    } catch (e) {
      throw backendFailure(this.backend, 'readSync', e);
    }
  }

  /**
   * Reads the elements as nested arrays matching `shape` (a number for rank 0).
   * @throws SpectransError `ERR_DISPOSED`.
   */
  array(): Promise<NestedArray>;
  /**
   * As `array()`, typed for the given rank: `(await x.array(2))[0][0]` is a number.
   * @param rank - the rank the caller expects; checked against the tensor's.
   * @throws SpectransError `ERR_INVALID_SHAPE` naming `rank` when it is not the tensor's rank; `ERR_DISPOSED`.
   */
  array<K extends number>(rank: K): Promise<RankedArray<K>>;
  async array(rank?: number): Promise<NestedArray> {
    this.#checkRank(rank, 'array');
    return nest(await this.data(), this.shape);
  }

  /**
   * `array()` read synchronously, where the backend can (see `dataSync`).
   * @throws SpectransError `ERR_DISPOSED`; `ERR_SYNC_READ_UNSUPPORTED` naming the backend.
   */
  arraySync(): NestedArray;
  /**
   * `arraySync()` typed for the given rank.
   * @param rank - the rank the caller expects; checked against the tensor's.
   * @throws SpectransError `ERR_INVALID_SHAPE` naming `rank`; `ERR_DISPOSED`; `ERR_SYNC_READ_UNSUPPORTED`.
   */
  arraySync<K extends number>(rank: K): RankedArray<K>;
  arraySync(rank?: number): NestedArray {
    this.#checkRank(rank, 'arraySync');
    return nest(this.dataSync(), this.shape);
  }

  #checkRank(rank: number | undefined, method: string): void {
    if (rank !== undefined && rank !== this.rank) {
      throw new SpectransError(
        'ERR_INVALID_SHAPE',
        `tensor.${method}: \`rank\` is ${String(rank)} but the tensor has rank ${this.rank} (shape [${this.shape.join(', ')}])`,
      );
    }
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

  /**
   * dtype, shape, backend and the leading values, e.g.
   * `Tensor float32 [3, 2] on wasm: [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]`; larger tensors show the
   * first entries of each axis and `…`. Values are read synchronously where the backend can (only
   * the printed block is transferred); otherwise the text says to `await tensor.array()`. A
   * disposed tensor prints as `(disposed)`. Never throws.
   */
  toString(): string {
    return describeTensor(this);
  }

  /** Node's `util.inspect` hook, so `console.log(tensor)` prints {@link Tensor.toString}. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
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

/** Nested arrays of numbers, as `Tensor.array()` returns for a tensor of unknown rank. */
export type NestedArray = number | NestedArray[];

/** `number`, `number[]`, ... `number[][][][][][]` by rank (index = rank). */
type ArraysByRank = [number, number[], number[][], number[][][], number[][][][], number[][][][][], number[][][][][][]];

/**
 * What `tensor.array(rank)` returns: `number` for rank 0, `number[]` for rank 1, `number[][]` for
 * rank 2, up to rank 6; {@link NestedArray} for a rank above 6 or not known at compile time.
 */
export type RankedArray<R extends number> = R extends 0 | 1 | 2 | 3 | 4 | 5 | 6 ? ArraysByRank[R] : NestedArray;

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
