/** Symmetric eigendecomposition: the backend's native `linalg.eigh`, else core's float64 host eigh. */
import type { Tensor } from '../tensor.js';
import { SpectransError } from '../errors.js';
import { eigh as hostEigh } from '../linalg/eigh.js';
import { prepare, wrap } from './dispatch.js';
import { hostBatched, recordFactors, requireMatrix } from './host-fallback.js';

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
      const res = hostEigh(a, n);
      return [res.values, res.vectors];
    },
  );
  return recordFactors('eigh', x, { values: values!, vectors: vectors! });
}
