/**
 * Memory: tidy(fn) disposes every tensor created inside fn except what it returns and what keep()
 * exempts; dispose() frees one tensor (twice is harmless; using it afterwards raises ERR_DISPOSED).
 * liveTensorCount() and the backend's memory() count what is alive, for leak checks.
 */
import { pathToFileURL } from 'node:url';
import {
  SpectransError,
  exp,
  keep,
  liveTensorCount,
  matmul,
  mul,
  setBackend,
  sum,
  tensor,
  tidy,
  type Tensor,
} from '@spectrans/core';
import { createJsBackend } from '@spectrans/backend-js';

export async function main(): Promise<{
  counts: Record<string, number>;
  result: number;
  disposedCode: string;
  leaked: number;
}> {
  const backend = await setBackend(createJsBackend());
  const before = liveTensorCount();
  const counts: Record<string, number> = {};
  const note = (label: string): void => {
    counts[label] = liveTensorCount() - before;
    console.log(`${label.padEnd(34)} live tensors: ${counts[label]}, backend handles: ${backend.memory?.().handles}`);
  };
  const x = tensor([
    [1, 2],
    [3, 4],
  ]);
  note('after tensor()');
  const kept: Tensor[] = [];
  const y = tidy(() => {
    const product = matmul(x, x); // intermediate: freed
    kept.push(keep(mul(product, 0.5))); // kept: survives
    return sum(exp(mul(product, 0.01))); // returned: survives; exp(...) and mul(...) are freed
  });
  note('after tidy (returns 1, keeps 1)');
  const result = (await y.data())[0]!;
  for (const t of [y, ...kept]) t.dispose();
  note('after disposing both');
  x.dispose();
  x.dispose(); // a second dispose is a no-op
  note('after x.dispose() twice');
  let disposedCode = 'no error';
  try {
    mul(x, 2);
  } catch (e) {
    disposedCode = e instanceof SpectransError ? e.code : String(e);
  }
  console.log(`sum(exp(0.01·x·x)) = ${result.toFixed(6)}; using a disposed tensor throws ${disposedCode}`);
  return { counts, result, disposedCode, leaked: liveTensorCount() - before };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
