/** Every backward rule against central finite differences in float64 on backend-js. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as ops from '@spectrans/core';
import type { Tensor } from '@spectrans/core';
import { compareGradients, relativeError, type GradInput } from './gradcheck.js';
import { useJs } from './helpers.js';

beforeAll(useJs);

const s = (...shape: number[]): GradInput => ({ shape });
const pos = (...shape: number[]): GradInput => ({ shape, range: [0.3, 2] });
type Case = [name: string, inputs: GradInput[], f: (...xs: Tensor[]) => Tensor];

const cases: Case[] = [
  ['neg', [s(3, 4)], (x) => ops.neg(x)],
  ['abs', [s(3, 4)], (x) => ops.abs(x)],
  ['exp', [s(3, 4)], (x) => ops.exp(x)],
  ['log', [pos(3, 4)], (x) => ops.log(x)],
  ['sqrt', [pos(3, 4)], (x) => ops.sqrt(x)],
  ['square', [s(3, 4)], (x) => ops.square(x)],
  ['reciprocal', [pos(3, 4)], (x) => ops.reciprocal(x)],
  ['sin (large arguments)', [{ shape: [5], values: [0.3, -1.2, 40.5, -100.25, 3] }], (x) => ops.sin(x)],
  ['cos', [s(2, 5)], (x) => ops.cos(x)],
  ['tanh', [s(2, 5)], (x) => ops.tanh(x)],
  ['relu', [s(3, 5)], (x) => ops.relu(x)],
  ['elu', [s(3, 5)], (x) => ops.elu(x)],
  ['add (broadcast both sides)', [s(3, 1), s(1, 4)], (a, b) => ops.add(a, b)],
  ['sub (rank broadcast)', [s(2, 3, 4), s(4)], (a, b) => ops.sub(a, b)],
  ['mul (broadcast)', [s(2, 1, 4), s(3, 1)], (a, b) => ops.mul(a, b)],
  ['div (broadcast)', [s(3, 4), pos(4)], (a, b) => ops.div(a, b)],
  ['pow tensor ** tensor', [pos(3, 4), s(3, 4)], (a, b) => ops.pow(a, b)],
  ['pow tensor ** scalar', [s(3, 4)], (a) => ops.pow(a, 3)],
  ['pow scalar ** tensor', [s(3, 4)], (b) => ops.pow(1.7, b)],
  ['maximum (broadcast)', [s(3, 4), s(4)], (a, b) => ops.maximum(a, b)],
  ['minimum (broadcast)', [s(3, 4), s(3, 1)], (a, b) => ops.minimum(a, b)],
  ['maximum with scalar', [s(3, 4)], (a) => ops.maximum(a, 0.2)],
  ['minimum scalar first', [s(3, 4)], (a) => ops.minimum(0.1, a)],
  ['add/sub/mul/div with scalars', [pos(2, 3)], (x) => ops.div(2, ops.sub(3, ops.mul(ops.add(x, 1), 0.5)))],
  ['where (broadcast)', [s(3, 4), s(4), s(3, 1)], (c, a, b) => ops.where(ops.greater(c, 0), a, b)],
  ['clip', [s(3, 4)], (x) => ops.clip(x, -0.5, 0.7)],
  ['sum over all', [s(2, 3, 4)], (x) => ops.sum(x)],
  ['sum over axes, keepDims', [s(2, 3, 4)], (x) => ops.sum(x, [0, 2], true)],
  ['sum over a negative axis', [s(2, 3, 4)], (x) => ops.sum(x, -2)],
  ['mean', [s(2, 3, 4)], (x) => ops.mean(x, 1)],
  ['max over an axis', [s(3, 5)], (x) => ops.max(x, -1)],
  ['min over two axes', [s(2, 3, 4)], (x) => ops.min(x, [0, 2], true)],
  ['cumsum', [s(3, 4)], (x) => ops.cumsum(x, 1)],
  ['cumsum exclusive', [s(3, 4)], (x) => ops.cumsum(x, 0, { exclusive: true })],
  ['cumsum reverse', [s(3, 4)], (x) => ops.cumsum(x, -1, { reverse: true })],
  ['cumsum exclusive reverse', [s(2, 5)], (x) => ops.cumsum(x, 1, { exclusive: true, reverse: true })],
  ['transpose', [s(2, 3, 4)], (x) => ops.transpose(x, [2, 0, 1])],
  ['matrixTranspose', [s(2, 3, 4)], (x) => ops.matrixTranspose(x)],
  ['reshape', [s(2, 6)], (x) => ops.reshape(x, [3, -1])],
  ['expandDims', [s(2, 3)], (x) => ops.expandDims(x, 1)],
  ['concat', [s(2, 3), s(2, 1), s(2, 2)], (a, b, c) => ops.concat([a, b, c], 1)],
  ['slice', [s(4, 5, 3)], (x) => ops.slice(x, [1, 2], [2, -1])],
  ['matmul', [s(3, 4), s(4, 2)], (a, b) => ops.matmul(a, b)],
  ['matmul transposeA', [s(4, 3), s(4, 2)], (a, b) => ops.matmul(a, b, { transposeA: true })],
  ['matmul transposeB', [s(3, 4), s(2, 4)], (a, b) => ops.matmul(a, b, { transposeB: true })],
  ['matmul transposeA and B', [s(4, 3), s(2, 4)], (a, b) => ops.matmul(a, b, { transposeA: true, transposeB: true })],
  ['matmul batch broadcast', [s(2, 1, 3, 4), s(3, 4, 2)], (a, b) => ops.matmul(a, b)],
  ['matmul batch broadcast, transposed', [s(3, 4), s(2, 2, 4)], (a, b) => ops.matmul(a, b, { transposeB: true })],
  ['cdist sqeuclidean', [s(4, 3), s(5, 3)], (x, y) => ops.cdist(x, y)],
  ['cdist sqeuclidean batch broadcast', [s(2, 3, 2), s(4, 2)], (x, y) => ops.cdist(x, y)],
  ['cdist l1', [s(4, 3), s(5, 3)], (x, y) => ops.cdist(x, y, 'l1')],
  ['cdist l1 batch broadcast', [s(3, 2), s(2, 4, 2)], (x, y) => ops.cdist(x, y, 'l1')],
  ['fwht', [s(3, 8)], (x) => ops.fwht(x)],
  ['rffFeatures', [s(2, 3, 4), s(4, 5), s(5)], (x, w, b) => ops.rffFeatures(x, w, b, 0.7)],
  ['rffFeatures cos/sin', [s(3, 4), s(4, 5), s(5)], (x, w, b) => ops.rffFeatures(x, w, b, 0.7, true)],
  ['cast to float32 and back', [s(3)], (x) => ops.cast(ops.cast(x, 'float32'), 'float64')],
  ['one input used twice', [s(3, 3)], (x) => ops.matmul(x, x)],
  ['add(x, x)', [s(3)], (x) => ops.add(x, x)],
  [
    'eigh values and vectors (symmetrised input)',
    [s(4, 4)],
    (a) => {
      const { values, vectors } = ops.eigh(a);
      return ops.concat([ops.expandDims(values, 0), vectors], 0);
    },
  ],
  ['eigh batched, values only', [s(2, 3, 3)], (a) => ops.eigh(a).values],
  ['eigh vectors only', [s(3, 3)], (a) => ops.eigh(a).vectors],
  [
    'softmax chain',
    [s(3, 5)],
    (x) => {
      const e = ops.exp(ops.sub(x, ops.max(x, -1, true)));
      return ops.div(e, ops.sum(e, -1, true));
    },
  ],
];

describe('backward rules match central differences (float64, backend-js)', () => {
  it.each(cases)('%s', (_name, inputs, f) => {
    // The float32 round trip is linear but rounds: difference it with a wide step.
    const rounds = _name.startsWith('cast');
    const { analytic, numeric } = compareGradients(f, inputs, 3, rounds ? 1e-2 : 1e-6);
    expect(relativeError(analytic, numeric)).toBeLessThan(rounds ? 1e-4 : 1e-6);
  });
});
