/**
 * Validation of option objects: one checker used by every kernel constructor and every op that
 * takes an options bag, so a typo or a Python spelling is reported instead of silently ignored.
 */
import type { Backend } from './backend/contract.js';
import { SpectransError } from './errors.js';
import { describe } from './shape.js';

/**
 * Checks that `options` is a plain options object whose keys are all in `allowed` and whose values
 * are never `null`, and returns it (an omitted `undefined` bag becomes `{}`).
 *
 * @param owner - who takes the options, for messages (e.g. `'GaussianRFFKernel'`).
 * @param options - the value passed by the caller.
 * @param allowed - every key the owner understands.
 * @param required - keys that must be present (not `undefined`).
 * @throws SpectransError `ERR_INVALID_ARGUMENT` for a non-object (null, array, number...), a `null`
 *   value, an unknown key (with a "did you mean ...?" suggestion, also for snake_case spellings such
 *   as `num_features`), a missing required key, or a `backend` that is not a Backend.
 * @example
 * ```ts
 * checkOptions('MyKernel', { numFeature: 8 }, ['numFeatures']); // did you mean 'numFeatures'?
 * ```
 */
export function checkOptions<T extends object>(
  owner: string,
  options: T | undefined,
  allowed: readonly string[],
  required: readonly string[] = [],
): T {
  if (options === undefined) {
    if (required.length > 0)
      throw new SpectransError(
        'ERR_INVALID_ARGUMENT',
        `${owner}: options are required (at least ${required.map((k) => `'${k}'`).join(', ')})`,
      );
    return {} as T;
  }
  if (options === null || typeof options !== 'object' || Array.isArray(options) || ArrayBuffer.isView(options)) {
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `${owner}: options must be an object, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : describe(options)}`,
    );
  }
  const record = options as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) {
      const hint = suggestKey(key, allowed);
      throw new SpectransError(
        'ERR_INVALID_ARGUMENT',
        `${owner}: unknown option '${key}'${hint ? `; did you mean '${hint}'?` : ''} (options: ${allowed.map((k) => `'${k}'`).join(', ') || 'none'})`,
      );
    }
    if (record[key] === null) {
      throw new SpectransError(
        'ERR_INVALID_ARGUMENT',
        `${owner}: option '${key}' is null; omit it (or pass undefined) for the default`,
      );
    }
  }
  for (const key of required) {
    if (record[key] === undefined)
      throw new SpectransError('ERR_INVALID_ARGUMENT', `${owner}: option '${key}' is required`);
  }
  if (record['backend'] !== undefined) checkBackendOption(owner, record['backend']);
  return options;
}

/** Throws `ERR_INVALID_ARGUMENT` unless `value` looks like a Backend (name, capabilities, core methods). */
export function checkBackendOption(owner: string, value: unknown): asserts value is Backend {
  const b = value as Partial<Record<string, unknown>> | null;
  const ok =
    !!b &&
    typeof b === 'object' &&
    typeof b['name'] === 'string' &&
    !!b['capabilities'] &&
    typeof b['capabilities'] === 'object' &&
    typeof b['fromArray'] === 'function' &&
    typeof b['read'] === 'function' &&
    typeof b['dispose'] === 'function';
  if (!ok)
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `${owner}: option 'backend' must be a Backend (e.g. createJsBackend()), got ${describe(value)}`,
    );
}

/**
 * The allowed key closest to `key`: its camelCase form when `key` is snake_case, else the nearest by
 * case-insensitive edit distance (at most a third of the key's length, and at least 2).
 */
export function suggestKey(key: string, allowed: readonly string[]): string | undefined {
  const camel = key.replace(/_+([a-z0-9])/gi, (_, c: string) => c.toUpperCase());
  if (camel !== key && allowed.includes(camel)) return camel;
  const lower = camel.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of allowed) {
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance (insertions, deletions, substitutions). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}
