/**
 * `tidy` / `keep` scopes: tensors created inside `tidy(fn)` are disposed when `fn` returns,
 * except those it returns and those passed to `keep`.
 */
import { SpectransError } from './errors.js';
import { describe } from './shape.js';
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
  if (typeof fn !== 'function') {
    throw new SpectransError('ERR_INVALID_ARGUMENT', `tidy: fn must be a function, got ${describe(fn)}`);
  }
  const scope = new Set<Tensor>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    popScope(scope);
    disposeAll(scope);
    throw e;
  }
  popScope(scope);
  if (isThenable(result)) {
    // Tensors made after the first await are outside this scope: tidy cannot work across awaits.
    Promise.resolve(result).catch(() => undefined);
    disposeAll(scope);
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      'tidy: fn must be synchronous (it returned a Promise); dispose tensors of async code yourself',
    );
  }
  const survivors = new Set<Tensor>();
  collectTensors(result, survivors);
  const failure = disposeAll([...scope].filter((t) => !survivors.has(t)));
  if (failure !== undefined) {
    // Nothing may leak: the result goes too, and the caller learns why.
    disposeAll([...survivors].filter((t) => scope.has(t)));
    throw new SpectransError(
      'ERR_BACKEND_FAILURE',
      `tidy: disposing an intermediate tensor failed: ${failure instanceof Error ? failure.message : String(failure)}`,
      { cause: failure },
    );
  }
  const parent = scopes[scopes.length - 1];
  if (parent) for (const t of survivors) if (scope.has(t)) parent.add(t);
  return result;
}

/** Removes `scope` from the stack (even if a nested scope was left behind by a throw). */
function popScope(scope: Set<Tensor>): void {
  const i = scopes.lastIndexOf(scope);
  if (i >= 0) scopes.length = i;
}

/** Disposes every tensor, continuing past failures; returns the first failure. */
function disposeAll(tensors: Iterable<Tensor>): unknown {
  let failure: unknown;
  for (const t of [...tensors]) {
    try {
      t.dispose();
    } catch (e) {
      failure ??= e;
    }
  }
  return failure;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
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
