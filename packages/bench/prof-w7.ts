import { GaussianRFFKernel, mean, tidy, valueAndGrads, tensor, type Backend } from '@spectrans/core';
import { createWasmBackend } from '@spectrans/backend-wasm';
const inner = (await createWasmBackend()) as Backend;
const times = new Map<string, number>();
const counts = new Map<string, number>();
const wrapped: any = { ...inner };
for (const key of Object.keys(inner)) {
  const f = (inner as any)[key];
  if (typeof f !== 'function') continue;
  wrapped[key] = (...args: any[]) => {
    const t0 = performance.now();
    const r = f.apply(inner, args);
    const label = key === 'unary' || key === 'binary' || key === 'binaryScalar' || key === 'reduce' ? `${key}:${args[0]}` : key;
    times.set(label, (times.get(label) ?? 0) + performance.now() - t0);
    counts.set(label, (counts.get(label) ?? 0) + 1);
    return r;
  };
}
const backend = wrapped as Backend;
const x = tensor(Float32Array.from({ length: 32 * 100 * 64 }, (_, i) => Math.sin(i)), [32, 100, 64], 'float32', { backend });
const k = new GaussianRFFKernel({ inputDim: 64, numFeatures: 256, sigma: 8, trainable: true, seed: 1, backend });
async function step() {
  const { value, grads } = tidy(() => valueAndGrads(() => mean(k.forward(x)), k.trainableParameters()));
  const all = [value, ...Object.values(grads)];
  await Promise.all(all.map((t) => t.data()));
  all.forEach((t) => t.dispose());
}
async function fwd() { const y = k.forward(x); await y.data(); y.dispose(); }
for (const [name, f] of [['forward', fwd], ['step', step]] as const) {
  for (let i = 0; i < 5; i++) await f();
  times.clear(); counts.clear();
  const t0 = performance.now();
  for (let i = 0; i < 20; i++) await f();
  const total = (performance.now() - t0) / 20;
  console.log(name, total.toFixed(2), 'ms/iter');
  for (const [l, t] of [...times].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log('  ', l.padEnd(22), (t / 20).toFixed(2), 'ms', counts.get(l)! / 20);
}
await (inner as any).destroy?.();
