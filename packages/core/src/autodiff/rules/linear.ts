/** Backward rules of matmul, cdist, fwht and rffFeatures; decompositions have none. */
import { SpectransError } from '../../errors.js';
import { add, cos, mul, neg, sign, sin, sub } from '../../ops/elementwise.js';
import { fwht } from '../../ops/decompositions.js';
import { expandDims, matrixTranspose, reshape, slice } from '../../ops/layout.js';
import { matmul } from '../../ops/linear.js';
import { sum } from '../../ops/reduce.js';
import { unbroadcast } from '../shape-grads.js';
import { savedInput, type BackwardRule } from './rule.js';

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
    ? unbroadcast(ta ? matmul(b, dy, { transposeA: tb, transposeB: true }) : matmul(dy, b, { transposeB: !tb }), a.shape)
    : undefined;
  const gb = e.needsGrad[1]
    ? unbroadcast(tb ? matmul(dy, a, { transposeA: true, transposeB: ta }) : matmul(a, dy, { transposeA: !ta }), b.shape)
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
    e.needsGrad[1] ? unbroadcast(mul(sub(mul(matrixTranspose(sum(g, -2, true)), y), matmul(g, x, { transposeA: true })), 2), y.shape) : undefined,
  ];
};

/**
 * out = s·cos(p) (and s·sin(p)) with p = x ω + b: dp = s·(cos(p) ⊙ dsin − sin(p) ⊙ dcos), then
 * dx = dp ωᵀ, dω = xᵀ dp, db = Σ dp over rows. p is recomputed rather than saved.
 */
const rffRule: BackwardRule = (e, dy) => {
  const x = savedInput(e, 0);
  const omega = savedInput(e, 1);
  const bias = savedInput(e, 2);
  const scale = e.attrs['scale'] as number;
  const d = omega.shape[0]!;
  const D = omega.shape[1]!;
  const rows = reshape(x, [-1, d]);
  const p = add(matmul(rows, omega), bias);
  const g = reshape(dy, [rows.shape[0]!, -1]);
  let dp: ReturnType<typeof mul>;
  if (e.attrs['cosSin'] === true) {
    const dCos = slice(g, [0, 0], [-1, D]);
    const dSin = slice(g, [0, D], [-1, D]);
    dp = mul(sub(mul(cos(p), dSin), mul(sin(p), dCos)), scale);
  } else {
    dp = mul(mul(sin(p), g), -scale);
  }
  return [
    e.needsGrad[0] ? reshape(matmul(dp, omega, { transposeB: true }), x.shape) : undefined,
    e.needsGrad[1] ? matmul(rows, dp, { transposeA: true }) : undefined,
    e.needsGrad[2] ? sum(dp, 0) : undefined,
  ];
};

/** A rule that refuses: no gradient flows through `op`. */
function notDifferentiable(op: string, why: string): BackwardRule {
  return () => {
    throw new SpectransError('ERR_NOT_DIFFERENTIABLE', `${op}: ${why}`);
  };
}

const decompositionWhy = 'a gradient path crosses this decomposition, which has no backward rule in this version; keep it out of the differentiated computation (e.g. compute it from constants)';

/** Backward rules of the products, distances, transforms and decompositions. */
export const linearRules: Record<string, BackwardRule> = {
  matmul: matmulRule,
  cdist: cdistRule,
  // The unnormalised Walsh–Hadamard matrix is symmetric: the transform is its own adjoint.
  fwht: (_e, dy) => [fwht(dy)],
  rffFeatures: rffRule,
  qr: notDifferentiable('qr', decompositionWhy),
  eigh: notDifferentiable('eigh', decompositionWhy),
  svd: notDifferentiable('svd', decompositionWhy),
};
