import { beforeAll, describe, expect, it } from 'vitest';
import {
  FourierKernel,
  LearnableSpectralKernel,
  PolynomialSpectralKernel,
  TruncatedSVDKernel,
  hostLinalg,
  liveTensorCount,
  tensor,
} from '@spectrans/core';
import { hostMatmul, hostTranspose, maxAbsDiff, randn, useJs } from './helpers.js';

beforeAll(useJs);

describe('FourierKernel', () => {
  it('equals (1/r) Σ f² Re(X conj(Y)) with X = rfft(x)[:r], computed by a naive DFT', async () => {
    const d = 9;
    const r = 4;
    for (const filterType of ['gaussian', 'butterworth', 'ideal'] as const) {
      const k = new FourierKernel({ rank: r, inputDim: d, filterType, cutoffFreq: 0.4, dtype: 'float64' });
      const x = randn([3, d], 1);
      const y = randn([2, d], 2);
      const K = await k.compute(x, y).data();
      const f = await k.parameters()[0]!.tensor.data();
      const xs = await x.data();
      const ys = await y.data();
      const dft = (v: ArrayLike<number>, row: number, bin: number): [number, number] => {
        let re = 0;
        let im = 0;
        for (let t = 0; t < d; t++) {
          re += v[row * d + t]! * Math.cos((2 * Math.PI * t * bin) / d);
          im -= v[row * d + t]! * Math.sin((2 * Math.PI * t * bin) / d);
        }
        return [re, im];
      };
      const expected: number[] = [];
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 2; j++) {
          let s = 0;
          for (let b = 0; b < r; b++) {
            const [xr, xi] = dft(xs, i, b);
            const [yr, yi] = dft(ys, j, b);
            s += f[b]! ** 2 * (xr * yr + xi * yi);
          }
          expected.push(s / r);
        }
      expect(maxAbsDiff(K, expected)).toBeLessThan(1e-12);
      k.dispose();
    }
  });

  it('validates rank against the rfft bins and cutoff > 0 at construction', () => {
    expect(() => new FourierKernel({ rank: 6, inputDim: 8 })).toThrow(/floor\(inputDim\/2\) \+ 1 = 5/);
    expect(() => new FourierKernel({ rank: 2, inputDim: 8, cutoffFreq: 0 })).toThrow(/cutoffFreq/);
  });
});

describe('TruncatedSVDKernel', () => {
  it('equals the rank-r truncation of the SVD of x yᵀ (Eckart–Young)', async () => {
    const n = 7;
    const m = 6;
    const d = 5;
    const x = randn([n, d], 3);
    const y = randn([m, d], 4);
    const M = hostMatmul(await x.data(), hostTranspose(await y.data(), m, d), n, d, m);
    for (const rank of [1, 3, 5, 9]) {
      const k = new TruncatedSVDKernel({ rank, normalize: false, dtype: 'float64' });
      const got = await k.compute(x, y).data();
      const { u, s, v } = hostLinalg.svd(M, n, m);
      const kk = s.length;
      const r = Math.min(rank, kk);
      const expected = new Float64Array(n * m);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < m; j++) {
          let acc = 0;
          for (let c = 0; c < r; c++) acc += u[i * kk + c]! * s[c]! * v[j * kk + c]!;
          expected[i * m + j] = acc;
        }
      expect(maxAbsDiff(got, expected)).toBeLessThan(1e-10);
    }
  });

  it('recovers a rank-5 X Xᵀ exactly (the reference test), exactly and randomized', async () => {
    const a = randn([20, 5], 5);
    const b = randn([5, 30], 6);
    const X = tensor(hostMatmul(await a.data(), await b.data(), 20, 5, 30), [1, 20, 30], 'float64');
    const exact = hostMatmul(await X.data(), hostTranspose(await X.data(), 20, 30), 20, 30, 20);
    for (const useRandomized of [false, true]) {
      const k = new TruncatedSVDKernel({ rank: 5, normalize: false, useRandomized, seed: 1, dtype: 'float64' });
      const got = await k.compute(X, X).data();
      const rel = Math.sqrt(
        Array.from(got).reduce((acc, g, i) => acc + (g - exact[i]!) ** 2, 0) / exact.reduce((acc, e) => acc + e * e, 0),
      );
      expect(rel).toBeLessThan(1e-9);
    }
  });

  it('normalises rows to unit norm when asked', async () => {
    const k = new TruncatedSVDKernel({ rank: 2, dtype: 'float64' });
    const K = await k.compute(randn([4, 3], 7), randn([5, 3], 8)).data();
    for (let i = 0; i < 4; i++) {
      const norm = Math.hypot(...Array.from(K.subarray(i * 5, i * 5 + 5)));
      expect(norm).toBeCloseTo(1, 6);
    }
  });
});

describe('PolynomialSpectralKernel', () => {
  it('computeAttention with q = k equals the reference (each side its own PCA: identical when q = k)', async () => {
    const n = 8;
    const d = 5;
    const rank = 3;
    const q = randn([n, d], 9);
    const k = new PolynomialSpectralKernel({
      rank,
      degree: 2,
      coef0: 1,
      alpha: 0.7,
      normalize: false,
      dtype: 'float64',
    });
    const got = await k.computeAttention(q, q).data();
    // Reference formula on the host: centre, covariance, top-r eigenvectors, projected inner products.
    const xs = await q.data();
    const mean = Array.from(
      { length: d },
      (_, j) =>
        Array.from(xs)
          .filter((_, i) => i % d === j)
          .reduce((a, b) => a + b, 0) / n,
    );
    const xc = Float64Array.from(xs, (v, i) => v - mean[i % d]!);
    const cov = hostMatmul(hostTranspose(xc, n, d), xc, d, n, d).map((v) => v / n);
    const { vectors } = hostLinalg.eigh(cov, d);
    const basis = new Float64Array(d * rank);
    for (let i = 0; i < d; i++) for (let c = 0; c < rank; c++) basis[i * rank + c] = vectors[i * d + (d - rank + c)]!;
    const proj = hostMatmul(xc, basis, n, d, rank);
    const inner = hostMatmul(proj, hostTranspose(proj, n, rank), n, rank, n);
    const expected = inner.map((g) => (0.7 * g + 1) ** 2);
    expect(maxAbsDiff(got, expected)).toBeLessThan(1e-10);
  });

  it('computeAttention rows sum to 1 with normalize, for q ≠ k and batches', async () => {
    const k = new PolynomialSpectralKernel({ rank: 2, dtype: 'float64' });
    const A = await k.computeAttention(randn([2, 5, 4], 10), randn([2, 6, 4], 11)).data();
    for (let row = 0; row < 10; row++)
      expect(Array.from(A.subarray(row * 6, row * 6 + 6)).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it("normalization 'cosine' has a unit diagonal", async () => {
    const k = new PolynomialSpectralKernel({ rank: 2, normalization: 'cosine', dtype: 'float64' });
    const G = await k.gramMatrix(randn([5, 3], 12)).data();
    for (let i = 0; i < 5; i++) expect(G[i * 5 + i]).toBeCloseTo(1, 12);
  });

  it('spectralDecomposition returns the top eigenpairs of its own Gram matrix, descending, trace-normalised', async () => {
    const k = new PolynomialSpectralKernel({ rank: 3, normalize: true, dtype: 'float64', normalization: 'cosine' });
    const x = randn([6, 4], 13);
    const { eigenvectors, eigenvalues } = k.spectralDecomposition(x);
    const values = await eigenvalues.data();
    const G = await k.gramMatrix(x).data();
    const full = hostLinalg.eigh(Float64Array.from(G), 6);
    const trace = full.values.reduce((a, b) => a + b, 0);
    expect(Array.from(values)).toEqual(expect.any(Array));
    for (let c = 0; c < 3; c++) expect(values[c]).toBeCloseTo(full.values[5 - c]! / trace, 8);
    expect(values[0]!).toBeGreaterThanOrEqual(values[1]!);
    expect(eigenvectors.shape).toEqual([6, 3]);
  });
});

describe('LearnableSpectralKernel', () => {
  it('has orthonormal eigenvectors, linspace eigenvalues, and unit-norm rows with normalize', async () => {
    const k = new LearnableSpectralKernel({ inputDim: 6, rank: 4, initScale: 2, seed: 3, dtype: 'float64' });
    const [e, lambda] = [
      k.parameters().find((p) => p.name === 'eigenvectors')!,
      k.parameters().find((p) => p.name === 'eigenvalues')!,
    ];
    const E = await e.tensor.data();
    const gram = hostMatmul(hostTranspose(E, 6, 4), E, 4, 6, 4);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(gram[i * 4 + j]).toBeCloseTo(i === j ? 1 : 0, 12);
    expect(Array.from(await lambda.tensor.data())).toEqual([2, 1.4, 0.8, 0.2].map((v) => expect.closeTo(v, 12)));
    const K = await k.compute(randn([3, 6], 4), randn([5, 6], 5)).data();
    for (let i = 0; i < 3; i++) expect(Math.hypot(...Array.from(K.subarray(i * 5, i * 5 + 5)))).toBeCloseTo(1, 10);
    expect(k.forward(randn([2, 3, 6], 6)).shape).toEqual([2, 3, 4]);
  });

  it('checks rank <= inputDim at construction and re-orthonormalises loaded eigenvectors', async () => {
    expect(() => new LearnableSpectralKernel({ inputDim: 3, rank: 4 })).toThrow(/rank must be <= inputDim/);
    const k = new LearnableSpectralKernel({ inputDim: 3, rank: 2, trainableEigenvectors: false, dtype: 'float64' });
    k.loadStateDict({
      eigenvalues: { shape: [2], dtype: 'float64', data: [1, 0.5] },
      eigenvectors: { shape: [3, 2], dtype: 'float64', data: [1, 1, 0, 1, 0, 0] },
    });
    k.orthogonalizeEigenvectors();
    const E = await k
      .parameters()
      .find((p) => p.name === 'eigenvectors')!
      .tensor.data();
    const gram = hostMatmul(hostTranspose(E, 3, 2), E, 2, 3, 2);
    expect(maxAbsDiff(gram, [1, 0, 0, 1])).toBeLessThan(1e-12);
    expect(k.parameters().map((p) => `${p.name}:${p.trainable}`)).toEqual(['eigenvalues:true', 'eigenvectors:false']);
  });
});

describe('memory', () => {
  it('spectral kernels leave no tensors behind', async () => {
    const before = liveTensorCount();
    const x = randn([5, 6], 1);
    const kernels = [
      new FourierKernel({ rank: 3, inputDim: 6, dtype: 'float64' }),
      new LearnableSpectralKernel({ inputDim: 6, rank: 3, dtype: 'float64' }),
      new PolynomialSpectralKernel({ rank: 3, dtype: 'float64' }),
      new TruncatedSVDKernel({ rank: 3, dtype: 'float64', useRandomized: true }),
    ];
    for (const k of kernels) {
      k.compute(x, x).dispose();
      k.dispose();
    }
    x.dispose();
    expect(liveTensorCount()).toBe(before);
  });
});
