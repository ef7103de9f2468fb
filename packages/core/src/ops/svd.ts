/** Thin SVD: the backend's native `linalg.svd`, else core's float64 host SVD. */
import type { Tensor } from '../tensor.js';
import { svd as hostSvd } from '../linalg/svd.js';
import { prepare, wrap } from './dispatch.js';
import { hostBatched, recordFactors, requireMatrix } from './host-fallback.js';

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
      const res = hostSvd(a, m, n);
      return [res.u, res.s, res.v];
    },
  );
  return recordFactors('svd', x, { u: u!, s: s!, v: v! });
}
