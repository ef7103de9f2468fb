/**
 * `@spectrans/backend-tfjs/wasm`: the TensorFlow.js backend on the `'wasm'` engine alone. It imports
 * only `@tensorflow/tfjs-core` and `@tensorflow/tfjs-backend-wasm`, so an application
 * bundles with just those installed; the package entry names every engine's package.
 *
 * @example
 * ```ts
 * import { setBackend } from '@spectrans/core';
 * import { createTfjsBackend } from '@spectrans/backend-tfjs/wasm';
 * await setBackend(await createTfjsBackend());
 * ```
 * @packageDocumentation
 */
import type { Backend } from '@spectrans/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { createBackendFrom } from './backend.js';
import type { TfjsEngine, WasmPaths } from './engines.js';
import { engineEntryPoint, entryEngineAvailable } from './entry-points.js';

export { TFJS_CAPABILITIES } from './backend.js';
export { TFJS_ENGINES, type TfjsEngine, type WasmPaths } from './engines.js';

const ENTRY = engineEntryPoint('wasm', () => import('@tensorflow/tfjs-backend-wasm'));

/** Options of this entry's {@link createTfjsBackend}. */
export interface TfjsWasmBackendOptions {
  /** The engine: `'wasm'`, the only one this entry offers (the default). */
  engine?: 'wasm';
  /**
   * Where the `.wasm` binaries are, as `setWasmPaths` of @tensorflow/tfjs-backend-wasm takes it.
   * Default: in Node, the package's own `dist/` folder; in browsers, tfjs's default (next to the
   * bundled script). Ignored when the wasm engine was already initialised in this process.
   */
  wasmPaths?: WasmPaths;
}

/**
 * Creates a spectrans backend on tfjs's `'wasm'` engine, named `'tfjs-wasm'`; see the package entry's
 * `createTfjsBackend` for what it computes natively. The engine package is imported here, not when
 * this module loads; the engine is initialised and becomes tfjs's active backend.
 *
 * @param options - optional; `engine` may only be `'wasm'`.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` for another engine (naming the entry point that
 *   offers it); `ERR_BACKEND_INIT` when the engine's package is missing or fails to initialise.
 */
export function createTfjsBackend(options: TfjsWasmBackendOptions = {}): Promise<Backend<Tensor>> {
  return createBackendFrom(ENTRY, options);
}

/**
 * Whether this entry's engine (`'wasm'`) loads here: its package and tfjs-core are installed and import
 * without error. False for the other engines, which this entry does not offer. Cached.
 *
 * @param engine - default `'wasm'`.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` for an unknown engine name.
 */
export function isTfjsEngineAvailable(engine: TfjsEngine = 'wasm'): Promise<boolean> {
  return entryEngineAvailable(ENTRY, engine);
}
