/**
 * No leaks at the kernel level: 10,000 calls of every kernel (and of linear attention) leave
 * tf.memory().numTensors and core's live-tensor count where they were.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  RFFAttentionKernel,
  createKernel,
  linearAttention,
  liveTensorCount,
  tensor,
  type KernelName,
  type Tensor,
} from '@spectrans/core';
import { createEventLoopYielder } from '@spectrans/conformance/vitest';
import { describe, expect, it } from 'vitest';
import { ENGINES, useEngine } from './helpers.js';

const d = 4;
/** One kernel per class, with its main call. */
const KERNELS: [KernelName, Record<string, unknown>, 'forward' | 'compute'][] = [
  ['gaussian_rff', { inputDim: d, numFeatures: 8, seed: 1 }, 'forward'],
  ['laplacian_rff', { inputDim: d, numFeatures: 8, seed: 1 }, 'compute'],
  ['orthogonal_rff', { inputDim: d, numFeatures: 8, useHadamard: true, seed: 1 }, 'forward'],
  ['rff_attention', { inputDim: d, numFeatures: 8, seed: 1 }, 'forward'],
  ['cosine', {}, 'compute'],
  ['polynomial', { degree: 3 }, 'compute'],
  ['polynomial_spectral', { rank: 2 }, 'compute'],
  ['truncated_svd', { rank: 2 }, 'compute'],
  ['learnable_spectral', { inputDim: d, rank: 2, seed: 1 }, 'compute'],
  ['fourier_kernel', { inputDim: d, rank: 2 }, 'compute'],
];
const CALLS = 10_000;
// The calls are synchronous: a loop of them would hold vitest's worker off its RPC for over a
// minute on a loaded machine, so each loop gives the event loop a turn every 100 ms.
const breathe = createEventLoopYielder();
// One loop takes ~50 s on tfjs-wasm on a loaded 2-core machine and over 120 s beside another suite.
const LOOP_TIMEOUT_MS = 400_000;

describe.each(ENGINES)('kernel memory on tfjs-%s', (engine) => {
  it.each(KERNELS)(
    `10,000 calls of %s leave the tensor count unchanged`,
    async (name, options, method) => {
      await useEngine(engine);
      const kernel = createKernel(name, options as never) as unknown as {
        forward(x: Tensor): Tensor;
        compute(x: Tensor, y: Tensor): Tensor;
        dispose(): void;
      };
      const x = tensor([0.1, 0.2, -0.3, 0.4, 0.5, -0.6, 0.7, 0.8], [2, d]);
      // One warm-up call so lazily created engine state is not counted.
      (method === 'forward' ? kernel.forward(x) : kernel.compute(x, x)).dispose();
      const tfBefore = tf.memory().numTensors;
      const coreBefore = liveTensorCount();
      for (let i = 0; i < CALLS; i++) {
        (method === 'forward' ? kernel.forward(x) : kernel.compute(x, x)).dispose();
        await breathe();
      }
      expect(tf.memory().numTensors).toBe(tfBefore);
      expect(liveTensorCount()).toBe(coreBefore);
      x.dispose();
      kernel.dispose();
    },
    LOOP_TIMEOUT_MS,
  );

  it(
    '10,000 causal linear-attention calls leave the tensor count unchanged',
    async () => {
      await useEngine(engine);
      const map = new RFFAttentionKernel({ inputDim: d, numFeatures: 8, seed: 2 });
      const q = tensor(
        Array.from({ length: 3 * d }, (_, i) => Math.sin(i)),
        [3, d],
      );
      linearAttention(q, q, q, { featureMap: map, causal: true, chunkSize: 2 }).dispose();
      const tfBefore = tf.memory().numTensors;
      for (let i = 0; i < CALLS; i++) {
        linearAttention(q, q, q, { featureMap: map, causal: true, chunkSize: 2 }).dispose();
        await breathe();
      }
      expect(tf.memory().numTensors).toBe(tfBefore);
      q.dispose();
      map.dispose();
    },
    LOOP_TIMEOUT_MS,
  );
});
