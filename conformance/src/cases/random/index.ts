/**
 * Random cases: core samples on the host (Philox4x32-10), so the same seed must give bit-identical
 * parameters on every backend; plus known-answer vectors and moment checks of each distribution.
 */
import { RandomGenerator, type DType } from '@spectrans/core';
import type { CaseContext, ConformanceCase } from '../../types.js';
import { dtypeCase } from '../helpers.js';

/** The samplers checked, each drawing `n` values from a generator. */
const SAMPLERS: readonly (readonly [string, (g: RandomGenerator, n: number) => Float64Array])[] = [
  ['uniform', (g, n) => g.uniform(n)],
  ['normal', (g, n) => g.normal(n)],
  ['cauchy', (g, n) => g.cauchy(n)],
  ['chi', (g, n) => g.chi(n, 3)],
  ['rademacher', (g, n) => g.rademacher(n)],
];

function bitsEqual(a: Float64Array | Float32Array, b: Float64Array | Float32Array): number {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.byteLength / 4);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.byteLength / 4);
  if (ua.length !== ub.length) return 0;
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return Math.floor(i / (a.BYTES_PER_ELEMENT / 4));
  return -1;
}

/** `random/<sampler>/same-seed-bitwise/<dtype>`: same seed, same bits, uploaded and read back unchanged on the backend and the oracle. */
export function randomUploadCases(dtype: DType): ConformanceCase[] {
  return SAMPLERS.map(([name, draw]) =>
    dtypeCase(`random/${name}/same-seed-bitwise`, dtype, async (ctx) => {
      const n = 333;
      const first = draw(new RandomGenerator(ctx.seed), n);
      const second = draw(new RandomGenerator(ctx.seed), n);
      const diff = bitsEqual(first, second);
      ctx.check(diff < 0, () => `${name}: two generators with seed ${ctx.seed} differ at ${diff}`);
      const expected = dtype === 'float64' ? Float64Array.from(first) : Float32Array.from(first);
      const uploaded = await ctx.input(first, [n]).data();
      const onBackend = bitsEqual(uploaded, expected);
      ctx.check(
        onBackend < 0,
        () =>
          `${name}: parameter ${onBackend} read back from the backend as ${uploaded[onBackend]}, host value ${expected[onBackend]} (not bit-identical)`,
      );
      const oracle = await ctx.oracleInput(first, [n]).data();
      const onOracle = bitsEqual(oracle, first);
      ctx.check(onOracle < 0, () => `${name}: parameter ${onOracle} differs on the oracle`);
    }),
  );
}

function mean(x: Float64Array): number {
  return x.reduce((a, b) => a + b, 0) / x.length;
}

function variance(x: Float64Array): number {
  const m = mean(x);
  return x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1);
}

function quantile(x: Float64Array, p: number): number {
  const s = Float64Array.from(x).sort();
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
}

/** Fails unless |value − target| <= 6·sd (a false alarm about once in 10^9 runs). */
function near(ctx: CaseContext, what: string, value: number, target: number, sd: number): void {
  ctx.recordError(Math.abs(value - target), 6 * sd);
  ctx.check(
    Math.abs(value - target) <= 6 * sd,
    () => `${what} = ${value}, expected ${target} ± ${(6 * sd).toExponential(2)} (6 sd)`,
  );
}

const N = 40000;

/** `random/<sampler>/moments`, `random/philox/known-answer`, `random/fork/reproducible`, `random/state/restore` (dtype-independent). */
export function randomCases(): ConformanceCase[] {
  const sample = (ctx: CaseContext, draw: (g: RandomGenerator) => Float64Array): Float64Array =>
    draw(new RandomGenerator(ctx.seed));
  return [
    {
      id: 'random/uniform/moments',
      run(ctx) {
        const x = sample(ctx, (g) => g.uniform(N));
        ctx.check(
          x.every((v) => v >= 0 && v < 1),
          () => 'uniform values outside [0, 1)',
        );
        near(ctx, 'mean', mean(x), 0.5, Math.sqrt(1 / 12 / N));
        near(ctx, 'variance', variance(x), 1 / 12, Math.sqrt(1 / 180 / N));
      },
    },
    {
      id: 'random/normal/moments',
      run(ctx) {
        const x = sample(ctx, (g) => g.normal(N, 2, 3));
        near(ctx, 'mean', mean(x), 2, 3 / Math.sqrt(N));
        near(ctx, 'variance', variance(x), 9, 9 * Math.sqrt(2 / N));
        const z = x.map((v) => (v - 2) / 3);
        near(ctx, 'fourth moment', mean(z.map((v) => v ** 4)), 3, Math.sqrt(96 / N));
      },
    },
    {
      id: 'random/cauchy/quartiles',
      run(ctx) {
        const x = sample(ctx, (g) => g.cauchy(N, 2));
        // Sample quantile sd: sqrt(p(1−p)/n) / f(q); the Cauchy(0, 2) density at ±2 is 1/(4π), at 0 it is 1/(2π).
        near(ctx, 'first quartile', quantile(x, 0.25), -2, Math.sqrt(0.1875 / N) * 4 * Math.PI);
        near(ctx, 'median', quantile(x, 0.5), 0, Math.sqrt(0.25 / N) * 2 * Math.PI);
        near(ctx, 'third quartile', quantile(x, 0.75), 2, Math.sqrt(0.1875 / N) * 4 * Math.PI);
      },
    },
    {
      id: 'random/chi/moments',
      run(ctx) {
        const k = 5;
        const x = sample(ctx, (g) => g.chi(N, k));
        ctx.check(
          x.every((v) => v >= 0),
          () => 'negative chi value',
        );
        near(ctx, 'E[chi²]', mean(x.map((v) => v * v)), k, Math.sqrt((2 * k) / N));
      },
    },
    {
      id: 'random/rademacher/moments',
      run(ctx) {
        const x = sample(ctx, (g) => g.rademacher(N));
        ctx.check(
          x.every((v) => v === 1 || v === -1),
          () => 'rademacher values other than ±1',
        );
        near(ctx, 'mean', mean(x), 0, 1 / Math.sqrt(N));
      },
    },
    {
      id: 'random/philox/known-answer',
      run(ctx) {
        // Random123 kat_vectors: Philox4x32-10 of counter 0 under key (0, 0) is
        // 6627e8d5 e169c58d bc57ac4c 9b00dbd8; seed 0 is key (0, 0) and uniform() uses two words per value.
        const words = [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8];
        const expected = [0, 2].map((i) => ((words[i]! >>> 5) * 67108864 + (words[i + 1]! >>> 6)) / 9007199254740992);
        const got = new RandomGenerator(0).uniform(2);
        ctx.check(
          got[0] === expected[0] && got[1] === expected[1],
          () =>
            `uniform(2) of seed 0 is [${got.join(', ')}], expected [${expected.join(', ')}] from the Philox4x32-10 known-answer block`,
        );
      },
    },
    {
      id: 'random/fork/reproducible',
      run(ctx) {
        const a = new RandomGenerator(ctx.seed).fork(7).normal(16);
        const b = new RandomGenerator(ctx.seed).fork(7).normal(16);
        const c = new RandomGenerator(ctx.seed).fork(8).normal(16);
        ctx.check(bitsEqual(a, b) < 0, () => 'fork(7) of the same seed differs');
        ctx.check(bitsEqual(a, c) >= 0, () => 'fork(7) and fork(8) give the same stream');
      },
    },
    {
      id: 'random/state/restore',
      run(ctx) {
        const g = new RandomGenerator(ctx.seed);
        g.normal(5);
        const state = g.state;
        const first = g.normal(9);
        g.setState(state);
        ctx.check(bitsEqual(first, g.normal(9)) < 0, () => 'setState(state) does not replay the same draws');
      },
    },
  ];
}
