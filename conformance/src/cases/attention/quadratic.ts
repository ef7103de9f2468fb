/**
 * Linear attention conformance: exact-kernel limit, causal = masked quadratic, key masks,
 * convergence to softmax attention, stability at large magnitudes, errors.
 */
import {
  RFFAttentionKernel,
  div,
  linearAttention,
  matmul,
  maximum,
  mul,
  reshape,
  softmaxAttention,
  sum,
  tensor,
  tidy,
  type Backend,
  type DType,
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
import { points } from './configs.js';
import { favorChecks } from './favor-checks.js';

/**
 * A deterministic feature map φ(x) = vec(x xᵀ), so φ(x)·φ(y) = (xᵀy)² exactly: the exact-kernel
 * limit in which linear attention must equal the quadratic computation. Built from public ops only.
 */
export class QuadraticFeatureMap implements RandomFeatureMap {
  readonly numFeatures: number;
  readonly kernelScale = 1;
  readonly seed = 0;
  constructor(readonly inputDim: number) {
    this.numFeatures = inputDim * inputDim;
  }
  get featureDim(): number {
    return this.numFeatures;
  }
  forward(x: Tensor): Tensor {
    const d = this.inputDim;
    const lead = x.shape.slice(0, -1);
    return tidy(() => reshape(mul(reshape(x, [...lead, d, 1]), reshape(x, [...lead, 1, d])), [...lead, d * d]));
  }
  kernelApproximation(x: Tensor, y: Tensor): Tensor {
    return tidy(() => matmul(this.forward(x), this.forward(y), { transposeB: true }));
  }
  dispose(): void {}
}

/** Quadratic attention with kernel scores (q·k)², optional lower-triangular and key masks. */
function quadraticReference(q: Tensor, k: Tensor, v: Tensor, keep?: Tensor): Tensor {
  return tidy(() => {
    const s = matmul(q, k, { transposeB: true });
    let a = mul(s, s);
    if (keep) a = mul(a, keep);
    return matmul(div(a, maximum(sum(a, -1, true), 1e-30)), v);
  });
}

function triangle(n: number, backend: Backend, dtype: DType): Tensor {
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) data[i * n + j] = 1;
  return tensor(data, [n, n], dtype, { backend });
}

async function compare(
  ctx: KernelCheckContext,
  actual: Tensor,
  expected: Tensor,
  what: string,
  scale = 1,
): Promise<void> {
  ensureClose(await take(actual), await take(expected), ctx.rtol * scale, ctx.atol * scale, what);
}

/** Every attention check. */
export function attentionChecks(): KernelCheck[] {
  const d = 4;
  return [
    {
      id: 'attention/linear/exact-kernel-limit',
      async run(ctx) {
        const q = points(ctx.backend, ctx.dtype, [2, 7, d], 1, 0.8);
        const k = points(ctx.backend, ctx.dtype, [2, 9, d], 2, 0.8);
        const v = points(ctx.backend, ctx.dtype, [2, 9, 3], 3);
        const map = new QuadraticFeatureMap(d);
        try {
          await compare(
            ctx,
            linearAttention(q, k, v, { featureMap: map, eps: 0 }),
            quadraticReference(q, k, v),
            'linear vs quadratic attention, kernel (q·k)²',
            10,
          );
        } finally {
          for (const t of [q, k, v]) t.dispose();
        }
      },
    },
    {
      id: 'attention/linear/causal-equals-masked-quadratic',
      async run(ctx) {
        const n = 11;
        const q = points(ctx.backend, ctx.dtype, [2, n, d], 4, 0.8);
        const k = points(ctx.backend, ctx.dtype, [2, n, d], 5, 0.8);
        const v = points(ctx.backend, ctx.dtype, [2, n, 3], 6);
        const tri = triangle(n, ctx.backend, ctx.dtype);
        const map = new QuadraticFeatureMap(d);
        try {
          for (const chunkSize of [1, 4, 64]) {
            await compare(
              ctx,
              linearAttention(q, k, v, { featureMap: map, causal: true, chunkSize, eps: 0 }),
              quadraticReference(q, k, v, tri),
              `causal linear attention (chunk ${chunkSize})`,
              10,
            );
          }
        } finally {
          for (const t of [q, k, v, tri]) t.dispose();
        }
      },
    },
    {
      id: 'attention/linear/key-mask',
      async run(ctx) {
        const q = points(ctx.backend, ctx.dtype, [5, d], 7, 0.8);
        const k = points(ctx.backend, ctx.dtype, [6, d], 8, 0.8);
        const v = points(ctx.backend, ctx.dtype, [6, 2], 9);
        const mask = tensor([1, 0, 1, 1, 0, 1], [6], ctx.dtype, { backend: ctx.backend });
        const keep = tensor([1, 0, 1, 1, 0, 1], [1, 6], ctx.dtype, { backend: ctx.backend });
        const map = new QuadraticFeatureMap(d);
        try {
          await compare(
            ctx,
            linearAttention(q, k, v, { featureMap: map, mask, eps: 0 }),
            quadraticReference(q, k, v, keep),
            'masked linear vs masked quadratic attention',
            10,
          );
        } finally {
          for (const t of [q, k, v, mask, keep]) t.dispose();
        }
      },
    },
    {
      id: 'attention/linear/softmax-features-converge-to-softmax-attention',
      async run(ctx) {
        const n = 16;
        const dd = 8;
        // Moderate norms: positive features have lognormal weights whose tails grow like exp(‖q‖‖k‖).
        const q = points(ctx.backend, ctx.dtype, [n, dd], 10, 0.4);
        const k = points(ctx.backend, ctx.dtype, [n, dd], 11, 0.4);
        const v = points(ctx.backend, ctx.dtype, [n, 4], 12);
        const Ds = [64, 256, 1024, 4096];
        const errors: number[] = [];
        try {
          const exact = await take(softmaxAttention(q, k, v));
          for (const D of Ds) {
            let total = 0;
            for (const seed of [1, 2, 3, 4, 5, 6]) {
              const map = new RFFAttentionKernel({
                inputDim: dd,
                numFeatures: D,
                seed,
                backend: ctx.backend,
                dtype: ctx.dtype,
              });
              total += relativeFrobenius(await take(linearAttention(q, k, v, { featureMap: map })), exact);
              map.dispose();
            }
            errors.push(total / 6);
          }
        } finally {
          for (const t of [q, k, v]) t.dispose();
        }
        const lx = Ds.map(Math.log);
        const ly = errors.map(Math.log);
        const mx = lx.reduce((a, b) => a + b) / lx.length;
        const my = ly.reduce((a, b) => a + b) / ly.length;
        const slope =
          lx.reduce((acc, v, i) => acc + (v - mx) * (ly[i]! - my), 0) / lx.reduce((acc, v) => acc + (v - mx) ** 2, 0);
        ensure(
          slope > -0.75 && slope < -0.35,
          () =>
            `error slope ${slope.toFixed(3)} (errors ${errors.map((e) => e.toExponential(2)).join(', ')}); expected about -0.5`,
        );
        ensure(
          errors[errors.length - 1]! < 0.03,
          () => `error at D = 4096 is ${errors[errors.length - 1]}, expected < 0.03`,
        );
      },
    },
    {
      id: 'attention/linear/eps-relative-to-denominator',
      async run(ctx) {
        // Inputs of magnitude 1e-3: (q·k)² ~ 1e-11, far below an absolute eps of 1e-6.
        const q = points(ctx.backend, ctx.dtype, [6, d], 19, 1e-3);
        const k = points(ctx.backend, ctx.dtype, [7, d], 20, 1e-3);
        const v = points(ctx.backend, ctx.dtype, [7, 2], 21);
        const map = new QuadraticFeatureMap(d);
        try {
          for (const causal of [false, true]) {
            const kk = causal ? q : k;
            const vv = causal ? points(ctx.backend, ctx.dtype, [6, 2], 22) : v;
            const tri = causal ? triangle(6, ctx.backend, ctx.dtype) : undefined;
            try {
              await compare(
                ctx,
                linearAttention(q, kk, vv, { featureMap: map, causal }),
                quadraticReference(q, kk, vv, tri),
                `tiny denominators with the default eps (causal ${causal})`,
                10,
              );
            } finally {
              if (causal) vv.dispose();
              tri?.dispose();
            }
          }
        } finally {
          for (const t of [q, k, v]) t.dispose();
        }
      },
    },
    ...favorChecks(),
    {
      id: 'attention/softmax/causal-and-masks',
      async run(ctx) {
        const q = points(ctx.backend, ctx.dtype, [4, d], 16);
        const k = points(ctx.backend, ctx.dtype, [4, d], 17);
        const v = points(ctx.backend, ctx.dtype, [4, 2], 18);
        const none = tensor([0, 0, 0, 0], [4], ctx.dtype, { backend: ctx.backend });
        try {
          const out = await take(softmaxAttention(q, k, v, { causal: true }));
          const vs = Float64Array.from(await v.data());
          ensureClose(out.subarray(0, 2), vs.subarray(0, 2), ctx.rtol, ctx.atol, 'causal row 0 attends only to key 0');
          const masked = await take(softmaxAttention(q, k, v, { mask: none }));
          ensure(
            masked.every((x) => x === 0),
            () => 'queries with no visible key must give 0',
          );
        } finally {
          for (const t of [q, k, v, none]) t.dispose();
        }
      },
    },
    ...(
      [
        ['linear-options-null', (q: Tensor) => linearAttention(q, q, q, null as never)],
        [
          'linear-options-unknown-key',
          (q: Tensor) => linearAttention(q, q, q, { featureMap: new QuadraticFeatureMap(d), chunk_size: 4 } as never),
        ],
        [
          'linear-options-null-value',
          (q: Tensor) => linearAttention(q, q, q, { featureMap: new QuadraticFeatureMap(d), causal: null } as never),
        ],
        ['linear-feature-map-missing', (q: Tensor) => linearAttention(q, q, q, {} as never)],
        ['softmax-options-unknown-key', (q: Tensor) => softmaxAttention(q, q, q, { causl: true } as never)],
        ['softmax-options-array', (q: Tensor) => softmaxAttention(q, q, q, [] as never)],
      ] as const
    ).map(([name, call]) => ({
      id: `attention/errors/${name}`,
      async run(ctx: KernelCheckContext) {
        const q = points(ctx.backend, ctx.dtype, [3, d], 1);
        try {
          const got = errorCode(() => tidy(() => call(q)));
          ensure(got === 'ERR_INVALID_ARGUMENT', () => `expected ERR_INVALID_ARGUMENT, got ${got}`);
        } finally {
          q.dispose();
        }
      },
    })),
    ...(
      [
        ['d-mismatch', [3, 4], [5, 3], [5, 2], undefined],
        ['m-mismatch', [3, 4], [5, 4], [6, 2], undefined],
        ['mask-shape', [3, 4], [5, 4], [5, 2], [4]],
      ] as const
    ).map(([name, qs, ks, vs, ms]) => ({
      id: `attention/errors/${name}`,
      async run(ctx: KernelCheckContext) {
        const got = errorCode(() =>
          tidy(() => {
            const mk = (shape: readonly number[], seed: number): Tensor =>
              points(ctx.backend, ctx.dtype, [...shape], seed);
            const mask = ms
              ? tensor(new Array(ms[0]).fill(1), [...ms], ctx.dtype, { backend: ctx.backend })
              : undefined;
            linearAttention(mk(qs, 1), mk(ks, 2), mk(vs, 3), { featureMap: new QuadraticFeatureMap(qs[1]), mask });
          }),
        );
        ensure(got === 'ERR_SHAPE_MISMATCH', () => `expected ERR_SHAPE_MISMATCH, got ${got}`);
      },
    })),
  ];
}
