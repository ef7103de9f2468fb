/** Reductions over one axis and prefix sums along one axis. */
import type { ReduceOp } from '@spectrans/core/backend';
import { linear, MAX_TERMS_PER_THREAD, sumLoop, unflatten, type KernelSource } from '../codegen/source.js';
import { sizeOf } from '@spectrans/core/backend';
import type { Runtime } from '../runtime.js';
import type { Storage } from '../storage.js';
import type { Operand } from './operand.js';

/** Splits a shape around `axis` into (outer, n, inner) element counts. */
export function aroundAxis(shape: readonly number[], axis: number): [outer: number, n: number, inner: number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis]!, sizeOf(shape.slice(axis + 1))];
}

/**
 * Reduces over `axis` (sum, or max/min propagating NaN). Sums are blocked (error ~2√n ulp);
 * axes longer than MAX_TERMS_PER_THREAD are reduced in chunks, then the chunk results again.
 * An empty axis gives 0 for sum, -Infinity for max and +Infinity for min.
 */
export function reduce(rt: Runtime, op: ReduceOp, x: Operand, axis: number): Storage {
  const [outer, n, inner] = aroundAxis(x.shape, axis);
  const size = outer * inner;
  if (size === 0) return rt.empty();
  if (n === 0) return rt.upload(new Float32Array(size).fill(op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity));
  if (n <= MAX_TERMS_PER_THREAD) return reduceKernel(rt, op, x.storage, outer, n, inner, 1);
  const chunks = Math.ceil(n / MAX_TERMS_PER_THREAD);
  const partial = reduceKernel(rt, op, x.storage, outer, n, inner, chunks);
  try {
    return reduce(rt, op, { shape: [outer, chunks, inner], storage: partial }, 1);
  } finally {
    partial.release();
  }
}

/**
 * Reduces (outer, n, inner) over the middle axis in `chunks` pieces of at most
 * ⌈n / chunks⌉ terms: output (outer, chunks, inner), or (outer, inner) for one chunk.
 */
function reduceKernel(
  rt: Runtime,
  op: ReduceOp,
  x: Storage,
  outer: number,
  n: number,
  inner: number,
  chunks: number,
): Storage {
  const per = Math.ceil(n / chunks);
  const src = rt.source(1);
  const [o, c, ii] = unflatten(src, 'i', [outer, chunks, inner]);
  // first element of this thread's piece: o * n * inner + c * per * inner + ii
  const base = src.let('base', linear([o!, c!, ii!], [n * inner, per * inner, 1]));
  const at = (k: string): string => `t0[${base} + ${k}${inner === 1 ? '' : ` * ${inner}`}]`;
  const guard = chunks > 1 && n % per !== 0 ? (k: string): string => `${c} * ${per} + ${k} < ${n}` : undefined;
  let result: string;
  if (op === 'sum') {
    result = sumLoop(src, per, (k) => ({ value: at(k) }), guard);
  } else {
    result = src.let('acc', at('0'));
    const k = src.fresh('k');
    const v = src.fresh('v');
    const cmp = op === 'max' ? '>' : '<';
    const update = [`const ${v} = ${at(k)};`, `if (${v} ${cmp} ${result} || ${v} != ${v}) { ${result} = ${v}; }`];
    src.line(
      `for (let ${k} = 1; ${k} < ${per}; ${k}++) {`,
      ...(guard ? [`if (${guard(k)}) {`, ...update, '}'] : update),
      '}',
    );
  }
  return rt.run({ op, source: src.build(result), size: outer * chunks * inner, inputs: [x] });
}

/**
 * Inclusive/exclusive, forward/reverse prefix sums along `axis` by Hillis–Steele doubling:
 * ⌈log2 n⌉ passes of one kernel (the step is a uniform), so each output is a tree of additions
 * with float32 error growing like log2(n) ulp.
 */
export function cumsum(rt: Runtime, x: Operand, axis: number, exclusive: boolean, reverse: boolean): Storage {
  const [outer, n, inner] = aroundAxis(x.shape, axis);
  const size = outer * n * inner;
  if (size === 0) return rt.empty();
  let current = x.storage;
  let owned = false;
  const advance = (next: Storage): void => {
    if (owned) current.release();
    current = next;
    owned = true;
  };
  if (exclusive || reverse) {
    const src = rt.source(1);
    const j = axisCoord(src, outer, n, inner);
    // element j of the prepared line is x[f(j - exclusive)], f(p) = reverse ? n - 1 - p : p, or 0
    const p = src.let('p', exclusive ? `${j} - 1` : j);
    const from = reverse ? `${n - 1} - ${p}` : p;
    const r = src.let('r', '0');
    src.line(`if (${p} >= 0) { ${r} = t0[i + (${from} - ${j})${inner === 1 ? '' : ` * ${inner}`}]; }`);
    advance(rt.run({ op: 'cumsum', source: src.build(r), size, inputs: [current] }));
  }
  if (n > 1) {
    const src = rt.source(1, 1);
    const j = axisCoord(src, outer, n, inner);
    const r = src.let('r', 't0[i]');
    src.line(`if (${j} >= s0) { ${r} = ${r} + t0[i - s0${inner === 1 ? '' : ` * ${inner}`}]; }`);
    const source = src.build(r);
    for (let step = 1; step < n; step *= 2) {
      advance(rt.run({ op: 'cumsum', source, size, inputs: [current], scalars: [step] }));
    }
  }
  if (reverse && n > 1) {
    const src = rt.source(1);
    const j = axisCoord(src, outer, n, inner);
    const r = src.let('r', `t0[i + (${n - 1} - 2 * ${j})${inner === 1 ? '' : ` * ${inner}`}]`);
    advance(rt.run({ op: 'cumsum', source: src.build(r), size, inputs: [current] }));
  }
  return owned ? current : current.retain();
}

/** The coordinate along the middle axis of (outer, n, inner) for output element `i`. */
export function axisCoord(src: KernelSource, outer: number, n: number, inner: number): string {
  const dims: number[] = [];
  if (outer > 1) dims.push(outer);
  const position = dims.length;
  dims.push(n);
  if (inner > 1) dims.push(inner);
  if (dims.length === 1) return 'i';
  return unflatten(src, 'i', dims)[position]!;
}
