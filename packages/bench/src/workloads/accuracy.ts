/**
 * Accuracy of the Gram approximation versus D: relative Frobenius error ‖Φ(x)Φ(x)ᵀ − K‖_F / ‖K‖_F
 * for i.i.d. RFF, orthogonal RFF and SORF (Gaussian) and i.i.d. RFF (Laplacian), over seeds.
 * Runs in float64 on the js backend: it measures the estimator, not a backend's rounding.
 */
import {
  GaussianRFFKernel,
  LaplacianRFFKernel,
  OrthogonalRandomFeatures,
  type Backend,
  type RandomFeatureMap,
  type ShiftInvariantKernel,
} from '@spectrans/core';
import { normalTensor, SEEDS } from '../inputs.js';
import { stddev } from '../stats.js';
import type { AccuracyResult, AccuracySeries } from '../types.js';
import type { Ctx } from './common.js';

interface MapSpec {
  id: string;
  label: string;
  kernel: 'gaussian' | 'laplacian';
  make: (backend: Backend, d: number, D: number, sigma: number, seed: number) => RandomFeatureMap;
}

export const ACCURACY_MAPS: readonly MapSpec[] = [
  {
    id: 'gaussian-iid',
    label: 'Gaussian, i.i.d. RFF',
    kernel: 'gaussian',
    make: (backend, d, D, sigma, seed) =>
      new GaussianRFFKernel({ inputDim: d, numFeatures: D, sigma, seed, dtype: 'float64', backend }),
  },
  {
    id: 'gaussian-orf',
    label: 'Gaussian, orthogonal RFF',
    kernel: 'gaussian',
    make: (backend, d, D, sigma, seed) =>
      new GaussianRFFKernel({ inputDim: d, numFeatures: D, sigma, orthogonal: true, seed, dtype: 'float64', backend }),
  },
  {
    id: 'gaussian-sorf',
    label: 'Gaussian, SORF',
    kernel: 'gaussian',
    make: (backend, d, D, sigma, seed) =>
      new OrthogonalRandomFeatures({
        inputDim: d,
        numFeatures: D,
        sigma,
        useHadamard: true,
        seed,
        dtype: 'float64',
        backend,
      }),
  },
  {
    id: 'laplacian-iid',
    label: 'Laplacian, i.i.d. RFF',
    kernel: 'laplacian',
    make: (backend, d, D, sigma, seed) =>
      new LaplacianRFFKernel({ inputDim: d, numFeatures: D, sigma, seed, dtype: 'float64', backend }),
  },
];

function relFrobenius(approx: ArrayLike<number>, exact: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < exact.length; i++) {
    const e = exact[i]!;
    const diff = approx[i]! - e;
    num += diff * diff;
    den += e * e;
  }
  return Math.sqrt(num / den);
}

/** Least-squares slope of log y against log x. */
export function logSlope(xs: readonly number[], ys: readonly number[]): number {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < lx.length; i++) {
    num += (lx[i]! - mx) * (ly[i]! - my);
    den += (lx[i]! - mx) ** 2;
  }
  return num / den;
}

export async function runAccuracy(ctx: Ctx): Promise<AccuracyResult | undefined> {
  const js = ctx.backends.find((b) => b.id === 'js');
  if (!js) return undefined;
  const backend = js.backend;
  const { Ds, seeds, n, d } = ctx.config.accuracy;
  const sigma = { gaussian: Math.sqrt(d), laplacian: d };
  const x = normalTensor(backend, SEEDS.x, [n, d], 1, 'float64');
  const exact: Record<string, Float64Array> = {};
  for (const kind of ['gaussian', 'laplacian'] as const) {
    const k = (
      kind === 'gaussian'
        ? new GaussianRFFKernel({
            inputDim: d,
            numFeatures: 1,
            sigma: sigma.gaussian,
            seed: 0,
            dtype: 'float64',
            backend,
          })
        : new LaplacianRFFKernel({
            inputDim: d,
            numFeatures: 1,
            sigma: sigma.laplacian,
            seed: 0,
            dtype: 'float64',
            backend,
          })
    ) as ShiftInvariantKernel & RandomFeatureMap;
    const K = k.compute(x, x);
    exact[kind] = Float64Array.from(await K.data());
    K.dispose();
    k.dispose();
  }
  const series: AccuracySeries[] = [];
  const slopes: Record<string, number> = {};
  for (const spec of ACCURACY_MAPS) {
    const points = [];
    for (const D of Ds) {
      const errors: number[] = [];
      for (let s = 0; s < seeds; s++) {
        const map = spec.make(backend, d, D, sigma[spec.kernel], 7000 + s);
        const approx = map.kernelApproximation(x, x);
        errors.push(relFrobenius(await approx.data(), exact[spec.kernel]!));
        approx.dispose();
        map.dispose();
      }
      const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
      points.push({ D, errors, mean, std: stddev(errors), min: Math.min(...errors), max: Math.max(...errors) });
    }
    slopes[spec.id] = logSlope(
      points.map((p) => p.D),
      points.map((p) => p.mean),
    );
    series.push({ id: spec.id, label: spec.label, kernel: spec.kernel, points });
    ctx.log(
      `  accuracy ${spec.id.padEnd(14)} ${points.map((p) => `D=${p.D}: ${p.mean.toFixed(4)}`).join('  ')}  slope ${slopes[spec.id]!.toFixed(3)}`,
    );
  }
  x.dispose();
  return { backend: js.ran, dtype: 'float64', n, d, seeds, sigma, series, slopes };
}
