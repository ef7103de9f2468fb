/**
 * Child process entry: runs one W3 or W4 measurement for a clean peak RSS and prints the result.
 * Usage (by the parent only): node <tsx loader> --expose-gc src/child.ts '<json spec>'
 */
import {
  GaussianRFFKernel,
  LaplacianRFFKernel,
  RFFAttentionKernel,
  linearAttention,
  softmaxAttention,
  type Backend,
  type Tensor,
} from '@spectrans/core';
import { loadBackend, type LoadedBackend } from './backends.js';
import {
  RESULT_MARKER,
  type ChildKeyResult,
  type ChildReply,
  type ChildSpec,
  type W3ChildSpec,
  type W4ChildSpec,
  type W4Variant,
} from './child-protocol.js';
import { measureInterleaved, type Prepared } from './harness.js';
import { normalTensor, SEEDS } from './inputs.js';
import { naiveCompute } from './workloads/naive.js';

function reply(r: ChildReply): void {
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(r)}\n`);
}

async function once(make: () => Tensor): Promise<void> {
  const t = make();
  await t.data();
  t.dispose();
}

/**
 * Measures `make` at full size after one untimed run at a small size (compiles the same code
 * paths). The harness resets the RSS high-water mark before each run, so the peak is this key's.
 */
async function measureKey(
  lb: LoadedBackend,
  key: string,
  n: number,
  policy: W3ChildSpec['policy'],
  warmSmall: () => Promise<void>,
  setup: () => { make: () => Tensor; dispose: () => void },
): Promise<ChildKeyResult> {
  const outcome = (
    await measureInterleaved(
      [
        {
          id: key,
          backend: lb.backend,
          ...(lb.tf ? { tf: lb.tf } : {}),
          prepare: async (): Promise<Prepared> => {
            await warmSmall();
            const s = setup();
            return {
              async run() {
                const out = s.make();
                await out.data();
                return out;
              },
              dispose: s.dispose,
            };
          },
        },
      ],
      policy,
    )
  ).get(key)!;
  if (outcome.status !== 'ok') return { key, n, error: outcome.status === 'error' ? outcome.error : outcome.note };
  const { status: _s, ...m } = outcome;
  return { key, n, measurement: m };
}

async function runW3(lb: LoadedBackend, spec: W3ChildSpec): Promise<ChildKeyResult[]> {
  const backend: Backend = lb.backend;
  const { n, d } = spec;
  const kernels = {
    gaussian: new GaussianRFFKernel({ inputDim: d, numFeatures: 16, sigma: Math.sqrt(d), seed: SEEDS.kernel, backend }),
    laplacian: new LaplacianRFFKernel({ inputDim: d, numFeatures: 16, sigma: d, seed: SEEDS.kernel, backend }),
  };
  const results: ChildKeyResult[] = [];
  for (const approach of spec.approaches)
    for (const name of spec.kernels) {
      const kernel = kernels[name];
      const compute = (x: Tensor, y: Tensor): Tensor =>
        approach === 'cdist' ? kernel.compute(x, y) : naiveCompute(kernel, x, y);
      const small = Math.min(200, n);
      results.push(
        await measureKey(
          lb,
          `${name}/${approach}`,
          n,
          spec.policy,
          async () => {
            const xs = normalTensor(backend, SEEDS.x + 7, [small, d]);
            await once(() => compute(xs, xs));
            xs.dispose();
          },
          () => {
            const x = normalTensor(backend, SEEDS.x, [n, d]);
            const y = normalTensor(backend, SEEDS.y, [n, d]);
            return {
              make: () => compute(x, y),
              dispose: () => {
                x.dispose();
                y.dispose();
              },
            };
          },
        ),
      );
    }
  return results;
}

async function runW4(lb: LoadedBackend, spec: W4ChildSpec): Promise<ChildKeyResult[]> {
  const backend: Backend = lb.backend;
  const { d, D } = spec;
  const kernel = new RFFAttentionKernel({ inputDim: d, numFeatures: D, seed: SEEDS.kernel, backend }).eval();
  const results: ChildKeyResult[] = [];
  const inputs = (n: number, tag: number) => ({
    q: normalTensor(backend, SEEDS.q + tag, [n, d]),
    k: normalTensor(backend, SEEDS.k + tag, [n, d]),
    v: normalTensor(backend, SEEDS.v + tag, [n, d]),
  });
  const all: { key: string; variant: W4Variant; make: (t: { q: Tensor; k: Tensor; v: Tensor }) => Tensor }[] = [
    { key: 'features', variant: 'linear', make: ({ q }) => kernel.forward(q) },
    { key: 'linear', variant: 'linear', make: ({ q, k, v }) => linearAttention(q, k, v, { featureMap: kernel }) },
    { key: 'exact', variant: 'exact', make: ({ q, k, v }) => softmaxAttention(q, k, v) },
    {
      key: 'causal',
      variant: 'causal',
      make: ({ q, k, v }) => linearAttention(q, k, v, { featureMap: kernel, causal: true }),
    },
  ];
  const keys = all.filter((k) => spec.variants.includes(k.variant));
  for (const n of spec.ns) {
    for (const { key, variant, make } of keys) {
      if (variant === 'causal' && spec.causalNs && !spec.causalNs.includes(n)) continue;
      results.push(
        await measureKey(
          lb,
          key,
          n,
          spec.policy,
          async () => {
            const t = inputs(Math.min(256, n), 7);
            await once(() => make(t));
            for (const v of Object.values(t)) v.dispose();
          },
          () => {
            const t = inputs(n, 0);
            return { make: () => make(t), dispose: () => Object.values(t).forEach((v) => v.dispose()) };
          },
        ),
      );
    }
  }
  return results;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as ChildSpec;
  const outcome = await loadBackend(spec.backend);
  if (!outcome.ok) {
    reply({ ok: false, reason: outcome.reason });
    return;
  }
  const lb = outcome.loaded;
  try {
    const results = spec.kind === 'w3' ? await runW3(lb, spec) : await runW4(lb, spec);
    reply({ ok: true, ran: lb.ran, results });
  } catch (e) {
    reply({ ok: false, reason: e instanceof Error ? e.message.split('\n')[0]! : String(e) });
  }
  try {
    await lb.backend.destroy?.();
  } catch {
    /* exiting anyway */
  }
}

await main();
process.exit(0);
