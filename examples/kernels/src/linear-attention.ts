/**
 * linearAttention: φ(Q)(φ(K)ᵀV) / φ(Q)(φ(K)ᵀ1) in O(n·D·dv), never forming the n×n score matrix.
 * With a softmax RFFAttentionKernel (FAVOR+) it approximates exact softmaxAttention (softmax(QKᵀ/√d)V),
 * non-causal and causal, more closely as D grows. The causal prefix sums run by chunks; the chunk
 * size changes nothing but memory.
 */
import { pathToFileURL } from 'node:url';
import {
  RFFAttentionKernel,
  RandomGenerator,
  abs,
  linearAttention,
  liveTensorCount,
  max,
  mean,
  setBackend,
  softmaxAttention,
  sub,
  tensor,
  tidy,
  type Tensor,
} from '@spectrans/core';
import { createJsBackend } from '@spectrans/backend-js';

export async function main(): Promise<{
  numFeatures: number[];
  nonCausalError: number[];
  causalError: number[];
  chunkDifference: number;
  leaked: number;
}> {
  await setBackend(createJsBackend());
  const before = liveTensorCount();
  const [n, d, dv] = [48, 8, 4];
  const rng = new RandomGenerator(3);
  const [q, k, v] = [
    tensor(rng.normal(n * d, 0, 0.5), [n, d]),
    tensor(rng.normal(n * d, 0, 0.5), [n, d]),
    tensor(rng.normal(n * dv), [n, dv]),
  ];
  const exact = softmaxAttention(q, k, v); // (n, dv)
  const exactCausal = softmaxAttention(q, k, v, { causal: true });
  const meanAbs = (a: Tensor, b: Tensor): number => tidy(() => mean(abs(sub(a, b))).dataSync()[0]!);
  const [numFeatures, nonCausalError, causalError] = [[16, 128, 1024], [] as number[], [] as number[]];
  for (const D of numFeatures) {
    const featureMap = new RFFAttentionKernel({ inputDim: d, numFeatures: D, seed: 0 });
    nonCausalError.push(tidy(() => meanAbs(linearAttention(q, k, v, { featureMap }), exact)));
    causalError.push(tidy(() => meanAbs(linearAttention(q, k, v, { featureMap, causal: true }), exactCausal)));
    console.log(
      `D = ${String(D).padStart(4)}: mean |linear − softmax| non-causal ${nonCausalError.at(-1)!.toFixed(4)}, causal ${causalError.at(-1)!.toFixed(4)}`,
    );
    featureMap.dispose();
  }
  const featureMap = new RFFAttentionKernel({ inputDim: d, numFeatures: 64, seed: 1 });
  const chunkDifference = tidy(
    () =>
      max(
        abs(
          sub(
            linearAttention(q, k, v, { featureMap, causal: true, chunkSize: 5 }),
            linearAttention(q, k, v, { featureMap, causal: true }),
          ),
        ),
      ).dataSync()[0]!,
  );
  console.log(
    `causal, chunkSize 5 vs 64: max difference ${chunkDifference.toExponential(1)}; mean |exact| = ${tidy(() => mean(abs(exact)).dataSync()[0]!).toFixed(3)}`,
  );
  for (const owned of [q, k, v, exact, exactCausal, featureMap]) owned.dispose();
  return { numFeatures, nonCausalError, causalError, chunkDifference, leaked: liveTensorCount() - before };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
