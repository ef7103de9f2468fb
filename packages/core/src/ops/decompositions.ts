/**
 * Decompositions and the Walsh–Hadamard transform: native where the backend has them, else core's
 * float64 host implementation (read, compute, upload in the input dtype).
 */
import type { Backend, TensorRef } from '../backend/contract.js';
import { allocate, type DType, type FloatArray } from '../dtype.js';
import { SpectransError } from '../errors.js';
import * as host from '../linalg/index.js';
import { sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { prepare, readForFallback, upload, wrap } from './dispatch.js';
import { taped, tapedFactors } from '../autodiff/tape.js';

function requireMatrix(op: string, x: Tensor): [batch: number[], m: number, n: number] {
  if (x.rank < 2)
    throw new SpectransError(
      'ERR_INVALID_SHAPE',
      `${op}: x must have rank >= 2 (..., m, n), got shape [${x.shape.join(', ')}]`,
    );
  const m = x.shape[x.rank - 2]!;
  const n = x.shape[x.rank - 1]!;
  if (m === 0 || n === 0)
    throw new SpectransError(
      'ERR_INVALID_SHAPE',
      `${op}: matrices must be non-empty, got shape [${x.shape.join(', ')}]`,
    );
  return [x.shape.slice(0, -2), m, n];
}

/** Runs `fn` on each float64 matrix of a batch and uploads the outputs (one array per output). */
function hostBatched(
  backend: Backend,
  ref: TensorRef<unknown>,
  op: string,
  batch: number[],
  m: number,
  n: number,
  outputs: readonly { shape: number[] }[],
  fn: (a: Float64Array) => Float64Array[],
): Tensor[] {
  const data = readForFallback(backend, ref, op);
  const count = sizeOf(batch);
  const outs: FloatArray[] = outputs.map((o) => allocate(ref.dtype, count * sizeOf(o.shape)));
  for (let b = 0; b < count; b++) {
    const a = Float64Array.from(data.subarray(b * m * n, (b + 1) * m * n));
    fn(a).forEach((r, i) => outs[i]!.set(r, b * r.length));
  }
  return outs.map((o, i) => upload(backend, o, [...batch, ...outputs[i]!.shape], ref.dtype));
}

/**
 * Reduced QR of (..., m, n): `q` (..., m, k), `r` (..., k, n), k = min(m, n), with diag(r) >= 0.
 * @throws SpectransError `ERR_INVALID_SHAPE` for rank < 2 or empty matrices.
 */
export function qr(x: Tensor): { q: Tensor; r: Tensor } {
  const { backend, refs, dtype } = prepare('qr', [[x, 'x']]);
  const [batch, m, n] = requireMatrix('qr', x);
  const k = Math.min(m, n);
  const native = backend.linalg?.qr;
  if (native) {
    const out = native.call(backend.linalg, refs[0]!);
    return recordFactors('qr', x, {
      q: wrap(backend, out.q, [...batch, m, k], dtype),
      r: wrap(backend, out.r, [...batch, k, n], dtype),
    });
  }
  const [q, r] = hostBatched(
    backend,
    refs[0]!,
    'linalg.qr',
    batch,
    m,
    n,
    [{ shape: [m, k] }, { shape: [k, n] }],
    (a) => {
      const res = host.qr(a, m, n);
      return [res.q, res.r];
    },
  );
  return recordFactors('qr', x, { q: q!, r: r! });
}

/**
 * Symmetric eigendecomposition of (..., n, n) (symmetrised first): `values` ascending, `vectors` as columns.
 * @throws SpectransError `ERR_INVALID_SHAPE` for non-square input; `ERR_NOT_CONVERGED`.
 */
export function eigh(x: Tensor): { values: Tensor; vectors: Tensor } {
  const { backend, refs, dtype } = prepare('eigh', [[x, 'x']]);
  const [batch, m, n] = requireMatrix('eigh', x);
  if (m !== n)
    throw new SpectransError('ERR_INVALID_SHAPE', `eigh: x must be square, got shape [${x.shape.join(', ')}]`);
  const native = backend.linalg?.eigh;
  if (native) {
    const out = native.call(backend.linalg, refs[0]!);
    return recordFactors('eigh', x, {
      values: wrap(backend, out.values, [...batch, n], dtype),
      vectors: wrap(backend, out.vectors, [...batch, n, n], dtype),
    });
  }
  const [values, vectors] = hostBatched(
    backend,
    refs[0]!,
    'linalg.eigh',
    batch,
    n,
    n,
    [{ shape: [n] }, { shape: [n, n] }],
    (a) => {
      const res = host.eigh(a, n);
      return [res.values, res.vectors];
    },
  );
  return recordFactors('eigh', x, { values: values!, vectors: vectors! });
}

/**
 * Thin SVD of (..., m, n): `u` (..., m, k), `s` (..., k) descending, `v` (..., n, k), k = min(m, n).
 * @throws SpectransError `ERR_INVALID_SHAPE`; `ERR_NOT_CONVERGED`.
 */
export function svd(x: Tensor): { u: Tensor; s: Tensor; v: Tensor } {
  const { backend, refs, dtype } = prepare('svd', [[x, 'x']]);
  const [batch, m, n] = requireMatrix('svd', x);
  const k = Math.min(m, n);
  const native = backend.linalg?.svd;
  if (native) {
    const out = native.call(backend.linalg, refs[0]!);
    return recordFactors('svd', x, {
      u: wrap(backend, out.u, [...batch, m, k], dtype),
      s: wrap(backend, out.s, [...batch, k], dtype),
      v: wrap(backend, out.v, [...batch, n, k], dtype),
    });
  }
  const [u, s, v] = hostBatched(
    backend,
    refs[0]!,
    'linalg.svd',
    batch,
    m,
    n,
    [{ shape: [m, k] }, { shape: [k] }, { shape: [n, k] }],
    (a) => {
      const res = host.svd(a, m, n);
      return [res.u, res.s, res.v];
    },
  );
  return recordFactors('svd', x, { u: u!, s: s!, v: v! });
}

/**
 * Unnormalised fast Walsh–Hadamard transform along the last axis (length a power of two).
 * @throws SpectransError `ERR_INVALID_SHAPE` when the last axis is not a power of two.
 */
export function fwht(x: Tensor): Tensor {
  const { backend, refs, dtype } = prepare('fwht', [[x, 'x']]);
  const n = x.shape[x.rank - 1] ?? 0;
  if (x.rank < 1 || n < 1 || (n & (n - 1)) !== 0) {
    throw new SpectransError(
      'ERR_INVALID_SHAPE',
      `fwht: the last axis must be a power of two, got shape [${x.shape.join(', ')}]`,
    );
  }
  if (backend.fwht) return taped('fwht', [x], wrap(backend, backend.fwht(refs[0]!), x.shape, dtype));
  const data = Float64Array.from(readForFallback(backend, refs[0]!, 'fwht'));
  host.fwht(data, n, data.length / n);
  return taped('fwht', [x], upload(backend, castTo(data, dtype), x.shape, dtype));
}

/** Records the factors of a decomposition of x as one tape entry (in the order the rule expects). */
function recordFactors<T extends Record<string, Tensor>>(op: 'qr' | 'eigh' | 'svd', x: Tensor, factors: T): T {
  return tapedFactors(op, [x], factors);
}

function castTo(data: Float64Array, dtype: DType): FloatArray {
  return dtype === 'float64' ? data : Float32Array.from(data);
}
