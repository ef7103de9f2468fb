/** Fused random Fourier features and the fast Walsh–Hadamard transform. */
import type { Shape } from '@spectrans/core';
import { MAX_TERMS_PER_THREAD, sumLoop, unflatten, type KernelSource } from '../codegen/source.js';
import { sizeOf } from '@spectrans/core/backend';
import { emitTrig } from '../codegen/trig.js';
import type { Runtime } from '../runtime.js';
import type { Storage } from '../storage.js';
import { matmul } from './linear.js';
import type { Operand } from './operand.js';

/**
 * `scale · cos(x ω + b)`, or `scale · [cos(x ω + b), sin(x ω + b)]` (all cosines, then all sines),
 * in one kernel: the projection, the phase, the range-reduced cos/sin and the scale never leave
 * the GPU (Rahimi & Recht 2007). The bias enters both halves (the contract, and the Python
 * reference's `use_cos_sin=True`).
 */
export function rffFeatures(
  rt: Runtime,
  x: Operand,
  omega: Operand,
  bias: Operand,
  scale: number,
  cosSin: boolean,
  outShape: Shape,
): Storage {
  const size = sizeOf(outShape);
  if (size === 0) return rt.empty();
  const d = x.shape[x.shape.length - 1]!;
  const features = omega.shape[1]!;
  const rows = size / (cosSin ? 2 * features : features);
  if (d <= MAX_TERMS_PER_THREAD) {
    return featureKernel(rt, [x.storage, omega.storage, bias.storage], rows, features, scale, cosSin, (src, row, j) => {
      const xBase = src.let('xb', row === '0' ? '0' : `${row} * ${d}`);
      return sumLoop(src, d, (k) => ({ value: `t0[${xBase} + ${k}] * t1[${k} * ${features} + ${j}]` }));
    });
  }
  // inputs too long for one invocation's loop: project with the split-k matmul, then one feature pass
  const phases = matmul(rt, { shape: [rows, d], storage: x.storage }, omega, false, false, [rows, features]);
  try {
    return featureKernel(rt, [phases, bias.storage], rows, features, scale, cosSin, (src, row, j) =>
      src.let('ph', `t0[${row === '0' ? '' : `${row} * ${features} + `}${j}]`),
    );
  } finally {
    phases.release();
  }
}

/**
 * The feature kernel over (rows, D or 2D): `projection` emits x·ω for (row, j); the bias is the
 * last input; `scale` is a uniform.
 */
function featureKernel(
  rt: Runtime,
  inputs: readonly Storage[],
  rows: number,
  features: number,
  scale: number,
  cosSin: boolean,
  projection: (src: KernelSource, row: string, j: string) => string,
): Storage {
  const width = cosSin ? 2 * features : features;
  const src = rt.source(inputs.length, 1);
  const [row, col] = unflatten(src, 'i', [rows, width]);
  // with cosSin, columns [0, D) are cosines and [D, 2D) sines of the same phases
  const isSin = cosSin ? src.let('isSin', '0') : undefined;
  if (isSin) src.line(`if (${col} >= ${features}) { ${isSin} = 1; }`);
  const j = isSin ? src.let('jc', `${col} - ${isSin} * ${features}`) : col!;
  const phase = projection(src, row!, j);
  src.line(`${phase} += t${inputs.length - 1}[${j}];`);
  const trig = emitTrig(src, phase, isSin ?? false);
  return rt.run({ op: 'rffFeatures', source: src.build(`s0 * ${trig}`), size: rows * width, inputs, scalars: [scale] });
}

/**
 * Unnormalised Walsh–Hadamard transform along the last axis (length a power of two): log2(n)
 * butterfly passes (a, b) -> (a + b, a - b) of one kernel, the half-width h a uniform.
 */
export function fwht(rt: Runtime, x: Operand): Storage {
  const n = x.shape[x.shape.length - 1] ?? 1;
  const size = sizeOf(x.shape);
  if (size === 0) return rt.empty();
  if (n === 1) return x.storage.retain();
  const src = rt.source(1, 2);
  const j = size === n ? 'i' : unflatten(src, 'i', [size / n, n])[1]!;
  // bit h of j: floor(j / h) mod 2, exact since h (s0) and 1/h (s1) are powers of two
  const t = src.let('t', `Math.floor(${j} * s1)`);
  const upper = src.let('up', `${t} - 2 * Math.floor(${t} * 0.5)`);
  const r = src.let('r', '0');
  src.line(`if (${upper} > 0) { ${r} = t0[i - s0] - t0[i]; } else { ${r} = t0[i] + t0[i + s0]; }`);
  const source = src.build(r);
  let current = x.storage;
  for (let h = 1; h < n; h *= 2) {
    const next = rt.run({ op: 'fwht', source, size, inputs: [current], scalars: [h, 1 / h] });
    if (current !== x.storage) current.release();
    current = next;
  }
  return current;
}
