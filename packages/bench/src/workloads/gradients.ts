/**
 * W7 (gradients): one value-and-gradient step against its forward pass, in the same run: the W1
 * Gaussian RFF map and the W2 kernelApproximation with respect to trainable omega and bias, and
 * linear attention (FAVOR+) with respect to q, k and v. The issue's goal: a step costs at most 3x
 * its forward pass.
 */
import {
  GaussianRFFKernel,
  RFFAttentionKernel,
  linearAttention,
  mean,
  tidy,
  valueAndGrads,
  type Backend,
  type Tensor,
} from '@spectrans/core';
import { measureInterleaved, type Entry, type Prepared } from '../harness.js';
import { normalTensor, SEEDS } from '../inputs.js';
import type { CaseResult } from '../types.js';
import { TARGET_BACKENDS } from '../backends.js';
import { withMinRuns } from '../config.js';
import { outcomeText, readBack, type Ctx } from './common.js';

/** Rounds (forward, then step) each judged backend runs at least. */
const W7_MIN_ROUNDS = 15;

/** A step whose value and every gradient are read back before the clock stops. */
function readGradients(step: () => { value: Tensor; grads: Record<string, Tensor> }, dispose: () => void): Prepared {
  return {
    async run() {
      const { value, grads } = tidy(step);
      const all = [value, ...Object.values(grads)];
      await Promise.all(all.map((t) => t.data()));
      return all;
    },
    dispose,
  };
}

interface Workload {
  id: string;
  label: string;
  params: Record<string, number>;
  build: (backend: Backend) => {
    forward: () => Tensor;
    loss: () => Tensor;
    params: () => Record<string, Tensor>;
    dispose: () => void;
  };
}

function workloads(ctx: Ctx): Workload[] {
  const w1 = ctx.config.w1;
  const w2 = ctx.config.w2;
  const n = ctx.config.w4.ns[0]!;
  const { d, D } = ctx.config.w4;
  const rff = (backend: Backend, dim: number, features: number): GaussianRFFKernel =>
    new GaussianRFFKernel({
      inputDim: dim,
      numFeatures: features,
      sigma: Math.sqrt(dim),
      trainable: true,
      seed: SEEDS.kernel,
      backend,
    });
  return [
    {
      id: 'w1',
      label: `GaussianRFFKernel.forward x (${w1.batch}, ${w1.n}, ${w1.d}), D = ${w1.D}, gradients for omega, bias`,
      params: { ...w1 },
      build: (backend) => {
        const x = normalTensor(backend, SEEDS.x, [w1.batch, w1.n, w1.d]);
        const k = rff(backend, w1.d, w1.D);
        return {
          forward: () => k.forward(x),
          loss: () => mean(k.forward(x)),
          params: () => k.trainableParameters(),
          dispose: () => [x, k].forEach((t) => t.dispose()),
        };
      },
    },
    {
      id: 'w2',
      label: `GaussianRFFKernel.kernelApproximation x (${w2.batch}, ${w2.n}, ${w2.d}), y (${w2.batch}, ${w2.m}, ${w2.d}), D = ${w2.D}, gradients for omega, bias`,
      params: { ...w2 },
      build: (backend) => {
        const x = normalTensor(backend, SEEDS.x, [w2.batch, w2.n, w2.d]);
        const y = normalTensor(backend, SEEDS.y, [w2.batch, w2.m, w2.d]);
        const k = rff(backend, w2.d, w2.D);
        return {
          forward: () => k.kernelApproximation(x, y),
          loss: () => mean(k.kernelApproximation(x, y)),
          params: () => k.trainableParameters(),
          dispose: () => [x, y, k].forEach((t) => t.dispose()),
        };
      },
    },
    {
      id: 'linear-attention',
      label: `linearAttention (FAVOR+) q, k, v (1, ${n}, ${d}), D = ${D}, gradients for q, k, v`,
      params: { n, d, D },
      build: (backend) => {
        const [q, k, v] = [SEEDS.x, SEEDS.y, SEEDS.kernel + 1].map((s) => normalTensor(backend, s, [1, n, d]));
        const map = new RFFAttentionKernel({ inputDim: d, numFeatures: D, seed: SEEDS.kernel, backend });
        const attend = (): Tensor => linearAttention(q!, k!, v!, { featureMap: map });
        return {
          forward: attend,
          loss: () => mean(attend()),
          params: () => ({ q: q!, k: k!, v: v! }),
          dispose: () => [q!, k!, v!, map].forEach((t) => t.dispose()),
        };
      },
    },
  ];
}

/**
 * Each workload's forward pass and step are measured in one interleaved run per workload, the step
 * right after its forward pass in every round, so the reported ratio is the median of per-round
 * ratios: runs seconds apart on a machine whose speed drifts. The two are reported as separate cases.
 */
export async function runW7(ctx: Ctx): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  const kinds = ['forward', 'value-and-grads'] as const;
  for (const w of workloads(ctx)) {
    const entries: Entry[] = ctx.backends.flatMap((b) =>
      kinds.map((kind) => ({
        id: `${b.id}#${kind}`,
        // The step runs right after its forward pass in every round: each round gives one ratio.
        ...(kind === 'value-and-grads' ? { pairedWith: `${b.id}#forward` } : {}),
        backend: b.backend,
        ...(b.tf ? { tf: b.tf } : {}),
        prepare: (): Prepared => {
          const built = w.build(b.backend);
          return kind === 'forward'
            ? readBack(built.forward, built.dispose)
            : readGradients(() => valueAndGrads(built.loss, built.params()), built.dispose);
        },
      })),
    );
    // The judged backends get enough rounds for a median of per-round ratios.
    const judged = TARGET_BACKENDS.flatMap((id) => kinds.map((kind) => `${id}#${kind}`));
    const outcomes = await measureInterleaved(entries, withMinRuns(ctx.config.policy, judged, W7_MIN_ROUNDS));
    for (const kind of kinds) {
      const result: CaseResult = {
        workload: 'W7',
        id: `w7/${w.id}/${kind}`,
        label: `${w.label}: ${kind === 'forward' ? 'forward pass' : 'valueAndGrads step'}`,
        params: { ...w.params, kind },
        outcomes: Object.fromEntries(ctx.backends.map((b) => [b.id, outcomes.get(`${b.id}#${kind}`)!])),
      };
      ctx.log(
        `  ${result.id.padEnd(34)} ${ctx.backends.map((b) => `${b.id}: ${outcomeText(result.outcomes[b.id])}`).join(' | ')}`,
      );
      out.push(result);
    }
  }
  return out;
}
