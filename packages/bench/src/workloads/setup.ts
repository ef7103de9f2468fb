/** W5: parameter setup: orthogonal frequency blocks (QR per block) and SORF diagonals. */
import { GaussianRFFKernel, OrthogonalRandomFeatures, type KernelModule } from '@spectrans/core';
import { TARGET_BACKENDS } from '../backends.js';
import { withMinRuns } from '../config.js';
import { SEEDS } from '../inputs.js';
import type { CaseResult } from '../types.js';
import { measureCase, type Ctx } from './common.js';

const MAPS: readonly {
  id: string;
  label: string;
  make: (o: {
    inputDim: number;
    numFeatures: number;
    seed: number;
    backend: import('@spectrans/core').Backend;
  }) => KernelModule;
}[] = [
  {
    id: 'orthogonal',
    label: 'GaussianRFFKernel orthogonal (⌈D/d⌉ QR blocks)',
    make: (o) => new GaussianRFFKernel({ ...o, orthogonal: true }),
  },
  {
    id: 'sorf',
    label: 'OrthogonalRandomFeatures useHadamard (SORF diagonals)',
    make: (o) => new OrthogonalRandomFeatures({ ...o, useHadamard: true }),
  },
];

export async function runW5(ctx: Ctx): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for (const [d, D] of ctx.config.w5) {
    const big = d * D >= 512 * 1024;
    for (const map of MAPS) {
      out.push(
        await measureCase(
          ctx,
          {
            workload: 'W5',
            id: `w5/${map.id}/d=${d},D=${D}`,
            label: `${map.label}: construct, d = ${d}, D = ${D}`,
            params: { d, D },
            // Mostly host work, the same on every backend (see config's w5Policy for the runs). The
            // large QR case takes seconds per run, so its warm-up counts as its first run; its ratios
            // sit near 1, and the judged backends get enough runs to tell a difference from noise.
            policy:
              big && map.id === 'orthogonal'
                ? withMinRuns(ctx.config.w5Policy, TARGET_BACKENDS, ctx.config.noiseMinRuns)
                : ctx.config.w5Policy,
          },
          ({ backend }) => ({
            async run() {
              const kernel = map.make({ inputDim: d, numFeatures: D, seed: SEEDS.kernel, backend });
              // Parameters are on the backend once the smallest one reads back.
              const params = kernel.parameters();
              await params.reduce((a, p) => (p.tensor.size < a.tensor.size ? p : a)).tensor.data();
              return kernel;
            },
            dispose() {},
          }),
        ),
      );
    }
  }
  return out;
}
