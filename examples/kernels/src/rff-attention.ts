/**
 * RFFAttentionKernel (FAVOR+): positive softmax features φ(x) = exp(ωᵀx − ‖x‖²/2)/√D with
 * ω ~ N(0, I), so φ(x)·φ(y) estimates exp(x·y). With `redraw`, each forward call in training mode
 * draws a new projection from the instance's seeded stream; eval() freezes it.
 */
import { pathToFileURL } from 'node:url';
import {
  RFFAttentionKernel,
  RandomGenerator,
  abs,
  div,
  exp,
  liveTensorCount,
  matmul,
  max,
  mean,
  min,
  setBackend,
  sub,
  tensor,
  tidy,
} from '@spectrans/core';
import { createJsBackend } from '@spectrans/backend-js';

export async function main(): Promise<{
  meanRelError: number;
  minFeature: number;
  changedWhileTraining: number;
  changedAfterEval: number;
  leaked: number;
}> {
  await setBackend(createJsBackend());
  const before = liveTensorCount();
  const rng = new RandomGenerator(5);
  const [x, y] = [tensor(rng.normal(8 * 4, 0, 0.3), [8, 4]), tensor(rng.normal(6 * 4, 0, 0.3), [6, 4])];
  const favor = new RFFAttentionKernel({ inputDim: 4, numFeatures: 2048, seed: 0 });
  const [relErr, minPhi] = tidy(() => {
    const exact = exp(matmul(x, y, { transposeB: true })); // exp(x·y), (8, 6)
    return [mean(div(abs(sub(favor.kernelApproximation(x, y), exact)), exact)), min(favor.forward(x))];
  });
  const [meanRelError, minFeature] = [relErr.dataSync()[0]!, minPhi.dataSync()[0]!];
  console.log(
    `φ(x)·φ(y) vs exp(x·y), D = 2048: mean relative error ${meanRelError.toFixed(4)}; smallest feature ${minFeature.toExponential(2)} (> 0)`,
  );

  const redrawing = new RFFAttentionKernel({ inputDim: 4, numFeatures: 64, redraw: true, seed: 0 });
  const change = (): number => tidy(() => max(abs(sub(redrawing.forward(x), redrawing.forward(x)))).dataSync()[0]!);
  const changedWhileTraining = change(); // the second call draws a new projection
  redrawing.eval();
  const changedAfterEval = change(); // frozen: identical features
  console.log(
    `max |φ₁(x) − φ₂(x)| over two forward calls: training ${changedWhileTraining.toFixed(4)}, after eval() ${changedAfterEval}`,
  );
  for (const t of [x, y, relErr, minPhi]) t.dispose();
  favor.dispose();
  redrawing.dispose();
  return { meanRelError, minFeature, changedWhileTraining, changedAfterEval, leaked: liveTensorCount() - before };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
