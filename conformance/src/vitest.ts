/**
 * `@spectrans/conformance/vitest`: the vitest driver with a static import of vitest, for test
 * files that prefer an explicit entry. The package root exports the same `runConformance`.
 * @packageDocumentation
 */
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { registerConformance, type ConformanceOptions } from './driver.js';
import { createEventLoopYielder } from './event-loop.js';

export type { ConformanceOptions } from './driver.js';
export { createEventLoopYielder, MAX_STRETCH_MS } from './event-loop.js';

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

/**
 * Registers a `beforeEach` hook (call it from a setup file) that gives the event loop a turn
 * before a test once {@link MAX_STRETCH_MS} passed without one. Tests of a synchronous backend
 * otherwise chain through microtasks only, and vitest's worker, unable to read its RPC replies,
 * fails the run with `Timeout calling "onTaskUpdate"` once such a stretch outlasts 60 s.
 *
 * @example
 * ```ts
 * // test/support/setup.ts, listed in vitest.config.ts's `setupFiles`
 * import { yieldBetweenTests } from '@spectrans/conformance/vitest';
 * yieldBetweenTests();
 * ```
 */
export function yieldBetweenTests(): void {
  beforeEach(createEventLoopYielder());
}
