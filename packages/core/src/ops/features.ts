/** The fused feature ops (random Fourier features, FAVOR+ positive features), with composed fallbacks. */
import { SpectransError } from '../errors.js';
import { choiceCheck, scalarCheck } from '../validate.js';
import type { PositiveFeatureStabilizer } from '../backend/contract.js';
import { tidy } from '../scope.js';
import type { Tensor } from '../tensor.js';
import { prepare, wrap } from './dispatch.js';
import { recordsAny, taped, untaped } from '../autodiff/tape.js';
import { add, cos, exp, mul, sin, sub } from './elementwise.js';
import { max, sum } from './reduce.js';
import { concat, reshape, slice } from './layout.js';
import { matmul } from './linear.js';

/**
 * Random Fourier features with p = x ω + b: `scale · cos(p)`, or with `cosSin`
 * `scale · [cos(p), sin(p)]` (all cosines first, then all sines; as in the reference, the bias is
 * applied to both halves, where it cancels in the inner product).
 *
 * @param x - inputs (..., d), rank >= 1.
 * @param omega - frequencies (d, D).
 * @param bias - phases (D).
 * @returns (..., D), or (..., 2D) with `cosSin`.
 * @throws SpectransError `ERR_SHAPE_MISMATCH` when d or D disagree; `ERR_INVALID_ARGUMENT` for a non-finite scale.
 * @remarks Rahimi & Recht (2007): E[cos(ωᵀx + b)·cos(ωᵀy + b)]·2 = k(x − y) for b ~ U[0, 2π).
 */
export function rffFeatures(x: Tensor, omega: Tensor, bias: Tensor, scale: number, cosSin = false): Tensor {
  prepare('rffFeatures', [
    [x, 'x'],
    [omega, 'omega'],
    [bias, 'bias'],
  ]);
  scalarCheck(scale, 'scale', { finite: true });
  if (x.rank < 1 || omega.rank !== 2 || bias.rank !== 1) {
    throw new SpectransError(
      'ERR_INVALID_SHAPE',
      `rffFeatures: expected x (..., d), omega (d, D), bias (D); got [${x.shape.join(', ')}], [${omega.shape.join(', ')}], [${bias.shape.join(', ')}]`,
    );
  }
  const d = x.shape[x.rank - 1]!;
  const D = omega.shape[1]!;
  if (omega.shape[0] !== d || bias.shape[0] !== D) {
    throw new SpectransError(
      'ERR_SHAPE_MISMATCH',
      `rffFeatures: x [${x.shape.join(', ')}], omega [${omega.shape.join(', ')}] and bias [${bias.shape.join(', ')}] disagree (need omega (d, D), bias (D))`,
    );
  }
  const attrs = { scale, cosSin };
  if (!cosSin && recordsAny([x, omega, bias])) {
    // Being differentiated: compute the sines too (same product, one more pass) and hand them to
    // the backward rule, which would otherwise recompute x ω + b.
    const both = untaped(() => compute(x, omega, bias, scale, true));
    const lead = new Array<number>(x.rank - 1).fill(0);
    const size = [...x.shape.slice(0, -1), D];
    const [out, sines] = untaped(() => [slice(both, [...lead, 0], size), slice(both, [...lead, D], size)]);
    both.dispose();
    taped('rffFeatures', [x, omega, bias], out, attrs, [sines]);
    sines.dispose();
    return out;
  }
  return taped('rffFeatures', [x, omega, bias], compute(x, omega, bias, scale, cosSin), attrs);
}

/** The op itself on validated inputs: the backend's fused kernel, or the composed chain. */
function compute(x: Tensor, omega: Tensor, bias: Tensor, scale: number, cosSin: boolean): Tensor {
  const { backend, refs, dtype } = prepare('rffFeatures', [
    [x, 'x'],
    [omega, 'omega'],
    [bias, 'bias'],
  ]);
  const d = x.shape[x.rank - 1]!;
  const D = omega.shape[1]!;
  const outShape = [...x.shape.slice(0, -1), cosSin ? 2 * D : D];
  if (backend.rffFeatures) {
    return wrap(backend, backend.rffFeatures(refs[0]!, refs[1]!, refs[2]!, scale, cosSin, outShape), outShape, dtype);
  }
  return untaped(() =>
    tidy(() => {
      const rows = reshape(x, [-1, d]);
      const phase = add(matmul(rows, omega), bias);
      const feats = cosSin ? concat([cos(phase), sin(phase)], -1) : cos(phase);
      return reshape(mul(feats, scale), outShape);
    }),
  );
}

/**
 * Positive random features (FAVOR+, Choromanski et al. 2021) with z = x ω:
 * `scale · exp(z − ‖x‖²/2)` (stabilizer `'none'`), `scale · exp(z − max_j z_j)` per row (`'row'`,
 * which drops the row's own constant −‖x‖²/2), or `scale · exp(z − ‖x‖²/2 − M)` with M the largest
 * exponent `z − ‖x‖²/2` of each batch element, over all its rows and features (`'global'`; a batch
 * element is x's last two axes, all of x for rank <= 2). A backend with the optional fused op
 * computes it in one pass after the product; while a gradient is recorded, or on a backend without
 * it, it runs as the chain of core ops it stands for (so gradients flow as through that chain).
 *
 * @param x - inputs (..., d), rank >= 1.
 * @param omega - frequencies (d, D).
 * @param stabilizer - the shift, see above.
 * @param scale - the factor, finite (FAVOR+ uses 1/√D).
 * @returns (..., D).
 * @throws SpectransError `ERR_SHAPE_MISMATCH` when d disagrees; `ERR_INVALID_SHAPE` for a rank-0 x or
 *   a non-matrix omega; `ERR_INVALID_ARGUMENT` for another stabilizer or a non-finite scale.
 * @example
 * ```ts
 * const phi = positiveFeatures(q, omega, 'row', 1 / Math.sqrt(omega.shape[1]!)); // every row's largest feature is 1/√D
 * ```
 */
export function positiveFeatures(
  x: Tensor,
  omega: Tensor,
  stabilizer: PositiveFeatureStabilizer,
  scale: number,
): Tensor {
  const { backend, refs, dtype } = prepare('positiveFeatures', [
    [x, 'x'],
    [omega, 'omega'],
  ]);
  choiceCheck(stabilizer, 'positiveFeatures: stabilizer', ['none', 'row', 'global'] as const);
  scalarCheck(scale, 'scale', { finite: true });
  if (x.rank < 1 || omega.rank !== 2) {
    throw new SpectransError(
      'ERR_INVALID_SHAPE',
      `positiveFeatures: expected x (..., d) and omega (d, D); got [${x.shape.join(', ')}] and [${omega.shape.join(', ')}]`,
    );
  }
  const d = x.shape[x.rank - 1]!;
  const D = omega.shape[1]!;
  if (omega.shape[0] !== d) {
    throw new SpectransError(
      'ERR_SHAPE_MISMATCH',
      `positiveFeatures: x [${x.shape.join(', ')}] has d = ${d} but omega [${omega.shape.join(', ')}] has ${omega.shape[0]} rows`,
    );
  }
  const lead = x.shape.slice(0, -1);
  const outShape = [...lead, D];
  if (backend.positiveFeatures && !recordsAny([x, omega])) {
    const h = backend.positiveFeatures(refs[0]!, refs[1]!, stabilizer, scale, outShape);
    if (h !== undefined) return wrap(backend, h, outShape, dtype);
  }
  return tidy(() => {
    const rows = reshape(x, [-1, d]);
    const z = matmul(rows, omega);
    const exponent = reshape(
      stabilizer === 'row' ? sub(z, max(z, -1, true)) : sub(z, mul(sum(mul(rows, rows), -1, true), 0.5)),
      outShape,
    );
    const shifted =
      stabilizer === 'global' ? sub(exponent, max(exponent, lead.length > 0 ? [-2, -1] : [-1], true)) : exponent;
    return mul(exp(shifted), scale);
  });
}
