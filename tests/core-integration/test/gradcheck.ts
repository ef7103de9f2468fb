/** Central finite differences in float64 on the host, for checking backward rules. */
import { grads, mul, sum, tensor, tidy, type Tensor } from '@spectrans/core';

/** Host values of one input and how to draw them. */
export interface GradInput {
  shape: number[];
  /** Values in (lo, hi), default (-2, 2). */
  range?: [number, number];
  /** Fixed values instead of random ones. */
  values?: number[];
}

/** A deterministic uniform stream (xorshift), so cases are reproducible. */
export function uniforms(count: number, seed: number, lo: number, hi: number): number[] {
  let s = (seed * 2654435761) >>> 0 || 1;
  return Array.from({ length: count }, () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return lo + ((s >>> 0) / 4294967296) * (hi - lo);
  });
}

/** Host data of each input of a case. */
export function drawInputs(inputs: readonly GradInput[], seed: number): number[][] {
  return inputs.map(
    (spec, i) =>
      spec.values ??
      uniforms(
        spec.shape.reduce((a, b) => a * b, 1),
        seed * 31 + i,
        ...(spec.range ?? [-2, 2]),
      ),
  );
}

/**
 * Analytic (tape) and numeric (central differences, step eps) gradients of
 * L = Σ f(inputs) ⊙ w for a fixed random w, in float64 on the current backend.
 */
export function compareGradients(
  f: (...xs: Tensor[]) => Tensor,
  inputs: readonly GradInput[],
  seed = 1,
  eps = 1e-6,
): { analytic: number[][]; numeric: number[][] } {
  const data = drawInputs(inputs, seed);
  const outShape = tidy(() => f(...data.map((d, i) => tensor(d, inputs[i]!.shape, 'float64'))).shape);
  const weights = uniforms(
    outShape.reduce((a, b) => a * b, 1),
    seed + 7,
    0.5,
    1.5,
  );
  const loss = (xs: Tensor[]): Tensor => {
    const y = f(...xs);
    const w = tensor(weights, y.shape, 'float64');
    return sumAll(y, w);
  };
  const analytic = tidy(() => {
    const xs = data.map((d, i) => tensor(d, inputs[i]!.shape, 'float64'));
    const named = Object.fromEntries(xs.map((x, i) => [`x${i}`, x]));
    const g = grads(() => loss(xs), named);
    return xs.map((_, i) => Array.from(g[`x${i}`]!.dataSync()));
  });
  const evaluate = (values: number[][]): number =>
    tidy(() => loss(values.map((d, i) => tensor(d, inputs[i]!.shape, 'float64'))).dataSync()[0]!);
  const numeric = data.map((d, i) =>
    d.map((v, k) => {
      const plus = data.map((x) => [...x]);
      const minus = data.map((x) => [...x]);
      plus[i]![k] = v + eps;
      minus[i]![k] = v - eps;
      return (evaluate(plus) - evaluate(minus)) / (2 * eps);
    }),
  );
  return { analytic, numeric };
}

function sumAll(y: Tensor, w: Tensor): Tensor {
  return sum(mul(y, w));
}

/** Largest |a − n| / (1 + |n|) over every element. */
export function relativeError(analytic: number[][], numeric: number[][]): number {
  let worst = 0;
  analytic.forEach((a, i) =>
    a.forEach((v, k) => {
      const n = numeric[i]![k]!;
      const err = Number.isNaN(v) !== Number.isNaN(n) ? Infinity : Math.abs(v - n) / (1 + Math.abs(n));
      worst = Math.max(worst, Number.isNaN(err) ? 0 : err);
    }),
  );
  return worst;
}
