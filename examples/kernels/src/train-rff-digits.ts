/**
 * Training on real data: learn the frequencies, phases and a length-scale factor of a
 * GaussianRFFKernel for classifying scikit-learn's 8x8 handwritten digits (data/digits.csv.gz, 1797
 * images; see data/README.md), on any backend.
 *
 * Model: φ(x) = √(2/D)·cos(ωᵀ(x/s) + b), logits = φ(x)W + c; ω, b (the kernel's trainable
 * parameters), log s, W and c are trained jointly with Adam on minibatch softmax cross-entropy,
 * gradients from valueAndGrads. Evaluation is the same for every model: kernel ridge regression on
 * one-hot targets, solved in closed form (float64 Cholesky on the host) with the features' kernel
 * φ(x)φ(y)ᵀ, or with the exact Gaussian kernel exp(−‖x − y‖²/2σ²) for the reference, then arg max
 * on a held-out split. Prints the accuracy of untrained RFF, trained RFF and the exact kernel, and
 * writes the training loss curve as an SVG.
 *
 * Usage: npx tsx src/train-rff-digits.ts [out.svg] [--backend js|tfjs-cpu|tfjs-wasm] [--quick]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import {
  Adam,
  GaussianRFFKernel,
  RandomGenerator,
  add,
  exp,
  hostLinalg,
  liveTensorCount,
  log,
  matmul,
  max,
  mean,
  mul,
  neg,
  sub,
  sum,
  tensor,
  tidy,
  valueAndGrads,
  zeros,
  type DType,
  type Tensor,
} from '@spectrans/core';
import { cliArgs, useBackend, type BackendChoice } from './shared/backends.js';
import { lossCurves } from './shared/loss-curves.js';

const CLASSES = 10;
const PIXELS = 64;

/** Settings of {@link main}; the defaults are the full run (all 1797 images). */
export interface DigitsOptions {
  /** Where the SVG goes (default: train-rff-digits.svg in the system's temporary directory). */
  svgPath?: string;
  /** Backend name or object (default 'js'). */
  backend?: BackendChoice;
  /** Training images (default 1000); the held-out split takes up to `testSize` of the rest. */
  trainSize?: number;
  /** Held-out images (default 797, all the rest). */
  testSize?: number;
  /** Random features D (default 64). */
  numFeatures?: number;
  /** Length scale σ of the exact kernel and of the initial frequencies (default 2, on pixels scaled to [0, 1]). */
  sigma?: number;
  /** Ridge λ of every closed-form evaluation (default 0.01). */
  lambda?: number;
  /** Adam steps (default 400) on minibatches of `batchSize` (default 100). */
  steps?: number;
  batchSize?: number;
  /** Seed of the split, the minibatch order and the kernel (default 0). */
  seed?: number;
}

/** What {@link main} measured. */
export interface DigitsResult {
  backend: string;
  dtype: DType;
  trainSize: number;
  testSize: number;
  /** Held-out accuracy of kernel ridge with each kernel, and of the jointly trained linear head. */
  accuracy: { untrainedRff: number; trainedRff: number; exact: number; trainedHead: number };
  /** Minibatch cross-entropy before each step. */
  losses: number[];
  /** The learned factor s on the length scale (σ_eff = σ·s). */
  scale: number;
  svg: string;
  leaked: number;
}

/** The 1797 digits: pixels scaled to [0, 1] (row-major, 64 per image) and labels 0–9. */
export function loadDigits(): { pixels: Float64Array; labels: number[] } {
  const file = fileURLToPath(new URL('../data/digits.csv.gz', import.meta.url));
  const rows = gunzipSync(readFileSync(file)).toString('utf8').trim().split('\n');
  const pixels = new Float64Array(rows.length * PIXELS);
  const labels = rows.map((row, i) => {
    const cells = row.split(',').map(Number);
    if (cells.length !== PIXELS + 1 || cells.some((v) => !Number.isFinite(v)))
      throw new Error(`digits.csv.gz: row ${i} is not 64 pixels and a label`);
    for (let j = 0; j < PIXELS; j++) pixels[i * PIXELS + j] = cells[j]! / 16;
    return cells[PIXELS]!;
  });
  return { pixels, labels };
}

/** Rows `idx` of a row-major matrix with `cols` columns. */
function rowsOf(data: Float64Array, cols: number, idx: readonly number[]): Float64Array {
  const out = new Float64Array(idx.length * cols);
  idx.forEach((r, i) => out.set(data.subarray(r * cols, (r + 1) * cols), i * cols));
  return out;
}

function oneHot(labels: readonly number[]): Float64Array {
  const out = new Float64Array(labels.length * CLASSES);
  labels.forEach((c, i) => (out[i * CLASSES + c] = 1));
  return out;
}

/** X with (A + λI)X = B for symmetric positive definite A (n, n), B (n, c), by Cholesky in float64. */
function ridgeSolve(a: Float64Array, n: number, b: Float64Array, c: number, lambda: number): Float64Array {
  const reg = Float64Array.from(a);
  for (let i = 0; i < n; i++) reg[i * n + i]! += lambda;
  const l = hostLinalg.cholesky(reg, n);
  if (!l) throw new Error('ridge system is not positive definite');
  const x = Float64Array.from(b);
  for (let k = 0; k < c; k++) {
    for (let i = 0; i < n; i++) {
      let s = x[i * c + k]!;
      for (let j = 0; j < i; j++) s -= l[i * n + j]! * x[j * c + k]!;
      x[i * c + k] = s / l[i * n + i]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = x[i * c + k]!;
      for (let j = i + 1; j < n; j++) s -= l[j * n + i]! * x[j * c + k]!;
      x[i * c + k] = s / l[i * n + i]!;
    }
  }
  return x;
}

/** Fraction of rows of `scores` (n, 10) whose arg max is the label. */
function accuracy(scores: ArrayLike<number>, labels: readonly number[]): number {
  let right = 0;
  labels.forEach((label, i) => {
    let best = 0;
    for (let k = 1; k < CLASSES; k++) if (scores[i * CLASSES + k]! > scores[i * CLASSES + best]!) best = k;
    if (best === label) right++;
  });
  return right / labels.length;
}

/** Host copy of a backend tensor in float64. */
const host = (t: Tensor): Float64Array => Float64Array.from(t.dataSync());

/** Kernel ridge on features: W = (ΦᵀΦ + λI)⁻¹ΦᵀY from the training features, accuracy on the held-out ones. */
function ridgeOnFeatures(
  phiTrain: Tensor,
  phiTest: Tensor,
  yTrain: Tensor,
  testLabels: readonly number[],
  lambda: number,
): number {
  const D = phiTrain.shape[1]!;
  const gram = tidy(() => host(matmul(phiTrain, phiTrain, { transposeA: true })));
  const rhs = tidy(() => host(matmul(phiTrain, yTrain, { transposeA: true })));
  const w = ridgeSolve(gram, D, rhs, CLASSES, lambda);
  const scores = tidy(() => host(matmul(phiTest, tensor(w, [D, CLASSES], phiTest.dtype))));
  return accuracy(scores, testLabels);
}

/** Mean softmax cross-entropy of logits (n, 10) against one-hot targets (n, 10). */
function crossEntropy(logits: Tensor, targets: Tensor): Tensor {
  const top = max(logits, -1, true);
  const logSumExp = add(log(sum(exp(sub(logits, top)), -1, true)), top);
  return mean(sub(logSumExp, sum(mul(logits, targets), -1, true)));
}

export async function main(options: DigitsOptions = {}): Promise<DigitsResult> {
  const { name, dtype } = await useBackend(options.backend);
  const before = liveTensorCount();
  const {
    trainSize = 1000,
    numFeatures: D = 64,
    sigma = 2,
    lambda = 0.01,
    steps = 400,
    batchSize = 100,
    seed = 0,
  } = options;
  const { pixels, labels } = loadDigits();
  const testSize = Math.min(options.testSize ?? labels.length - trainSize, labels.length - trainSize);

  // A seeded shuffle, then the first trainSize images train and the next testSize are held out.
  const keys = new RandomGenerator(seed).uniform(labels.length);
  const order = labels.map((_, i) => i).sort((i, j) => keys[i]! - keys[j]!);
  const trainIdx = order.slice(0, trainSize);
  const testIdx = order.slice(trainSize, trainSize + testSize);
  const trainLabels = trainIdx.map((i) => labels[i]!);
  const testLabels = testIdx.map((i) => labels[i]!);
  const xTrain = tensor(rowsOf(pixels, PIXELS, trainIdx), [trainSize, PIXELS], dtype);
  const xTest = tensor(rowsOf(pixels, PIXELS, testIdx), [testSize, PIXELS], dtype);
  const yTrainHost = oneHot(trainLabels);
  const yTrain = tensor(yTrainHost, [trainSize, CLASSES], dtype);

  const kernel = new GaussianRFFKernel({
    inputDim: PIXELS,
    numFeatures: D,
    sigma,
    trainable: true,
    seed: seed + 1,
    dtype,
  });
  const head: Record<'weight' | 'offset' | 'logScale', Tensor> = {
    weight: zeros([D, CLASSES], dtype),
    offset: zeros([CLASSES], dtype),
    logScale: zeros([1], dtype),
  };
  const features = (x: Tensor): Tensor => kernel.forward(mul(x, exp(neg(head.logScale))));

  // The exact Gaussian kernel: α = (K + λI)⁻¹Y on the training Gram matrix.
  const gram = tidy(() => host(kernel.compute(xTrain, xTrain)));
  const alpha = ridgeSolve(gram, trainSize, yTrainHost, CLASSES, lambda);
  const exact = accuracy(
    tidy(() => host(matmul(kernel.compute(xTest, xTrain), tensor(alpha, [trainSize, CLASSES], dtype)))),
    testLabels,
  );
  const untrainedRff = tidy(() => ridgeOnFeatures(features(xTrain), features(xTest), yTrain, testLabels, lambda));

  const kernelOpt = new Adam({ lr: 0.01 });
  const headOpt = new Adam({ lr: 0.05 });
  const batches = new RandomGenerator(seed + 2);
  const losses: number[] = [];
  let perm: number[] = [];
  for (let step = 0; step < steps; step++) {
    if (perm.length < batchSize) {
      const u = batches.uniform(trainSize);
      perm = trainIdx.map((_, i) => i).sort((i, j) => u[i]! - u[j]!);
    }
    const batch = perm.splice(0, batchSize);
    tidy(() => {
      const xb = tensor(
        rowsOf(
          pixels,
          PIXELS,
          batch.map((i) => trainIdx[i]!),
        ),
        [batchSize, PIXELS],
        dtype,
      );
      const yb = tensor(oneHot(batch.map((i) => trainLabels[i]!)), [batchSize, CLASSES], dtype);
      const { omega, bias } = kernel.trainableParameters() as Record<'omega' | 'bias', Tensor>;
      const { value, grads } = valueAndGrads(
        () => crossEntropy(add(matmul(features(xb), head.weight), head.offset), yb),
        { omega, bias, ...head },
      );
      losses.push(value.dataSync()[0]!);
      kernelOpt.step(kernel, { omega: grads.omega, bias: grads.bias });
      headOpt.step(head, { weight: grads.weight, offset: grads.offset, logScale: grads.logScale });
    });
  }
  kernelOpt.dispose();
  headOpt.dispose();

  const trainedRff = tidy(() => ridgeOnFeatures(features(xTrain), features(xTest), yTrain, testLabels, lambda));
  const trainedHead = accuracy(
    tidy(() => host(add(matmul(features(xTest), head.weight), head.offset))),
    testLabels,
  );
  const scale = Math.exp(head.logScale.dataSync()[0]!);
  const result = { untrainedRff, trainedRff, exact, trainedHead };

  console.log(
    `backend ${name} (${dtype}); digits: ${trainSize} train, ${testSize} held out; D = ${D}, σ = ${sigma}, λ = ${lambda}`,
  );
  console.log(
    `held-out accuracy, kernel ridge: untrained RFF ${pct(untrainedRff)}, trained RFF ${pct(trainedRff)}, exact Gaussian ${pct(exact)} (trained linear head: ${pct(trainedHead)})`,
  );
  console.log(
    `cross-entropy ${losses[0]!.toFixed(3)} -> ${tail(losses).toFixed(3)} (mean of the last 20 steps) over ${steps} Adam steps; learned σ factor ${scale.toFixed(3)}`,
  );
  const svg = lossCurves(
    [
      ['minibatch cross-entropy', losses, '#9ecae1'],
      ['moving average (20 steps)', movingAverage(losses, 20), '#08519c'],
    ],
    {
      title: `RFF on digits (${name}): held-out accuracy ${pct(untrainedRff)} untrained, ${pct(trainedRff)} trained, ${pct(exact)} exact`,
      yLabel: 'cross-entropy (log scale)',
      references: [{ label: 'chance: ln 10', value: Math.log(CLASSES), color: '#888' }],
    },
  );
  const svgPath = options.svgPath ?? join(tmpdir(), 'train-rff-digits.svg');
  writeFileSync(svgPath, svg);
  console.log(`loss curve written to ${svgPath}`);
  for (const t of [xTrain, xTest, yTrain, kernel, ...Object.values(head)]) t.dispose();
  return {
    backend: name,
    dtype,
    trainSize,
    testSize,
    accuracy: result,
    losses,
    scale,
    svg,
    leaked: liveTensorCount() - before,
  };
}

const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;
const tail = (xs: readonly number[]): number => xs.slice(-20).reduce((a, b) => a + b, 0) / Math.min(20, xs.length);

/** Mean of each value and up to `w − 1` before it. */
function movingAverage(xs: readonly number[], w: number): number[] {
  return xs.map((_, i) => tail(xs.slice(Math.max(0, i - w + 1), i + 1)));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = cliArgs();
  await main({
    svgPath: args.svgPath,
    backend: args.backend,
    ...(args.quick ? { trainSize: 400, testSize: 300, steps: 100 } : {}),
  });
}
