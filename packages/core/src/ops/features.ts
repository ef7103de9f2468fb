/** The fused random-Fourier-feature op, with a composed fallback. */
import { SpectransError } from '../errors.js';
import { scalarCheck } from '../validate.js';
import { tidy } from '../scope.js';
import type { Tensor } from '../tensor.js';
import { prepare, wrap } from './dispatch.js';
import { recordsAny, taped, untaped } from '../autodiff/tape.js';
import { add, cos, mul, sin } from './elementwise.js';
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
