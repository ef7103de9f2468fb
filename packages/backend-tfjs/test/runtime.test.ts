/** Shape helpers and the per-op runner. */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { coalesceBroadcast, matmulBatchPlan, padShape } from '../src/broadcast.js';
import {
  activate,
  ENGINE_FIXES,
  ENGINE_TUNING,
  run,
  type EngineFixes,
  type Ref,
  type TfjsRuntime,
} from '../src/runtime.js';
import { binary, unary } from '../src/elementwise.js';
import { matMul } from '../src/matmul.js';
import { backendFor } from './helpers.js';

describe('broadcast helpers', () => {
  it('coalesceBroadcast drops unit axes and merges axes that broadcast alike', () => {
    expect(coalesceBroadcast([[2, 3, 4], [4]], [2, 3, 4])).toEqual({
      shapes: [
        [6, 4],
        [1, 4],
      ],
      outShape: [6, 4],
    });
    expect(coalesceBroadcast([[1, 1, 5], [5]], [1, 1, 5])).toEqual({ shapes: [[5], [5]], outShape: [5] });
    expect(
      coalesceBroadcast(
        [
          [2, 1, 2, 1],
          [1, 2, 1, 2],
        ],
        [2, 2, 2, 2],
      ),
    ).toEqual({
      shapes: [
        [2, 1, 2, 1],
        [1, 2, 1, 2],
      ],
      outShape: [2, 2, 2, 2],
    });
    expect(coalesceBroadcast([[], [3, 1]], [3, 1])).toEqual({ shapes: [[1], [3]], outShape: [3] });
    expect(coalesceBroadcast([[], []], [])).toEqual({ shapes: [[], []], outShape: [] });
    expect(
      coalesceBroadcast(
        [
          [4, 1, 3],
          [1, 5, 1],
          [4, 5, 3],
        ],
        [4, 5, 3],
      ),
    ).toEqual({
      shapes: [
        [4, 1, 3],
        [1, 5, 1],
        [4, 5, 3],
      ],
      outShape: [4, 5, 3],
    });
  });

  it('padShape and matmulBatchPlan', () => {
    expect(padShape([3], 3)).toEqual([1, 1, 3]);
    expect(matmulBatchPlan([2, 1], [1, 3], [2, 3])).toEqual({ a: [2, 1], b: [1, 3], native: false });
    expect(matmulBatchPlan([3], [], [3])).toEqual({ a: [3], b: [1], native: true });
    expect(matmulBatchPlan([2, 3], [2, 3], [2, 3]).native).toBe(true);
  });
});

/** A runtime on tfjs's cpu engine under `tfjsName`, with the cpu corrections or the ones given. */
async function runtime(tfjsName: string, fixes: EngineFixes = ENGINE_FIXES.cpu): Promise<TfjsRuntime> {
  await backendFor('cpu');
  return { tf, engine: 'cpu', tfjsName, fixes, tuning: ENGINE_TUNING.cpu };
}

describe('runner', () => {
  it('returns a new handle even when an op would hand back its input', async () => {
    const rt = await runtime('cpu');
    const x = tf.tensor([1, 2], [2]);
    const out = run(rt, [{ handle: x, shape: [2], dtype: 'float32' }], () => x);
    expect(out).not.toBe(x);
    x.dispose();
    expect(Array.from(out.dataSync())).toEqual([1, 2]);
    out.dispose();
  });

  it('frees every intermediate, also when the op throws', async () => {
    const rt = await runtime('cpu');
    const before = tf.memory().numTensors;
    expect(() =>
      run(rt, [], () => {
        tf.add(tf.ones([3]), tf.ones([3]));
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('activate raises ERR_BACKEND_INIT when the engine cannot be made active synchronously', async () => {
    const rt = await runtime('no-such-engine');
    expect(() => activate(rt)).toThrow(expect.objectContaining({ code: 'ERR_BACKEND_INIT' }));
  });
});

describe('matMul with the odd shared dimension made even (the webgl correction, run on cpu)', () => {
  it('gives tfjs matMul results for every transpose, rank and odd or even shared size', async () => {
    const rt = await runtime('cpu', { ...ENGINE_FIXES.cpu, oddSharedDim: true });
    const fill = (shape: number[], f: number): tf.Tensor =>
      tf.tensor(
        Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * f + 0.3)),
        shape,
      );
    for (const batch of [[], [2]])
      for (const k of [1, 2, 3, 5])
        for (const transposeA of [false, true])
          for (const transposeB of [false, true]) {
            const a = fill([...batch, ...(transposeA ? [k, 3] : [3, k])], 1.1);
            const b = fill([...batch, ...(transposeB ? [2, k] : [k, 2])], 0.7);
            const got = tf.tidy(() => matMul(rt, a, b, transposeA, transposeB));
            const want = tf.matMul(a, b, transposeA, transposeB);
            expect(got.shape).toEqual(want.shape);
            const [g, w] = [got.dataSync(), want.dataSync()];
            for (let i = 0; i < w.length; i++) expect(g[i]).toBeCloseTo(w[i]!, 5);
            for (const x of [a, b, got, want]) x.dispose();
          }
  });
});

describe('the webgl corrections of log, elu and pow, forced on the cpu engine', () => {
  it('keep Math semantics: log(±0) = −∞, elu(NaN) = NaN, a ** NaN = NaN, NaN ** 0 = 1', async () => {
    const rt = await runtime('cpu', ENGINE_FIXES.webgl);
    const ref = (values: number[]): Ref => ({
      handle: tf.tensor(values, [values.length]),
      shape: [values.length],
      dtype: 'float32',
    });
    const read = (t: tf.Tensor): number[] => Array.from(t.dataSync());
    const xs = [0, -0, 1, NaN, -1, 2, -Infinity];
    const x = ref(xs);
    expect(read(unary(rt, 'log', x))).toEqual(xs.map((v) => Math.fround(Math.log(v))));
    const elu = read(unary(rt, 'elu', x));
    xs.forEach((v, i) =>
      Number.isNaN(v) ? expect(elu[i]).toBeNaN() : expect(elu[i]).toBeCloseTo(v > 0 ? v : Math.expm1(v), 6),
    );
    const as = [2, 0.5, NaN, NaN, 1, -1];
    const bs = [NaN, NaN, 0, 2, NaN, Infinity];
    expect(read(binary(rt, 'pow', ref(as), ref(bs), [6]))).toEqual(as.map((a, i) => Math.pow(a, bs[i]!)));
    x.handle.dispose();
  });
});
