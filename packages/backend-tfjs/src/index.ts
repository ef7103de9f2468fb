/**
 * @spectrans/backend-tfjs: the spectrans ops contract on TensorFlow.js — engines `cpu`, `wasm`,
 * `webgl` (browsers) and `tensorflow` (@tensorflow/tfjs-node) when it is installed. Nothing runs on
 * import: the engine packages load inside {@link createTfjsBackend}. This entry names every engine's
 * package; `@spectrans/backend-tfjs/cpu`, `/wasm`, `/webgl` and `/node` each name only their own, for
 * applications bundled with a single engine installed.
 *
 * @example
 * ```ts
 * import { setBackend } from '@spectrans/core';
 * import { createTfjsBackend } from '@spectrans/backend-tfjs';
 * await setBackend(await createTfjsBackend({ engine: 'wasm' }));
 * ```
 * @packageDocumentation
 */
export { createTfjsBackend, isTfjsEngineAvailable } from './all-engines.js';
export { TFJS_CAPABILITIES, type TfjsBackendOptions } from './backend.js';
export { TFJS_ENGINES, type TfjsEngine, type WasmPaths } from './engines.js';
