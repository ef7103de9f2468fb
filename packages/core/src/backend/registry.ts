/**
 * The backend registry. Nothing registers itself on import: applications call `setBackend` with an
 * instance, or `registerBackend` with a factory and a priority and then `ready()`.
 */
import { SpectransError } from '../errors.js';
import type { Backend } from './contract.js';

/** Creates a backend; may be async (e.g. a WebAssembly engine that must load). */
export type BackendFactory = () => Backend | Promise<Backend>;

interface Entry {
  readonly name: string;
  readonly factory: BackendFactory;
  readonly priority: number;
  instance?: Backend;
}

const entries = new Map<string, Entry>();
let current: Backend | undefined;

/**
 * Registers a backend factory under `name`. Higher priority wins in `ready()`; a negative priority
 * means "only when asked for by name" (onnxruntime-web's convention).
 *
 * @throws SpectransError `ERR_INVALID_ARGUMENT` if the name is taken (pass `{ replace: true }` to replace it).
 * @example
 * ```ts
 * registerBackend('js', () => createJsBackend(), { priority: 1 });
 * await ready();
 * ```
 */
export function registerBackend(name: string, factory: BackendFactory, options: { priority?: number; replace?: boolean } = {}): void {
  if (typeof name !== 'string' || name === '') {
    throw new SpectransError('ERR_INVALID_ARGUMENT', `name must be a non-empty string, got ${JSON.stringify(name)}`);
  }
  if (typeof factory !== 'function') {
    throw new SpectransError('ERR_INVALID_ARGUMENT', `factory for backend '${name}' must be a function`);
  }
  const priority = options.priority ?? 0;
  if (!Number.isFinite(priority)) {
    throw new SpectransError('ERR_INVALID_ARGUMENT', `priority for backend '${name}' must be a finite number`);
  }
  if (entries.has(name) && !options.replace) {
    throw new SpectransError('ERR_INVALID_ARGUMENT', `a backend named '${name}' is already registered`);
  }
  entries.set(name, { name, factory, priority });
}

/** Removes a registered backend; if it is the current one, no backend is current afterwards. */
export function removeBackend(name: string): void {
  const entry = entries.get(name);
  if (!entry) return;
  if (entry.instance && entry.instance === current) current = undefined;
  entries.delete(name);
}

/**
 * Makes `backend` the current backend. Given an instance, it takes effect at once; given a
 * registered name, once its factory has run.
 *
 * @throws SpectransError `ERR_NO_BACKEND` for an unknown name; `ERR_BACKEND_INIT` (with `cause`) when the factory fails.
 */
export async function setBackend(backend: Backend | string): Promise<Backend> {
  if (typeof backend !== 'string') {
    assertBackend(backend);
    current = backend;
    return backend;
  }
  const entry = entries.get(backend);
  if (!entry) {
    throw new SpectransError('ERR_NO_BACKEND', `no backend named '${backend}' is registered (registered: ${[...entries.keys()].join(', ') || 'none'})`);
  }
  current = await initialise(entry);
  return current;
}

/**
 * The current backend.
 * @throws SpectransError `ERR_NO_BACKEND` when none is set.
 */
export function getBackend(): Backend {
  if (!current) {
    throw new SpectransError(
      'ERR_NO_BACKEND',
      'no backend is set: call setBackend(createJsBackend()) from @spectrans/backend-js (or registerBackend(...) then await ready())',
    );
  }
  return current;
}

/** The current backend, or undefined. */
export function currentBackend(): Backend | undefined {
  return current;
}

/**
 * Ensures a current backend: keeps the one set, else initialises registered backends of
 * non-negative priority, highest first, and takes the first that starts.
 *
 * @throws SpectransError `ERR_BACKEND_INIT` listing each candidate's failure when none starts.
 */
export async function ready(): Promise<Backend> {
  if (current) return current;
  const candidates = [...entries.values()].filter((e) => e.priority >= 0).sort((a, b) => b.priority - a.priority);
  const failures: string[] = [];
  for (const entry of candidates) {
    try {
      current = await initialise(entry);
      return current;
    } catch (e) {
      failures.push(`${entry.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new SpectransError(
    'ERR_BACKEND_INIT',
    candidates.length === 0 ? 'no backend is registered with priority >= 0' : `no backend could start:\n  ${failures.join('\n  ')}`,
  );
}

/** Registered backends, highest priority first. */
export function listBackends(): { name: string; priority: number; initialized: boolean; current: boolean }[] {
  return [...entries.values()]
    .sort((a, b) => b.priority - a.priority)
    .map((e) => ({ name: e.name, priority: e.priority, initialized: e.instance !== undefined, current: e.instance !== undefined && e.instance === current }));
}

async function initialise(entry: Entry): Promise<Backend> {
  if (entry.instance) return entry.instance;
  let backend: Backend;
  try {
    backend = await entry.factory();
    assertBackend(backend);
  } catch (e) {
    if (e instanceof SpectransError && e.code === 'ERR_BACKEND_INIT') throw e;
    throw new SpectransError('ERR_BACKEND_INIT', `backend '${entry.name}' failed to start: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  entry.instance = backend;
  return backend;
}

const REQUIRED_METHODS = [
  'fromArray', 'read', 'dispose', 'unary', 'binary', 'binaryScalar', 'where', 'cast', 'reduce', 'cumsum',
  'transpose', 'reshape', 'concat', 'slice', 'matmul', 'cdist',
] as const;

/** Checks at run time that an object implements the required part of the contract. */
function assertBackend(backend: unknown): asserts backend is Backend {
  const b = backend as Partial<Record<string, unknown>> | null;
  if (!b || typeof b !== 'object') {
    throw new SpectransError('ERR_BACKEND_INIT', `expected a Backend object, got ${backend === null ? 'null' : typeof backend}`);
  }
  const missing = REQUIRED_METHODS.filter((m) => typeof b[m] !== 'function');
  if (typeof b['name'] !== 'string') missing.unshift('name' as never);
  if (!b['capabilities']) missing.push('capabilities' as never);
  if (missing.length > 0) {
    throw new SpectransError('ERR_BACKEND_INIT', `object is not a Backend: missing ${missing.join(', ')}`);
  }
}
