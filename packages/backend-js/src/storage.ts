/**
 * Storage of the js backend: handles that own (or share) a typed array, and the per-backend
 * accounting behind `memory()`.
 */
import type { DType, FloatArray } from '@spectrans/core';
import { SpectransError, type BackendMemory, type TensorRef } from '@spectrans/core/backend';

/**
 * The js backend's tensor handle: a row-major typed array of the tensor's dtype
 * (`Float32Array` for float32, `Float64Array` for float64).
 *
 * Handles made by `reshape` share their array with the source handle; disposing either leaves the
 * other intact. Treat `data` as read-only: tensors are immutable.
 */
export interface JsHandle {
  /** The elements, row-major. Empty after `dispose`. */
  readonly data: FloatArray;
  /** The dtype `data` stores. */
  readonly dtype: DType;
  /** True once the backend disposed this handle. */
  readonly disposed: boolean;
}

/** The concrete handle; one class so that every handle has the same hidden class. */
class Handle implements JsHandle {
  data: FloatArray;
  readonly dtype: DType;
  disposed = false;
  /** The store that created it (disposing through another backend instance is ignored). */
  readonly owner: HandleStore;

  constructor(owner: HandleStore, data: FloatArray, dtype: DType) {
    this.owner = owner;
    this.data = data;
    this.dtype = dtype;
  }
}

const EMPTY32 = new Float32Array(0);
const EMPTY64 = new Float64Array(0);

/**
 * Creates handles and counts the live ones (and their bytes) for one backend instance.
 * A shared array is counted once per handle, as the contract allows.
 */
export class HandleStore {
  #handles = 0;
  #bytes = 0;

  /** Wraps `data` (already of `dtype`) in a new handle; the handle keeps `data`. */
  wrap(data: FloatArray, dtype: DType): JsHandle {
    this.#handles++;
    this.#bytes += data.byteLength;
    return new Handle(this, data, dtype);
  }

  /** Frees `handle` once; later calls, and handles of other stores, are ignored. */
  dispose(handle: JsHandle): void {
    if (!(handle instanceof Handle) || handle.owner !== this || handle.disposed) return;
    handle.disposed = true;
    this.#handles--;
    this.#bytes -= handle.data.byteLength;
    handle.data = handle.dtype === 'float64' ? EMPTY64 : EMPTY32;
  }

  /** Live handles and the bytes they hold. */
  memory(): BackendMemory {
    return { handles: this.#handles, bytes: this.#bytes };
  }
}

/**
 * The array behind a tensor ref.
 * @throws Error when the handle was disposed (core never passes one; this guards direct callers).
 */
export function dataOf(ref: TensorRef<JsHandle>): FloatArray {
  const h = ref.handle;
  if (h.disposed)
    throw new SpectransError(
      'ERR_DISPOSED',
      `js backend: a handle of shape [${ref.shape.join(', ')}] was used after dispose`,
    );
  return h.data;
}

/** A new zero-filled array of `size` elements of `dtype`. */
export function allocate(dtype: DType, size: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

/** `data` as an array of `dtype`: `data` itself when it already is one, else a rounded copy. */
export function asDType(data: FloatArray, dtype: DType): FloatArray {
  if (dtype === 'float64') return data instanceof Float64Array ? data : new Float64Array(data);
  return data instanceof Float32Array ? data : new Float32Array(data);
}
