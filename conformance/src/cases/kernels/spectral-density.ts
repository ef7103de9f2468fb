/**
 * `kernels/<kernel>/spectral-density-bochner`: the spectral density integrates to 1 and
 * ∫ p(ω) cos(ωΔ) dω = k(Δ) (Bochner's theorem), by quadrature in d = 1.
 */
import {
  GaussianRFFKernel,
  LaplacianRFFKernel,
  type Backend,
  type DType,
  type ShiftInvariantKernel,
} from '@spectrans/core';
import type { ConformanceCase } from '../../types.js';
import { dtypeCase, take } from '../helpers.js';

/** A shift-invariant kernel in d = 1 and the quadrature grid [-half, half] by `step` that integrates its density to `tol`. */
interface Quadrature {
  readonly name: string;
  readonly make: (b: Backend, dtype: DType) => ShiftInvariantKernel;
  readonly half: number;
  readonly step: number;
  readonly tol: number;
}

const QUADRATURES: readonly Quadrature[] = [
  {
    name: 'gaussian-rff',
    make: (b, dtype) => new GaussianRFFKernel({ inputDim: 1, numFeatures: 1, sigma: 1.3, seed: 0, backend: b, dtype }),
    half: 12 / 1.3,
    step: 0.01,
    tol: 1e-4,
  },
  // Cauchy tails: truncating at |ω| = L loses at most 2/(π σ L) of the mass.
  {
    name: 'laplacian-rff',
    make: (b, dtype) => new LaplacianRFFKernel({ inputDim: 1, numFeatures: 1, sigma: 1.3, seed: 0, backend: b, dtype }),
    half: 400,
    step: 0.01,
    tol: 3e-3,
  },
];

function densityCase(c: Quadrature, dtype: DType): ConformanceCase {
  return dtypeCase(`kernels/${c.name}/spectral-density-bochner`, dtype, async (ctx) => {
    const kernel = ctx.track(c.make(ctx.backend, dtype));
    const count = Math.round((2 * c.half) / c.step) + 1;
    const grid = Float64Array.from({ length: count }, (_, i) => -c.half + i * c.step);
    const omega = ctx.input(grid, [count, 1]);
    const p = await take(ctx, kernel.spectralDensity(omega));
    const integral = (f: (w: number) => number): number => p.reduce((acc, v, i) => acc + v * f(grid[i]!) * c.step, 0);
    const mass = integral(() => 1);
    ctx.check(Math.abs(mass - 1) <= c.tol, () => `∫p(ω)dω = ${mass}, expected 1 (tolerance ${c.tol})`);
    for (const delta of [0.5, 1, 2]) {
      const k = (await take(ctx, kernel.evaluateDifference(ctx.input([delta], [1, 1]))))[0]!;
      const bochner = integral((w) => Math.cos(w * delta));
      ctx.check(
        Math.abs(bochner - k) <= c.tol,
        () => `∫p(ω)cos(ωΔ)dω = ${bochner} but k(${delta}) = ${k} (tolerance ${c.tol})`,
      );
    }
  });
}

/** Both density cases (Gaussian, Laplacian). */
export function spectralDensityCases(dtype: DType): ConformanceCase[] {
  return QUADRATURES.map((c) => densityCase(c, dtype));
}
