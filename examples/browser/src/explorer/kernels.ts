/** The feature maps the explorer offers, each with the exact kernel it estimates. */
import {
  GaussianRFFKernel,
  LaplacianRFFKernel,
  OrthogonalRandomFeatures,
  RFFAttentionKernel,
  type Backend,
  type RandomFeatureMap,
} from '@spectrans/core';
import type { ExactKernel } from './exact.js';

/** The ids of the selectable kernels. */
export type KernelId =
  'gaussian-rff' | 'gaussian-orf' | 'orf-qr' | 'sorf' | 'laplacian-rff' | 'favor-softmax' | 'favor-relu';

/** One selectable kernel. */
export interface KernelChoice {
  readonly id: KernelId;
  readonly label: string;
  /** The exact kernel φ(x)·φ(y) estimates, for the page's length scale σ. */
  exact(sigma: number): ExactKernel;
  /**
   * Factor applied to the points before both the exact kernel and the map: for the softmax
   * features 1/max‖x‖, so exp(xᵀy) stays within [1/e, e] (the estimator's variance grows like
   * exp(‖x‖² + ‖y‖²), and the point sets reach ‖x‖ ≈ 3); else 1.
   */
  readonly inputScale: (points: readonly (readonly number[])[]) => number;
  /** A map with D features drawn from `seed`, its parameters on `backend`. */
  create(options: {
    inputDim: number;
    numFeatures: number;
    sigma: number;
    seed: number;
    backend: Backend;
  }): RandomFeatureMap;
}

const one = (): number => 1;

/** Every kernel of the explorer, in the order of the page's select. */
export const KERNELS: readonly KernelChoice[] = [
  {
    id: 'gaussian-rff',
    label: 'Gaussian RFF (GaussianRFFKernel, i.i.d. frequencies)',
    exact: (sigma) => ({ kind: 'gaussian', sigma }),
    inputScale: one,
    create: (o) => new GaussianRFFKernel(o),
  },
  {
    id: 'gaussian-orf',
    label: 'Gaussian RFF, orthogonal blocks (GaussianRFFKernel, orthogonal: true)',
    exact: (sigma) => ({ kind: 'gaussian', sigma }),
    inputScale: one,
    create: (o) => new GaussianRFFKernel({ ...o, orthogonal: true }),
  },
  {
    id: 'orf-qr',
    label: 'Orthogonal random features (OrthogonalRandomFeatures, QR)',
    exact: (sigma) => ({ kind: 'gaussian', sigma }),
    inputScale: one,
    create: (o) => new OrthogonalRandomFeatures(o),
  },
  {
    id: 'sorf',
    label: 'Structured orthogonal features (OrthogonalRandomFeatures, useHadamard: true)',
    exact: (sigma) => ({ kind: 'gaussian', sigma }),
    inputScale: one,
    create: (o) => new OrthogonalRandomFeatures({ ...o, useHadamard: true }),
  },
  {
    id: 'laplacian-rff',
    label: 'Laplacian RFF (LaplacianRFFKernel, L1, Cauchy frequencies)',
    exact: (sigma) => ({ kind: 'laplacian', sigma }),
    inputScale: one,
    create: (o) => new LaplacianRFFKernel(o),
  },
  {
    id: 'favor-softmax',
    label: 'FAVOR+ positive features (RFFAttentionKernel, softmax): exp(xᵀy), ‖x‖ ≤ 1',
    exact: () => ({ kind: 'softmax' }),
    inputScale: (points) => 1 / Math.max(...points.map((p) => Math.hypot(...p))),
    create: ({ inputDim, numFeatures, seed, backend }) =>
      new RFFAttentionKernel({ inputDim, numFeatures, seed, backend }),
  },
  {
    id: 'favor-relu',
    label: 'ReLU features (RFFAttentionKernel, relu): arc-cosine kernel',
    exact: () => ({ kind: 'arccos1' }),
    inputScale: one,
    create: ({ inputDim, numFeatures, seed, backend }) =>
      new RFFAttentionKernel({ inputDim, numFeatures, seed, backend, kernelType: 'relu' }),
  },
];

/** The choice with this id (the first one for an unknown id). */
export function kernelChoice(id: string): KernelChoice {
  return KERNELS.find((k) => k.id === id) ?? KERNELS[0]!;
}
