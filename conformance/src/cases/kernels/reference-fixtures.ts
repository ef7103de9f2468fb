/**
 * The Python reference's own outputs (fixtures/reference/*.json): build each kernel with the
 * reference's parameters (loadStateDict), evaluate every recorded call, and compare.
 */
import {
  CosineKernel,
  GaussianRFFKernel,
  LaplacianRFFKernel,
  PolynomialKernel,
  parseSerialized,
  type Backend,
  type DType,
  type KernelFunction,
  type SerializedTensor,
  type Tensor,
} from '@spectrans/core';
import basicKernels from '../../../fixtures/reference/basic_kernels.json' with { type: 'json' };
import rff from '../../../fixtures/reference/rff.json' with { type: 'json' };
import shiftInvariant from '../../../fixtures/reference/shift_invariant.json' with { type: 'json' };
import type { CaseContext, ConformanceCase } from '../../types.js';
import { dtypeCase, errorCode, expectWithin, take } from '../helpers.js';

interface FixtureEval {
  method: string;
  inputs: Record<string, SerializedTensor>;
  output?: SerializedTensor | boolean;
  eps?: number;
  max_abs_arg?: number;
}

interface FixtureCase {
  id: string;
  class: string;
  params: Record<string, unknown>;
  state_dict?: Record<string, SerializedTensor>;
  evals: FixtureEval[];
}

interface FixtureFile {
  cases: FixtureCase[];
}

const FILES: [string, FixtureFile][] = [
  ['basic', basicKernels as unknown as FixtureFile],
  ['shift-invariant', shiftInvariant as unknown as FixtureFile],
  ['rff', rff as unknown as FixtureFile],
];

/** Tolerances the fixtures' README gives for float32. */
const RTOL = 1e-4;
const ATOL = 1e-5;
/** Extra absolute error per unit of the largest cos argument (Cauchy frequencies give large phases). */
const PHASE_ATOL = 2e-7;

/** Every reference case, one per recorded evaluation. */
export function referenceCases(dtype: DType): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  for (const [file, data] of FILES) {
    for (const c of data.cases) {
      if (c.class === 'PolynomialKernel' && !Number.isInteger(c.params['degree'])) {
        // The reference accepts degree 2.5 and returns NaNs; this port rejects it at construction.
        cases.push(dtypeCase(`kernels/reference/${file}/${slug(c.id)}/rejected`, dtype, (ctx) => rejection(ctx, c)));
        continue;
      }
      const counts = new Map<string, number>();
      for (const e of c.evals) {
        const k = counts.get(e.method) ?? 0;
        counts.set(e.method, k + 1);
        cases.push(
          dtypeCase(`kernels/reference/${file}/${slug(c.id)}/${slug(e.method)}-${k}`, dtype, (ctx) =>
            evaluate(ctx, c, e),
          ),
        );
      }
    }
  }
  return cases;
}

function rejection(ctx: CaseContext, c: FixtureCase): void {
  const got = errorCode(() => build(c, ctx.backend, ctx.dtype));
  ctx.check(
    got === 'ERR_INVALID_ARGUMENT',
    () => `expected ERR_INVALID_ARGUMENT (the reference accepts this input and returns NaN), got ${got}`,
  );
}

/** A fixture name as a lowercase kebab-case id segment (`poly_d4_a0.25_c-0.5` -> `poly-d4-a0-25-c-0-5`). */
function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function camel(key: string): string {
  return key.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());
}

type AnyKernel = KernelFunction & {
  forward?(x: Tensor): Tensor;
  kernelApproximation?(x: Tensor, y: Tensor): Tensor;
  evaluateDifference?(d: Tensor): Tensor;
  spectralDensity?(w: Tensor): Tensor;
};

function build(c: FixtureCase, backend: Backend, dtype: DType): AnyKernel {
  const options: Record<string, unknown> = { backend, dtype };
  for (const [k, v] of Object.entries(c.params)) options[camel(k)] = v;
  switch (c.class) {
    case 'CosineKernel':
      return new CosineKernel(options);
    case 'PolynomialKernel':
      return new PolynomialKernel(options);
    case 'GaussianRFFKernel':
      return new GaussianRFFKernel(options as never);
    case 'LaplacianRFFKernel':
      return new LaplacianRFFKernel(options as never);
    default:
      throw new Error(`no builder for reference class ${c.class}`);
  }
}

/** A fixture tensor uploaded in the case's dtype (float32 fixtures exactly as recorded). */
function upload(ctx: CaseContext, t: SerializedTensor): Tensor {
  const data = t.data.map((v) => parseSerialized(v));
  return ctx.input(t.dtype === 'float32' ? data.map(Math.fround) : data, t.shape);
}

/**
 * One recorded call on the backend under test, compared with the recorded output within the
 * fixtures' own tolerance or the table's pipeline row, whichever is looser.
 */
async function evaluate(ctx: CaseContext, c: FixtureCase, e: FixtureEval): Promise<void> {
  const kernel = ctx.track(build(c, ctx.backend, ctx.dtype));
  if (c.state_dict && Object.keys(c.state_dict).length > 0) kernel.loadStateDict(c.state_dict);
  const inputs: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(e.inputs)) inputs[name] = upload(ctx, t);
  const x = inputs['x']!;
  if (e.method === 'is_positive_definite') {
    const actual = kernel.isPositiveDefinite(x, e.eps ?? 1e-6);
    const expected = e.output as boolean;
    ctx.check(actual === expected, () => `isPositiveDefinite returned ${actual}, the reference ${expected}`);
    return;
  }
  let out: Tensor;
  let factor = 1;
  switch (e.method) {
    case 'compute':
      out = kernel.compute(x, inputs['y']!);
      break;
    case 'gram_matrix':
      out = kernel.gramMatrix(x);
      break;
    case 'forward':
      out = kernel.forward!(x);
      break;
    case 'kernel_approximation':
      out = kernel.kernelApproximation!(x, inputs['y']!);
      break;
    case 'evaluate_difference':
      out = kernel.evaluateDifference!(inputs['diff']!);
      break;
    case 'spectral_density': {
      const omega = inputs['omega']!;
      // spectralDensity requires ω's last axis to be inputDim; the density over ℝᵈ depends only on σ
      // and d, so fixtures recorded with another d are evaluated by a kernel of that input dimension.
      const d = omega.shape[omega.rank - 1]!;
      const forD = ctx.track(build({ ...c, params: { ...c.params, input_dim: d } }, ctx.backend, ctx.dtype));
      out = forD.spectralDensity!(omega);
      factor = referenceDensityFactor(c.class, d);
      break;
    }
    default:
      throw new Error(`unknown reference method ${e.method}`);
  }
  const shape = [...out.shape];
  const actual = (await take(ctx, out)).map((v) => v * factor);
  const recorded = e.output as SerializedTensor;
  const expected = Float64Array.from(recorded.data, (v) => Math.fround(parseSerialized(v)));
  const note = shapesDiffer(shape, recorded.shape)
    ? ` (shape [${shape.join(', ')}] vs reference [${recorded.shape.join(', ')}])`
    : factor !== 1
      ? ` (density x ${factor.toPrecision(6)} (the reference's unnormalised convention))`
      : '';
  const t = ctx.tolerance('pipeline');
  expectWithin(
    ctx,
    actual,
    expected,
    { rtol: Math.max(RTOL, t.rtol), atol: Math.max(ATOL + PHASE_ATOL * (e.max_abs_arg ?? 0), t.atol) },
    `reference output, shape [${shape.join(', ')}]${note}`,
    shape,
  );
}

function shapesDiffer(a: readonly number[], b: readonly number[]): boolean {
  return a.length !== b.length || a.some((d, i) => d !== b[i]);
}

/**
 * The constant by which the reference's `spectral_density` exceeds the true probability density:
 * (2π)^d for the Gaussian (it returns the unnormalised Fourier transform), 2^d for the Laplacian.
 */
function referenceDensityFactor(kernelClass: string, d: number): number {
  return kernelClass === 'GaussianRFFKernel' ? (2 * Math.PI) ** d : 2 ** d;
}
