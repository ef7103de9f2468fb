/**
 * The comparison behind every gradient case: the backend's gradients of L = Σ f(inputs) ⊙ w
 * against the float64 oracle's (the tolerance table's pipeline row), and the oracle's against
 * central finite differences (so a wrong backward rule fails on every backend, the oracle included).
 */
import { grads, mul, sum, tidy, type Backend, type Tensor } from '@spectrans/core';
import type { HostArray } from '../../reference/ndarray.js';
import type { CaseContext } from '../../types.js';

/** A function of named tensors; `on` is the backend it runs on (for constants it builds). */
export type GradFunction = (xs: Readonly<Record<string, Tensor>>, on: Backend) => Tensor;

/** Relative accuracy central differences must reach on the oracle (step 1e-6 in float64). */
const FD_RTOL = 1e-6;
/** Elements of each input checked by finite differences. */
const FD_SAMPLES = 6;

/** L = Σ y ⊙ w. */
function weighted(y: Tensor, w: Tensor): Tensor {
  return sum(mul(y, w));
}

/**
 * Checks d L / d input for every named input: oracle against finite differences, then the backend
 * under test against the oracle. Inputs are host arrays already rounded to the case's dtype.
 */
export async function checkGradients(
  ctx: CaseContext,
  f: GradFunction,
  inputs: Readonly<Record<string, HostArray>>,
  what: string,
): Promise<void> {
  const names = Object.keys(inputs);
  const oracleIn = (): Record<string, Tensor> => Object.fromEntries(names.map((n) => [n, ctx.oracleInput(inputs[n]!)]));
  const ox = oracleIn();
  const outShape = tidy(() => [...f(ox, ctx.oracle).shape]);
  const w = ctx.hostInput(
    ctx.rng.uniforms(
      outShape.reduce((a, b) => a * b, 1),
      0.5,
      1.5,
    ),
    outShape,
  );
  const ow = ctx.oracleInput(w);
  const expected = tidy(() => {
    const g = grads(() => weighted(f(ox, ctx.oracle), ow), ox);
    return Object.fromEntries(
      names.map((n) => [n, { data: Float64Array.from(g[n]!.dataSync()), shape: [...g[n]!.shape] } satisfies HostArray]),
    );
  });

  // The oracle against central differences at a few elements of each input.
  const lossAt = (name: string, index: number, delta: number): number => {
    const data = Float64Array.from(inputs[name]!.data);
    data[index]! += delta;
    const moved = ctx.oracleInput({ data, shape: inputs[name]!.shape });
    try {
      return tidy(() => weighted(f({ ...ox, [name]: moved }, ctx.oracle), ow).dataSync()[0]!);
    } finally {
      ctx.dispose(moved);
    }
  };
  for (const name of names) {
    const size = inputs[name]!.data.length;
    for (let s = 0; s < Math.min(FD_SAMPLES, size); s++) {
      const index = size <= FD_SAMPLES ? s : ctx.rng.int(0, size - 1);
      const step = 1e-6 * Math.max(1, Math.abs(inputs[name]!.data[index]!));
      const numeric = (lossAt(name, index, step) - lossAt(name, index, -step)) / (2 * step);
      const analytic = expected[name]!.data[index]!;
      ctx.check(
        Math.abs(analytic - numeric) <= FD_RTOL * (1 + Math.abs(numeric)),
        () =>
          `${what}: the oracle's d/d${name}[${index}] = ${analytic} but central differences give ${numeric} (a wrong backward rule)`,
      );
    }
  }

  // The backend under test against the oracle.
  const xs = Object.fromEntries(names.map((n) => [n, ctx.input(inputs[n]!)]));
  const bw = ctx.input(w);
  const actual = ctx.track(grads(() => weighted(f(xs, ctx.backend), bw), xs));
  for (const name of names) {
    ctx.check(
      actual[name]!.dtype === ctx.dtype,
      () => `${what}: d/d${name} is ${actual[name]!.dtype}, expected ${ctx.dtype}`,
    );
    await ctx.expectClose(actual[name]!, expected[name]!, {
      kind: 'pipeline',
      what: `${what}: d loss / d ${name}`,
      inputs: Object.fromEntries(names.map((n) => [n, inputs[n]!.shape])),
    });
  }
}
