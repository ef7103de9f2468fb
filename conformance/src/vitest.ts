/**
 * `@spectrans/conformance/vitest`: the vitest driver with a static import of vitest, for test
 * files that prefer an explicit entry. The package root exports the same `runConformance`.
 * @packageDocumentation
 */
import { afterAll, beforeAll, describe, test } from 'vitest';
import { registerConformance, type ConformanceOptions } from './driver.js';

export type { ConformanceOptions } from './driver.js';

/**
 * Registers the conformance suite for one backend in the calling vitest file.
 *
 * @example
 * ```ts
 * import { runConformance } from '@spectrans/conformance/vitest';
 * runConformance({ name: 'my-backend', create: () => createMyBackend(),
 *                  skip: [{ id: 'linalg/svd', reason: 'no SVD yet' }] });
 * ```
 */
export function runConformance(options: ConformanceOptions): void {
  registerConformance({ describe, test, beforeAll, afterAll }, options);
}
