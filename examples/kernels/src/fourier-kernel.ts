/**
 * FourierKernel: K_ij = (1/r) Σ_k f_k² Re(X_ik conj(Y_jk)) with X = rfft(x) truncated to the r lowest
 * bins and f a low-pass filter over them. Checked against a naive DFT written out here; forward(x)
 * is the real feature map φ (..., 2r) with K = φ(x)φ(y)ᵀ.
 */
import { pathToFileURL } from 'node:url';
import { FourierKernel, RandomGenerator, liveTensorCount, setBackend, tensor } from '@spectrans/core';
import { createJsBackend } from '@spectrans/backend-js';

export async function main(): Promise<{ filter: number[]; featureShape: number[]; maxError: number; leaked: number }> {
  await setBackend(createJsBackend());
  const before = liveTensorCount();
  const [d, r, n] = [8, 3, 4];
  const xs = Array.from({ length: n }, (_, i) => Array.from(new RandomGenerator(i).normal(d)));
  const x = tensor(xs, undefined, 'float64');
  const kernel = new FourierKernel({
    inputDim: d,
    rank: r,
    filterType: 'butterworth',
    cutoffFreq: 0.5,
    dtype: 'float64',
  });
  const filter = Array.from(kernel.parameters()[0]!.tensor.dataSync()); // 1/(1 + (f/0.5)⁸), f = 0, 0.5, 1
  const [K, phi] = [kernel.compute(x, x), kernel.forward(x)];
  const got = (await K.array()) as number[][];
  // Naive DFT: X_k = Σ_t x_t e^{−2πitk/d}, kept for k < r.
  const dft = (v: number[]): [number, number][] =>
    Array.from({ length: r }, (_, k) => [
      v.reduce((s, xt, t) => s + xt * Math.cos((2 * Math.PI * t * k) / d), 0),
      v.reduce((s, xt, t) => s - xt * Math.sin((2 * Math.PI * t * k) / d), 0),
    ]);
  const X = xs.map(dft);
  const naive = X.map((a) =>
    X.map((b) => a.reduce((s, [re, im], k) => s + (filter[k]! ** 2 * (re * b[k]![0] + im * b[k]![1])) / r, 0)),
  );
  const maxError = Math.max(...got.flatMap((row, i) => row.map((v, j) => Math.abs(v - naive[i]![j]!))));
  console.log(
    `filter (butterworth, cutoff 0.5): ${filter.map((v) => v.toFixed(4)).join(', ')}; φ(x) shape [${phi.shape.join(', ')}]`,
  );
  console.log(
    `K[0] = ${got[0]!.map((v) => v.toFixed(4)).join(' ')}; max |K − naive DFT| = ${maxError.toExponential(2)}`,
  );
  for (const t of [x, K, phi, kernel]) t.dispose();
  return { filter, featureShape: [...phi.shape], maxError, leaked: liveTensorCount() - before };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
