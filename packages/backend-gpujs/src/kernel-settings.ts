/** The one set of `gpu.createKernel` settings: every op kernel and the start-up probe use it. */
import type { GpujsKernelSettings } from './gpujs-api.js';

/**
 * Settings of a kernel writing `size` float32 values: textures kept on the GPU between kernels
 * in GL modes (`pipeline`), IEEE single precision, inputs never written.
 */
export function kernelSettings(size: number, gl: boolean): GpujsKernelSettings {
  return {
    output: [size],
    pipeline: gl,
    immutable: true,
    precision: 'single',
    tactic: 'precision',
    // one value per RGBA texel: gpu.js's 4-values-per-texel textures compile every kernel body
    // four times per fragment, which made the test suite 3.5x slower on llvmpipe
    optimizeFloatMemory: false,
    dynamicOutput: false,
    dynamicArguments: false,
  };
}
