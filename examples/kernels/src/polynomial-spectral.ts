/**
 * PolynomialSpectralKernel: compute() is (α⟨x, y⟩ + c)^p divided by ‖x‖‖y‖ (the reference) or, with
 * normalization 'cosine', by √(K(x,x)K(y,y)) (unit diagonal). computeAttention(q, k) projects q and k
 * onto ONE shared top-`rank` principal basis of [q; k] (centred by their shared mean m) and takes a
 * softmax over keys: rows sum to 1; at rank = d it equals softmax((⟨q − m, k − m⟩ + 1)²) exactly.
 */
import { pathToFileURL } from 'node:url';
import {
  PolynomialKernel,
  PolynomialSpectralKernel,
  RandomGenerator,
  abs,
  concat,
  liveTensorCount,
  max,
  mean,
  setBackend,
  softmaxLastAxis,
  sub,
  sum,
  tensor,
  tidy,
} from '@spectrans/core';
import { createJsBackend } from '@spectrans/backend-js';

export async function main(): Promise<{
  cosineDiagonal: number[];
  rowSumError: number[];
  errorVsFullRank: number[];
  leaked: number;
}> {
  await setBackend(createJsBackend());
  const before = liveTensorCount();
  const rng = new RandomGenerator(11);
  const [q, k] = [tensor(rng.normal(5 * 4), [5, 4], 'float64'), tensor(rng.normal(7 * 4), [7, 4], 'float64')];
  const cosine = new PolynomialSpectralKernel({ rank: 4, degree: 2, normalization: 'cosine', dtype: 'float64' });
  const Kqq = cosine.compute(q, q);
  const cosineDiagonal = ((await Kqq.array()) as number[][]).map((row, i) => row[i]!);
  console.log('cosine-normalised K(q, q) diagonal:', cosineDiagonal.map((v) => v.toFixed(6)).join(' '));
  const poly = new PolynomialKernel({ degree: 2, coef0: 1, dtype: 'float64' });
  const fullRank = tidy(() => {
    const m = mean(concat([q, k], 0), 0, true);
    return softmaxLastAxis(poly.compute(sub(q, m), sub(k, m)));
  });
  const rowSumError: number[] = [];
  const errorVsFullRank: number[] = [];
  for (const rank of [4, 2]) {
    const kernel = new PolynomialSpectralKernel({ rank, degree: 2, dtype: 'float64' });
    const A = kernel.computeAttention(q, k); // (5, 7)
    rowSumError.push(tidy(() => max(abs(sub(sum(A, -1), 1))).dataSync()[0]!));
    errorVsFullRank.push(tidy(() => max(abs(sub(A, fullRank))).dataSync()[0]!));
    console.log(
      `rank ${rank}: rows sum to 1 within ${rowSumError.at(-1)!.toExponential(1)}, max |A − full-rank attention| = ${errorVsFullRank.at(-1)!.toExponential(2)}`,
    );
    A.dispose();
    kernel.dispose();
  }
  for (const t of [q, k, Kqq, fullRank, cosine, poly]) t.dispose();
  return { cosineDiagonal, rowSumError, errorVsFullRank, leaked: liveTensorCount() - before };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
