/**
 * A third-party backend: every op of the contract is counted, then delegated to backend-js.
 *
 * It shows what a backend author needs from the published packages and nothing more:
 * - `Backend<H>` and friends from `@spectrans/core` (the contract is a typed interface, so the
 *   compiler lists anything missing);
 * - an own handle type (`CountingHandle`) wrapping the inner backend's handle;
 * - optional groups left out on purpose (`linalg`, `fwht`, `rffFeatures`): core falls back to its
 *   float64 host implementations, which conformance reports as 'fallback';
 * - `runConformance` from `@spectrans/conformance` in test/ to prove it.
 */
import { createJsBackend } from '@spectrans/backend-js';
import type { Backend, DType, DistanceMetric, FloatArray, Shape } from '@spectrans/core';
import type { BinaryOp, ReduceOp, TensorRef, UnaryOp } from '@spectrans/core/backend';

/** This backend's handle: the inner backend's handle, boxed. */
export interface CountingHandle {
  readonly inner: unknown;
}

/** A backend that counts calls per op. */
export interface CountingBackend extends Backend<CountingHandle> {
  /** Calls per op name since creation. */
  readonly counts: ReadonlyMap<string, number>;
}

/** Creates the counting backend (float32 and float64, as the wrapped backend-js). */
export function createCountingBackend(): CountingBackend {
  const inner: Backend = createJsBackend({ name: 'counting-inner' });
  const counts = new Map<string, number>();
  let live = 0;
  const count = (op: string): void => {
    counts.set(op, (counts.get(op) ?? 0) + 1);
  };
  const unwrap = (x: TensorRef<CountingHandle>): TensorRef<unknown> => ({
    handle: x.handle.inner,
    shape: x.shape,
    dtype: x.dtype,
  });
  const box = (handle: unknown): CountingHandle => {
    live++;
    return { inner: handle };
  };

  return {
    name: 'counting',
    capabilities: inner.capabilities,
    counts,
    fromArray(data: FloatArray, shape: Shape, dtype: DType) {
      count('fromArray');
      return box(inner.fromArray(data, shape, dtype));
    },
    read(x) {
      count('read');
      return inner.read(unwrap(x));
    },
    readSync(x) {
      count('readSync');
      return inner.readSync!(unwrap(x));
    },
    dispose(handle) {
      count('dispose');
      live--;
      inner.dispose(handle.inner);
    },
    memory() {
      return { handles: live, bytes: inner.memory?.().bytes ?? 0 };
    },
    unary(op: UnaryOp, x) {
      count(`unary/${op}`);
      return box(inner.unary(op, unwrap(x)));
    },
    binary(op: BinaryOp, a, b, outShape) {
      count(`binary/${op}`);
      return box(inner.binary(op, unwrap(a), unwrap(b), outShape));
    },
    binaryScalar(op: BinaryOp, x, scalar, scalarFirst) {
      count(`binaryScalar/${op}`);
      return box(inner.binaryScalar(op, unwrap(x), scalar, scalarFirst));
    },
    where(cond, a, b, outShape) {
      count('where');
      return box(inner.where(unwrap(cond), unwrap(a), unwrap(b), outShape));
    },
    cast(x, dtype) {
      count('cast');
      return box(inner.cast(unwrap(x), dtype));
    },
    reduce(op: ReduceOp, x, axis) {
      count(`reduce/${op}`);
      return box(inner.reduce(op, unwrap(x), axis));
    },
    cumsum(x, axis, exclusive, reverse) {
      count('cumsum');
      return box(inner.cumsum(unwrap(x), axis, exclusive, reverse));
    },
    transpose(x, perm) {
      count('transpose');
      return box(inner.transpose(unwrap(x), perm));
    },
    reshape(x, shape) {
      count('reshape');
      return box(inner.reshape(unwrap(x), shape));
    },
    concat(xs, axis, outShape) {
      count('concat');
      return box(inner.concat(xs.map(unwrap), axis, outShape));
    },
    slice(x, begin, size) {
      count('slice');
      return box(inner.slice(unwrap(x), begin, size));
    },
    matmul(a, b, transposeA, transposeB, outShape) {
      count('matmul');
      return box(inner.matmul(unwrap(a), unwrap(b), transposeA, transposeB, outShape));
    },
    cdist(x, y, metric: DistanceMetric, outShape) {
      count(`cdist/${metric}`);
      return box(inner.cdist(unwrap(x), unwrap(y), metric, outShape));
    },
  };
}
