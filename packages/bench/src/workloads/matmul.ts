/** Matmul GFLOP/s at square sizes: the roofline of everything else. */
import { matmul } from '@spectrans/core';
import {
  backendSpec,
  destroyBackend,
  importFrom,
  loadBackend,
  oneThreadId,
  tfjsCore,
  type LoadedBackend,
} from '../backends.js';
import type { Entry, Prepared } from '../harness.js';
import { normalTensor, normals, SEEDS } from '../inputs.js';
import { withMinRuns } from '../config.js';
import type { CaseResult } from '../types.js';
import { measureCase, readBack, type Ctx } from './common.js';

/** Id of the reference entry: tf.matMul on tfjs-core's cpu engine directly, without spectrans. */
export const TFJS_DIRECT = 'tfjs-core cpu (direct)';

async function tfjsDirect(n: number): Promise<Entry | undefined> {
  const tf = await tfjsCore();
  if (!tf) return undefined;
  try {
    await importFrom('@spectrans/backend-tfjs', '@tensorflow/tfjs-backend-cpu');
  } catch {
    return undefined;
  }
  return {
    id: TFJS_DIRECT,
    prepare: async () => {
      await tf.setBackend('cpu');
      const a = tf.tensor(Float32Array.from(normals(SEEDS.a, n * n)), [n, n]);
      const b = tf.tensor(Float32Array.from(normals(SEEDS.b, n * n)), [n, n]);
      return {
        async run() {
          if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
          const c = tf.matMul(a, b);
          await c.data();
          return c;
        },
        dispose() {
          a.dispose();
          b.dispose();
        },
      };
    },
  };
}

/** 1-thread instances of the backends that take a `threads` option (for the thread-scaling target). */
async function oneThreadVariants(ctx: Ctx): Promise<(LoadedBackend & { subject: string })[]> {
  const out: (LoadedBackend & { subject: string })[] = [];
  for (const b of ctx.backends) {
    if (!backendSpec(b.id).threads) continue;
    const o = await loadBackend(b.id, { threads: 1 }, oneThreadId(b.id));
    if (o.ok) out.push({ ...o.loaded, subject: b.id });
    else ctx.log(`  ${oneThreadId(b.id)}: unavailable: ${o.reason}`);
  }
  return out;
}

/** The seeded (n, n) product on one backend, prepared outside the clock. */
function product(backend: LoadedBackend['backend'], n: number): Prepared {
  const a = normalTensor(backend, SEEDS.a, [n, n]);
  const b = normalTensor(backend, SEEDS.b, [n, n]);
  return readBack(
    () => matmul(a, b),
    () => {
      a.dispose();
      b.dispose();
    },
  );
}

export async function runMatmul(ctx: Ctx): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  const viaBackend = ctx.backends.some((b) => b.id === 'tfjs-cpu');
  const single = await oneThreadVariants(ctx);
  for (const n of ctx.config.matmulSizes) {
    // The direct tfjs reference is for comparison with backend-tfjs; at 1024 it costs seconds per run.
    const direct = !viaBackend || n <= 512 ? await tfjsDirect(n) : undefined;
    const heavy = n >= 1024;
    // Each 1-thread variant runs back to back with its backend, for as many rounds as the pair needs.
    const extra: Entry[] = single.map((b) => ({
      id: b.id,
      backend: b.backend,
      prepare: () => product(b.backend, n),
      pairedWith: b.subject,
    }));
    const policy = heavy ? ctx.config.heavyPolicy : ctx.config.policy;
    const pairIds = single.flatMap((b) => [b.id, b.subject]);
    if (direct) extra.push(direct);
    out.push(
      await measureCase(
        ctx,
        {
          workload: 'matmul',
          id: `matmul/${n}`,
          label: `matmul ${n}×${n} · ${n}×${n} (float32)`,
          params: { n },
          flops: 2 * n ** 3,
          policy: {
            ...withMinRuns(policy, pairIds, ctx.config.threadPairRounds),
            // Clean rounds only where a run is long enough for /proc/stat's 10 ms ticks to tell (and the target looks).
            ...(heavy && ctx.config.threadCleanRounds ? { cleanPairs: ctx.config.threadCleanRounds } : {}),
          },
        },
        ({ backend }) => product(backend, n),
        extra,
      ),
    );
  }
  for (const b of single) await destroyBackend(b);
  return out;
}
