/**
 * Host linear algebra in float64 on row-major `Float64Array`s with explicit dimensions: QR,
 * symmetric eigendecomposition, SVD (exact and randomised), Cholesky and the fast Walsh–Hadamard
 * transform. Every function validates its arguments and returns new arrays (`fwht` works in place).
 *
 * @packageDocumentation
 */
export { qr, type QrResult } from './qr.js';
export { eigh, type EighResult } from './eigh.js';
export { svd, type SvdResult } from './svd.js';
export { randomizedSvd, type RandomizedSvdOptions } from './randomized-svd.js';
export { cholesky } from './cholesky.js';
export { fwht } from './fwht.js';
