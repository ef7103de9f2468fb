/** No leaks: every op is one tf.tidy; 10,000 calls leave tfjs's tensor count where it was. */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import {
  add,
  cdist,
  concat,
  cos,
  cumsum,
  fwht,
  liveTensorCount,
  matmul,
  maximum,
  max,
  pow,
  reshape,
  rffFeatures,
  sign,
  sin,
  slice,
  sum,
  tensor,
  transpose,
  where,
  type Tensor,
} from '@spectrans/core';
import { ENGINES, t, uniforms, useEngine } from './helpers.js';

describe.each(ENGINES)('memory on tfjs-%s', (engine) => {
  it('a 10,000-call loop of representative ops leaves tf.memory().numTensors unchanged', async () => {
    const backend = await useEngine(engine);
    const a = t(uniforms(24, 1), [4, 6]);
    const b = t(uniforms(24, 2), [6, 4]);
    const c = t(uniforms(24, 3), [4, 6]);
    const v = t(uniforms(16, 4), [2, 8]);
    const one = t([1], [1]);
    const omega = t(uniforms(12, 5), [6, 2]);
    const bias = t(uniforms(2, 6), [2]);
    const ops: (() => Tensor)[] = [
      () => add(a, c),
      () => add(a, one),
      () => maximum(a, 0.5),
      () => pow(a, 2),
      () => matmul(a, b),
      () => matmul(a, c, { transposeB: true }),
      () => sum(a, 1),
      () => max(a),
      () => cumsum(a, 1, { exclusive: true }),
      () => cos(a),
      () => sin(a),
      () => sign(a),
      () => where(a, c, a),
      () => transpose(a),
      () => reshape(a, [24]),
      () => slice(a, [1, 1], [2, 2]),
      () => concat([a, c], 0),
      () => cdist(a, c),
      () => cdist(a, c, 'l1'),
      () => fwht(v),
      () => rffFeatures(a, omega, bias, 0.5, true),
    ];
    for (const op of ops) op().dispose(); // warm up
    const tensorsBefore = tf.memory().numTensors;
    const bytesBefore = tf.memory().numBytes;
    const liveBefore = liveTensorCount();
    for (let i = 0; i < 10000; i++) {
      const out = ops[i % ops.length]!();
      out.dispose();
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(tf.memory().numBytes).toBe(bytesBefore);
    expect(liveTensorCount()).toBe(liveBefore);
    expect(backend.memory!()).toEqual({ handles: tensorsBefore, bytes: bytesBefore });
    for (const x of [a, b, c, v, one, omega, bias]) x.dispose();
  }, 60_000);

  it('memory() counts handles and bytes, and drops back after dispose', async () => {
    const backend = await useEngine(engine);
    const before = backend.memory!();
    const x = tensor(new Float32Array(10), [10]);
    const y = reshape(x, [2, 5]);
    // tfjs counts the bytes of shared storage once per tensor (the contract allows either)
    expect(backend.memory!()).toEqual({ handles: before.handles + 2, bytes: before.bytes + 80 });
    x.dispose();
    expect(Array.from(await y.data())).toEqual(new Array(10).fill(0)); // the reshape outlives its source
    y.dispose();
    expect(backend.memory!()).toEqual(before);
  });

  it('reads return fresh copies; uploads are not aliased by later reads', async () => {
    await useEngine(engine);
    const x = t([1, 2, 3], [3]);
    const first = x.dataSync();
    first[0] = 99;
    expect(Array.from(await x.data())).toEqual([1, 2, 3]);
    x.dispose();
  });
});
