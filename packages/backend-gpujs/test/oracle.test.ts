/**
 * Whole computations (kernel matrices, random features, attention-like normalisation) against
 * backend-js in float64 on the same inputs: the oracle the conformance suite uses.
 */
import { createJsBackend } from '@spectrans/backend-js';
import * as ops from '@spectrans/core';
import { tensor, tidy, type Backend, type Tensor } from '@spectrans/core';
import { afterAll, expect, test } from 'vitest';
import { rng } from './support/helpers.js';
import { describeModes } from './support/suite.js';

const oracle = createJsBackend({ name: 'oracle' });
afterAll(() => oracle.destroy?.());

/** Runs `program` on both backends (float32 here, float64 on the oracle) and compares. */
async function compare(
  backend: Backend,
  inputs: Record<string, { data: Float32Array; shape: number[] }>,
  program: (t: Record<string, Tensor>) => Tensor,
  rtol: number,
): Promise<void> {
  const on = (b: Backend, dtype: 'float32' | 'float64'): Promise<ArrayLike<number>> => {
    const out = tidy(() =>
      program(
        Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, tensor(v.data, v.shape, dtype, { backend: b })])),
      ),
    );
    return out.data().finally(() => out.dispose());
  };
  const [got, want] = await Promise.all([on(backend, 'float32'), on(oracle, 'float64')]);
  expect(got.length).toBe(want.length);
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]!));
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
  expect(worst / scale).toBeLessThan(rtol);
}

describeModes('against backend-js (float64)', (ctx) => {
  const r = rng(21);
  const data = (shape: number[], gen = () => r.normal()): { data: Float32Array; shape: number[] } => ({
    data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, gen),
    shape,
  });
  const rtol = (): number => (ctx.precision === 'reduced' ? 1e-4 : 1e-5);

  test('Gaussian kernel matrix from cdist', async () => {
    await compare(
      ctx.backend,
      { x: data([2, 20, 6]), y: data([15, 6]) },
      ({ x, y }) => ops.exp(ops.mul(ops.cdist(x!, y!), -0.5)),
      rtol(),
    );
  });

  test('random features and their Gram matrix (rffFeatures, matmul with transposeB)', async () => {
    const D = 64;
    await compare(
      ctx.backend,
      { x: data([30, 8]), w: data([8, D]), b: data([D], () => r.uniform(0, 2 * Math.PI)) },
      ({ x, w, b }) => {
        const phi = ops.rffFeatures(x!, w!, b!, Math.sqrt(2 / D));
        return ops.matmul(phi, phi, { transposeB: true });
      },
      rtol(),
    );
  });

  test('softmax-normalised attention-like product (max, sub, exp, sum, div, matmul)', async () => {
    await compare(
      ctx.backend,
      { q: data([2, 9, 5]), k: data([2, 11, 5]), v: data([2, 11, 4]) },
      ({ q, k, v }) => {
        const s = ops.matmul(q!, k!, { transposeB: true });
        const e = ops.exp(ops.sub(s, ops.max(s, -1, true)));
        return ops.matmul(ops.div(e, ops.sum(e, -1, true)), v!);
      },
      rtol(),
    );
  });

  test('layout chain (cumsum, transpose, slice, concat, where, fwht)', async () => {
    await compare(
      ctx.backend,
      { x: data([3, 4, 8]) },
      ({ x }) => {
        const c = ops.cumsum(x!, 1, { reverse: true });
        const t = ops.transpose(c, [2, 0, 1]);
        const s = ops.slice(t, [1, 0, 1], [4, 3, 3]);
        const joined = ops.concat([s, ops.neg(s), ops.where(ops.greater(s, 0), s, ops.square(s))], 2);
        return ops.fwht(ops.reshape(ops.slice(joined, [0, 0, 0], [4, 3, 8]), [12, 8]));
      },
      rtol(),
    );
  });
});
