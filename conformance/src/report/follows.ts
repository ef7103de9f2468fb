/**
 * Which ops each kernel and attention case depends on, so a report can say that a failure follows
 * from a failing op on the same target (`kernels/gaussian-rff/...` fails because `ops/cos` does).
 */
import { groupOf, idMatches } from '../ids.js';
import type { TargetReport } from '../runner.js';

const LAYOUT = ['ops/reshape', 'ops/slice', 'ops/concat', 'ops/transpose'];
const RFF = [
  'ops/matmul',
  'ops/rff-features',
  'ops/cos',
  'ops/sin',
  'ops/exp',
  'ops/mul',
  'ops/add',
  'ops/sqrt',
  'ops/cdist',
];

/** Kernel and attention id prefixes and the op groups their computations call (from core's implementations). */
const KERNEL_OPS: readonly (readonly [string, readonly string[]])[] = [
  ['kernels/gaussian-rff', RFF],
  ['kernels/laplacian-rff', RFF],
  ['kernels/orthogonal-rff', [...RFF, 'ops/fwht', 'linalg/qr']],
  ['kernels/seed', RFF],
  ['kernels/state-dict', RFF],
  [
    'kernels/rff-attention',
    [
      'ops/matmul',
      'ops/exp',
      'ops/log',
      'ops/relu',
      'ops/elu',
      'ops/max',
      'ops/sum',
      'ops/sub',
      'ops/mul',
      'ops/add',
      'ops/sqrt',
    ],
  ],
  ['kernels/cosine', ['ops/matmul', 'ops/mul', 'ops/sqrt', 'ops/sum', 'ops/div', 'ops/maximum', 'ops/add']],
  ['kernels/polynomial', ['ops/matmul', 'ops/pow', 'ops/add', 'ops/mul']],
  [
    'kernels/polynomial-spectral',
    ['ops/matmul', 'linalg/eigh', 'ops/exp', 'ops/mul', 'ops/div', 'ops/sum', 'ops/sub', 'ops/sqrt', 'ops/add'],
  ],
  ['kernels/truncated-svd', ['ops/matmul', 'linalg/svd', 'linalg/qr', 'ops/mul']],
  [
    'kernels/learnable-spectral',
    ['ops/matmul', 'linalg/qr', 'ops/abs', 'ops/add', 'ops/mul', 'ops/sqrt', 'ops/cos', 'ops/sin'],
  ],
  ['kernels/fourier-kernel', ['ops/matmul', 'ops/cos', 'ops/sin', 'ops/exp', 'ops/mul', 'ops/sqrt']],
  [
    'attention/linear',
    [
      'ops/matmul',
      'ops/exp',
      'ops/mul',
      'ops/reciprocal',
      'ops/where',
      'ops/maximum',
      'ops/minimum',
      'ops/greater-equal',
      'ops/abs',
      'ops/sum',
      'ops/add',
      'ops/cumsum',
      'ops/log-linear-attention',
    ],
  ],
  [
    'attention/softmax',
    [
      'ops/matmul',
      'ops/exp',
      'ops/max',
      'ops/sum',
      'ops/sub',
      'ops/div',
      'ops/where',
      'ops/maximum',
      'ops/mul',
      'ops/sqrt',
    ],
  ],
];

/** Gradient cases of ops whose name differs from the op group they exercise. */
const GRADIENT_OP_ALIASES: Readonly<Record<string, readonly string[]>> = {
  eigh: ['linalg/eigh'],
  mean: ['ops/sum', 'ops/div'],
  'scalar-forms': ['ops/add', 'ops/sub', 'ops/mul', 'ops/div'],
  'softmax-chain': ['ops/exp', 'ops/sum', 'ops/div', 'ops/max', 'ops/sub'],
};

function kernelOps(prefix: string): readonly string[] {
  const entry = KERNEL_OPS.find(([p]) => idMatches(p, prefix));
  return entry ? [...entry[1], ...LAYOUT] : [];
}

/**
 * The op groups (`ops/exp`, `linalg/qr`) a case uses, by its id; empty for ops themselves and for
 * cases that check validation only (`kernels/errors`, `attention/errors`).
 *
 * @example
 * ```ts
 * opsUsedBy('kernels/gaussian-rff/plain/matches-oracle/float32'); // ['ops/matmul', 'ops/rff-features', 'ops/cos', ...]
 * ```
 */
export function opsUsedBy(id: string): readonly string[] {
  const [root, second, third] = id.split('/');
  if (root === 'gradients' && second === 'ops' && third !== undefined)
    return [...(GRADIENT_OP_ALIASES[third] ?? [`ops/${third}`]), 'ops/mul', 'ops/sum'];
  if (root === 'gradients' && second === 'kernels' && third !== undefined) return kernelOps(`kernels/${third}`);
  if (root === 'gradients' && second === 'attention' && third !== undefined)
    return kernelOps(third === 'softmax' ? 'attention/softmax' : 'attention/linear');
  if (root === 'gradients' && second === 'training')
    return [...new Set([...kernelOps('kernels/learnable-spectral'), ...kernelOps('kernels/gaussian-rff')])];
  if (root === 'kernels' && second === 'reference')
    return [...new Set(KERNEL_OPS.filter(([p]) => p.startsWith('kernels/')).flatMap(([p]) => kernelOps(p)))];
  if (root === 'kernels' || root === 'attention') return kernelOps(`${root}/${second ?? ''}`);
  return [];
}

/**
 * For each failing case of `report` that uses an op (see {@link opsUsedBy}) which itself failed on
 * the same target in the same dtype, the failing op groups: the case's failure follows from theirs.
 *
 * @example
 * ```ts
 * followsFrom(report).get('kernels/gaussian-rff/plain/matches-oracle/float32'); // ['ops/cos']
 * ```
 */
export function followsFrom(report: TargetReport): ReadonlyMap<string, readonly string[]> {
  const failingOps = new Set<string>();
  for (const r of report.results)
    if (r.status === 'fail' && /^(ops|linalg)\//.test(r.id)) failingOps.add(`${groupOf(r.id)}|${r.dtype ?? ''}`);
  const out = new Map<string, readonly string[]>();
  if (failingOps.size === 0) return out;
  for (const r of report.results) {
    if (r.status !== 'fail') continue;
    const failing = opsUsedBy(r.id).filter((op) =>
      r.dtype === undefined
        ? [...failingOps].some((k) => k.startsWith(`${op}|`))
        : failingOps.has(`${op}|${r.dtype}`) || failingOps.has(`${op}|`),
    );
    if (failing.length > 0) out.set(r.id, [...new Set(failing)]);
  }
  return out;
}

/** The note a report prints next to such a failure: `follows from failing ops/exp, ops/matmul`. */
export function followsNote(ops: readonly string[]): string {
  return `follows from failing ${ops.join(', ')}`;
}
