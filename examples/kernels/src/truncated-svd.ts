/**
 * TruncatedSVDKernel: the best rank-r approximation M_r of x yᵀ. By Eckart–Young its Frobenius
 * error is √(Σ_{i>r} sᵢ²), sᵢ the singular values of x yᵀ: checked here against the public svd op.
 * The randomized path (Halko et al. 2011, seeded) agrees with the exact one.
 */
import { pathToFileURL } from 'node:url';
import {
  RandomGenerator,
  TruncatedSVDKernel,
  liveTensorCount,
  matmul,
  setBackend,
  sqrt,
  square,
  sub,
  sum,
  svd,
  tensor,
  tidy,
  type Tensor,
} from '@spectrans/core';
import { createJsBackend } from '@spectrans/backend-js';

export async function main(): Promise<{
  ranks: number[];
  error: number[];
  eckartYoung: number[];
  randomizedVsExact: number;
  leaked: number;
}> {
  await setBackend(createJsBackend());
  const before = liveTensorCount();
  const rng = new RandomGenerator(2);
  const [x, y] = [tensor(rng.normal(12 * 6), [12, 6], 'float64'), tensor(rng.normal(10 * 6), [10, 6], 'float64')];
  const M = matmul(x, y, { transposeB: true }); // (12, 10), rank 6
  const s = tidy(() => svd(M).s.dataSync()); // singular values, descending
  const frobenius = (a: Tensor): number => tidy(() => sqrt(sum(square(sub(a, M)))).dataSync()[0]!);
  const ranks = [1, 2, 3, 4, 5, 6];
  const error: number[] = [];
  const eckartYoung: number[] = [];
  for (const rank of ranks) {
    const kernel = new TruncatedSVDKernel({ rank, normalize: false, dtype: 'float64' });
    error.push(tidy(() => frobenius(kernel.compute(x, y))));
    eckartYoung.push(Math.sqrt(Array.from(s.subarray(rank)).reduce((acc, v) => acc + v * v, 0)));
    console.log(
      `rank ${rank}: ‖x yᵀ − M_r‖_F = ${error.at(-1)!.toFixed(6)}, √(Σ_{i>r} sᵢ²) = ${eckartYoung.at(-1)!.toFixed(6)}`,
    );
    kernel.dispose();
  }
  const exact = new TruncatedSVDKernel({ rank: 3, normalize: false, dtype: 'float64' });
  const randomized = new TruncatedSVDKernel({
    rank: 3,
    normalize: false,
    useRandomized: true,
    seed: 0,
    dtype: 'float64',
  });
  const randomizedVsExact = tidy(
    () => sqrt(sum(square(sub(randomized.compute(x, y), exact.compute(x, y))))).dataSync()[0]!,
  );
  console.log(`rank 3, randomized vs exact: ‖difference‖_F = ${randomizedVsExact.toExponential(2)}`);
  for (const t of [x, y, M, exact, randomized]) t.dispose();
  return { ranks, error, eckartYoung, randomizedVsExact, leaked: liveTensorCount() - before };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
