/**
 * Runs every example's main() and checks what it claims, so the examples cannot rot; then runs each
 * file as a program (`node --import tsx src/<file>.ts`, as `npx tsx` does) to keep the entry points working.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { KERNEL_NAMES } from '@spectrans/core';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { main as cosineKernel } from '../src/cosine-kernel.js';
import { main as createKernel } from '../src/create-kernel.js';
import { main as fourierKernel } from '../src/fourier-kernel.js';
import { main as gaussianRff } from '../src/gaussian-rff.js';
import { main as laplacianRff } from '../src/laplacian-rff.js';
import { main as learnableSpectral } from '../src/learnable-spectral.js';
import { main as linearAttention } from '../src/linear-attention.js';
import { main as orthogonalRandomFeatures } from '../src/orthogonal-random-features.js';
import { main as polynomialKernel } from '../src/polynomial-kernel.js';
import { main as polynomialSpectral } from '../src/polynomial-spectral.js';
import { main as rffAttention } from '../src/rff-attention.js';
import { main as stateDict } from '../src/state-dict.js';
import { main as tidyAndMemory } from '../src/tidy-and-memory.js';
import { main as trainFavorAttention } from '../src/train-favor-attention.js';
import { main as trainRffDigits } from '../src/train-rff-digits.js';
import { main as trainSpectralKernel } from '../src/train-spectral-kernel.js';
import { main as truncatedSvd } from '../src/truncated-svd.js';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const TESTED = [
  'cosine-kernel',
  'create-kernel',
  'fourier-kernel',
  'gaussian-rff',
  'laplacian-rff',
  'learnable-spectral',
  'linear-attention',
  'orthogonal-random-features',
  'polynomial-kernel',
  'polynomial-spectral',
  'rff-attention',
  'state-dict',
  'tidy-and-memory',
  'train-favor-attention',
  'train-rff-digits',
  'train-spectral-kernel',
  'truncated-svd',
];

/** The training examples run as programs in their short mode (the full runs take minutes on js). */
const QUICK = new Set(['train-favor-attention', 'train-rff-digits']);

/** Strictly decreasing. */
const decreasing = (xs: number[]): boolean => xs.every((v, i) => i === 0 || v < xs[i - 1]!);

let log: MockInstance;
beforeAll(() => {
  log = vi.spyOn(console, 'log').mockImplementation(() => {});
});
afterAll(() => log.mockRestore());

describe('examples/kernels', () => {
  it('has a test for every example in src/', () => {
    const files = readdirSync(SRC)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.slice(0, -3))
      .sort();
    expect(files).toEqual(TESTED);
  });

  it('cosine-kernel: cosines of known angles; clamp gives a unit diagonal, add does not', async () => {
    const r = await cosineKernel();
    expect(r.k01).toBeCloseTo(Math.SQRT1_2, 12);
    expect(r.k02).toBeCloseTo(-1, 12);
    for (const v of r.diagonalClamp) expect(v).toBeCloseTo(1, 12);
    for (const v of r.diagonalAdd.slice(0, 3)) {
      expect(v).toBeGreaterThan(0.999);
      expect(v).toBeLessThan(1); // ‖x‖²/(‖x‖ + eps)²
    }
    expect(r.diagonalAdd[3]).toBeLessThan(0.5); // a row of norm ~eps
    expect(r.leaked).toBe(0);
  });

  it('polynomial-kernel: equals (α⟨x, y⟩ + c)^p by hand, negative bases included', async () => {
    const r = await polynomialKernel();
    expect(r.maxError).toBeLessThan(1e-12);
    expect(r.K[2]![1]).toBe(-8);
    expect(r.leaked).toBe(0);
  });

  it('gaussian-rff: the error shrinks with D, about like 1/√D', async () => {
    const r = await gaussianRff();
    expect(decreasing(r.rmse)).toBe(true);
    expect(r.rmse.at(-1)!).toBeLessThan(r.rmse[0]! / 8); // D grew 256×: 1/√D predicts 16×
    expect(r.rmse.at(-1)!).toBeLessThan(0.03);
    expect(r.leaked).toBe(0);
  });

  it('laplacian-rff: the error shrinks with D; compute, evaluateDifference and the formula agree', async () => {
    const r = await laplacianRff();
    expect(decreasing(r.rmse)).toBe(true);
    expect(r.rmse.at(-1)!).toBeLessThan(0.05);
    expect(r.k01).toBeCloseTo(r.byHand, 12);
    expect(r.fromDifference).toBeCloseTo(r.byHand, 12);
    expect(r.leaked).toBe(0);
  });

  it('orthogonal-random-features: ORF and SORF beat i.i.d. frequencies at the same D', async () => {
    const r = await orthogonalRandomFeatures();
    expect(r.orf).toBeLessThan(r.iid);
    expect(r.sorf).toBeLessThan(r.iid);
    expect(r.laplacianIsOrthogonal).toBe(false);
    expect(r.leaked).toBe(0);
  });

  it('rff-attention: positive features estimate exp(x·y); redraw changes features, eval() freezes them', async () => {
    const r = await rffAttention();
    expect(r.meanRelError).toBeLessThan(0.05);
    expect(r.minFeature).toBeGreaterThan(0);
    expect(r.changedWhileTraining).toBeGreaterThan(0.01);
    expect(r.changedAfterEval).toBe(0);
    expect(r.leaked).toBe(0);
  });

  it('polynomial-spectral: cosine normalisation has a unit diagonal; attention rows sum to 1 and are exact at rank d', async () => {
    const r = await polynomialSpectral();
    for (const v of r.cosineDiagonal) expect(v).toBeCloseTo(1, 12);
    for (const v of r.rowSumError) expect(v).toBeLessThan(1e-12);
    expect(r.errorVsFullRank[0]).toBeLessThan(1e-10); // rank 4 = d
    expect(r.errorVsFullRank[1]).toBeGreaterThan(1e-3); // rank 2 < d loses information
    expect(r.leaked).toBe(0);
  });

  it('truncated-svd: the error is the Eckart–Young tail; randomized agrees with exact', async () => {
    const r = await truncatedSvd();
    r.error.forEach((e, i) => expect(e).toBeCloseTo(r.eckartYoung[i]!, 9));
    expect(decreasing(r.error.slice(0, -1))).toBe(true);
    expect(r.error.at(-1)!).toBeLessThan(1e-9); // rank d: exact
    expect(r.randomizedVsExact).toBeLessThan(1e-8);
    expect(r.leaked).toBe(0);
  });

  it('learnable-spectral: spectrum, features, row normalisation and re-orthogonalisation', async () => {
    const r = await learnableSpectral();
    [2, 1.1, 0.2].forEach((v, i) => expect(r.eigenvalues[i]).toBeCloseTo(v, 12));
    expect(r.featureError).toBeLessThan(1e-12);
    for (const v of r.rowNorms) expect(v).toBeCloseTo(1, 12);
    expect(r.perturbed).toBeGreaterThan(0.01);
    expect(r.restored).toBeLessThan(1e-12);
    expect(r.leaked).toBe(0);
  });

  it('fourier-kernel: matches a naive DFT; butterworth filter values; φ is (n, 2r)', async () => {
    const r = await fourierKernel();
    [1, 0.5, 1 / 257].forEach((v, i) => expect(r.filter[i]).toBeCloseTo(v, 12));
    expect(r.featureShape).toEqual([4, 6]);
    expect(r.maxError).toBeLessThan(1e-10);
    expect(r.leaked).toBe(0);
  });

  it('create-kernel: every registry name builds its class; unknown names are refused', async () => {
    const r = await createKernel();
    expect(Object.keys(r.built)).toEqual(KERNEL_NAMES);
    expect(r.built.gaussian_rff).toEqual({ className: 'GaussianRFFKernel', output: 'features φ(x)', shape: [5, 64] });
    expect(r.built.fourier_kernel).toEqual({
      className: 'FourierKernel',
      output: 'kernel matrix K(x, x)',
      shape: [5, 5],
    });
    expect(r.unknownCode).toBe('ERR_UNKNOWN_KERNEL');
    expect(r.leaked).toBe(0);
  });

  it('state-dict: exact JSON round trip; a PyTorch-style dict loads; a wrong one is refused', async () => {
    const r = await stateDict();
    expect(r.names).toEqual(['omega', 'bias']);
    expect(r.roundTripMaxDiff).toBe(0);
    r.pytorchFeatures.forEach((v, i) => expect(v).toBeCloseTo(r.expected[i]!, 12));
    expect(r.errorCode).toBe('ERR_STATE_DICT');
    expect(r.leaked).toBe(0);
  });

  it('linear-attention: approaches softmax attention as D grows, causal too; chunking changes nothing', async () => {
    const r = await linearAttention();
    expect(decreasing(r.nonCausalError)).toBe(true);
    expect(decreasing(r.causalError)).toBe(true);
    expect(r.nonCausalError.at(-1)!).toBeLessThan(0.01);
    expect(r.causalError.at(-1)!).toBeLessThan(0.015);
    expect(r.chunkDifference).toBeLessThan(1e-5);
    expect(r.leaked).toBe(0);
  });

  it('tidy-and-memory: tidy frees intermediates, keeps returned and kept tensors; dispose is idempotent', async () => {
    const r = await tidyAndMemory();
    expect(r.counts).toEqual({
      'after tensor()': 1,
      'after tidy (returns 1, keeps 1)': 3,
      'after disposing both': 1,
      'after x.dispose() twice': 0,
    });
    expect(r.result).toBeCloseTo(Math.exp(0.07) + Math.exp(0.1) + Math.exp(0.15) + Math.exp(0.22), 5);
    expect(r.disposedCode).toBe('ERR_DISPOSED');
    expect(r.leaked).toBe(0);
  });

  it('train-spectral-kernel: Adam fits both kernels to their targets (loss falls >= 10x) and writes an SVG loss curve', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spectrans-train-'));
    try {
      const r = await trainSpectralKernel(join(dir, 'loss.svg'));
      expect(r.spectral.parameterNames).toEqual(['eigenvectors', 'eigenvalues']);
      expect(r.fourier.parameterNames).toEqual(['filter']);
      for (const f of [r.spectral, r.fourier]) {
        expect(f.losses[0]! / f.losses.at(-1)!).toBeGreaterThan(10);
        expect(f.losses.every(Number.isFinite)).toBe(true);
      }
      const svg = readFileSync(join(dir, 'loss.svg'), 'utf8');
      expect(svg).toBe(r.svg);
      expect(svg.match(/<polyline /g)).toHaveLength(2);
      expect(r.leaked).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('training examples on other data and layers', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'spectrans-training-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

    it('train-rff-digits: trained RFF beats untrained RFF on held-out digits, the exact kernel beats both; cross-entropy falls > 50x', async () => {
      const r = await trainRffDigits({ svgPath: join(dir, 'digits.svg'), trainSize: 600, testSize: 400, steps: 150 });
      expect([r.backend, r.dtype, r.trainSize, r.testSize]).toEqual(['js', 'float64', 600, 400]);
      // Measured (seed 0): untrained 93.5%, trained 96.5%, exact 98.5%, trained head 96.75%.
      expect(r.accuracy.trainedRff - r.accuracy.untrainedRff).toBeGreaterThanOrEqual(0.02);
      expect(r.accuracy.exact).toBeGreaterThanOrEqual(r.accuracy.trainedRff);
      expect(r.accuracy.exact).toBeGreaterThan(0.97);
      expect(r.accuracy.trainedHead).toBeGreaterThan(0.95);
      expect(r.losses[0]).toBeCloseTo(Math.log(10), 12); // a zero head predicts 1/10 for every class
      expect(mean(r.losses.slice(-10))).toBeLessThan(r.losses[0]! / 50); // measured ~220x
      expect(readFileSync(join(dir, 'digits.svg'), 'utf8')).toBe(r.svg);
      expect(r.svg.match(/<polyline /g)).toHaveLength(2);
      expect(r.leaked).toBe(0);
    });

    it('train-rff-digits: runs on backend-tfjs (cpu, float32) and agrees with backend-js', async () => {
      const short = { trainSize: 300, testSize: 200, steps: 40 };
      const tf = await trainRffDigits({ ...short, backend: 'tfjs-cpu', svgPath: join(dir, 'digits-tfjs.svg') });
      const js = await trainRffDigits({ ...short, svgPath: join(dir, 'digits-js.svg') });
      expect([tf.backend, tf.dtype]).toEqual(['tfjs-cpu', 'float32']);
      expect(tf.losses.every(Number.isFinite)).toBe(true);
      expect(tf.losses[0]).toBeCloseTo(Math.log(10), 5);
      expect(mean(tf.losses.slice(-5))).toBeLessThan(tf.losses[0]! / 3);
      for (const key of ['untrainedRff', 'trainedRff', 'exact'] as const)
        expect(Math.abs(tf.accuracy[key] - js.accuracy[key]), key).toBeLessThanOrEqual(0.01);
      expect(tf.leaked).toBe(0);
    });

    it('train-favor-attention: both layers learn; FAVOR+ approaches softmax attention as D grows', async () => {
      const r = await trainFavorAttention({
        svgPath: join(dir, 'favor.svg'),
        length: 16,
        steps: 150,
        features: [16, 128],
        testSequences: 32,
      });
      expect([r.backend, r.dtype]).toEqual(['js', 'float64']);
      const [small, large] = r.favor;
      // Measured (seed 0): predicting 0 gives 0.280; softmax 0.285 -> 1e-5; FAVOR+ D = 16: 0.285 -> 0.075, D = 128: 0.285 -> 0.032.
      expect(r.softmax.finalTest).toBeLessThan(r.softmax.initialTest / 1000);
      expect(small!.finalTest).toBeLessThan(small!.initialTest / 3);
      expect(large!.finalTest).toBeLessThan(large!.initialTest / 6);
      expect(large!.finalTest).toBeLessThan(small!.finalTest);
      expect(r.softmax.finalTest).toBeLessThan(large!.finalTest);
      expect(large!.finalTest).toBeLessThan(r.zeroBaseline / 6);
      expect(readFileSync(join(dir, 'favor.svg'), 'utf8')).toBe(r.svg);
      expect(r.svg.match(/<polyline /g)).toHaveLength(3);
      expect(r.leaked).toBe(0);
    });

    it('train-favor-attention: runs on backend-tfjs (cpu, float32)', async () => {
      const r = await trainFavorAttention({
        backend: 'tfjs-cpu',
        svgPath: join(dir, 'favor-tfjs.svg'),
        length: 16,
        steps: 30,
        features: [32],
        testSequences: 8,
      });
      expect([r.backend, r.dtype]).toEqual(['tfjs-cpu', 'float32']);
      for (const run of [r.softmax, ...r.favor]) {
        expect(run.losses.every(Number.isFinite)).toBe(true);
        expect(run.finalTest).toBeLessThan(run.initialTest / 1.5);
      }
      expect(r.leaked).toBe(0);
    });
  });

  it('every example runs as a program and prints', async () => {
    const run = promisify(execFile);
    const outputs = await Promise.all(
      TESTED.map((name) =>
        run(process.execPath, ['--import', 'tsx', `${SRC}${name}.ts`, ...(QUICK.has(name) ? ['--quick'] : [])], {
          cwd: SRC,
        }),
      ),
    );
    outputs.forEach(({ stdout }, i) => expect(stdout.trim().split('\n').length, TESTED[i]).toBeGreaterThanOrEqual(2));
  }, 180_000);
});
