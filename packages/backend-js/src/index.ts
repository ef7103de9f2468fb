/**
 * @spectrans/backend-js: the whole spectrans ops contract on plain `Float32Array`s and
 * `Float64Array`s. The default backend, and the conformance oracle when run in float64.
 *
 * @example
 * ```ts
 * import { setBackend, tensor, matmul } from '@spectrans/core';
 * import { createJsBackend } from '@spectrans/backend-js';
 *
 * await setBackend(createJsBackend());
 * const c = matmul(tensor([[1, 2], [3, 4]]), tensor([[5], [6]]));
 * ```
 * @packageDocumentation
 */
import { sizeOf } from '@spectrans/core';
import type { Backend, BackendCapabilities, DType, FloatArray, Shape } from '@spectrans/core';
import { checkOptions, SpectransError, type TensorRef } from '@spectrans/core/backend';
import { cdist } from './distance.js';
import { binary, binaryScalar, cast, unary, where } from './elementwise.js';
import { fwht, rffFeatures } from './features.js';
import { concat, slice, transpose } from './layout.js';
import { eigh, qr, svd } from './linalg.js';
import { matmul } from './matmul.js';
import { cumsum, reduce } from './reduce.js';
import { asDType, dataOf, HandleStore, type JsHandle } from './storage.js';

export type { JsHandle } from './storage.js';

/** Options of {@link createJsBackend}. */
export interface JsBackendOptions {
  /** The backend's name in the registry and in error messages; default `'js'`. */
  name?: string;
}

/**
 * What the js backend declares: IEEE float32 and float64 (every op computes in double and rounds
 * once), and float64 uploads to float32 rounded on the way in.
 */
export const JS_CAPABILITIES: BackendCapabilities = Object.freeze({
  dtypes: Object.freeze({ float32: 'ieee', float64: 'ieee' }),
  roundsFloat64Uploads: true,
});

/**
 * Creates an instance of the js backend. Each instance keeps its own handle accounting
 * (`memory()`); nothing is registered or allocated on import.
 *
 * Implements every required op plus the optional groups natively: `linalg` (qr, eigh, svd through
 * core's float64 host linear algebra), `fwht` and a fused `rffFeatures`.
 *
 * @param options - `name` (default `'js'`).
 * @throws SpectransError `ERR_INVALID_ARGUMENT` for an unknown option or an empty `name`.
 * @example
 * ```ts
 * import { setBackend } from '@spectrans/core';
 * await setBackend(createJsBackend());
 * // or: registerBackend('js', () => createJsBackend(), { priority: 1 }); await ready();
 * ```
 */
export function createJsBackend(options: JsBackendOptions = {}): Backend<JsHandle> {
  const name = checkOptions('createJsBackend', options, ['name']).name ?? 'js';
  if (typeof name !== 'string' || name === '')
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `createJsBackend: name must be a non-empty string, got ${JSON.stringify(name)}`,
    );
  const store = new HandleStore();
  const wrap = (data: FloatArray, dtype: DType): JsHandle => store.wrap(data, dtype);
  type Ref = TensorRef<JsHandle>;

  const backend: Backend<JsHandle> = {
    name,
    capabilities: JS_CAPABILITIES,

    // ---- storage -------------------------------------------------------------------------------
    fromArray(data: FloatArray, shape: Shape, dtype: DType): JsHandle {
      const arr = asDType(data, dtype);
      const size = sizeOf(shape);
      return wrap(arr.length === size ? arr : arr.slice(0, size), dtype);
    },
    fill(value: number, shape: Shape, dtype: DType): JsHandle {
      const arr = dtype === 'float32' ? new Float32Array(sizeOf(shape)) : new Float64Array(sizeOf(shape));
      return wrap(Object.is(value, 0) ? arr : arr.fill(value), dtype);
    },
    read(x: Ref): Promise<FloatArray> {
      try {
        return Promise.resolve(dataOf(x).slice());
      } catch (e) {
        return Promise.reject(e as Error);
      }
    },
    readSync(x: Ref): FloatArray {
      return dataOf(x).slice();
    },
    dispose(handle: JsHandle): void {
      store.dispose(handle);
    },
    memory() {
      return store.memory();
    },

    // ---- elementwise ---------------------------------------------------------------------------
    unary(op, x: Ref) {
      return wrap(unary(op, dataOf(x), x.dtype), x.dtype);
    },
    binary(op, a: Ref, b: Ref, outShape) {
      return wrap(binary(op, dataOf(a), a.shape, dataOf(b), b.shape, outShape, a.dtype), a.dtype);
    },
    binaryScalar(op, x: Ref, scalar, scalarFirst) {
      return wrap(binaryScalar(op, dataOf(x), scalar, scalarFirst, x.dtype), x.dtype);
    },
    where(cond: Ref, a: Ref, b: Ref, outShape) {
      return wrap(where(dataOf(cond), cond.shape, dataOf(a), a.shape, dataOf(b), b.shape, outShape, a.dtype), a.dtype);
    },
    cast(x: Ref, dtype) {
      return wrap(cast(dataOf(x), dtype), dtype);
    },

    // ---- reductions and scans ------------------------------------------------------------------
    reduce(op, x: Ref, axis) {
      return wrap(reduce(op, dataOf(x), x.shape, axis, x.dtype), x.dtype);
    },
    cumsum(x: Ref, axis, exclusive, reverse) {
      return wrap(cumsum(dataOf(x), x.shape, axis, exclusive, reverse, x.dtype), x.dtype);
    },

    // ---- layout --------------------------------------------------------------------------------
    transpose(x: Ref, perm) {
      return wrap(transpose(dataOf(x), x.shape, perm, x.dtype), x.dtype);
    },
    reshape(x: Ref) {
      // Shares the array: tensors are immutable and disposing only drops this handle's reference.
      return wrap(dataOf(x), x.dtype);
    },
    concat(xs: readonly Ref[], axis, outShape) {
      const dtype = xs[0]!.dtype;
      return wrap(
        concat(
          xs.map(dataOf),
          xs.map((t) => t.shape),
          axis,
          outShape,
          dtype,
        ),
        dtype,
      );
    },
    slice(x: Ref, begin, size) {
      return wrap(slice(dataOf(x), x.shape, begin, size, x.dtype), x.dtype);
    },

    // ---- products and distances ----------------------------------------------------------------
    matmul(a: Ref, b: Ref, transposeA, transposeB, outShape) {
      return wrap(matmul(dataOf(a), a.shape, dataOf(b), b.shape, transposeA, transposeB, outShape, a.dtype), a.dtype);
    },
    cdist(x: Ref, y: Ref, metric, outShape) {
      return wrap(cdist(dataOf(x), x.shape, dataOf(y), y.shape, metric, outShape, x.dtype), x.dtype);
    },

    // ---- optional groups -----------------------------------------------------------------------
    linalg: {
      qr(x: Ref) {
        const { q, r } = qr(dataOf(x), x.shape, x.dtype);
        return { q: wrap(q, x.dtype), r: wrap(r, x.dtype) };
      },
      eigh(x: Ref) {
        const { values, vectors } = eigh(dataOf(x), x.shape, x.dtype);
        return { values: wrap(values, x.dtype), vectors: wrap(vectors, x.dtype) };
      },
      svd(x: Ref) {
        const { u, s, v } = svd(dataOf(x), x.shape, x.dtype);
        return { u: wrap(u, x.dtype), s: wrap(s, x.dtype), v: wrap(v, x.dtype) };
      },
    },
    fwht(x: Ref) {
      return wrap(fwht(dataOf(x), x.shape[x.shape.length - 1]!, x.dtype), x.dtype);
    },
    rffFeatures(x: Ref, omega: Ref, bias: Ref, scale, cosSin) {
      const d = x.shape[x.shape.length - 1]!;
      const D = omega.shape[1]!;
      const rows = sizeOf(x.shape.slice(0, -1));
      return wrap(rffFeatures(dataOf(x), dataOf(omega), dataOf(bias), rows, d, D, scale, cosSin, x.dtype), x.dtype);
    },
  };
  return backend;
}
