/**
 * `tidy` / `keep` scopes: tensors created inside `tidy(fn)` are disposed when `fn` returns,
 * except those it returns and those passed to `keep`.
 */
import type { Tensor } from './tensor.js';

const scopes: Set<Tensor>[] = [];

/** @internal Registers a new tensor with the innermost scope. */
export function trackTensor(t: Tensor): void {
  scopes[scopes.length - 1]?.add(t);
}

/** @internal Forgets a tensor (it was disposed). */
export function untrackTensor(t: Tensor): void {
  for (const scope of scopes) scope.delete(t);
}

/** Values `tidy` may return: tensors, arrays and plain objects of them, or anything else. */
export type TidyResult = unknown;

/**
 * Runs `fn`, then disposes every tensor created inside it that is neither returned (directly or
 * inside arrays and plain objects) nor kept. Returned tensors move to the enclosing scope.
 * `fn` must be synchronous.
 *
 * @example
 * ```ts
 * const y = tidy(() => exp(mul(x, 2))); // the intermediate mul(x, 2) is freed
 * ```
 */
export function tidy<T>(fn: () => T): T {
  const scope = new Set<Tensor>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scopes.pop();
    for (const t of scope) t.dispose();
    throw e;
  }
  scopes.pop();
  if (result instanceof Promise) {
    for (const t of scope) t.dispose();
    throw new TypeError('tidy(fn): fn must be synchronous (it returned a Promise)');
  }
  const survivors = new Set<Tensor>();
  collectTensors(result, survivors);
  for (const t of scope) {
    if (!survivors.has(t)) t.dispose();
  }
  const parent = scopes[scopes.length - 1];
  if (parent) for (const t of survivors) if (scope.has(t)) parent.add(t);
  return result;
}

/** Exempts `t` from disposal by every enclosing `tidy`. Returns `t`. */
export function keep<T extends Tensor>(t: T): T {
  untrackTensor(t);
  return t;
}

function collectTensors(value: unknown, out: Set<Tensor>): void {
  if (value === null || typeof value !== 'object') return;
  if (isTensor(value)) {
    out.add(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) collectTensors(v, out);
    return;
  }
  if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collectTensors(v, out);
  }
}

function isTensor(value: object): value is Tensor {
  return typeof (value as Tensor).dispose === 'function' && 'dtype' in value && 'shape' in value && 'backend' in value;
}
