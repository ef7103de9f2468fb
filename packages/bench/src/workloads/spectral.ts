/** W6: TruncatedSVDKernel, exact (thin QR factors) against randomized (Halko et al.). */
import { TruncatedSVDKernel } from '@spectrans/core';
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
          ...(randomized ? { policy: ctx.config.heavyPolicy } : {}),
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
