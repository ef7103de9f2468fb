/** Shared plumbing of the ops layer: argument checks and wrapping backend results. */
import type { Backend, TensorRef } from '../backend/contract.js';
import { getBackend } from '../backend/registry.js';
import { toTypedArray, type DType, type FloatArray } from '../dtype.js';
import { SpectransError } from '../errors.js';
import type { Shape } from '../shape.js';
import { checkTensorSize } from '../limits.js';
import { backendFailure, Tensor } from '../tensor.js';

/**
 * Checks that every argument is a live Tensor on one backend with one dtype, and returns that
 * backend with the arguments' refs in order.
 *
 * @throws SpectransError `ERR_INVALID_ARGUMENT` (not a tensor), `ERR_DISPOSED`, `ERR_BACKEND_MISMATCH`, `ERR_DTYPE_MISMATCH`.
 */
export function prepare(
  op: string,
  args: readonly (readonly [unknown, string])[],
): { backend: Backend; refs: TensorRef<unknown>[]; dtype: DType } {
  let backend: Backend | undefined;
  let dtype: DType | undefined;
  let first = '';
  const refs: TensorRef<unknown>[] = [];
  for (const [value, name] of args) {
    const t = asTensor(value, `${op}: ${name}`);
    const ref = t.ref(`${op}: ${name}`);
    if (backend === undefined) {
      backend = t.backend;
      dtype = t.dtype;
      first = name;
    } else if (t.backend !== backend) {
      throw new SpectransError(
        'ERR_BACKEND_MISMATCH',
        `${op}: ${name} is on backend '${t.backend.name}' but ${first} is on '${backend.name}'`,
      );
    } else if (t.dtype !== dtype) {
      throw new SpectransError(
        'ERR_DTYPE_MISMATCH',
        `${op}: ${name} is ${t.dtype} but ${first} is ${dtype}; cast one of them first`,
      );
    }
    refs.push(ref);
  }
  if (backend === undefined || dtype === undefined)
    throw new SpectransError('ERR_INVALID_ARGUMENT', `${op}: no tensor arguments`);
  return { backend: guardBackendErrors(backend), refs, dtype };
}

const guardedViews = new WeakMap<Backend, Backend>();
const realBackends = new WeakMap<object, Backend>();

/**
 * A view of `backend` whose methods (and `linalg` methods) turn a backend's own exceptions and
 * rejections into `ERR_BACKEND_FAILURE` with the original as `cause`. Ops call backends through it.
 */
export function guardBackendErrors(backend: Backend): Backend {
  const real = realBackends.get(backend) ?? backend;
  let view = guardedViews.get(real);
  if (!view) {
    view = guardMethods(real, real, '') as Backend;
    guardedViews.set(real, view);
    realBackends.set(view, real);
  }
  return view;
}

function guardMethods(target: object, backend: Backend, prefix: string): object {
  const nested = new Map<PropertyKey, object>();
  return new Proxy(target, {
    get(obj, key) {
      const value: unknown = Reflect.get(obj, key, obj);
      if (typeof value === 'function') {
        const method = `${prefix}${String(key)}`;
        return (...args: unknown[]): unknown => {
          let result: unknown;
          try {
            result = (value as (...a: unknown[]) => unknown).apply(obj, args);
          } catch (e) {
            throw backendFailure(backend, method, e);
          }
          if (result instanceof Promise)
            return result.catch((e: unknown) => Promise.reject(backendFailure(backend, method, e)));
          return result;
        };
      }
      if (key === 'linalg' && value !== null && typeof value === 'object') {
        if (!nested.has(key)) nested.set(key, guardMethods(value, backend, 'linalg.'));
        return nested.get(key);
      }
      return value;
    },
  });
}

/** Narrows `value` to a Tensor or throws `ERR_INVALID_ARGUMENT` naming the argument. */
export function asTensor(value: unknown, argument: string): Tensor {
  if (!(value instanceof Tensor)) {
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `${argument} must be a Tensor, got ${value === null ? 'null' : typeof value}`,
    );
  }
  return value;
}

/** Wraps a handle a backend returned. */
export function wrap(backend: Backend, handle: unknown, shape: Shape, dtype: DType): Tensor {
  return new Tensor(realBackends.get(backend) ?? backend, handle, shape, dtype);
}

/**
 * A tensor a backend makes from host values (an upload, a fill): checks the dtype is supported
 * there and the size is within limits, then wraps what `make` returns from the guarded backend.
 */
export function createOn(
  backend: Backend,
  shape: Shape,
  dtype: DType,
  what: string,
  make: (guarded: Backend) => unknown,
): Tensor {
  assertDTypeSupported(backend, dtype);
  checkTensorSize(what, shape);
  const guarded = guardBackendErrors(backend);
  return wrap(guarded, make(guarded), shape, dtype);
}

/**
 * Uploads host numbers the caller keeps as a new tensor: converted to a fresh array of `dtype`
 * (the backend may keep the array it is given), except float64 data bound for float32 on a backend
 * that rounds float64 uploads itself, which copies by converting.
 */
export function uploadCopy(backend: Backend, data: ArrayLike<number>, shape: Shape, dtype: DType): Tensor {
  const direct =
    dtype === 'float32' && data instanceof Float64Array && backend.capabilities.roundsFloat64Uploads === true;
  return upload(backend, direct ? data : toTypedArray(data, dtype), shape, dtype);
}

/** Uploads host data to a backend, checking the dtype is supported there. */
export function upload(backend: Backend, data: FloatArray, shape: Shape, dtype: DType): Tensor {
  return createOn(backend, shape, dtype, 'upload', (b) => b.fromArray(data, shape, dtype));
}

/**
 * @throws SpectransError `ERR_UNSUPPORTED_DTYPE` when `backend` does not declare `dtype`.
 */
export function assertDTypeSupported(backend: Backend, dtype: DType): void {
  if (backend.capabilities.dtypes[dtype] === undefined) {
    throw new SpectransError('ERR_UNSUPPORTED_DTYPE', `backend '${backend.name}' does not support ${dtype}`);
  }
}

/** The backend for a new tensor: the one given, else the current one. */
export function targetBackend(backend?: Backend): Backend {
  return backend ?? getBackend();
}

/**
 * Reads a tensor synchronously for a host fallback.
 * @throws SpectransError `ERR_UNSUPPORTED_OP` when the backend lacks both the op and `readSync`.
 */
export function readForFallback(backend: Backend, ref: TensorRef<unknown>, op: string): FloatArray {
  if (!backend.readSync) {
    throw new SpectransError(
      'ERR_UNSUPPORTED_OP',
      `backend '${backend.name}' implements neither ${op} nor readSync, which the host fallback for ${op} needs`,
    );
  }
  return backend.readSync(ref);
}
