/**
 * `@spectrans/backend-tfjs/node`: the TensorFlow.js backend on the `'tensorflow'` engine alone. It imports
 * only `@tensorflow/tfjs-core` and `@tensorflow/tfjs-node` (the latter by a computed specifier: it is native and is never bundled), so an application
 * bundles with just those installed; the package entry names every engine's package.
 *
 * @example
 * ```ts
 * import { setBackend } from '@spectrans/core';
 * import { createTfjsBackend } from '@spectrans/backend-tfjs/node';
 * await setBackend(await createTfjsBackend());
 * ```
 * @packageDocumentation
 */
import type { Backend } from '@spectrans/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { createBackendFrom } from './backend.js';
import { importTfjsNode, type TfjsEngine } from './engines.js';
import { engineEntryPoint, entryEngineAvailable } from './entry-points.js';

export { TFJS_CAPABILITIES } from './backend.js';
export { TFJS_ENGINES, type TfjsEngine } from './engines.js';

const ENTRY = engineEntryPoint('tensorflow', importTfjsNode);

/** Options of this entry's {@link createTfjsBackend}. */
export interface TfjsNodeBackendOptions {
  /** The engine: `'tensorflow'`, the only one this entry offers (the default). */
  engine?: 'tensorflow';
}

/**
 * Creates a spectrans backend on tfjs's `'tensorflow'` engine, named `'tfjs-tensorflow'`; see the package entry's
 * `createTfjsBackend` for what it computes natively. The engine package is imported here, not when
 * this module loads; the engine is initialised and becomes tfjs's active backend.
 *
 * @param options - optional; `engine` may only be `'tensorflow'`.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` for another engine (naming the entry point that
 *   offers it); `ERR_BACKEND_INIT` when the engine's package is missing or fails to initialise.
 */
export function createTfjsBackend(options: TfjsNodeBackendOptions = {}): Promise<Backend<Tensor>> {
  return createBackendFrom(ENTRY, options);
}

/**
 * Whether this entry's engine (`'tensorflow'`) loads here: its package and tfjs-core are installed and import
 * without error. False for the other engines, which this entry does not offer. Cached.
 *
 * @param engine - default `'tensorflow'`.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` for an unknown engine name.
 */
export function isTfjsEngineAvailable(engine: TfjsEngine = 'tensorflow'): Promise<boolean> {
  return entryEngineAvailable(ENTRY, engine);
}
