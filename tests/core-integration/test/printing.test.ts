/**
 * What a user sees from console.log on the js backend: tensors with their values, kernels with
 * their options; synchronous reads; and the advice `compute(x)` without y gives.
 */
import { inspect } from 'node:util';
import { createJsBackend } from '@spectrans/backend-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorCode } from './errors.js';
import {
  createKernel,
  GaussianRFFKernel,
  isRandomFeatureMap,
  KERNEL_NAMES,
  KernelFunction,
  matmul,
  setBackend,
  tensor,
  type Backend,
  type KernelName,
  type KernelRegistry,
} from '@spectrans/core';

beforeAll(async () => {
  await setBackend(createJsBackend());
});

/** Options that build each registered kernel. */
const OPTIONS: { [K in KernelName]: KernelRegistry[K][1] } = {
  gaussian_rff: { inputDim: 2, numFeatures: 1024, seed: 42 },
  laplacian_rff: { inputDim: 2, numFeatures: 8, sigma: 0.5, seed: 1 },
  orthogonal_rff: { inputDim: 2, numFeatures: 8, seed: 1 },
  rff_attention: { inputDim: 2, numFeatures: 8, seed: 1 },
  polynomial_spectral: { rank: 2 },
  truncated_svd: { rank: 2, seed: 3 },
  learnable_spectral: { inputDim: 2, rank: 2, seed: 4 },
  fourier_kernel: { inputDim: 2, rank: 2 },
  cosine: { eps: 0.5 },
  polynomial: { degree: 3, coef0: 1 },
};

describe('console.log(tensor)', () => {
  it('prints dtype, shape, backend and values, for a tensor and for an op result', () => {
    const x = tensor([
      [0.1, 0.2],
      [0.3, 0.4],
      [0.5, 0.6],
    ]);
    const g = matmul(x, x, { transposeB: true });
    expect(inspect(x)).toBe('Tensor float32 [3, 2] on js: [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]');
    expect(String(g)).toBe('Tensor float32 [3, 3] on js: [[0.05, 0.11, 0.17], [0.11, 0.25, 0.39], [0.17, 0.39, 0.61]]');
    const big = tensor(
      new Float64Array(5000).map((_, i) => i / 8),
      [50, 100],
      'float64',
    );
    expect(String(big)).toBe(
      'Tensor float64 [50, 100] on js: [[0, 0.125, 0.25, 0.375, 0.5, 0.625, …], [12.5, 12.625, 12.75, 12.875, 13, 13.125, …], [25, 25.125, 25.25, 25.375, 25.5, 25.625, …], …]',
    );
    for (const t of [x, g, big]) t.dispose();
    expect(inspect(x)).toBe('Tensor float32 [3, 2] on js (disposed)');
  });

  it('dataSync/arraySync read on js; a backend without readSync raises ERR_SYNC_READ_UNSUPPORTED and prints a hint', async () => {
    const x = tensor([1, 2, 3, 4, 5, 6], [2, 3], 'float64');
    expect(x.arraySync(2)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(x.arraySync()).toEqual(await x.array());
    x.dispose();
    const asyncOnly: Backend = { ...createJsBackend({ name: 'js-async' }), readSync: undefined };
    const y = tensor([1, 2], [2], 'float32', { backend: asyncOnly });
    expect(errorCode(() => y.dataSync())).toBe('ERR_SYNC_READ_UNSUPPORTED');
    expect(errorCode(() => y.arraySync())).toBe('ERR_SYNC_READ_UNSUPPORTED');
    expect(() => y.arraySync()).toThrow(/backend 'js-async'/);
    expect(String(y)).toMatch(/^Tensor float32 \[2\] on js-async \(.*await tensor\.array\(\)/);
    expect(await y.array(1)).toEqual([1, 2]);
    y.dispose();
  });
});

describe('console.log(kernel)', () => {
  it('GaussianRFFKernel prints every option in use, the drawn seed included', () => {
    const k = new GaussianRFFKernel({ inputDim: 2, numFeatures: 1024, seed: 42 });
    const text =
      "GaussianRFFKernel { inputDim: 2, numFeatures: 1024, sigma: 1, useCosSin: false, trainable: false, seed: 42, orthogonal: false, orthogonalNorms: 'chi', dtype: 'float32', backend: 'js' }";
    expect(k.toString()).toBe(text);
    expect(inspect(k)).toBe(text);
    const unseeded = new GaussianRFFKernel({ inputDim: 2, numFeatures: 4 });
    expect(String(unseeded)).toContain(`seed: ${unseeded.seed},`);
    k.dispose();
    unseeded.dispose();
    expect(String(k)).toBe(text.replace('GaussianRFFKernel {', 'GaussianRFFKernel (disposed) {'));
  });

  it('every registered kernel prints its class and each option it was given, and no tensor internals', () => {
    for (const name of KERNEL_NAMES) {
      const k = createKernel(name, OPTIONS[name] as never);
      const text = inspect(k);
      expect(text).toBe(k.toString());
      expect(text.startsWith(`${k.constructor.name} { `), text).toBe(true);
      for (const [key, value] of Object.entries(OPTIONS[name])) {
        expect(text, `${name}.${key}`).toContain(`${key}: ${typeof value === 'string' ? `'${value}'` : value}`);
      }
      expect(text).toMatch(/dtype: 'float32', backend: 'js' }$/);
      expect(text).not.toMatch(/handle|Float32Array|\n/);
      k.dispose();
    }
  });
});

describe('compute(x) without y', () => {
  it('raises ERR_INVALID_ARGUMENT naming y and pointing to gramMatrix(x), for every kernel with compute', () => {
    const x = tensor([
      [0.1, 0.2],
      [0.3, 0.4],
      [0.5, 0.6],
    ]);
    let checked = 0;
    for (const name of KERNEL_NAMES) {
      const k = createKernel(name, OPTIONS[name] as never);
      if (k instanceof KernelFunction) {
        const call = (): unknown => (k.compute as (x: unknown) => unknown)(x);
        expect(errorCode(call), name).toBe('ERR_INVALID_ARGUMENT');
        expect(call, name).toThrow(`${k.constructor.name}.compute: y is missing`);
        expect(call, name).toThrow('call gramMatrix(x)');
        const gram = k.gramMatrix(x);
        expect(gram.shape).toEqual([3, 3]);
        gram.dispose();
        checked++;
      }
      k.dispose();
    }
    expect(checked).toBe(8);
    x.dispose();
  });

  it('kernelApproximation(x) without y raises ERR_INVALID_ARGUMENT naming y, for every feature map', () => {
    const x = tensor([
      [0.1, 0.2],
      [0.3, 0.4],
    ]);
    let checked = 0;
    for (const name of KERNEL_NAMES) {
      const k = createKernel(name, OPTIONS[name] as never);
      if (isRandomFeatureMap(k)) {
        const call = (): unknown => (k.kernelApproximation as (x: unknown) => unknown)(x);
        expect(errorCode(call), name).toBe('ERR_INVALID_ARGUMENT');
        expect(call, name).toThrow(`${k.constructor.name}.kernelApproximation: y is missing`);
        expect(call, name).toThrow('pass x twice');
        checked++;
      }
      k.dispose();
    }
    expect(checked).toBe(4);
    x.dispose();
  });
});
