/**
 * @spectrans/backend-tfjs: the spectrans ops contract on TensorFlow.js — engines `cpu`, `wasm`,
 * `webgl` (browsers) and `tensorflow` (@tensorflow/tfjs-node) when it is installed. Nothing runs on
 * import: the engine packages load inside {@link createTfjsBackend}.
 *
 * @example
 * ```ts
 * import { setBackend } from '@spectrans/core';
 * import { createTfjsBackend } from '@spectrans/backend-tfjs';
 * await setBackend(await createTfjsBackend({ engine: 'wasm' }));
 * ```
 * @packageDocumentation
 */
export { createTfjsBackend, TFJS_CAPABILITIES, type TfjsBackendOptions } from './backend.js';
export { isTfjsEngineAvailable, TFJS_ENGINES, type TfjsEngine, type WasmPaths } from './engines.js';
