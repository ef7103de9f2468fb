import { GaussianRFFKernel, setBackend, tensor } from '@spectrans/core';
import { optionalOpSupport } from '@spectrans/core/backend';
import { describe, expect, it } from 'vitest';
import { createCountingBackend } from '../src/index.js';

describe('counting backend', () => {
  it('runs a kernel through the public API and counts the ops it used', async () => {
    const backend = createCountingBackend();
    await setBackend(backend);
    const kernel = new GaussianRFFKernel({ inputDim: 3, numFeatures: 16, seed: 1 });
    const x = tensor([
      [0, 1, 2],
      [1, 0, -1],
    ]);
    const k = kernel.kernelApproximation(x, x);
    expect(k.shape).toEqual([2, 2]);
    // No fused rffFeatures here: core composed it from matmul, add, cos and mul.
    expect(optionalOpSupport(backend, 'rffFeatures')).toBe('fallback');
    expect(backend.counts.get('matmul')).toBeGreaterThanOrEqual(3);
    expect(backend.counts.get('unary/cos')).toBe(2);
    for (const t of [x, k]) t.dispose();
    kernel.dispose();
    expect(backend.memory!().handles).toBe(0);
  });
});
