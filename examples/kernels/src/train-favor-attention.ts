/**
 * Training attention: one attention layer out = Attn(xW_q, xW_k, xW_v) learns a synthetic sequence
 * task, once with exact softmax attention and once with FAVOR+ linear attention (a fixed positive
 * random feature map, RFFAttentionKernel 'softmax'), on any backend.
 *
 * Task: sequences of n tokens x ∈ R^d ~ N(0, I); the target at each position is what a hidden
 * softmax attention layer (random W*_q, W*_k, identity values) returns: a content-based soft lookup
 * of the other tokens. Softmax attention can fit it exactly. Every student starts from the same small
 * random W_q, W_k, W_v and minimises the mean squared error with Adam (gradients from valueAndGrads),
 * each step on fresh sequences (the same stream for every student). The random projection of FAVOR+
 * is fixed (RFFAttentionKernel's projection is a buffer, not trainable), so W_q and W_k are the
 * learnable input maps in front of it, as in a Performer layer. Linear attention's loss comes down
 * towards softmax attention's, the closer the more random features D. Prints the held-out losses
 * before and after training; writes the training loss curves as an SVG.
 *
 * Usage: npx tsx src/train-favor-attention.ts [out.svg] [--backend js|tfjs-cpu|tfjs-wasm] [--quick]
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  Adam,
  RFFAttentionKernel,
  RandomGenerator,
  linearAttention,
  liveTensorCount,
  matmul,
  mean,
  softmaxAttention,
  square,
  sub,
  tensor,
  tidy,
  type DType,
  type Tensor,
} from '@spectrans/core';
import { cliArgs, useBackend, type BackendChoice } from './shared/backends.js';
import { lossCurves, type Series } from './shared/loss-curves.js';

/** Settings of {@link main}; the defaults are the full run. */
export interface FavorOptions {
  /** Where the SVG goes (default: train-favor-attention.svg in the system's temporary directory). */
  svgPath?: string;
  /** Backend name or object (default 'js'). */
  backend?: BackendChoice;
  /** Model dimension d (default 8) and sequence length n (default 32). */
  dim?: number;
  length?: number;
  /** Fresh training sequences drawn for each step (default 8), and held-out sequences (default 64). */
  batch?: number;
  testSequences?: number;
  /** Random features of each FAVOR+ student (default [16, 64, 256]). */
  features?: readonly number[];
  /** Full-batch Adam steps (default 300) and learning rate (default 0.03). */
  steps?: number;
  lr?: number;
  /** Seed of data, teacher, initial weights and projections (default 0). */
  seed?: number;
}

/** One student's record: its loss on each step's fresh batch (before the step), and its held-out loss before and after training. */
export interface StudentRun {
  label: string;
  losses: number[];
  initialTest: number;
  finalTest: number;
}

/** What {@link main} measured. */
export interface FavorResult {
  backend: string;
  dtype: DType;
  /** Held-out loss of predicting 0 everywhere (mean squared target): the scale of the task. */
  zeroBaseline: number;
  softmax: StudentRun;
  /** One FAVOR+ student per entry of `features`, in that order. */
  favor: (StudentRun & { numFeatures: number })[];
  svg: string;
  leaked: number;
}

/** Entries of the hidden W*_q, W*_k: scores qᵀk/√d then spread with a standard deviation of about d·0.35² ≈ 1. */
const TEACHER_STD = 0.35;

type Weights = Record<'wq' | 'wk' | 'wv', Tensor>;
type Attention = (q: Tensor, k: Tensor, v: Tensor) => Tensor;

const layer = (attention: Attention, w: Weights, x: Tensor): Tensor =>
  tidy(() => attention(matmul(x, w.wq), matmul(x, w.wk), matmul(x, w.wv)));
const mse = (a: Tensor, b: Tensor): Tensor => mean(square(sub(a, b)));

export async function main(options: FavorOptions = {}): Promise<FavorResult> {
  const { name, dtype } = await useBackend(options.backend);
  const before = liveTensorCount();
  const {
    dim: d = 8,
    length: n = 32,
    batch = 8,
    testSequences = 64,
    features = [16, 64, 256],
    steps = 300,
    lr = 0.03,
    seed = 0,
  } = options;
  const rng = new RandomGenerator(seed);
  const matrix = (rows: number, cols: number, std: number): Tensor =>
    tensor(rng.normal(rows * cols, 0, std), [rows, cols], dtype);
  const xTest = tensor(rng.normal(testSequences * n * d), [testSequences, n, d], dtype);

  // The hidden layer: random query and key maps, values = the tokens themselves.
  const teacher: Weights = {
    wq: matrix(d, d, TEACHER_STD),
    wk: matrix(d, d, TEACHER_STD),
    wv: tensor(identity(d), [d, d], dtype),
  };
  const targetTest = layer(softmaxAttention, teacher, xTest);
  const zeroBaseline = tidy(() => mean(square(targetTest)).dataSync()[0]!);
  const initial = { wq: rng.normal(d * d, 0, 0.1), wk: rng.normal(d * d, 0, 0.1), wv: rng.normal(d * d, 0, 0.1) };

  /** Trains fresh copies of the initial weights with `attention` on the same stream of batches; returns its curve and final losses. */
  const train = (label: string, attention: Attention): StudentRun => {
    const w: Weights = {
      wq: tensor(initial.wq, [d, d], dtype),
      wk: tensor(initial.wk, [d, d], dtype),
      wv: tensor(initial.wv, [d, d], dtype),
    };
    const heldOut = (): number => tidy(() => mse(layer(attention, w, xTest), targetTest).dataSync()[0]!);
    const initialTest = heldOut();
    const opt = new Adam({ lr });
    const data = new RandomGenerator(seed + 100);
    const losses: number[] = [];
    for (let step = 0; step < steps; step++) {
      losses.push(
        tidy(() => {
          const x = tensor(data.normal(batch * n * d), [batch, n, d], dtype);
          const target = layer(softmaxAttention, teacher, x);
          return opt.minimize(() => mse(layer(attention, w, x), target), w).dataSync()[0]!;
        }),
      );
    }
    opt.dispose();
    const finalTest = heldOut();
    for (const t of Object.values(w)) t.dispose();
    return { label, losses, initialTest, finalTest };
  };

  const softmax = train('softmax attention (exact)', softmaxAttention);
  const favor = features.map((D, i) => {
    const map = new RFFAttentionKernel({ inputDim: d, numFeatures: D, seed: seed + 1 + i, dtype });
    const run = train(`FAVOR+ linear attention, D = ${D}`, (q, k, v) => linearAttention(q, k, v, { featureMap: map }));
    map.dispose();
    return { ...run, numFeatures: D };
  });

  console.log(
    `backend ${name} (${dtype}); sequences of ${n} tokens, d = ${d}; ${steps} Adam steps on ${batch} fresh sequences each; ${testSequences} held-out sequences`,
  );
  console.log(`held-out loss of predicting 0: ${zeroBaseline.toFixed(4)}`);
  for (const r of [softmax, ...favor]) {
    console.log(
      `${r.label}: held-out loss ${r.initialTest.toFixed(4)} -> ${r.finalTest.toPrecision(3)} (${(r.initialTest / r.finalTest).toFixed(1)}x lower)`,
    );
  }
  const colors = ['#d62728', '#2ca02c', '#1f77b4', '#9467bd', '#ff7f0e'];
  const series: Series[] = [softmax, ...favor].map((r, i) => [r.label, r.losses, colors[i % colors.length]!]);
  const svg = lossCurves(series, {
    title: `Learning a hidden softmax attention layer (${name}): loss on each fresh batch`,
    yLabel: 'mean squared error (log scale)',
    references: [{ label: 'predicting 0', value: zeroBaseline, color: '#888' }],
  });
  const svgPath = options.svgPath ?? join(tmpdir(), 'train-favor-attention.svg');
  writeFileSync(svgPath, svg);
  console.log(`loss curves written to ${svgPath}`);
  for (const t of [xTest, targetTest, ...Object.values(teacher)]) t.dispose();
  return { backend: name, dtype, zeroBaseline, softmax, favor, svg, leaked: liveTensorCount() - before };
}

function identity(d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) out[i * d + i] = 1;
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = cliArgs();
  await main({
    svgPath: args.svgPath,
    backend: args.backend,
    ...(args.quick ? { testSequences: 16, features: [16, 64], steps: 60 } : {}),
  });
}
