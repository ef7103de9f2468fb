/**
 * PolynomialKernel: k(x, y) = (α⟨x, y⟩ + c)^degree, checked against the formula written out by hand.
 * The degree is an integer (computed by repeated products), so negative bases keep exact signs.
 */
import { pathToFileURL } from 'node:url';
import { PolynomialKernel, liveTensorCount, setBackend, tensor } from '@spectrans/core';
import { createJsBackend } from '@spectrans/backend-js';

export async function main(): Promise<{ K: number[][]; expected: number[][]; maxError: number; leaked: number }> {
  await setBackend(createJsBackend());
  const before = liveTensorCount();
  const xs = [
    [1, 2],
    [0.5, -1],
    [-3, 0],
  ];
  const ys = [
    [1, 0],
    [2, -1],
  ];
  const [x, y] = [tensor(xs, undefined, 'float64'), tensor(ys, undefined, 'float64')];
  const kernel = new PolynomialKernel({ degree: 3, alpha: 0.5, coef0: 1, dtype: 'float64' });
  const Kt = kernel.compute(x, y);
  const K = (await Kt.array()) as number[][];
  const expected = xs.map((a) => ys.map((b) => (0.5 * (a[0]! * b[0]! + a[1]! * b[1]!) + 1) ** 3));
  const maxError = Math.max(...K.flatMap((row, i) => row.map((v, j) => Math.abs(v - expected[i]![j]!))));
  console.log('K = (0.5·xyᵀ + 1)³:', K);
  console.log('by hand:          ', expected, `max |error| = ${maxError}`);
  for (const t of [x, y, Kt]) t.dispose();
  kernel.dispose();
  return { K, expected, maxError, leaked: liveTensorCount() - before };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
