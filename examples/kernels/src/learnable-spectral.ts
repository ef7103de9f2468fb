/**
 * LearnableSpectralKernel: K = φ(x)φ(y)ᵀ with φ(x) = (xE)·√|λ|, E (d, r) orthonormal columns and
 * λ = linspace(1, 0.1, r)·initScale. With normalize each row of K has unit norm.
 * orthogonalizeEigenvectors() restores EᵀE = I after E was changed (here by loadStateDict).
 */
import { pathToFileURL } from 'node:url';
import {
  LearnableSpectralKernel,
  RandomGenerator,
  abs,
  liveTensorCount,
  matmul,
  max,
  setBackend,
  sqrt,
  square,
  sub,
  sum,
  tensor,
  tidy,
  type Tensor,
} from '@spectrans/core';
import { createJsBackend } from '@spectrans/backend-js';

export async function main(): Promise<{
  eigenvalues: number[];
  featureError: number;
  rowNorms: number[];
  perturbed: number;
  restored: number;
  leaked: number;
}> {
  await setBackend(createJsBackend());
  const before = liveTensorCount();
  const x = tensor(new RandomGenerator(4).normal(5 * 6), [5, 6], 'float64');
  const kernel = new LearnableSpectralKernel({
    inputDim: 6,
    rank: 3,
    initScale: 2,
    normalize: false,
    seed: 1,
    dtype: 'float64',
  });
  const E = (): Tensor => kernel.parameters().find((p) => p.name === 'eigenvectors')!.tensor;
  const orthogonality = (): number =>
    tidy(
      () =>
        max(
          abs(
            sub(
              matmul(E(), E(), { transposeA: true }),
              tensor(
                [
                  [1, 0, 0],
                  [0, 1, 0],
                  [0, 0, 1],
                ],
                undefined,
                'float64',
              ),
            ),
          ),
        ).dataSync()[0]!,
    );
  const eigenvalues = Array.from(
    kernel
      .parameters()
      .find((p) => p.name === 'eigenvalues')!
      .tensor.dataSync(),
  );
  console.log(
    'parameters:',
    kernel
      .parameters()
      .map((p) => `${p.name} [${p.shape.join(', ')}] trainable=${p.trainable}`)
      .join(', '),
  );
  console.log(
    `eigenvalues ${eigenvalues.map((v) => v.toFixed(3)).join(', ')}; max |EᵀE − I| = ${orthogonality().toExponential(1)}`,
  );
  const featureError = tidy(() => {
    const phi = kernel.extractFeatures(x); // (5, 3)
    return max(abs(sub(kernel.compute(x, x), matmul(phi, phi, { transposeB: true })))).dataSync()[0]!;
  });
  const normalized = new LearnableSpectralKernel({ inputDim: 6, rank: 3, seed: 1, dtype: 'float64' });
  const rowNorms = Array.from(tidy(() => sqrt(sum(square(normalized.compute(x, x)), -1)).dataSync()));
  console.log(
    `max |compute − φφᵀ| = ${featureError}; normalize: row norms ${rowNorms.map((v) => v.toFixed(6)).join(' ')}`,
  );
  const state = await kernel.exportStateDict();
  state.eigenvectors!.data = state.eigenvectors!.data.map((v, i) => Number(v) + 0.1 * Math.sin(i)); // no longer orthonormal
  kernel.loadStateDict(state);
  const perturbed = orthogonality();
  kernel.orthogonalizeEigenvectors();
  const restored = orthogonality();
  console.log(
    `after loading perturbed E: max |EᵀE − I| = ${perturbed.toFixed(3)}; after orthogonalizeEigenvectors(): ${restored.toExponential(1)}`,
  );
  for (const t of [x, kernel, normalized]) t.dispose();
  return { eigenvalues, featureError, rowNorms, perturbed, restored, leaked: liveTensorCount() - before };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
