/** The explorer's deterministic inputs: 2-D point sets for Gram matrices and a token sequence for attention. */
import { RandomGenerator } from '@spectrans/core';

/** The point sets one can pick. */
export type DatasetId = 'clusters' | 'sine';

/** Every dataset, with a label for the page. */
export const DATASETS: readonly { readonly id: DatasetId; readonly label: string }[] = [
  { id: 'clusters', label: '4 Gaussian clusters (sorted by cluster)' },
  { id: 'sine', label: 'points along a sine curve (sorted by x)' },
];

/**
 * n points in 2-D, the same for every call with the same arguments. Clusters are listed one after
 * another and the sine curve from left to right, so the Gram matrix shows blocks or a band.
 */
export function points(dataset: DatasetId, n = 64, seed = 7): number[][] {
  const noise = new RandomGenerator(seed).normal(2 * n);
  if (dataset === 'clusters') {
    const centres = [
      [-1.4, -1.0],
      [-0.9, 1.3],
      [1.2, 1.1],
      [1.5, -1.2],
    ] as const;
    return Array.from({ length: n }, (_, i) => {
      const c = centres[Math.floor((i * centres.length) / n)]!;
      return [c[0] + 0.35 * noise[2 * i]!, c[1] + 0.35 * noise[2 * i + 1]!];
    });
  }
  return Array.from({ length: n }, (_, i) => {
    const x = -3 + (6 * i) / (n - 1);
    return [x, Math.sin(1.3 * x) + 0.05 * noise[i]!];
  });
}

/** Queries and keys of a small attention problem. */
export interface AttentionInputs {
  readonly q: number[][];
  readonly k: number[][];
}

/**
 * A sequence of n tokens of width d (even): sinusoidal position codes plus a little seeded noise, so
 * softmax(QKᵀ/√d) attends mostly to nearby positions (a band) with some periodic echoes.
 */
export function attentionInputs(n = 48, d = 16, seed = 11, amplitude = 1): AttentionInputs {
  const rng = new RandomGenerator(seed);
  const nq = rng.normal(n * d, 0, 0.3);
  const nk = rng.normal(n * d, 0, 0.3);
  const code = (i: number, t: number): number => {
    const freq = 0.5 / 1.6 ** Math.floor(t / 2);
    return amplitude * (t % 2 === 0 ? Math.sin(freq * i) : Math.cos(freq * i));
  };
  const rows = (noise: Float64Array): number[][] =>
    Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, t) => code(i, t) + noise[i * d + t]!));
  return { q: rows(nq), k: rows(nk) };
}
