/**
 * `@spectrans/backend-tfjs/cpu`: the TensorFlow.js backend on the `'cpu'` engine alone. It imports
 * only `@tensorflow/tfjs-core` and `@tensorflow/tfjs-backend-cpu`, so an application
 * bundles with just those installed; the package entry names every engine's package.
 *
 * @example
 * ```ts
 * import { setBackend } from '@spectrans/core';
 * import { createTfjsBackend } from '@spectrans/backend-tfjs/cpu';
 * await setBackend(await createTfjsBackend());
 * ```
 * @packageDocumentation
 */
import type { Backend } from '@spectrans/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { createBackendFrom } from './backend.js';
import type { TfjsEngine } from './engines.js';
import { engineEntryPoint, entryEngineAvailable } from './entry-points.js';

export { TFJS_CAPABILITIES } from './backend.js';
export { TFJS_ENGINES, type TfjsEngine } from './engines.js';

const ENTRY = engineEntryPoint('cpu', () => import('@tensorflow/tfjs-backend-cpu'));

/** Options of this entry's {@link createTfjsBackend}. */
export interface TfjsCpuBackendOptions {
  /** The engine: `'cpu'`, the only one this entry offers (the default). */
  engine?: 'cpu';
}

/**
 * Creates a spectrans backend on tfjs's `'cpu'` engine, named `'tfjs-cpu'`; see the package entry's
 * `createTfjsBackend` for what it computes natively. The engine package is imported here, not when
 * this module loads; the engine is initialised and becomes tfjs's active backend.
 *
 * @param options - optional; `engine` may only be `'cpu'`.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` for another engine (naming the entry point that
 *   offers it); `ERR_BACKEND_INIT` when the engine's package is missing or fails to initialise.
 */
export function createTfjsBackend(options: TfjsCpuBackendOptions = {}): Promise<Backend<Tensor>> {
  return createBackendFrom(ENTRY, options);
}

/**
 * Whether this entry's engine (`'cpu'`) loads here: its package and tfjs-core are installed and import
 * without error. False for the other engines, which this entry does not offer. Cached.
 *
 * @param engine - default `'cpu'`.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` for an unknown engine name.
 */
export function isTfjsEngineAvailable(engine: TfjsEngine = 'cpu'): Promise<boolean> {
  return entryEngineAvailable(ENTRY, engine);
}
