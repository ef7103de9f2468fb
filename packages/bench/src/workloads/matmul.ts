/** Matmul GFLOP/s at square sizes: the roofline of everything else. */
import { matmul } from '@spectrans/core';
import { importFrom, tfjsCore } from '../backends.js';
import type { Entry } from '../harness.js';
import { normalTensor, normals, SEEDS } from '../inputs.js';
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

export async function runMatmul(ctx: Ctx): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  const viaBackend = ctx.backends.some((b) => b.id === 'tfjs-cpu');
  for (const n of ctx.config.matmulSizes) {
    // The direct tfjs reference is for comparison with backend-tfjs; at 1024 it costs seconds per run.
    const direct = !viaBackend || n <= 512 ? await tfjsDirect(n) : undefined;
    const heavy = n >= 1024;
    out.push(
      await measureCase(
        ctx,
        { workload: 'matmul', id: `matmul/${n}`, label: `matmul ${n}×${n} · ${n}×${n} (float32)`, params: { n }, flops: 2 * n ** 3, ...(heavy ? { policy: ctx.config.heavyPolicy } : {}) },
        ({ backend }) => {
          const a = normalTensor(backend, SEEDS.a, [n, n]);
          const b = normalTensor(backend, SEEDS.b, [n, n]);
          return readBack(
            () => matmul(a, b),
            () => {
              a.dispose();
              b.dispose();
            },
          );
        },
        direct ? [direct] : [],
      ),
    );
  }
  return out;
}
