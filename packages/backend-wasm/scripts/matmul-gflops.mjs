#!/usr/bin/env node
/**
 * Float32 matmul throughput of the backend, n x n times n x n, best and median of 9 runs per
 * thread count. From packages/backend-wasm (tsx runs the TypeScript sources of the workspace):
 *
 *   node scripts/build-wasm.mjs && npx tsx scripts/matmul-gflops.mjs [n=1024] [threads=1,2]
 *
 * Wall-clock numbers: on a machine shared with other work they measure the share of the CPU this
 * process got as much as the kernels.
 */
import { createWasmBackend } from '../src/index.js';

const n = Number(process.argv[2] ?? 1024);
const threadCounts = (process.argv[3] ?? '1,2').split(',').map(Number);
const a = Float32Array.from({ length: n * n }, (_, i) => Math.sin(i));
for (const threads of threadCounts) {
  const backend = await createWasmBackend({ threads });
  const ref = (handle) => ({ handle, shape: [n, n], dtype: 'float32' });
  const x = backend.fromArray(a, [n, n], 'float32');
  const times = [];
  for (let r = 0; r < 9; r++) {
    const t0 = performance.now();
    const c = backend.matmul(ref(x), ref(x), false, false, [n, n]);
    times.push(performance.now() - t0);
    backend.dispose(c);
  }
  times.sort((p, q) => p - q);
  const gflops = (ms) => ((2 * n ** 3) / ms / 1e6).toFixed(1);
  console.log(
    `threads ${threads}: ${n}x${n} float32 matmul best ${gflops(times[0])} GFLOP/s, median ${gflops(times[4])} GFLOP/s`,
  );
  backend.dispose(x);
  await backend.destroy();
}
