/**
 * The Python reference's own outputs (fixtures/reference/*.json): build each kernel with the
 * reference's parameters (loadStateDict), evaluate every recorded call, and compare.
 */
import {
  CosineKernel,
  GaussianRFFKernel,
  LaplacianRFFKernel,
  PolynomialKernel,
  SpectransError,
  parseSerialized,
  tensor,
  type Backend,
  type DType,
  type KernelFunction,
  type SerializedTensor,
  type Tensor,
} from '@spectrans/core';
import basicKernels from '../../fixtures/reference/basic_kernels.json' with { type: 'json' };
import rff from '../../fixtures/reference/rff.json' with { type: 'json' };
import shiftInvariant from '../../fixtures/reference/shift_invariant.json' with { type: 'json' };

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

/** One recorded call of the reference, ready to run on a backend. */
export interface ReferenceCheck {
  /** Stable id, e.g. `kernels/reference/rff/gauss-plain/forward-0`. */
  id: string;
  /** Runs the call on `backend` and returns what to compare. */
  run(backend: Backend, dtype: DType): Promise<ReferenceOutcome>;
}

/** What a reference check produced. */
export type ReferenceOutcome =
  | {
      kind: 'values';
      actual: Float64Array;
      expected: Float64Array;
      shape: number[];
      rtol: number;
      atol: number;
      note?: string;
    }
  | { kind: 'boolean'; actual: boolean; expected: boolean }
  | { kind: 'error'; code: string | undefined; expectedCode: string };

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

/** Every reference check, one per recorded evaluation. */
export function referenceChecks(): ReferenceCheck[] {
  const checks: ReferenceCheck[] = [];
  for (const [file, data] of FILES) {
    for (const c of data.cases) {
      if (c.class === 'PolynomialKernel' && !Number.isInteger(c.params['degree'])) {
        // The reference accepts degree 2.5 and returns NaNs; this port rejects it at construction.
        checks.push({
          id: `kernels/reference/${file}/${slug(c.id)}/rejected`,
          run: async (backend, dtype) => rejection(c, backend, dtype),
        });
        continue;
      }
      const counts = new Map<string, number>();
      for (const e of c.evals) {
        const k = counts.get(e.method) ?? 0;
        counts.set(e.method, k + 1);
        checks.push({
          id: `kernels/reference/${file}/${slug(c.id)}/${slug(e.method)}-${k}`,
          run: async (backend, dtype) => evaluate(c, e, backend, dtype),
        });
      }
    }
  }
  return checks;
}

async function rejection(c: FixtureCase, backend: Backend, dtype: DType): Promise<ReferenceOutcome> {
  try {
    build(c, backend, dtype).dispose();
    return { kind: 'error', code: undefined, expectedCode: 'ERR_INVALID_ARGUMENT' };
  } catch (e) {
    return {
      kind: 'error',
      code: e instanceof SpectransError ? e.code : String(e),
      expectedCode: 'ERR_INVALID_ARGUMENT',
    };
  }
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

function upload(t: SerializedTensor, backend: Backend, dtype: DType): Tensor {
  const data = t.data.map((v) => parseSerialized(v));
  return tensor(t.dtype === 'float32' ? data.map(Math.fround) : data, t.shape, dtype, { backend });
}

async function evaluate(c: FixtureCase, e: FixtureEval, backend: Backend, dtype: DType): Promise<ReferenceOutcome> {
  const kernel = build(c, backend, dtype);
  const inputs: Record<string, Tensor> = {};
  let out: Tensor | undefined;
  try {
    if (c.state_dict && Object.keys(c.state_dict).length > 0) kernel.loadStateDict(c.state_dict);
    for (const [name, t] of Object.entries(e.inputs)) inputs[name] = upload(t, backend, dtype);
    const x = inputs['x']!;
    if (e.method === 'is_positive_definite') {
      return { kind: 'boolean', actual: kernel.isPositiveDefinite(x, e.eps ?? 1e-6), expected: e.output as boolean };
    }
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
        const forD = build({ ...c, params: { ...c.params, input_dim: omega.shape[omega.rank - 1]! } }, backend, dtype);
        try {
          out = forD.spectralDensity!(omega);
        } finally {
          forD.dispose();
        }
        factor = referenceDensityFactor(c.class, omega.shape[omega.rank - 1]!);
        break;
      }
      default:
        throw new Error(`unknown reference method ${e.method}`);
    }
    const expectedTensor = e.output as SerializedTensor;
    const actual = Float64Array.from(await out.data(), (v) => v * factor);
    const expected = Float64Array.from(expectedTensor.data, (v) => Math.fround(parseSerialized(v)));
    const atol = ATOL + PHASE_ATOL * (e.max_abs_arg ?? 0);
    return {
      kind: 'values',
      actual,
      expected,
      shape: [...out.shape],
      rtol: RTOL,
      atol,
      note: factor !== 1 ? `density x ${factor.toPrecision(6)} (the reference's unnormalised convention)` : undefined,
      ...(shapesDiffer(out.shape, expectedTensor.shape)
        ? { note: `shape [${out.shape.join(', ')}] vs reference [${expectedTensor.shape.join(', ')}]` }
        : {}),
    } as ReferenceOutcome;
  } finally {
    out?.dispose();
    for (const t of Object.values(inputs)) t.dispose();
    kernel.dispose();
  }
}

function shapesDiffer(a: readonly number[], b: readonly number[]): boolean {
  return a.length !== b.length || a.some((d, i) => d !== b[i]);
}

/**
 * The constant by which the reference's `spectral_density` exceeds the true probability density:
 * (2π)^d for the Gaussian (it returns the unnormalised Fourier transform), 2^d for the Laplacian.
 */
export function referenceDensityFactor(kernelClass: string, d: number): number {
  return kernelClass === 'GaussianRFFKernel' ? (2 * Math.PI) ** d : 2 ** d;
}
