/** Backward rules of matmul, cdist, fwht, rffFeatures and eigh; qr and svd have none. */
import { SpectransError } from '../../errors.js';
import { add, equal, mul, neg, reciprocal, sign, sub, where } from '../../ops/elementwise.js';
import { tensor } from '../../ops/creation.js';
import type { Tensor } from '../../tensor.js';
import { fwht } from '../../ops/fwht.js';
import { expandDims, matrixTranspose, reshape, slice } from '../../ops/layout.js';
import { matmul } from '../../ops/linear.js';
import { sum } from '../../ops/reduce.js';
import { unbroadcast, zerosLike } from '../shape-grads.js';
import { savedInput, savedOutput, type BackwardRule } from './rule.js';

/**
 * C = op(A) op(B): dA = dC op(B)ᵀ (transposed back when A was), dB = op(A)ᵀ dC (likewise),
 * each summed over the batch axes broadcasting added.
 */
const matmulRule: BackwardRule = (e, dy) => {
  const a = savedInput(e, 0);
  const b = savedInput(e, 1);
  const ta = e.attrs['transposeA'] === true;
  const tb = e.attrs['transposeB'] === true;
  const ga = e.needsGrad[0]
    ? unbroadcast(
        ta ? matmul(b, dy, { transposeA: tb, transposeB: true }) : matmul(dy, b, { transposeB: !tb }),
        a.shape,
      )
    : undefined;
  const gb = e.needsGrad[1]
    ? unbroadcast(
        tb ? matmul(dy, a, { transposeA: true, transposeB: ta }) : matmul(a, dy, { transposeA: !ta }),
        b.shape,
      )
    : undefined;
  return [ga, gb];
};

/**
 * Squared Euclidean: D = |x|² + |y|² − 2 x yᵀ, so dx = 2 (rowsum(G) ⊙ x − G y) and
 * dy = 2 (colsum(G) ⊙ y − Gᵀ x). L1: d|xᵢₖ − yⱼₖ| = sign(xᵢₖ − yⱼₖ), summed over the other side
 * (this forms the (..., n, m, d) tensor of signs).
 */
const cdistRule: BackwardRule = (e, g) => {
  const x = savedInput(e, 0);
  const y = savedInput(e, 1);
  if (e.attrs['metric'] === 'l1') {
    const weighted = mul(expandDims(g, -1), sign(sub(expandDims(x, -2), expandDims(y, -3))));
    return [
      e.needsGrad[0] ? unbroadcast(sum(weighted, -2), x.shape) : undefined,
      e.needsGrad[1] ? unbroadcast(neg(sum(weighted, -3)), y.shape) : undefined,
    ];
  }
  return [
    e.needsGrad[0] ? unbroadcast(mul(sub(mul(sum(g, -1, true), x), matmul(g, y)), 2), x.shape) : undefined,
    e.needsGrad[1]
      ? unbroadcast(mul(sub(mul(matrixTranspose(sum(g, -2, true)), y), matmul(g, x, { transposeA: true })), 2), y.shape)
      : undefined,
  ];
};

/**
 * out = s·cos(p) (and s·sin(p)) with p = x ω + b: dp = s·(cos(p) ⊙ dsin − sin(p) ⊙ dcos), then
 * dx = dp ωᵀ, dω = xᵀ dp, db = Σ dp over rows. s·cos(p) and s·sin(p) come from the forward pass:
 * the cos/sin form saves its output, the cos form hands over the sines it computed alongside.
 */
const rffRule: BackwardRule = (e, dy) => {
  const x = savedInput(e, 0);
  const omega = savedInput(e, 1);
  const d = omega.shape[0]!;
  const D = omega.shape[1]!;
  const rows = reshape(x, [-1, d]);
  const n = rows.shape[0]!;
  const g = reshape(dy, [n, -1]);
  // The cos form's dp is −(s·sin(p) ⊙ g): its sign is applied to the small results instead of
  // taking one more pass over the (n, D) product.
  let dp: Tensor;
  let sign: (t: Tensor) => Tensor = (t) => t;
  if (e.attrs['cosSin'] === true) {
    const out = reshape(savedOutput(e), [n, 2 * D]);
    const half = (t: Tensor, i: number): Tensor => slice(t, [0, i * D], [-1, D]);
    dp = sub(mul(half(out, 0), half(g, 1)), mul(half(out, 1), half(g, 0)));
  } else {
    const sines = e.extras[0];
    if (sines === undefined) throw new Error('backward rffFeatures: the sines were not handed over');
    dp = mul(reshape(sines, [n, D]), g);
    sign = neg;
  }
  return [
    e.needsGrad[0] ? reshape(sign(matmul(dp, omega, { transposeB: true })), x.shape) : undefined,
    e.needsGrad[1] ? sign(matmul(rows, dp, { transposeA: true })) : undefined,
    e.needsGrad[2] ? sign(sum(dp, 0)) : undefined,
  ];
};

/**
 * Symmetric eigendecomposition A = V Λ Vᵀ of the symmetrised input (A + Aᵀ)/2:
 * Ā = sym(V (diag(λ̄) + F ∘ (Vᵀ V̄)) Vᵀ) with F_ij = 1/(λ_j − λ_i) off the diagonal and 0 on it
 * (Giles 2008, "An extended collection of matrix derivative results"). Eigenvector signs are fixed
 * by a locally constant convention, so they do not change the rule. Where two eigenvalues are
 * equal the vectors are not unique: F is set to 0 there, which is right when the loss does not
 * depend on how a repeated eigenspace is split (e.g. only the top-r vectors of a null space-padded
 * spectrum are used); nearly equal eigenvalues give large gradients, as the math does.
 */
const eighRule: BackwardRule = (e, _dy, [dValues, dVectors]) => {
  const values = e.savedOutputs[0]!;
  const vectors = e.savedOutputs[1]!;
  const n = values.shape[values.rank - 1]!;
  const eye = tensor(
    Float64Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 1 : 0)),
    [n, n],
    values.dtype,
    { backend: values.backend },
  );
  const terms: Tensor[] = [];
  if (dValues !== undefined) terms.push(mul(eye, expandDims(dValues, -2)));
  if (dVectors !== undefined) {
    const gaps = sub(expandDims(values, -2), expandDims(values, -1)); // [i, j] = λ_j − λ_i
    // Equal eigenvalues (the diagonal, or an exactly repeated value whose vectors get no gradient) give 0, not 1/0.
    const f = where(equal(gaps, 0), zerosLike([], values), reciprocal(gaps));
    terms.push(mul(f, matmul(vectors, dVectors, { transposeA: true })));
  }
  const inner = terms.length === 2 ? add(terms[0]!, terms[1]!) : terms[0]!;
  const m = matmul(matmul(vectors, inner), vectors, { transposeB: true });
  return [mul(add(m, matrixTranspose(m)), 0.5)];
};

/** A rule that refuses: no gradient flows through `op`. */
function notDifferentiable(op: string, why: string): BackwardRule {
  return () => {
    throw new SpectransError('ERR_NOT_DIFFERENTIABLE', `${op}: ${why}`);
  };
}

const decompositionWhy =
  'a gradient path crosses this decomposition, which has no backward rule in this version (eigh has one); keep it out of the differentiated computation (e.g. compute it from constants)';

/** Backward rules of the products, distances, transforms and decompositions. */
export const linearRules: Record<string, BackwardRule> = {
  matmul: matmulRule,
  cdist: cdistRule,
  // The unnormalised Walsh–Hadamard matrix is symmetric: the transform is its own adjoint.
  fwht: (_e, dy) => [fwht(dy)],
  rffFeatures: rffRule,
  qr: notDifferentiable('qr', decompositionWhy),
  eigh: eighRule,
  svd: notDifferentiable('svd', decompositionWhy),
};
