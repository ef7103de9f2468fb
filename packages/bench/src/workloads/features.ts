/** W1 (feature maps, forward) and W2 (kernelApproximation). */
import {
  GaussianRFFKernel,
  LaplacianRFFKernel,
  OrthogonalRandomFeatures,
  type Backend,
  type RandomFeatureMap,
} from '@spectrans/core';
import { normalTensor, SEEDS } from '../inputs.js';
import type { CaseResult } from '../types.js';
import { measureCase, readBack, type Ctx } from './common.js';

/** The W1 feature maps, by case id. σ = √d (Gaussian) and d (Laplacian) keep kernel values O(1) on N(0, 1) data. */
export const W1_MAPS: readonly {
  id: string;
  label: string;
  make: (backend: Backend, d: number, D: number) => RandomFeatureMap;
}[] = [
  {
    id: 'gaussian',
    label: 'GaussianRFFKernel',
    make: (backend, d, D) =>
      new GaussianRFFKernel({ inputDim: d, numFeatures: D, sigma: Math.sqrt(d), seed: SEEDS.kernel, backend }),
  },
  {
    id: 'gaussian-cossin',
    label: 'GaussianRFFKernel useCosSin (2D outputs)',
    make: (backend, d, D) =>
      new GaussianRFFKernel({
        inputDim: d,
        numFeatures: D,
        sigma: Math.sqrt(d),
        useCosSin: true,
        seed: SEEDS.kernel,
        backend,
      }),
  },
  {
    id: 'gaussian-orthogonal',
    label: 'GaussianRFFKernel orthogonal',
    make: (backend, d, D) =>
      new GaussianRFFKernel({
        inputDim: d,
        numFeatures: D,
        sigma: Math.sqrt(d),
        orthogonal: true,
        seed: SEEDS.kernel,
        backend,
      }),
  },
  {
    id: 'laplacian',
    label: 'LaplacianRFFKernel',
    make: (backend, d, D) =>
      new LaplacianRFFKernel({ inputDim: d, numFeatures: D, sigma: d, seed: SEEDS.kernel, backend }),
  },
  {
    id: 'sorf',
    label: 'OrthogonalRandomFeatures useHadamard (SORF)',
    make: (backend, d, D) =>
      new OrthogonalRandomFeatures({
        inputDim: d,
        numFeatures: D,
        sigma: Math.sqrt(d),
        useHadamard: true,
        seed: SEEDS.kernel,
        backend,
      }),
  },
];

export async function runW1(ctx: Ctx): Promise<CaseResult[]> {
  const { batch, n, d, D } = ctx.config.w1;
  const out: CaseResult[] = [];
  for (const map of W1_MAPS) {
    out.push(
      await measureCase(
        ctx,
        {
          workload: 'W1',
          id: `w1/${map.id}`,
          label: `${map.label}.forward x (${batch}, ${n}, ${d}), D = ${D}`,
          params: { batch, n, d, D },
          ...(map.id === 'sorf' ? {} : { flops: 2 * batch * n * d * D }),
        },
        ({ backend }) => {
          const x = normalTensor(backend, SEEDS.x, [batch, n, d]);
          const kernel = map.make(backend, d, D);
          return readBack(
            () => kernel.forward(x),
            () => {
              x.dispose();
              kernel.dispose();
            },
          );
        },
      ),
    );
  }
  return out;
}

export async function runW2(ctx: Ctx): Promise<CaseResult[]> {
  const { batch, n, m, d, D } = ctx.config.w2;
  return [
    await measureCase(
      ctx,
      {
        workload: 'W2',
        id: 'w2/gaussian',
        label: `GaussianRFFKernel.kernelApproximation x (${batch}, ${n}, ${d}), y (${batch}, ${m}, ${d}), D = ${D}`,
        params: { batch, n, m, d, D },
        flops: 2 * batch * (n + m) * d * D + 2 * batch * n * m * D,
      },
      ({ backend }) => {
        const x = normalTensor(backend, SEEDS.x, [batch, n, d]);
        const y = normalTensor(backend, SEEDS.y, [batch, m, d]);
        const kernel = new GaussianRFFKernel({
          inputDim: d,
          numFeatures: D,
          sigma: Math.sqrt(d),
          seed: SEEDS.kernel,
          backend,
        });
        return readBack(
          () => kernel.kernelApproximation(x, y),
          () => {
            x.dispose();
            y.dispose();
            kernel.dispose();
          },
        );
      },
    ),
  ];
}
