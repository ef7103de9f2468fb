/** `gradients/ops/<op>/<variant>/<dtype>`: every op's backward rule on the backend under test. */
import * as core from '@spectrans/core';
import type { DType, Tensor } from '@spectrans/core';
import type { HostRng } from '../../host-rng.js';
import type { ConformanceCase } from '../../types.js';
import { dtypeCase } from '../helpers.js';
import { needsNativeOrReadSync } from '../ops/features.js';
import { checkGradients } from './check.js';

/** Values an input is drawn from: standard normals, or uniforms in (0.5, 2) for ops that need x > 0. */
type Domain = 'normal' | 'positive';
/** One input: its shape and domain. */
type Spec = readonly [shape: readonly number[], domain?: Domain];
/** One op case: id, inputs, and the op applied to them in order. */
type OpCase = readonly [id: string, inputs: readonly Spec[], f: (...xs: Tensor[]) => Tensor];

const n = (...shape: number[]): Spec => [shape, 'normal'];
const p = (...shape: number[]): Spec => [shape, 'positive'];

/** The op cases: unary, binary with broadcasting and scalars, reductions, scans, layout, products, features. */
export const GRADIENT_OP_CASES: readonly OpCase[] = [
  ['neg', [n(3, 4)], (x) => core.neg(x)],
  ['abs', [n(3, 4)], (x) => core.abs(x)],
  ['exp', [n(3, 4)], (x) => core.exp(x)],
  ['log', [p(3, 4)], (x) => core.log(x)],
  ['sqrt', [p(3, 4)], (x) => core.sqrt(x)],
  ['square', [n(3, 4)], (x) => core.square(x)],
  ['reciprocal', [p(3, 4)], (x) => core.reciprocal(x)],
  ['sin', [n(2, 5)], (x) => core.sin(x)],
  ['cos', [n(2, 5)], (x) => core.cos(x)],
  ['tanh', [n(2, 5)], (x) => core.tanh(x)],
  ['relu', [n(3, 5)], (x) => core.relu(x)],
  ['elu', [n(3, 5)], (x) => core.elu(x)],
  ['add/broadcast', [n(3, 1), n(1, 4)], (a, b) => core.add(a, b)],
  ['sub/rank-broadcast', [n(2, 3, 4), n(4)], (a, b) => core.sub(a, b)],
  ['mul/broadcast', [n(2, 1, 4), n(3, 1)], (a, b) => core.mul(a, b)],
  ['div/broadcast', [n(3, 4), p(4)], (a, b) => core.div(a, b)],
  ['scalar-forms', [p(2, 3)], (x) => core.div(2, core.sub(3, core.mul(core.add(x, 1), 0.5)))],
  ['pow/tensor-tensor', [p(3, 4), n(3, 4)], (a, b) => core.pow(a, b)],
  ['pow/tensor-scalar', [n(3, 4)], (a) => core.pow(a, 3)],
  ['pow/scalar-tensor', [n(3, 4)], (b) => core.pow(1.7, b)],
  ['maximum/broadcast', [n(3, 4), n(4)], (a, b) => core.maximum(a, b)],
  ['minimum/broadcast', [n(3, 4), n(3, 1)], (a, b) => core.minimum(a, b)],
  ['maximum/scalar', [n(3, 4)], (a) => core.maximum(a, 0.2)],
  ['where/broadcast', [n(3, 4), n(4), n(3, 1)], (c, a, b) => core.where(core.greater(c, 0), a, b)],
  ['sum/all', [n(2, 3, 4)], (x) => core.sum(x)],
  ['sum/axes-keep-dims', [n(2, 3, 4)], (x) => core.sum(x, [0, 2], true)],
  ['mean/axis', [n(2, 3, 4)], (x) => core.mean(x, 1)],
  ['max/axis', [n(3, 5)], (x) => core.max(x, -1)],
  ['min/axes', [n(2, 3, 4)], (x) => core.min(x, [0, 2], true)],
  ['cumsum/inclusive', [n(3, 4)], (x) => core.cumsum(x, 1)],
  ['cumsum/exclusive-reverse', [n(3, 5)], (x) => core.cumsum(x, 1, { exclusive: true, reverse: true })],
  ['transpose', [n(2, 3, 4)], (x) => core.transpose(x, [2, 0, 1])],
  ['reshape', [n(2, 6)], (x) => core.reshape(x, [3, -1])],
  ['concat', [n(2, 3), n(2, 1), n(2, 2)], (a, b, c) => core.concat([a, b, c], 1)],
  ['slice', [n(4, 5, 3)], (x) => core.slice(x, [1, 2], [2, -1])],
  ['matmul/plain', [n(3, 4), n(4, 2)], (a, b) => core.matmul(a, b)],
  ['matmul/transpose-a', [n(4, 3), n(4, 2)], (a, b) => core.matmul(a, b, { transposeA: true })],
  ['matmul/transpose-b', [n(3, 4), n(2, 4)], (a, b) => core.matmul(a, b, { transposeB: true })],
  ['matmul/transpose-both', [n(4, 3), n(2, 4)], (a, b) => core.matmul(a, b, { transposeA: true, transposeB: true })],
  ['matmul/batch-broadcast', [n(2, 1, 3, 4), n(3, 4, 2)], (a, b) => core.matmul(a, b)],
  ['cdist/sqeuclidean', [n(2, 4, 3), n(5, 3)], (x, y) => core.cdist(x, y)],
  ['cdist/l1', [n(4, 3), n(2, 5, 3)], (x, y) => core.cdist(x, y, 'l1')],
  ['exp-cdist/sqeuclidean', [n(2, 4, 3), n(5, 3)], (x, y) => core.expCdist(x, y, 'sqeuclidean', -0.4)],
  ['exp-cdist/l1', [n(4, 3), n(2, 5, 3)], (x, y) => core.expCdist(x, y, 'l1', -0.6)],
  ['fwht', [n(3, 8)], (x) => core.fwht(x)],
  ['rff-features/cos', [n(2, 3, 4), n(4, 5), p(5)], (x, w, b) => core.rffFeatures(x, w, b, 0.7)],
  ['rff-features/cos-sin', [n(3, 4), n(4, 5), p(5)], (x, w, b) => core.rffFeatures(x, w, b, 0.7, true)],
  [
    'eigh/values-and-vectors',
    [n(4, 4)],
    (a) => {
      const { values, vectors } = core.eigh(a);
      return core.concat([core.expandDims(values, 0), vectors], 0);
    },
  ],
  [
    'softmax-chain',
    [n(3, 5)],
    (x) => {
      const e = core.exp(core.sub(x, core.max(x, -1, true)));
      return core.div(e, core.sum(e, -1, true));
    },
  ],
];

function draw(rng: HostRng, [shape, domain]: Spec): Float64Array {
  const size = shape.reduce((a, b) => a * b, 1);
  return domain === 'positive' ? rng.uniforms(size, 0.5, 2) : rng.normals(size);
}

/** The `gradients/ops/...` cases for one dtype. */
export function gradientOpCases(dtype: DType): ConformanceCase[] {
  return GRADIENT_OP_CASES.map(([id, specs, f]) => {
    const extra =
      id === 'fwht'
        ? { optionalOp: 'fwht' as const, applies: needsNativeOrReadSync('fwht') }
        : id.startsWith('eigh')
          ? { optionalOp: 'linalg/eigh' as const, applies: needsNativeOrReadSync('linalg/eigh') }
          : id.startsWith('rff-features')
            ? { optionalOp: 'rffFeatures' as const }
            : id.startsWith('exp-cdist')
              ? { optionalOp: 'expCdist' as const }
              : {};
    return dtypeCase(
      `gradients/ops/${id}`,
      dtype,
      async (ctx) => {
        const inputs = Object.fromEntries(
          specs.map((spec, i) => [`x${i}`, ctx.hostInput(draw(ctx.rng, spec), [...spec[0]])]),
        );
        await checkGradients(ctx, (xs) => f(...specs.map((_, i) => xs[`x${i}`]!)), inputs, id);
      },
      extra,
    );
  });
}
