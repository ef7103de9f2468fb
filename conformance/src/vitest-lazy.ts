/**
 * The root entry's `runConformance`: vitest is an optional peer and throws when imported outside
 * its runner, so it is imported (top-level await) only when this module loads inside vitest.
 */
import type { ConformanceOptions, VitestApi } from './driver.js';
import { registerConformance } from './driver.js';

function underVitest(): boolean {
  const g = globalThis as {
    process?: { env?: Record<string, string | undefined> };
    __vitest_worker__?: unknown;
    __vitest_browser__?: unknown;
  };
  return (
    g.process?.env?.['VITEST'] !== undefined || g.__vitest_worker__ !== undefined || g.__vitest_browser__ !== undefined
  );
}

let api: VitestApi | undefined;
let loadError: unknown;
if (underVitest()) {
  try {
    api = await import('vitest');
  } catch (e) {
    loadError = e;
  }
}

/**
 * Registers the conformance suite for one backend: one `describe` named after the target, one test
 * per case titled by its stable id. The backend is created once (`beforeAll`) and destroyed after
 * (`afterAll`); `skip` entries show their reason; `expectedFailures` run as `test.fails`, so an
 * unexpected pass fails the run. Entries match an id or any id under it (`linalg/svd`).
 *
 * @throws Error when called outside a vitest test file.
 * @example
 * ```ts
 * import { runConformance } from '@spectrans/conformance';
 * import { createMyBackend } from '../src/index.js';
 *
 * runConformance({
 *   name: 'my-backend',
 *   create: async () => createMyBackend(),
 *   skip: [{ id: 'linalg/svd', reason: 'no readSync, so no host fallback' }],
 *   expectedFailures: [{ id: 'ops/cos/large-arguments/float32', reason: 'GPU cos reduces in float32' }],
 * });
 * ```
 */
export function runConformance(options: ConformanceOptions): void {
  if (!api) {
    const why = loadError instanceof Error ? `: importing vitest failed: ${loadError.message}` : '';
    throw new Error(
      `runConformance registers vitest tests and must be called from a vitest test file${why}; use runCases() to run the suite programmatically`,
    );
  }
  registerConformance(api, options);
}
