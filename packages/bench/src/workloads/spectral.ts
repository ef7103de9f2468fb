/** W6: TruncatedSVDKernel, exact (thin QR factors) against randomized (Halko et al.). */
import { TruncatedSVDKernel } from '@spectrans/core';
import { TARGET_BACKENDS } from '../backends.js';
import { withMinRuns } from '../config.js';
import { normalTensor, SEEDS } from '../inputs.js';
import type { CaseResult } from '../types.js';
import { measureCase, readBack, type Ctx } from './common.js';

export async function runW6(ctx: Ctx): Promise<CaseResult[]> {
  const { n, d, rank } = ctx.config.w6;
  const out: CaseResult[] = [];
  for (const randomized of [false, true]) {
    out.push(
      await measureCase(
        ctx,
        {
          workload: 'W6',
          id: `w6/${randomized ? 'randomized' : 'exact'}`,
          label: `TruncatedSVDKernel rank ${rank} ${randomized ? 'randomized' : 'exact'}: compute(x, y), x, y (${n}, ${d})`,
          params: { n, d, rank, randomized },
          // Mostly host linear algebra, the same on every backend: its ratio to backend-js sits near 1
          // (0.85x to 1.02x), so the judged backends get enough runs for the noise rule.
          ...(randomized
            ? { policy: withMinRuns(ctx.config.heavyPolicy, TARGET_BACKENDS, ctx.config.noiseMinRuns) }
            : {}),
        },
        ({ backend }) => {
          const x = normalTensor(backend, SEEDS.x, [n, d]);
          const y = normalTensor(backend, SEEDS.y, [n, d]);
          const kernel = new TruncatedSVDKernel({ rank, useRandomized: randomized, seed: SEEDS.kernel, backend });
          return readBack(
            () => kernel.compute(x, y),
            () => {
              x.dispose();
              y.dispose();
            },
          );
        },
      ),
    );
  }
  return out;
}
