/**
 * CosineKernel: k(x, y) = ⟨x, y⟩ / (‖x‖‖y‖). The default epsMode 'add' divides by ‖x‖ + eps (the
 * reference: self-similarity just below 1, far below for rows near eps); 'clamp' divides by
 * max(‖x‖, eps) (torch's F.normalize: exactly 1 on the diagonal).
 */
import { pathToFileURL } from 'node:url';
import { CosineKernel, liveTensorCount, setBackend, tensor } from '@spectrans/core';
import { createJsBackend } from '@spectrans/backend-js';

export async function main(): Promise<{
  k01: number;
  k02: number;
  diagonalAdd: number[];
  diagonalClamp: number[];
  leaked: number;
}> {
  await setBackend(createJsBackend());
  const before = liveTensorCount();
  const x = tensor(
    [
      [1, 0, 0],
      [1, 1, 0],
      [-2, 0, 0],
      [1e-4, 1e-4, 0],
    ],
    undefined,
    'float64',
  );
  const add = new CosineKernel({ eps: 1e-4, dtype: 'float64' });
  const clamp = new CosineKernel({ eps: 1e-4, epsMode: 'clamp', dtype: 'float64' });
  const [Kadd, Kclamp] = [add.compute(x, x), clamp.compute(x, x)];
  const [a, c] = [(await Kadd.array()) as number[][], (await Kclamp.array()) as number[][]];
  const [diagonalAdd, diagonalClamp] = [a.map((row, i) => row[i]!), c.map((row, i) => row[i]!)];
  console.log(
    'K (clamp):',
    c.map((row) => row.map((v) => v.toFixed(4)).join(' ')),
  );
  console.log(
    `k(x0, x1) = ${c[0]![1]!.toFixed(6)} (cos 45° = ${Math.SQRT1_2.toFixed(6)}), k(x0, x2) = ${c[0]![2]} (opposite)`,
  );
  console.log(
    'diagonal, add:  ',
    diagonalAdd.map((v) => v.toFixed(4)).join(' '),
    '(last row has ‖x‖ = 1.4e-4, near eps)',
  );
  console.log('diagonal, clamp:', diagonalClamp.map((v) => v.toFixed(4)).join(' '));
  for (const t of [x, Kadd, Kclamp]) t.dispose();
  add.dispose();
  clamp.dispose();
  return { k01: c[0]![1]!, k02: c[0]![2]!, diagonalAdd, diagonalClamp, leaked: liveTensorCount() - before };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
