/**
 * W3: exact Gaussian and Laplacian kernels from pairwise distances (core's `compute`), against the
 * Python reference's approach of materialising the (..., n, m, d) difference tensor, on the same
 * backend. Batched small inputs in this process; n = m = large in child processes (peak RSS).
 */
import { GaussianRFFKernel, LaplacianRFFKernel, type Backend, type ShiftInvariantKernel } from '@spectrans/core';
import { runChild, type W3ChildSpec } from '../child-protocol.js';
import { naiveCompute } from './naive.js';
import type { Outcome } from '../harness.js';
import { normalTensor, SEEDS } from '../inputs.js';
import { summarize } from '../stats.js';
import type { CaseResult } from '../types.js';
import { measureCase, outcomeText, readBack, type Ctx } from './common.js';
import { singleRunCap } from '../config.js';

const KERNELS: readonly {
  id: 'gaussian' | 'laplacian';
  label: string;
  make: (backend: Backend, d: number) => ShiftInvariantKernel;
}[] = [
  {
    id: 'gaussian',
    label: 'Gaussian',
    make: (backend, d) =>
      new GaussianRFFKernel({ inputDim: d, numFeatures: 16, sigma: Math.sqrt(d), seed: SEEDS.kernel, backend }),
  },
  {
    id: 'laplacian',
    label: 'Laplacian',
    make: (backend, d) =>
      new LaplacianRFFKernel({ inputDim: d, numFeatures: 16, sigma: d, seed: SEEDS.kernel, backend }),
  },
];

export async function runW3(ctx: Ctx): Promise<CaseResult[]> {
  const { batch, n, d, large } = ctx.config.w3;
  const out: CaseResult[] = [];
  for (const k of KERNELS) {
    for (const approach of ['cdist', 'naive'] as const) {
      out.push(
        await measureCase(
          ctx,
          {
            workload: 'W3',
            id: `w3/${k.id}/${approach}/batched`,
            label: `${k.label} ${approach === 'cdist' ? 'compute (pairwise distances)' : 'naive (n, m, d) differences'}, x, y (${batch}, ${n}, ${d})`,
            params: { kernel: k.id, approach, batch, n, m: n, d },
          },
          ({ backend }) => {
            const x = normalTensor(backend, SEEDS.x, [batch, n, d]);
            const y = normalTensor(backend, SEEDS.y, [batch, n, d]);
            const kernel = k.make(backend, d);
            return readBack(
              () => (approach === 'cdist' ? kernel.compute(x, y) : naiveCompute(kernel, x, y)),
              () => {
                x.dispose();
                y.dispose();
                kernel.dispose();
              },
            );
          },
        ),
      );
    }
  }
  out.push(...(await runW3Large(ctx, large, d, out)));
  return out;
}

async function runW3Large(ctx: Ctx, n: number, d: number, batched: readonly CaseResult[]): Promise<CaseResult[]> {
  const { batch, n: nb } = ctx.config.w3;
  const work = (n * n) / (batch * nb * nb);
  const outcomes = new Map<string, Record<string, Outcome>>();
  const put = (key: string, backend: string, o: Outcome): void => {
    const per = outcomes.get(key) ?? {};
    per[backend] = o;
    outcomes.set(key, per);
  };
  const policy = ctx.config.w3LargePolicy;
  const APPROACHES = ['cdist', 'naive'] as const;
  const groups = ctx.config.w3.childPerApproach ? APPROACHES.map((a) => [a]) : [[...APPROACHES]];
  for (const approaches of groups) {
    for (const b of ctx.backends) {
      const cap = singleRunCap(ctx.config, b.id);
      // Skip what failed on the batched inputs, or would take too long (projected from them).
      const todo: { approach: 'cdist' | 'naive'; kernel: 'gaussian' | 'laplacian' }[] = [];
      for (const approach of approaches) {
        for (const k of KERNELS) {
          const small = batched.find((c) => c.id === `w3/${k.id}/${approach}/batched`)?.outcomes[b.id];
          if (small?.status === 'error')
            put(`${k.id}/${approach}`, b.id, {
              status: 'skipped',
              note: `not run: the batched case failed (${small.error.slice(0, 120)})`,
            });
          else if (small?.status === 'ok' && small.summary.median * work > cap) {
            put(`${k.id}/${approach}`, b.id, {
              status: 'skipped',
              note: `projected ${((small.summary.median * work) / 1000).toFixed(0)} s per run from the batched case (${work.toFixed(1)}x the work), over the ${(cap / 1000).toFixed(0)} s cap`,
            });
          } else todo.push({ approach, kernel: k.id });
        }
      }
      const runApproaches = [...new Set(todo.map((t) => t.approach))];
      const runKernels = [...new Set(todo.map((t) => t.kernel))];
      if (todo.length > 0) {
        const spec: W3ChildSpec = {
          kind: 'w3',
          backend: b.id,
          approaches: runApproaches,
          kernels: runKernels,
          n,
          d,
          policy,
        };
        const reply = await runChild(spec, todo.length * 2 * (cap + policy.capMs) + 60000);
        for (const { approach, kernel } of todo) {
          const key = `${kernel}/${approach}`;
          if (!reply.ok) {
            put(key, b.id, { status: 'error', error: reply.reason });
            continue;
          }
          const r = reply.results.find((x) => x.key === key);
          put(
            key,
            b.id,
            r?.measurement
              ? { status: 'ok', ...r.measurement, summary: summarize(r.measurement.samples) }
              : { status: 'error', error: r?.error ?? 'no result' },
          );
        }
      }
      for (const approach of approaches)
        ctx.log(
          `  w3 n=${n} ${approach.padEnd(5)} ${b.id}: ${KERNELS.map((k) => `${k.id} ${outcomeText(outcomes.get(`${k.id}/${approach}`)?.[b.id])}`).join(', ')}`,
        );
    }
  }
  const cases: CaseResult[] = [];
  for (const k of KERNELS) {
    for (const approach of APPROACHES) {
      cases.push({
        workload: 'W3',
        id: `w3/${k.id}/${approach}/n=${n}`,
        label: `${k.label} ${approach === 'cdist' ? 'compute (pairwise distances)' : 'naive (n, m, d) differences'}, n = m = ${n}, d = ${d}`,
        params: { kernel: k.id, approach, n, m: n, d },
        outcomes: outcomes.get(`${k.id}/${approach}`) ?? {},
      });
    }
  }
  return cases;
}
