/**
 * The backend registry. Nothing registers itself on import: applications call `setBackend` with an
 * instance, or `registerBackend` with a factory and a priority and then `ready()`.
 */
import { SpectransError } from '../errors.js';
import { REQUIRED_BACKEND_METHODS, type Backend } from './contract.js';
import { checkOptions } from '../options.js';
import { booleanCheck, scalarCheck } from '../validate.js';

/** Creates a backend; may be async (e.g. a WebAssembly engine that must load). */
export type BackendFactory = () => Backend | Promise<Backend>;

/** How long `ready()` and `setBackend(name)` wait for a factory by default, in milliseconds. */
export const DEFAULT_BACKEND_TIMEOUT_MS = 10_000;

interface Entry {
  readonly name: string;
  readonly factory: BackendFactory;
  readonly priority: number;
  readonly timeoutMs: number;
  instance?: Backend;
  /** The one in-flight start of this entry, shared by concurrent callers. */
  starting?: Promise<Backend>;
}

const entries = new Map<string, Entry>();
let current: Backend | undefined;
/** Counts `setBackend` calls: a call only takes effect if no later one was made meanwhile. */
let selection = 0;
let readying: Promise<Backend> | undefined;

/**
 * Registers a backend factory under `name`. Higher priority wins in `ready()`; a negative priority
 * means "only when asked for by name" (onnxruntime-web's convention).
 *
 * @param options.timeoutMs - how long to wait for the factory before giving up on it
 *   (default {@link DEFAULT_BACKEND_TIMEOUT_MS}); `ready()` then tries the next backend.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` if the name is taken (pass `{ replace: true }` to replace it).
 * @example
 * ```ts
 * registerBackend('js', () => createJsBackend(), { priority: 1 });
 * await ready();
 * ```
 */
export function registerBackend(
  name: string,
  factory: BackendFactory,
  options: { priority?: number; replace?: boolean; timeoutMs?: number } = {},
): void {
  if (typeof name !== 'string' || name === '') {
    throw new SpectransError('ERR_INVALID_ARGUMENT', `name must be a non-empty string, got ${JSON.stringify(name)}`);
  }
  if (typeof factory !== 'function') {
    throw new SpectransError('ERR_INVALID_ARGUMENT', `factory for backend '${name}' must be a function`);
  }
  checkOptions(`registerBackend('${name}')`, options, ['priority', 'replace', 'timeoutMs']);
  const priority = options.priority ?? 0;
  if (typeof priority !== 'number' || !Number.isFinite(priority)) {
    throw new SpectransError('ERR_INVALID_ARGUMENT', `priority for backend '${name}' must be a finite number`);
  }
  const replace = booleanCheck(options.replace ?? false, 'replace');
  const timeoutMs = checkTimeout(options.timeoutMs ?? DEFAULT_BACKEND_TIMEOUT_MS);
  if (entries.has(name) && !replace) {
    throw new SpectransError('ERR_INVALID_ARGUMENT', `a backend named '${name}' is already registered`);
  }
  const previous = entries.get(name);
  if (previous?.instance && previous.instance === current) current = undefined;
  entries.set(name, { name, factory, priority, timeoutMs });
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
 * registered name, once its factory has run. Concurrent calls for one name run its factory once,
 * and the last call made wins even when an earlier factory resolves later.
 *
 * @param options.timeoutMs - how long to wait for the factory (default: the registration's).
 * @throws SpectransError `ERR_NO_BACKEND` for an unknown name; `ERR_BACKEND_INIT` (with `cause`) when
 *   the factory fails or does not settle in time.
 */
export async function setBackend(backend: Backend | string, options: { timeoutMs?: number } = {}): Promise<Backend> {
  checkOptions('setBackend', options, ['timeoutMs']);
  const ticket = ++selection;
  if (typeof backend !== 'string') {
    assertBackend(backend);
    current = backend;
    return backend;
  }
  const entry = entries.get(backend);
  if (!entry) {
    throw new SpectransError(
      'ERR_NO_BACKEND',
      `no backend named '${backend}' is registered (registered: ${[...entries.keys()].join(', ') || 'none'})`,
    );
  }
  const started = await initialise(
    entry,
    options.timeoutMs === undefined ? entry.timeoutMs : checkTimeout(options.timeoutMs),
  );
  if (ticket === selection && entries.get(entry.name) === entry) current = started;
  return started;
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
 * non-negative priority, highest first, and takes the first that starts. A factory that does not
 * settle within its timeout counts as failed, so one stuck backend cannot hang `ready()`.
 * Concurrent calls share one attempt.
 *
 * @param options.timeoutMs - how long to wait for each factory (default: each registration's).
 * @throws SpectransError `ERR_BACKEND_INIT` listing each candidate's failure (a stuck one by name) when none starts.
 */
export async function ready(options: { timeoutMs?: number } = {}): Promise<Backend> {
  checkOptions('ready', options, ['timeoutMs']);
  const timeoutMs = options.timeoutMs === undefined ? undefined : checkTimeout(options.timeoutMs);
  if (current) return current;
  readying ??= startFirst(timeoutMs).finally(() => {
    readying = undefined;
  });
  return readying;
}

async function startFirst(timeoutMs: number | undefined): Promise<Backend> {
  const ticket = selection;
  const candidates = [...entries.values()].filter((e) => e.priority >= 0).sort((a, b) => b.priority - a.priority);
  const failures: string[] = [];
  for (const entry of candidates) {
    let started: Backend;
    try {
      started = await initialise(entry, timeoutMs ?? entry.timeoutMs);
    } catch (e) {
      failures.push(`${entry.name}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    // A setBackend made meanwhile wins over the automatic choice.
    if (ticket === selection && !current) current = started;
    return current ?? started;
  }
  throw new SpectransError(
    'ERR_BACKEND_INIT',
    candidates.length === 0
      ? 'no backend is registered with priority >= 0'
      : `no backend could start:\n  ${failures.join('\n  ')}`,
  );
}

/** Registered backends, highest priority first. */
export function listBackends(): { name: string; priority: number; initialized: boolean; current: boolean }[] {
  return [...entries.values()]
    .sort((a, b) => b.priority - a.priority)
    .map((e) => ({
      name: e.name,
      priority: e.priority,
      initialized: e.instance !== undefined,
      current: e.instance !== undefined && e.instance === current,
    }));
}

/** Starts `entry` once (concurrent callers share the start) and waits at most `timeoutMs` for it. */
async function initialise(entry: Entry, timeoutMs: number): Promise<Backend> {
  if (entry.instance) return entry.instance;
  entry.starting ??= start(entry);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new SpectransError(
            'ERR_BACKEND_INIT',
            `backend '${entry.name}' did not start within ${timeoutMs} ms (its factory has not settled; raise timeoutMs if it is just slow)`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([entry.starting, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function start(entry: Entry): Promise<Backend> {
  try {
    let backend: Backend;
    try {
      backend = await entry.factory();
      assertBackend(backend);
    } catch (e) {
      if (e instanceof SpectransError && e.code === 'ERR_BACKEND_INIT') throw e;
      throw new SpectransError(
        'ERR_BACKEND_INIT',
        `backend '${entry.name}' failed to start: ${e instanceof Error ? e.message : String(e)}`,
        { cause: e },
      );
    }
    entry.instance = backend;
    return backend;
  } finally {
    entry.starting = undefined;
  }
}

function checkTimeout(value: unknown): number {
  const ms = scalarCheck(value, 'timeoutMs', { positive: true });
  // setTimeout holds at most 2^31 − 1 ms; Infinity means "wait for ever".
  return Math.min(ms, 2 ** 31 - 1);
}

/** Checks at run time that an object implements the required part of the contract. */
function assertBackend(backend: unknown): asserts backend is Backend {
  const b = backend as Partial<Record<string, unknown>> | null;
  if (!b || typeof b !== 'object') {
    throw new SpectransError(
      'ERR_BACKEND_INIT',
      `expected a Backend object, got ${backend === null ? 'null' : typeof backend}`,
    );
  }
  const missing: string[] = REQUIRED_BACKEND_METHODS.filter((m) => typeof b[m] !== 'function');
  if (typeof b['name'] !== 'string') missing.unshift('name');
  if (!b['capabilities']) missing.push('capabilities');
  if (missing.length > 0) {
    throw new SpectransError('ERR_BACKEND_INIT', `object is not a Backend: missing ${missing.join(', ')}`);
  }
}
