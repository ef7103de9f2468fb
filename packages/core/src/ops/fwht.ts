/** The fast Walsh–Hadamard transform: the backend's native `fwht`, else core's float64 host transform. */
import type { DType, FloatArray } from '../dtype.js';
import { SpectransError } from '../errors.js';
import { fwht as hostFwht } from '../linalg/fwht.js';
import type { Tensor } from '../tensor.js';
import { taped } from '../autodiff/tape.js';
import { prepare, readForFallback, upload, wrap } from './dispatch.js';

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
  hostFwht(data, n, data.length / n);
  return taped('fwht', [x], upload(backend, castTo(data, dtype), x.shape, dtype));
}

function castTo(data: Float64Array, dtype: DType): FloatArray {
  return dtype === 'float64' ? data : Float32Array.from(data);
}
