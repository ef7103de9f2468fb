/**
 * Kernel conformance checks: same numbers as the float64 oracle, mathematical properties,
 * approximation quality with fixed seeds, and the same errors on every backend.
 */
import {
  GaussianRFFKernel,
  LaplacianRFFKernel,
  OrthogonalRandomFeatures,
  RFFAttentionKernel,
  createKernel,
  tensor,
  tidy,
  type Backend,
  type DType,
  type KernelFunction,
  type RandomFeatureMap,
  type Tensor,
} from '@spectrans/core';
import {
  ensure,
  ensureClose,
  errorCode,
  relativeFrobenius,
  take,
  type KernelCheck,
  type KernelCheckContext,
} from './check-context.js';
import { CONFIG_INPUT_DIM, KERNEL_CONFIGS, buildConfig, evaluateConfig, points, type KernelConfig } from './configs.js';

/** Every kernel check. */
export function kernelChecks(): KernelCheck[] {
  return [
    ...KERNEL_CONFIGS.flatMap(configChecks),
    ...propertyChecks(),
    ...statisticalChecks(),
    ...errorChecks(),
    ...stateDictChecks(),
  ];
}

function configChecks(config: KernelConfig): KernelCheck[] {
  return [
    {
      id: `kernels/${config.id}/matches-oracle`,
      async run(ctx) {
        const actual = await evaluateOn(config, ctx.backend, ctx.dtype, ctx.dtype);
        const expected = await evaluateOn(config, ctx.oracle, 'float64', ctx.dtype);
        ensureClose(actual, expected, ctx.rtol, ctx.atol, `${config.id} on ${ctx.backend.name} vs float64 oracle`);
      },
    },
    {
      id: `kernels/${config.id}/same-parameters-as-oracle`,
      async run(ctx) {
        const mine = buildConfig(config, ctx.backend, ctx.dtype);
        const oracle = buildConfig(config, ctx.oracle, 'float64');
        try {
          const a = await mine.exportStateDict();
          const b = await oracle.exportStateDict();
          ensure(
            Object.keys(a).join() === Object.keys(b).join(),
            () => `state dict keys differ: ${Object.keys(a)} vs ${Object.keys(b)}`,
          );
          for (const name of Object.keys(a)) {
            const round = ctx.dtype === 'float32' ? Math.fround : (v: number) => v;
            const want = b[name]!.data.map((v) => round(Number(v)));
            const got = a[name]!.data.map(Number);
            ensure(
              got.every((v, i) => v === want[i]),
              () => `parameter '${name}' differs from the oracle's draw with the same seed`,
            );
          }
        } finally {
          mine.dispose();
          oracle.dispose();
        }
      },
    },
  ];
}

async function evaluateOn(
  config: KernelConfig,
  backend: Backend,
  dtype: DType,
  inputsAs: DType,
): Promise<Float64Array> {
  const kernel = buildConfig(config, backend, dtype);
  const x = points(backend, dtype, [2, 6, CONFIG_INPUT_DIM], 7, 0.7, inputsAs);
  const y = points(backend, dtype, [2, 5, CONFIG_INPUT_DIM], 8, 0.7, inputsAs);
  try {
    return await take(evaluateConfig(config, kernel, x, y));
  } finally {
    x.dispose();
    y.dispose();
    kernel.dispose();
  }
}

const SYMMETRIC: readonly string[] = [
  'gaussian-rff/exact',
  'laplacian-rff/exact',
  'cosine/add-eps',
  'polynomial/degree-3',
  'polynomial-spectral/cosine',
  'fourier-kernel/gaussian',
  'truncated-svd/raw',
];

function propertyChecks(): KernelCheck[] {
  const checks: KernelCheck[] = KERNEL_CONFIGS.filter((c) => SYMMETRIC.includes(c.id)).map((config) => ({
    id: `kernels/${config.id}/gram-symmetric`,
    async run(ctx: KernelCheckContext) {
      const kernel = buildConfig(config, ctx.backend, ctx.dtype) as KernelFunction;
      const x = points(ctx.backend, ctx.dtype, [7, CONFIG_INPUT_DIM], 3);
      try {
        const n = 7;
        const g = await take(kernel.gramMatrix(x));
        const t = Float64Array.from(g, (_, k) => g[(k % n) * n + Math.floor(k / n)]!);
        ensureClose(g, t, ctx.rtol, ctx.atol, 'G vs Gᵀ');
      } finally {
        x.dispose();
        kernel.dispose();
      }
    },
  }));
  for (const [name, make] of [
    [
      'gaussian-rff',
      (b: Backend, dtype: DType) =>
        new GaussianRFFKernel({ inputDim: 3, numFeatures: 8, sigma: 1, seed: 1, backend: b, dtype }),
    ],
    [
      'laplacian-rff',
      (b: Backend, dtype: DType) =>
        new LaplacianRFFKernel({ inputDim: 3, numFeatures: 8, sigma: 1, seed: 1, backend: b, dtype }),
    ],
    [
      'polynomial',
      (b: Backend, dtype: DType) => createKernel('polynomial', { degree: 2, coef0: 1, backend: b, dtype }),
    ],
  ] as const) {
    checks.push({
      id: `kernels/${name}/positive-definite`,
      async run(ctx) {
        const kernel = make(ctx.backend, ctx.dtype);
        // Well separated points: a clearly PD Gram matrix. The same points twice: singular.
        const separated = tensor([0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2], [4, 3], ctx.dtype, { backend: ctx.backend });
        const duplicated = tensor([0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0], [4, 3], ctx.dtype, { backend: ctx.backend });
        try {
          ensure(kernel.isPositiveDefinite(separated, 1e-3), () => 'separated points: expected positive definite');
          ensure(
            !kernel.isPositiveDefinite(duplicated, 1e-3),
            () => 'duplicated points: expected not positive definite',
          );
        } finally {
          separated.dispose();
          duplicated.dispose();
          kernel.dispose();
        }
      },
    });
  }
  checks.push({
    id: 'kernels/cosine/range-and-unit-diagonal',
    async run(ctx) {
      const kernel = createKernel('cosine', { epsMode: 'clamp', backend: ctx.backend, dtype: ctx.dtype });
      const x = points(ctx.backend, ctx.dtype, [9, 5], 4, 3);
      try {
        const g = await take(kernel.gramMatrix(x));
        const slack = ctx.atol + ctx.rtol;
        ensure(
          g.every((v) => v >= -1 - slack && v <= 1 + slack),
          () => 'cosine values outside [-1, 1]',
        );
        for (let i = 0; i < 9; i++)
          ensure(Math.abs(g[i * 9 + i]! - 1) <= slack, () => `diagonal ${i} is ${g[i * 9 + i]}, expected 1`);
      } finally {
        x.dispose();
        kernel.dispose();
      }
    },
  });
  checks.push({
    id: 'kernels/rff-attention/softmax-features-positive',
    async run(ctx) {
      const kernel = new RFFAttentionKernel({
        inputDim: 8,
        numFeatures: 64,
        seed: 2,
        backend: ctx.backend,
        dtype: ctx.dtype,
      });
      const x = points(ctx.backend, ctx.dtype, [16, 8], 5, 1);
      try {
        const f = await take(kernel.forward(x));
        ensure(
          f.every((v) => v > 0),
          () => 'softmax features must be positive',
        );
      } finally {
        x.dispose();
        kernel.dispose();
      }
    },
  });
  checks.push({
    id: 'kernels/rff-attention/redraw-shares-one-draw',
    async run(ctx) {
      const kernel = new RFFAttentionKernel({
        inputDim: 4,
        numFeatures: 16,
        redraw: true,
        seed: 3,
        backend: ctx.backend,
        dtype: ctx.dtype,
      });
      const x = points(ctx.backend, ctx.dtype, [5, 4], 6, 0.5);
      try {
        const a = await take(kernel.kernelApproximation(x, x));
        const b = await take(kernel.kernelApproximation(x, x));
        const t = Float64Array.from(a, (_, k) => a[(k % 5) * 5 + Math.floor(k / 5)]!);
        ensureClose(a, t, ctx.rtol, ctx.atol, 'φ(x)φ(x)ᵀ with redraw must be symmetric (one draw for both sides)');
        ensure(
          a.some((v, i) => v !== b[i]),
          () => 'redraw: the second call should use a new projection',
        );
        kernel.eval();
        const c = await take(kernel.kernelApproximation(x, x));
        const d = await take(kernel.kernelApproximation(x, x));
        ensure(
          c.every((v, i) => v === d[i]),
          () => 'eval mode must freeze the projection',
        );
      } finally {
        x.dispose();
        kernel.dispose();
      }
    },
  });
  checks.push({
    id: 'kernels/orthogonal-rff/sorf-matrix-equals-transform',
    async run(ctx) {
      // The materialised SORF matrix and the fast transform apply one W: same features, also after loading diagonals.
      const make = (sorfApply: 'matrix' | 'transform', seed: number) =>
        new OrthogonalRandomFeatures({
          inputDim: 6,
          numFeatures: 20,
          useHadamard: true,
          sigma: 1.5,
          sorfApply,
          seed,
          backend: ctx.backend,
          dtype: ctx.dtype,
        });
      const matrix = make('matrix', 4);
      const transform = make('transform', 5);
      const x = points(ctx.backend, ctx.dtype, [2, 3, 6], 14);
      try {
        transform.loadStateDict(await matrix.exportStateDict());
        ensureClose(
          await take(transform.forward(x)),
          await take(matrix.forward(x)),
          ctx.rtol,
          ctx.atol,
          'SORF features, transform vs matrix',
        );
      } finally {
        x.dispose();
        matrix.dispose();
        transform.dispose();
      }
    },
  });
  checks.push({
    id: 'kernels/rff-attention/stabilized-rows-proportional',
    async run(ctx) {
      // Stabilised estimates may differ from plain ones by a factor per query row, never per key.
      const make = (stabilize: boolean) =>
        new RFFAttentionKernel({
          inputDim: 4,
          numFeatures: 64,
          stabilize,
          seed: 9,
          backend: ctx.backend,
          dtype: ctx.dtype,
        });
      const plain = make(false);
      const stable = make(true);
      const q = points(ctx.backend, ctx.dtype, [3, 4], 12, 0.5);
      const k = points(ctx.backend, ctx.dtype, [5, 4], 13, 0.5);
      try {
        const a = await take(plain.kernelApproximation(q, k));
        const b = await take(stable.kernelApproximation(q, k));
        for (let i = 0; i < 3; i++) {
          const ratio = b[i * 5]! / a[i * 5]!;
          const row = Float64Array.from({ length: 5 }, (_, j) => b[i * 5 + j]! / ratio);
          ensureClose(
            row,
            a.subarray(i * 5, i * 5 + 5),
            ctx.rtol * 10,
            ctx.atol,
            `row ${i} of the stabilised estimate`,
          );
        }
      } finally {
        for (const t of [q, k]) t.dispose();
        plain.dispose();
        stable.dispose();
      }
    },
  });
  checks.push({
    id: 'kernels/seed/fresh-seed-is-reported-and-reproduces',
    async run(ctx) {
      const a = new GaussianRFFKernel({ inputDim: 4, numFeatures: 8, backend: ctx.backend, dtype: ctx.dtype });
      const b = new GaussianRFFKernel({
        inputDim: 4,
        numFeatures: 8,
        seed: a.seed,
        backend: ctx.backend,
        dtype: ctx.dtype,
      });
      try {
        ensure(Number.isSafeInteger(a.seed) && a.seed >= 0, () => `seed ${a.seed} is not a non-negative safe integer`);
        const pa = await a.exportStateDict();
        const pb = await b.exportStateDict();
        ensure(
          JSON.stringify(pa) === JSON.stringify(pb),
          () => 'a kernel built with the reported seed must have the same parameters',
        );
      } finally {
        a.dispose();
        b.dispose();
      }
    },
  });
  checks.push(...densityChecks());
  return checks;
}

/** Bochner: p integrates to 1 and ∫ p(ω) cos(ωΔ) dω = k(Δ), by quadrature in d = 1. */
function densityChecks(): KernelCheck[] {
  const cases = [
    {
      name: 'gaussian-rff',
      make: (b: Backend, dtype: DType) =>
        new GaussianRFFKernel({ inputDim: 1, numFeatures: 1, sigma: 1.3, seed: 0, backend: b, dtype }),
      half: 12 / 1.3,
      step: 0.01,
      tol: 1e-4,
    },
    // Cauchy tails: truncating at |ω| = L loses at most 2/(π σ L) of the mass.
    {
      name: 'laplacian-rff',
      make: (b: Backend, dtype: DType) =>
        new LaplacianRFFKernel({ inputDim: 1, numFeatures: 1, sigma: 1.3, seed: 0, backend: b, dtype }),
      half: 400,
      step: 0.01,
      tol: 3e-3,
    },
  ];
  return cases.map((c) => ({
    id: `kernels/${c.name}/spectral-density-bochner`,
    async run(ctx: KernelCheckContext) {
      const kernel = c.make(ctx.backend, ctx.dtype);
      const count = Math.round((2 * c.half) / c.step) + 1;
      const grid = Float64Array.from({ length: count }, (_, i) => -c.half + i * c.step);
      const omega = tensor(ctx.dtype === 'float32' ? Float32Array.from(grid) : grid, [count, 1], ctx.dtype, {
        backend: ctx.backend,
      });
      try {
        const p = await take(kernel.spectralDensity(omega));
        const integral = (f: (w: number) => number): number =>
          p.reduce((acc, v, i) => acc + v * f(grid[i]!) * c.step, 0);
        const mass = integral(() => 1);
        ensure(Math.abs(mass - 1) <= c.tol, () => `∫p(ω)dω = ${mass}, expected 1 (tolerance ${c.tol})`);
        for (const delta of [0.5, 1, 2]) {
          const diff = tensor([delta], [1, 1], ctx.dtype, { backend: ctx.backend });
          const k = (await take(kernel.evaluateDifference(diff)))[0]!;
          diff.dispose();
          const bochner = integral((w) => Math.cos(w * delta));
          ensure(
            Math.abs(bochner - k) <= c.tol,
            () => `∫p(ω)cos(ωΔ)dω = ${bochner} but k(${delta}) = ${k} (tolerance ${c.tol})`,
          );
        }
      } finally {
        omega.dispose();
        kernel.dispose();
      }
    },
  }));
}

/** Mean relative Frobenius error of a feature map's Gram approximation over seeds. */
async function gramError(
  ctx: KernelCheckContext,
  make: (seed: number) => RandomFeatureMap & { compute?(x: Tensor, y: Tensor): Tensor },
  exact: KernelFunction,
  x: Tensor,
  seeds: number[],
): Promise<number[]> {
  const truth = await take(exact.gramMatrix(x));
  const errors: number[] = [];
  for (const seed of seeds) {
    const map = make(seed);
    try {
      errors.push(relativeFrobenius(await take(map.kernelApproximation(x, x)), truth));
    } finally {
      map.dispose();
    }
  }
  return errors;
}

function mean(v: number[]): number {
  return v.reduce((a, b) => a + b, 0) / v.length;
}

function statisticalChecks(): KernelCheck[] {
  const slope = (
    name: string,
    make: (ctx: KernelCheckContext, D: number, seed: number) => RandomFeatureMap & KernelFunction,
  ): KernelCheck => ({
    id: `kernels/${name}/error-shrinks-like-inverse-sqrt-d`,
    async run(ctx) {
      const x = points(ctx.backend, ctx.dtype, [24, 4], 11, 0.6);
      const exact = make(ctx, 1, 0);
      const Ds = [64, 256, 1024, 4096];
      const errs: number[] = [];
      try {
        for (const D of Ds) errs.push(mean(await gramError(ctx, (s) => make(ctx, D, s), exact, x, [1, 2, 3, 4])));
      } finally {
        exact.dispose();
        x.dispose();
      }
      // Least-squares slope of log(error) against log(D): 1/√D means −0.5.
      const lx = Ds.map(Math.log);
      const ly = errs.map(Math.log);
      const mx = mean(lx);
      const my = mean(ly);
      const fitted =
        lx.reduce((acc, v, i) => acc + (v - mx) * (ly[i]! - my), 0) / lx.reduce((acc, v) => acc + (v - mx) ** 2, 0);
      ensure(
        fitted > -0.7 && fitted < -0.35,
        () =>
          `error slope ${fitted.toFixed(3)} over D = ${Ds.join(', ')} (errors ${errs.map((e) => e.toExponential(2)).join(', ')}); expected about -0.5`,
      );
      ensure(errs[errs.length - 1]! < 0.05, () => `error at D = 4096 is ${errs[errs.length - 1]}, expected < 0.05`);
    },
  });
  return [
    slope(
      'gaussian-rff',
      (ctx, D, seed) =>
        new GaussianRFFKernel({ inputDim: 4, numFeatures: D, sigma: 1, seed, backend: ctx.backend, dtype: ctx.dtype }),
    ),
    slope(
      'laplacian-rff',
      (ctx, D, seed) =>
        new LaplacianRFFKernel({ inputDim: 4, numFeatures: D, sigma: 2, seed, backend: ctx.backend, dtype: ctx.dtype }),
    ),
    ...(['qr', 'sorf'] as const).map((variant) => ({
      id: `kernels/orthogonal-rff/${variant}-beats-iid-at-d-features`,
      async run(ctx: KernelCheckContext) {
        const d = 16;
        const x = points(ctx.backend, ctx.dtype, [16, d], 21, 0.25);
        const exact = new GaussianRFFKernel({
          inputDim: d,
          numFeatures: 1,
          seed: 0,
          backend: ctx.backend,
          dtype: ctx.dtype,
        });
        const seeds = Array.from({ length: 40 }, (_, i) => 100 + i);
        try {
          const iid = await gramError(
            ctx,
            (seed) =>
              new GaussianRFFKernel({ inputDim: d, numFeatures: d, seed, backend: ctx.backend, dtype: ctx.dtype }),
            exact,
            x,
            seeds,
          );
          const orth = await gramError(
            ctx,
            (seed) =>
              new OrthogonalRandomFeatures({
                inputDim: d,
                numFeatures: d,
                useHadamard: variant === 'sorf',
                seed,
                backend: ctx.backend,
                dtype: ctx.dtype,
              }),
            exact,
            x,
            seeds,
          );
          const mseIid = mean(iid.map((e) => e * e));
          const mseOrth = mean(orth.map((e) => e * e));
          ensure(
            mseOrth < 0.8 * mseIid,
            () =>
              `${variant}: mean squared error ${mseOrth.toExponential(3)} is not below 0.8 x i.i.d.'s ${mseIid.toExponential(3)} (40 seeds, d = D = 16)`,
          );
        } finally {
          exact.dispose();
          x.dispose();
        }
      },
    })),
    {
      id: 'kernels/rff-attention/softmax-estimates-exp-dot-without-bias',
      async run(ctx) {
        const x = points(ctx.backend, ctx.dtype, [6, 4], 31, 0.3);
        const xs = Float64Array.from(x.dataSync());
        const exact = Float64Array.from({ length: 36 }, (_, k) => {
          const i = Math.floor(k / 6);
          const j = k % 6;
          let dot = 0;
          for (let t = 0; t < 4; t++) dot += xs[i * 4 + t]! * xs[j * 4 + t]!;
          return Math.exp(dot);
        });
        const S = 48;
        const sums = new Float64Array(36);
        const squares = new Float64Array(36);
        try {
          for (let s = 0; s < S; s++) {
            const kernel = new RFFAttentionKernel({
              inputDim: 4,
              numFeatures: 128,
              seed: 500 + s,
              backend: ctx.backend,
              dtype: ctx.dtype,
            });
            const est = await take(kernel.kernelApproximation(x, x));
            kernel.dispose();
            est.forEach((v, k) => {
              sums[k]! += v;
              squares[k]! += v * v;
            });
          }
        } finally {
          x.dispose();
        }
        for (let k = 0; k < 36; k++) {
          const m = sums[k]! / S;
          const sd = Math.sqrt(Math.max(squares[k]! / S - m * m, 0));
          const se = sd / Math.sqrt(S);
          ensure(
            Math.abs(m - exact[k]!) <= 4.5 * se + 1e-3 * exact[k]!,
            () =>
              `entry ${k}: mean estimate ${m} vs exp(x·y) = ${exact[k]} (standard error ${se.toExponential(2)}, ${S} seeds)`,
          );
        }
      },
    },
  ];
}

function errorChecks(): KernelCheck[] {
  const cases: [string, string, (ctx: KernelCheckContext) => unknown][] = [
    ['wrong-input-dim', 'ERR_SHAPE_MISMATCH', (ctx) => withGaussian(ctx, [3, 5], (k, x) => k.forward(x))],
    ['empty-input', 'ERR_INVALID_SHAPE', (ctx) => withGaussian(ctx, [0, 4], (k, x) => k.compute(x, x))],
    [
      'learnable-rank-above-input-dim',
      'ERR_INVALID_ARGUMENT',
      (ctx) => createKernel('learnable_spectral', { inputDim: 4, rank: 5, backend: ctx.backend, dtype: ctx.dtype }),
    ],
    [
      'fourier-rank-above-bins',
      'ERR_INVALID_ARGUMENT',
      (ctx) => createKernel('fourier_kernel', { inputDim: 8, rank: 6, backend: ctx.backend, dtype: ctx.dtype }),
    ],
    [
      'sigma-zero',
      'ERR_INVALID_ARGUMENT',
      (ctx) =>
        createKernel('gaussian_rff', { inputDim: 4, numFeatures: 8, sigma: 0, backend: ctx.backend, dtype: ctx.dtype }),
    ],
    [
      'sigma-negative',
      'ERR_INVALID_ARGUMENT',
      (ctx) =>
        createKernel('laplacian_rff', {
          inputDim: 4,
          numFeatures: 8,
          sigma: -1,
          backend: ctx.backend,
          dtype: ctx.dtype,
        }),
    ],
    [
      'num-features-zero',
      'ERR_INVALID_ARGUMENT',
      (ctx) => createKernel('rff_attention', { inputDim: 4, numFeatures: 0, backend: ctx.backend, dtype: ctx.dtype }),
    ],
    [
      'num-features-fractional',
      'ERR_INVALID_ARGUMENT',
      (ctx) =>
        createKernel('orthogonal_rff', { inputDim: 4, numFeatures: 2.5, backend: ctx.backend, dtype: ctx.dtype }),
    ],
    [
      'degree-non-integer',
      'ERR_INVALID_ARGUMENT',
      (ctx) => createKernel('polynomial', { degree: 2.5, backend: ctx.backend, dtype: ctx.dtype }),
    ],
    [
      'nan-option',
      'ERR_INVALID_ARGUMENT',
      (ctx) => createKernel('polynomial_spectral', { rank: 2, alpha: NaN, backend: ctx.backend, dtype: ctx.dtype }),
    ],
    [
      'unknown-kernel',
      'ERR_UNKNOWN_KERNEL',
      (ctx) => createKernel('gaussian' as never, { backend: ctx.backend } as never),
    ],
    [
      'unknown-kernel-type',
      'ERR_INVALID_ARGUMENT',
      (ctx) =>
        createKernel('rff_attention', {
          inputDim: 4,
          numFeatures: 4,
          kernelType: 'gelu' as never,
          backend: ctx.backend,
          dtype: ctx.dtype,
        }),
    ],
    [
      'unknown-filter-type',
      'ERR_INVALID_ARGUMENT',
      (ctx) =>
        createKernel('fourier_kernel', {
          inputDim: 8,
          rank: 2,
          filterType: 'box' as never,
          backend: ctx.backend,
          dtype: ctx.dtype,
        }),
    ],
    [
      'sorf-laplacian',
      'ERR_INVALID_ARGUMENT',
      (ctx) =>
        createKernel('orthogonal_rff', {
          inputDim: 4,
          numFeatures: 4,
          kernelType: 'laplacian',
          useHadamard: true,
          backend: ctx.backend,
          dtype: ctx.dtype,
        }),
    ],
    [
      'disposed-kernel',
      'ERR_DISPOSED',
      (ctx) =>
        withPoints(ctx, [3, 4], (x) => {
          const k = new GaussianRFFKernel({
            inputDim: 4,
            numFeatures: 8,
            seed: 0,
            backend: ctx.backend,
            dtype: ctx.dtype,
          });
          k.dispose();
          return k.forward(x);
        }),
    ],
  ];
  return [
    ...cases.map(([name, code, fn]) => ({
      id: `kernels/errors/${name}`,
      async run(ctx: KernelCheckContext) {
        const got = errorCode(() => fn(ctx));
        ensure(got === code, () => `expected ${code}, got ${got}`);
      },
    })),
    {
      id: 'kernels/errors/other-dtype',
      async run(ctx: KernelCheckContext) {
        // Where the backend has both dtypes, mixing them names the kernel; where it has one, asking for the other fails up front.
        const other = ctx.dtype === 'float32' ? 'float64' : 'float32';
        const supported = ctx.backend.capabilities.dtypes[other] !== undefined;
        const got = supported
          ? errorCode(() => withGaussian(ctx, [3, 4], (k) => k.forward(points(ctx.backend, other, [3, 4], 1))))
          : errorCode(() => new GaussianRFFKernel({ inputDim: 4, numFeatures: 8, dtype: other, backend: ctx.backend }));
        const want = supported ? 'ERR_DTYPE_MISMATCH' : 'ERR_UNSUPPORTED_DTYPE';
        ensure(got === want, () => `expected ${want}, got ${got}`);
      },
    },
  ];
}

/** Runs fn on a point set and disposes everything fn or the kernel it built leaves behind. */
function withPoints(ctx: KernelCheckContext, shape: number[], fn: (x: Tensor) => unknown): unknown {
  return tidy(() => {
    const x = shape.includes(0)
      ? tensor([], shape, ctx.dtype, { backend: ctx.backend })
      : points(ctx.backend, ctx.dtype, shape, 1);
    fn(x);
    return undefined;
  });
}

/** Runs fn with a small Gaussian kernel and a point set, disposing both. */
function withGaussian(
  ctx: KernelCheckContext,
  shape: number[],
  fn: (k: GaussianRFFKernel, x: Tensor) => unknown,
): unknown {
  const kernel = new GaussianRFFKernel({
    inputDim: 4,
    numFeatures: 8,
    seed: 0,
    backend: ctx.backend,
    dtype: ctx.dtype,
  });
  try {
    return withPoints(ctx, shape, (x) => fn(kernel, x));
  } finally {
    kernel.dispose();
  }
}

function stateDictChecks(): KernelCheck[] {
  return [
    {
      id: 'kernels/state-dict/round-trip-through-json',
      async run(ctx) {
        const a = new GaussianRFFKernel({
          inputDim: 4,
          numFeatures: 8,
          seed: 5,
          backend: ctx.backend,
          dtype: ctx.dtype,
        });
        const b = new GaussianRFFKernel({
          inputDim: 4,
          numFeatures: 8,
          seed: 6,
          backend: ctx.backend,
          dtype: ctx.dtype,
        });
        const x = points(ctx.backend, ctx.dtype, [3, 4], 2);
        try {
          b.loadStateDict(JSON.parse(JSON.stringify(await a.exportStateDict())));
          const fa = await take(a.forward(x));
          const fb = await take(b.forward(x));
          ensure(
            fa.every((v, i) => v === fb[i]),
            () => "a kernel loaded from another one's exported state dict must give the same features",
          );
          ensure(
            a
              .parameters()
              .map((p) => `${p.name}:${p.trainable}`)
              .join() === 'omega:false,bias:false',
            () => 'parameters() must list omega and bias as buffers',
          );
        } finally {
          x.dispose();
          a.dispose();
          b.dispose();
        }
      },
    },
    {
      id: 'kernels/state-dict/rejects-missing-extra-and-misshaped',
      async run(ctx) {
        const k = new GaussianRFFKernel({
          inputDim: 4,
          numFeatures: 8,
          seed: 5,
          backend: ctx.backend,
          dtype: ctx.dtype,
        });
        try {
          const good = await k.exportStateDict();
          const bias = good['bias']!;
          for (const [what, dict] of [
            ['missing', { omega: good['omega']! }],
            ['extra', { ...good, projection: bias }],
            ['misshaped', { ...good, bias: { shape: [4], dtype: 'float32', data: [1, 2, 3, 4] } }],
          ] as const) {
            const got = errorCode(() => k.loadStateDict(dict as never));
            ensure(got === 'ERR_STATE_DICT', () => `${what} entry: expected ERR_STATE_DICT, got ${got}`);
          }
        } finally {
          k.dispose();
        }
      },
    },
  ];
}
