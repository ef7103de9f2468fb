/**
 * createKernel(name, options) builds every kernel by its registry name (KERNEL_NAMES); feature maps
 * (isRandomFeatureMap) give φ(x), the others K(x, x). An unknown name raises ERR_UNKNOWN_KERNEL.
 */
import { pathToFileURL } from 'node:url';
import {
  KERNEL_NAMES,
  RandomGenerator,
  SpectransError,
  createKernel,
  isRandomFeatureMap,
  liveTensorCount,
  setBackend,
  tensor,
  type KernelName,
  type KernelRegistry,
} from '@spectrans/core';
import { createJsBackend } from '@spectrans/backend-js';

const OPTIONS: { [K in KernelName]: KernelRegistry[K][1] } = {
  gaussian_rff: { inputDim: 8, numFeatures: 64, seed: 0 },
  laplacian_rff: { inputDim: 8, numFeatures: 64, seed: 0 },
  orthogonal_rff: { inputDim: 8, numFeatures: 64, useHadamard: true, seed: 0 },
  rff_attention: { inputDim: 8, numFeatures: 64, seed: 0 },
  polynomial_spectral: { rank: 4 },
  truncated_svd: { rank: 4 },
  learnable_spectral: { inputDim: 8, rank: 4, seed: 0 },
  fourier_kernel: { inputDim: 8, rank: 4 },
  cosine: {},
  polynomial: { degree: 3 },
};
type Built = Record<string, { className: string; output: string; shape: number[] }>;

export async function main(): Promise<{ built: Built; unknownCode: string; leaked: number }> {
  await setBackend(createJsBackend());
  const before = liveTensorCount();
  const x = tensor(new RandomGenerator(0).normal(5 * 8), [5, 8]);
  const built: Built = {};
  for (const name of KERNEL_NAMES) {
    const kernel = createKernel(name, OPTIONS[name]);
    const [output, out] = isRandomFeatureMap(kernel)
      ? ['features φ(x)', kernel.forward(x)]
      : ['kernel matrix K(x, x)', kernel.compute(x, x)];
    built[name] = { className: kernel.constructor.name, output, shape: [...out.shape] };
    console.log(`${name.padEnd(19)} → ${kernel.constructor.name.padEnd(24)} ${output} [${out.shape.join(', ')}]`);
    for (const owned of [out, kernel]) owned.dispose();
  }
  let unknownCode = 'no error';
  try {
    createKernel('gaussian' as KernelName, {} as never); // not a registry name
  } catch (e) {
    unknownCode = e instanceof SpectransError ? e.code : String(e);
  }
  console.log(`createKernel('gaussian') throws ${unknownCode}`);
  x.dispose();
  return { built, unknownCode, leaked: liveTensorCount() - before };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
