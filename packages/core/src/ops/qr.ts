/** QR decomposition: the backend's native `linalg.qr`, else core's float64 host QR. */
import type { Tensor } from '../tensor.js';
import { qr as hostQr } from '../linalg/qr.js';
import { prepare, wrap } from './dispatch.js';
import { hostBatched, recordFactors, requireMatrix } from './host-fallback.js';

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
      const res = hostQr(a, m, n);
      return [res.q, res.r];
    },
  );
  return recordFactors('qr', x, { q: q!, r: r! });
}
