/**
 * The Python reference's own test suite, `tests/unit/test_kernels.py` (21 tests), ported one to one
 * (numbered as in shared/reference/NOTES.md §6). Same shapes and tolerances; random inputs come from
 * this port's seeded generator instead of torch's, so values differ but every asserted property holds.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CosineKernel,
  FourierKernel,
  GaussianRFFKernel,
  LaplacianRFFKernel,
  LearnableSpectralKernel,
  OrthogonalRandomFeatures,
  PolynomialKernel,
  PolynomialSpectralKernel,
  RFFAttentionKernel,
  RandomGenerator,
  TruncatedSVDKernel,
  div,
  eigh,
  matmul,
  mean,
  mul,
  slice,
  sqrt,
  sum,
  tensor,
  tidy,
  valueAndGrads,
  type Tensor,
} from '@spectrans/core';
import { useJs } from './helpers.js';

/** randn(shape) from a seeded generator (float32, torch's default). */
function randn(shape: number[], seed: number): Tensor {
  return tensor(new RandomGenerator(seed).normal(shape.reduce((a, b) => a * b, 1)), shape);
}

/** The reference's `random_tensor` fixture: randn(4, 128, 256). */
let x: Tensor;
beforeAll(async () => {
  await useJs();
  x = randn([4, 128, 256], 42);
});

async function values(t: Tensor): Promise<Float64Array> {
  return Float64Array.from(await t.data());
}

/** max |K − Kᵀ| over the batch of square matrices (b, n, n). */
async function asymmetry(k: Tensor): Promise<number> {
  const [b, n] = [k.shape[0]!, k.shape[1]!];
  const a = await values(k);
  let m = 0;
  for (let s = 0; s < b; s++) {
    for (let i = 0; i < n; i++)
      for (let j = 0; j < i; j++) m = Math.max(m, Math.abs(a[s * n * n + i * n + j]! - a[s * n * n + j * n + i]!));
  }
  return m;
}

describe('TestBasicKernels', () => {
  it('1. polynomial kernel shapes', () => {
    const kernel = new PolynomialKernel({ degree: 2, alpha: 1, coef0: 1 });
    tidy(() => {
      expect(kernel.compute(x, x).shape).toEqual([4, 128, 128]);
      expect(kernel.compute(x, randn([4, 64, 256], 1)).shape).toEqual([4, 128, 64]);
    });
  });

  it('2. polynomial kernel is positive definite', () => {
    expect(new PolynomialKernel({ degree: 2, coef0: 1 }).isPositiveDefinite(x)).toBe(true);
  });

  it('3. cosine kernel shape and range', async () => {
    const k = new CosineKernel().compute(x, x);
    expect(k.shape).toEqual([4, 128, 128]);
    const v = await values(k);
    expect(v.every((c) => c >= -1.001 && c <= 1.001)).toBe(true);
    k.dispose();
  });

  it('4. cosine self-similarity of normalised rows is 1 on the diagonal', async () => {
    const k = tidy(() =>
      new CosineKernel().compute(div(x, sqrt(sum(mul(x, x), -1, true))), div(x, sqrt(sum(mul(x, x), -1, true)))),
    );
    const v = await values(k);
    for (let s = 0; s < 4; s++)
      for (let i = 0; i < 128; i++) expect(Math.abs(v[s * 128 * 128 + i * 129]! - 1)).toBeLessThan(1e-5);
    k.dispose();
  });
});

describe('TestRFFKernels', () => {
  it('5. Gaussian RFF forward shapes', () => {
    tidy(() => {
      expect(new GaussianRFFKernel({ inputDim: 256, numFeatures: 128 }).forward(x).shape).toEqual([4, 128, 128]);
      expect(new GaussianRFFKernel({ inputDim: 256, numFeatures: 128, useCosSin: true }).forward(x).shape).toEqual([
        4, 128, 256,
      ]);
    });
  });

  it('6. Gaussian RFF approximates the exact kernel (mean error < 0.1)', async () => {
    const kernel = new GaussianRFFKernel({ inputDim: 256, numFeatures: 1024, sigma: 1, seed: 42 });
    const sub = slice(x, [0, 0, 0], [1, 10, 256]);
    const err = maxMean(await values(kernel.kernelApproximation(sub, sub)), await values(kernel.compute(sub, sub)));
    expect(err).toBeLessThan(0.1);
    sub.dispose();
    kernel.dispose();
  });

  it('7. Laplacian RFF forward shape', () => {
    tidy(() => {
      expect(new LaplacianRFFKernel({ inputDim: 256, numFeatures: 128 }).forward(x).shape).toEqual([4, 128, 128]);
    });
  });

  it('8. orthogonal random features forward shape', () => {
    tidy(() => {
      expect(
        new OrthogonalRandomFeatures({
          inputDim: 256,
          numFeatures: 128,
          kernelType: 'gaussian',
          useHadamard: false,
        }).forward(x).shape,
      ).toEqual([4, 128, 128]);
    });
  });

  it('9. softmax attention features: shape and positivity', async () => {
    const phi = new RFFAttentionKernel({
      inputDim: 256,
      numFeatures: 128,
      kernelType: 'softmax',
      useOrthogonal: true,
    }).forward(x);
    expect(phi.shape).toEqual([4, 128, 128]);
    expect((await values(phi)).every((v) => v >= 0)).toBe(true);
    phi.dispose();
  });

  it('10. softmax and relu features are non-negative, elu has the right shape', async () => {
    for (const kernelType of ['softmax', 'relu'] as const) {
      const phi = new RFFAttentionKernel({ inputDim: 256, numFeatures: 64, kernelType }).forward(x);
      expect((await values(phi)).every((v) => v >= 0)).toBe(true);
      phi.dispose();
    }
    tidy(() => {
      expect(new RFFAttentionKernel({ inputDim: 256, numFeatures: 64, kernelType: 'elu' }).forward(x).shape).toEqual([
        4, 128, 64,
      ]);
    });
  });
});

function maxMean(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / a.length;
}

describe('TestSpectralKernels', () => {
  it('11. polynomial spectral kernel: shapes, attention rows sum to 1', async () => {
    const kernel = new PolynomialSpectralKernel({ rank: 16, degree: 2 });
    tidy(() => {
      expect(kernel.compute(x, x).shape).toEqual([4, 128, 128]);
    });
    const attention = kernel.computeAttention(x, x);
    expect(attention.shape).toEqual([4, 128, 128]);
    const rows = await values(tidy(() => sum(attention, -1)));
    expect(rows.every((r) => Math.abs(r - 1) < 1e-5)).toBe(true);
    attention.dispose();
  });

  it('12. truncated SVD kernel: exact and randomized shapes', () => {
    tidy(() => {
      expect(new TruncatedSVDKernel({ rank: 8 }).compute(x, x).shape).toEqual([4, 128, 128]);
      expect(new TruncatedSVDKernel({ rank: 8, useRandomized: true }).compute(x, x).shape).toEqual([4, 128, 128]);
    });
  });

  it('13. truncated SVD of a rank-5 matrix reproduces X Xᵀ (relative Frobenius error < 1e-5)', async () => {
    const X = tidy(() => matmul(randn([1, 20, 5], 3), randn([1, 5, 30], 4)));
    const got = await values(new TruncatedSVDKernel({ rank: 5, normalize: false, dtype: 'float32' }).compute(X, X));
    const want = await values(tidy(() => matmul(X, X, { transposeB: true })));
    let num = 0;
    let den = 0;
    for (let i = 0; i < want.length; i++) {
      num += (got[i]! - want[i]!) ** 2;
      den += want[i]! ** 2;
    }
    expect(Math.sqrt(num / den)).toBeLessThan(1e-5);
    X.dispose();
  });

  it('14. learnable spectral kernel: compute, features and forward shapes', () => {
    const kernel = new LearnableSpectralKernel({ inputDim: 256, rank: 16 });
    tidy(() => {
      expect(kernel.compute(x, x).shape).toEqual([4, 128, 128]);
      expect(kernel.extractFeatures(x).shape).toEqual([4, 128, 16]);
      expect(kernel.forward(x, x).shape).toEqual([4, 128, 128]);
      expect(kernel.forward(x).shape).toEqual([4, 128, 16]);
    });
  });

  it('15. learnable spectral kernel training: every parameter gets a non-zero gradient', async () => {
    const kernel = new LearnableSpectralKernel({ inputDim: 256, rank: 8 });
    expect(kernel.parameters().length).toBeGreaterThan(0);
    const { value, grads } = valueAndGrads(() => mean(kernel.compute(x, x)), kernel);
    expect(Object.keys(grads).sort()).toEqual(
      kernel
        .parameters()
        .filter((p) => p.trainable)
        .map((p) => p.name)
        .sort(),
    );
    for (const g of Object.values(grads)) {
      expect((await values(g)).some((v) => v !== 0)).toBe(true);
      g.dispose();
    }
    value.dispose();
  });

  it('16. orthogonalised eigenvectors satisfy EᵀE = I', async () => {
    const kernel = new LearnableSpectralKernel({ inputDim: 256, rank: 16 });
    kernel.orthogonalizeEigenvectors();
    const e = kernel.stateDict()['eigenvectors']!;
    const gram = await values(tidy(() => matmul(e, e, { transposeA: true })));
    for (let i = 0; i < 16; i++)
      for (let j = 0; j < 16; j++) expect(Math.abs(gram[i * 16 + j]! - (i === j ? 1 : 0))).toBeLessThan(1e-5);
    e.dispose();
  });

  it('17. Fourier kernel with a learnable Gaussian filter: compute shape', () => {
    tidy(() => {
      expect(
        new FourierKernel({ rank: 32, inputDim: 256, learnableFilter: true, filterType: 'gaussian' }).compute(x, x)
          .shape,
      ).toEqual([4, 128, 128]);
    });
  });

  it('18. Fourier kernel with each filter: compute shape', () => {
    for (const filterType of ['gaussian', 'butterworth', 'ideal'] as const) {
      tidy(() => {
        expect(new FourierKernel({ rank: 16, inputDim: 256, filterType, cutoffFreq: 0.5 }).compute(x, x).shape).toEqual(
          [4, 128, 128],
        );
      });
    }
  });
});

describe('TestKernelProperties', () => {
  it('19. symmetric kernel matrices', async () => {
    for (const kernel of [
      new PolynomialKernel({ degree: 2 }),
      new CosineKernel(),
      new PolynomialSpectralKernel({ rank: 8, degree: 2 }),
    ]) {
      const k = kernel.compute(x, x);
      expect(await asymmetry(k)).toBeLessThan(1e-5 * Math.max(1, ...(await values(k)).map(Math.abs)));
      k.dispose();
    }
  });

  it('20. positive definite on a small sample, Gram eigenvalues > −1e-5', async () => {
    const sub = slice(x, [0, 0, 0], [1, 10, 256]);
    for (const kernel of [new PolynomialKernel({ degree: 2, coef0: 1 }), new CosineKernel()]) {
      expect(kernel.isPositiveDefinite(sub)).toBe(true);
      const eigenvalues = await values(tidy(() => eigh(kernel.gramMatrix(sub)).values));
      expect(eigenvalues.every((l) => l > -1e-5)).toBe(true);
    }
    sub.dispose();
  });

  it('21. the RFF error shrinks with D and is < 0.3 at D = 512', async () => {
    const small = randn([1, 20, 32], 42);
    const errors: number[] = [];
    for (const D of [32, 128, 512]) {
      const kernel = new GaussianRFFKernel({ inputDim: 32, numFeatures: D, seed: 42 });
      const approx = await values(kernel.kernelApproximation(small, small));
      const exact = await values(kernel.compute(small, small));
      let num = 0;
      let den = 0;
      for (let i = 0; i < exact.length; i++) {
        num += (approx[i]! - exact[i]!) ** 2;
        den += exact[i]! ** 2;
      }
      errors.push(Math.sqrt(num / den));
      kernel.dispose();
    }
    expect(errors[1]!).toBeLessThan(errors[0]!);
    expect(errors[2]!).toBeLessThan(errors[1]!);
    expect(errors[2]!).toBeLessThan(0.3);
    small.dispose();
  });
});
