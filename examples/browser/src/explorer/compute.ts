/**
 * What the explorer computes on the chosen backend: a random-feature Gram matrix, the error-vs-D
 * curve, exact and FAVOR+ attention weights, and the time of one such workload. Exact references
 * come from ./exact.ts (float64 on the host); everything here runs in float32 on the backend.
 */
import {
  RFFAttentionKernel,
  linearAttention,
  softmaxAttention,
  tensor,
  type Backend,
  type Tensor,
} from '@spectrans/core';
import { errorStats, exactAttentionWeights, exactGram, type ErrorStats, type Matrix } from './exact.js';
import type { AttentionInputs } from './data.js';
import type { KernelChoice } from './kernels.js';

/** The settings of one Gram comparison. */
export interface GramSettings {
  readonly choice: KernelChoice;
  readonly points: readonly (readonly number[])[];
  readonly numFeatures: number;
  readonly sigma: number;
  readonly seed: number;
}

/** The exact Gram matrix beside its random-feature estimate. */
export interface GramComparison {
  readonly exact: Matrix;
  readonly approx: Matrix;
  readonly error: ErrorStats;
}

function matrix(rows: number, cols: number, data: ArrayLike<number>): Matrix {
  return { rows, cols, values: Float64Array.from(data) };
}

async function read(t: Tensor): Promise<Float64Array> {
  try {
    return Float64Array.from(await t.data());
  } finally {
    t.dispose();
  }
}

function scaled(points: readonly (readonly number[])[], factor: number): number[][] {
  return points.map((p) => p.map((v) => v * factor));
}

/** The random-feature estimate φ(X)φ(X)ᵀ (n, n), read back; x is the scaled points when given. */
async function approximateGram(backend: Backend, s: GramSettings, points?: Tensor): Promise<Float64Array> {
  const x = points ?? pointTensor(backend, s).tensor;
  const map = s.choice.create({
    inputDim: x.shape[1]!,
    numFeatures: s.numFeatures,
    sigma: s.sigma,
    seed: s.seed,
    backend,
  });
  try {
    return await read(map.kernelApproximation(x, x));
  } finally {
    map.dispose();
    if (!points) x.dispose();
  }
}

function pointTensor(backend: Backend, s: GramSettings): { tensor: Tensor; points: number[][] } {
  const pts = scaled(s.points, s.choice.inputScale(s.points));
  return { tensor: tensor(pts, undefined, 'float32', { backend }), points: pts };
}

/** The exact Gram (float64, host) and φ(X)φ(X)ᵀ computed on `backend`, with their max and mean error. */
export async function compareGram(backend: Backend, s: GramSettings): Promise<GramComparison> {
  const { tensor: x, points } = pointTensor(backend, s);
  try {
    const exact = exactGram(s.choice.exact(s.sigma), points);
    const approx = matrix(exact.rows, exact.cols, await approximateGram(backend, s, x));
    return { exact, approx, error: errorStats(approx.values, exact.values) };
  } finally {
    x.dispose();
  }
}

/** One point of the error curve: errors of the Gram estimate with D features, averaged over seeds. */
export interface CurvePoint {
  readonly numFeatures: number;
  /** max |K̂ − K| over the matrix, averaged over the seeds. */
  readonly maxError: number;
  /** mean |K̂ − K| over the matrix, averaged over the seeds. */
  readonly meanError: number;
}

/**
 * The Gram error for every D in `dims`, each averaged over `seeds` draws (seeds s.seed, s.seed + 1,
 * ...). `stop` is asked before each draw: when it says true, the curve so far is returned (the page
 * stops a curve whose settings have changed).
 */
export async function errorCurve(
  backend: Backend,
  s: Omit<GramSettings, 'numFeatures'>,
  dims: readonly number[],
  seeds: number,
  stop: () => boolean = () => false,
): Promise<CurvePoint[]> {
  const { tensor: x, points } = pointTensor(backend, { ...s, numFeatures: 1 });
  try {
    const exact = exactGram(s.choice.exact(s.sigma), points);
    const out: CurvePoint[] = [];
    for (const numFeatures of dims) {
      let max = 0;
      let mean = 0;
      for (let r = 0; r < seeds; r++) {
        if (stop()) return out;
        const approx = await approximateGram(backend, { ...s, numFeatures, seed: s.seed + r }, x);
        const e = errorStats(approx, exact.values);
        max += e.max / seeds;
        mean += e.mean / seeds;
      }
      out.push({ numFeatures, maxError: max, meanError: mean });
    }
    return out;
  } finally {
    x.dispose();
  }
}

/** Exact softmax attention weights beside the FAVOR+ estimate of them. */
export interface AttentionComparison {
  /** softmax(QKᵀ/√d) from softmaxAttention with V = I, on the backend. */
  readonly exact: Matrix;
  /** The same from linearAttention with an RFFAttentionKernel (softmax features) and V = I. */
  readonly favor: Matrix;
  /** FAVOR+ against the exact weights (float64, host). */
  readonly error: ErrorStats;
  /** softmaxAttention on the backend against the float64 weights: the backend's own rounding. */
  readonly exactError: ErrorStats;
}

/** The settings of one attention comparison. */
export interface AttentionSettings {
  readonly inputs: AttentionInputs;
  readonly numFeatures: number;
  readonly seed: number;
  readonly causal: boolean;
}

function identity(n: number): Float32Array {
  const eye = new Float32Array(n * n);
  for (let i = 0; i < n; i++) eye[i * n + i] = 1;
  return eye;
}

/**
 * Attention weights, read out by running attention with V = I (n × n): row i of the output is then
 * the weight row of query i. `'softmax'`: exact softmaxAttention; `'favor'`: linearAttention on an
 * RFFAttentionKernel's positive softmax features (FAVOR+), D = s.numFeatures.
 */
async function attentionWeights(backend: Backend, s: AttentionSettings, kind: 'softmax' | 'favor'): Promise<Matrix> {
  const { q: qRows, k: kRows } = s.inputs;
  const n = qRows.length;
  const d = qRows[0]!.length;
  const q = tensor(qRows, undefined, 'float32', { backend });
  const k = tensor(kRows, undefined, 'float32', { backend });
  const v = tensor(identity(n), [n, n], 'float32', { backend });
  const featureMap =
    kind === 'favor'
      ? new RFFAttentionKernel({ inputDim: d, numFeatures: s.numFeatures, seed: s.seed, backend })
      : undefined;
  try {
    const out = featureMap
      ? linearAttention(q, k, v, { featureMap, causal: s.causal })
      : softmaxAttention(q, k, v, { causal: s.causal });
    return matrix(n, n, await read(out));
  } finally {
    featureMap?.dispose();
    for (const t of [q, k, v]) t.dispose();
  }
}

/** Exact softmax attention weights and their FAVOR+ estimate on `backend`, both against float64 weights. */
export async function compareAttention(backend: Backend, s: AttentionSettings): Promise<AttentionComparison> {
  const { q, k } = s.inputs;
  const reference = exactAttentionWeights(q, k, 1 / Math.sqrt(q[0]!.length), s.causal);
  const exact = await attentionWeights(backend, s, 'softmax');
  const favor = await attentionWeights(backend, s, 'favor');
  return {
    exact,
    favor,
    error: errorStats(favor.values, reference.values),
    exactError: errorStats(exact.values, reference.values),
  };
}

/** Wall time of one workload on one backend. */
export interface Timing {
  /** Median over the timed repetitions, in milliseconds. */
  readonly medianMs: number;
  /** Fastest repetition, in milliseconds. */
  readonly minMs: number;
  readonly reps: number;
}

/**
 * Times `work` (which must read its results back, so the time includes the device): one untimed
 * warm-up run (shader compilation, caches), then `reps` timed runs.
 */
export async function timeIt(work: () => Promise<unknown>, reps: number): Promise<Timing> {
  await work();
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    await work();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const mid = Math.floor(times.length / 2);
  const medianMs = times.length % 2 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2;
  return { medianMs, minMs: times[0]!, reps };
}

/** The page's three timed computations on one backend, each read back (no host reference included). */
export async function timeBackendWork(
  backend: Backend,
  gram: GramSettings,
  attention: AttentionSettings,
  reps: number,
): Promise<{ gram: Timing; favor: Timing; softmax: Timing }> {
  return {
    gram: await timeIt(() => approximateGram(backend, gram), reps),
    favor: await timeIt(() => attentionWeights(backend, attention, 'favor'), reps),
    softmax: await timeIt(() => attentionWeights(backend, attention, 'softmax'), reps),
  };
}
