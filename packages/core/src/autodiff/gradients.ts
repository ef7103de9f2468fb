/**
 * The gradient API: `valueAndGrads(() => loss, params)` and its `grads`, `grad`, `valueAndGrad`
 * forms. Functional, like tfjs's `variableGrads` and JAX's `value_and_grad`: nothing persists
 * between calls, so there is nothing to zero, and memory stays under `tidy`'s control.
 */
import { SpectransError } from '../errors.js';
import { fill } from '../ops/creation.js';
import { add } from '../ops/elementwise.js';
import { clone } from '../ops/layout.js';
import { tidy } from '../scope.js';
import { Tensor } from '../tensor.js';
import { RULES } from './rules/index.js';
import { recordOn, Tape } from './tape.js';

/** Anything that hands out its trainable parameters by name, e.g. every kernel (`KernelModule`). */
export interface HasTrainableParameters {
  /** The live trainable tensors by name (owned by the holder). */
  trainableParameters(): Record<string, Tensor>;
}

/** The tensors to differentiate with respect to: a record of named tensors, or a kernel. */
export type GradientTargets<K extends string = string> = Readonly<Record<K, Tensor>> | HasTrainableParameters;

/** The loss and one gradient per parameter, keyed like the parameters. */
export interface ValueAndGrads<K extends string = string> {
  /** The scalar the function returned (the caller owns it). */
  value: Tensor;
  /** d value / d param for each parameter, same shape and dtype (the caller owns them). */
  grads: Record<K, Tensor>;
}

/**
 * Runs `f` while recording, and returns its scalar result with the gradient of that result with
 * respect to each tensor of `params` (zeros where the result does not depend on one).
 *
 * @param f - synchronous function returning a tensor with one element (any rank); tensors it
 *   creates and does not return are freed, as under `tidy`.
 * @param params - named tensors (parameters or inputs, e.g. for saliency), or a kernel, whose
 *   `trainableParameters()` are used (non-trainable parameters get no gradient).
 * @throws SpectransError `ERR_INVALID_ARGUMENT` (f not a function, a parameter not a Tensor, f
 *   not returning a Tensor), `ERR_INVALID_SHAPE` (result with more than one element),
 *   `ERR_DISPOSED`, `ERR_NOT_DIFFERENTIABLE` (the gradient path crosses an op without a backward
 *   rule, named in the message; or a nested gradient computation).
 * @example
 * ```ts
 * const kernel = new LearnableSpectralKernel({ inputDim: 8, rank: 4, seed: 0 });
 * const { value, grads } = tidy(() => valueAndGrads(() => mean(kernel.compute(x, x)), kernel));
 * grads.eigenvectors; // (8, 4)
 * grads.eigenvalues;  // (4)
 * ```
 */
export function valueAndGrads<K extends string>(f: () => Tensor, params: Readonly<Record<K, Tensor>>): ValueAndGrads<K>;
export function valueAndGrads(f: () => Tensor, params: HasTrainableParameters): ValueAndGrads;
export function valueAndGrads(f: () => Tensor, params: GradientTargets): ValueAndGrads {
  return differentiate(f, params, 'valueAndGrads');
}

/**
 * The gradients of `f`'s scalar result with respect to `params`, as {@link valueAndGrads} without the value.
 * @example
 * ```ts
 * const g = grads(() => sum(square(sub(matmul(x, w), target))), { w }); // g.w has w's shape
 * ```
 */
export function grads<K extends string>(f: () => Tensor, params: Readonly<Record<K, Tensor>>): Record<K, Tensor>;
export function grads(f: () => Tensor, params: HasTrainableParameters): Record<string, Tensor>;
export function grads(f: () => Tensor, params: GradientTargets): Record<string, Tensor> {
  const { value, grads: g } = differentiate(f, params, 'grads');
  value.dispose();
  return g;
}

/**
 * A function returning the gradient of `f` at x, with x's shape (e.g. a saliency map of a score).
 * @example
 * ```ts
 * const saliency = grad((x) => sum(kernel.compute(x, anchors)))(x); // same shape as x
 * ```
 */
export function grad(f: (x: Tensor) => Tensor): (x: Tensor) => Tensor {
  checkFunction(f, 'grad');
  return (x) => {
    const { value, grads: g } = differentiate(() => f(x), { x }, 'grad');
    value.dispose();
    return g['x']!;
  };
}

/** Like {@link grad}, also returning the value f(x). */
export function valueAndGrad(f: (x: Tensor) => Tensor): (x: Tensor) => { value: Tensor; grad: Tensor } {
  checkFunction(f, 'valueAndGrad');
  return (x) => {
    const { value, grads: g } = differentiate(() => f(x), { x }, 'valueAndGrad');
    return { value, grad: g['x']! };
  };
}

function checkFunction(f: unknown, owner: string): void {
  if (typeof f !== 'function')
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `${owner}: f must be a function, got ${f === null ? 'null' : typeof f}`,
    );
}

/** The named tensors of `params`, checked. */
function targets(params: GradientTargets, owner: string): [string, Tensor][] {
  if (params === null || typeof params !== 'object') {
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `${owner}: params must be a record of named tensors or a kernel, got ${params === null ? 'null' : typeof params}`,
    );
  }
  const named =
    typeof (params as HasTrainableParameters).trainableParameters === 'function'
      ? (params as HasTrainableParameters).trainableParameters()
      : (params as Readonly<Record<string, Tensor>>);
  return Object.entries(named).map(([name, t]) => {
    if (!(t instanceof Tensor)) {
      throw new SpectransError(
        'ERR_INVALID_ARGUMENT',
        `${owner}: params.${name} must be a Tensor, got ${t === null ? 'null' : typeof t}`,
      );
    }
    t.ref(`${owner}: params.${name}`);
    return [name, t];
  });
}

function differentiate(f: () => Tensor, params: GradientTargets, owner: string): ValueAndGrads {
  checkFunction(f, owner);
  const sources = targets(params, owner);
  const tape = new Tape();
  for (const [, t] of sources) tape.watch(t);
  try {
    const value = recordOn(tape, () => tidy(() => scalarResult(f(), owner)), owner);
    try {
      const result = tidy(() => backward(tape, value, sources));
      const own = sources.some(([, t]) => t === value) ? clone(value) : value;
      return { value: own, grads: result };
    } catch (e) {
      if (!sources.some(([, t]) => t === value)) value.dispose();
      throw e;
    }
  } finally {
    tape.dispose();
  }
}

function scalarResult(value: unknown, owner: string): Tensor {
  if (!(value instanceof Tensor)) {
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `${owner}: f must return a Tensor, got ${value === null ? 'null' : typeof value}`,
    );
  }
  if (value.size !== 1) {
    throw new SpectransError(
      'ERR_INVALID_SHAPE',
      `${owner}: f must return a tensor with one element (a scalar loss), got shape [${value.shape.join(', ')}]; reduce it first, e.g. with sum or mean`,
    );
  }
  return value;
}

/** Walks the tape backwards from `value`, accumulating each tensor's gradient; returns the sources'. */
function backward(tape: Tape, value: Tensor, sources: readonly [string, Tensor][]): Record<string, Tensor> {
  const pending = new Map<Tensor, Tensor>();
  if (tape.isTracked(value)) pending.set(value, fill(value.shape, 1, value.dtype, { backend: value.backend }));
  const isSource = new Set(sources.map(([, t]) => t));
  for (let i = tape.entries.length - 1; i >= 0; i--) {
    const entry = tape.entries[i]!;
    const dys = entry.outputs.map((o) => pending.get(o));
    const dy = dys.find((g) => g !== undefined);
    if (dy === undefined) continue;
    for (const o of entry.outputs) if (!isSource.has(o)) pending.delete(o);
    const inputGrads = RULES[entry.op](entry, dy, dys);
    const produced = new Set<Tensor>();
    entry.inputs.forEach((x, j) => {
      let g = inputGrads[j];
      if (!entry.needsGrad[j] || g === undefined) return;
      // One tensor may answer for several inputs (add(x, x), or dy passed through): give each its own handle.
      if (produced.has(g)) g = clone(g);
      produced.add(g);
      const previous = pending.get(x);
      if (previous === undefined) {
        pending.set(x, g);
      } else {
        pending.set(x, add(previous, g));
        previous.dispose();
        if (g !== dy) g.dispose();
      }
    });
    for (const g of dys) if (g !== undefined && !produced.has(g)) g.dispose();
  }
  const out: Record<string, Tensor> = {};
  const handedOut = new Set<Tensor>();
  for (const [name, t] of sources) {
    let g = pending.get(t) ?? fill(t.shape, 0, t.dtype, { backend: t.backend });
    if (handedOut.has(g)) g = clone(g);
    handedOut.add(g);
    out[name] = g;
  }
  return out;
}
