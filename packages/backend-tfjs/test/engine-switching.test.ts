/** tfjs has one active backend per process: two instances (cpu and wasm) interleave safely. */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { add, cos, matmul, sum, tensor, type Tensor } from '@spectrans/core';
import type { Tensor as TfTensor } from '@tensorflow/tfjs-core';
import { backendFor, expectClose, f32, uniforms } from './helpers.js';

/** The tfjs backend instance holding a spectrans tensor's data. */
function holder(x: Tensor): unknown {
  const handle = x.ref().handle as TfTensor;
  return (tf.engine().state.tensorInfo.get(handle.dataId) as { backend: unknown }).backend;
}

describe('two engines in one process', () => {
  it('interleaved ops run on, and leave their results on, their own engine', async () => {
    const cpu = await backendFor('cpu');
    const wasm = await backendFor('wasm');
    const data = uniforms(12, 1);
    const onCpu = tensor(data, [3, 4], 'float32', { backend: cpu });
    const onWasm = tensor(data, [3, 4], 'float32', { backend: wasm });
    expect(holder(onCpu)).toBe(tf.findBackend('cpu'));
    expect(holder(onWasm)).toBe(tf.findBackend('wasm'));
    for (let i = 0; i < 5; i++) {
      const r1 = add(onCpu, onCpu);
      const r2 = add(onWasm, onWasm);
      const r3 = matmul(onCpu, onCpu, { transposeB: true });
      const r4 = cos(onWasm);
      expect(holder(r1)).toBe(tf.findBackend('cpu'));
      expect(holder(r2)).toBe(tf.findBackend('wasm'));
      expect(holder(r3)).toBe(tf.findBackend('cpu'));
      expect(holder(r4)).toBe(tf.findBackend('wasm'));
      expectClose(Array.from(r1.dataSync()), f32(data.map((v) => 2 * v)));
      expectClose(Array.from(r2.dataSync()), f32(data.map((v) => 2 * v)));
      expectClose(Array.from(r4.dataSync()), f32(data.map(Math.cos)), { atol: 1e-6 });
      for (const r of [r1, r2, r3, r4]) r.dispose();
    }
    onCpu.dispose();
    onWasm.dispose();
  });

  it('switches tfjs back when someone else changed the active backend meanwhile', async () => {
    const wasm = await backendFor('wasm');
    await backendFor('cpu');
    const x = tensor([1, 2, 3], [3], 'float32', { backend: wasm });
    await tf.setBackend('cpu');
    const s = sum(x);
    expect(tf.getBackend()).toBe('wasm');
    expect(holder(s)).toBe(tf.findBackend('wasm'));
    expect(Array.from(s.dataSync())).toEqual([6]);
    s.dispose();
    x.dispose();
  });

  it("results survive a caller's own tf.tidy: their lifetime belongs to the spectrans Tensor", async () => {
    const cpu = await backendFor('cpu');
    let kept: { x: Tensor; y: Tensor } | undefined;
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tensor([1, 2, 3], [3], 'float32', { backend: cpu });
      kept = { x, y: add(x, x) };
      tf.add(tf.ones([2]), tf.ones([2])); // the caller's own intermediates, freed as usual
    });
    if (!kept) throw new Error('unreachable');
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(Array.from(kept.y.dataSync())).toEqual([2, 4, 6]);
    expect(Array.from(kept.x.dataSync())).toEqual([1, 2, 3]);
    kept.x.dispose();
    kept.y.dispose();
  });

  it("memory() is tfjs's process-wide count, the same from either instance", async () => {
    const cpu = await backendFor('cpu');
    const wasm = await backendFor('wasm');
    expect(cpu.memory!()).toEqual(wasm.memory!());
    const x = tensor([1, 2], [2], 'float32', { backend: cpu });
    expect(wasm.memory!().handles).toBe(tf.memory().numTensors);
    x.dispose();
  });
});
