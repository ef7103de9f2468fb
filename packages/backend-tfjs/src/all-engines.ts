/**
 * The package entry's `createTfjsBackend` and `isTfjsEngineAvailable`: every engine, each engine
 * package imported on first use.
 */
import type { Backend } from '@spectrans/core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { createBackendFrom, type TfjsBackendOptions } from './backend.js';
import { assertEngine, engineLoads, importCore, importTfjsNode, type TfjsEngine } from './engines.js';
import type { EntryPoint } from './entry-points.js';

// Each `.catch` hands the import's own error on to loadEngine, which explains it. Written next to
// the literal import(), it tells esbuild that a package that is not installed is handled at run
// time, so an application that installed only some engines still bundles (no "Could not resolve").
const rethrow = (e: unknown): never => {
  throw e;
};

/** The package entry: every engine; cpu, wasm and webgl named literally so bundlers can follow them. */
export const ALL_ENGINES: EntryPoint = Object.freeze({
  specifier: '@spectrans/backend-tfjs',
  importers: Object.freeze({
    core: importCore,
    engines: Object.freeze({
      cpu: () => import('@tensorflow/tfjs-backend-cpu').catch(rethrow),
      wasm: () => import('@tensorflow/tfjs-backend-wasm').catch(rethrow),
      webgl: () => import('@tensorflow/tfjs-backend-webgl').catch(rethrow),
      tensorflow: importTfjsNode,
    }),
  }),
});

/**
 * Creates a spectrans backend on a TensorFlow.js engine. The engine package is imported here, not
 * when this module loads; the engine is initialised and becomes tfjs's active backend.
 *
 * tfjs has one active backend per process. Several spectrans backends (say `tfjs-cpu` and
 * `tfjs-wasm`) can coexist: each op first makes its instance's engine the active one (a string
 * comparison when it already is), so tensors stay on the engine that made them.
 *
 * Natively: every required op, `rffFeatures` (one fused tidy) and `fwht`; `linalg` is absent, so
 * core runs QR, eigh and SVD on the host in float64 (through `readSync`). float32 only.
 *
 * This entry names every engine package; to bundle with only one engine installed, import
 * `createTfjsBackend` from `@spectrans/backend-tfjs/cpu`, `/wasm`, `/webgl` or `/node` instead.
 *
 * @param options - `engine`, and `wasmPaths` for the wasm engine.
 * @returns a `Backend` named `'tfjs-cpu'`, `'tfjs-wasm'`, `'tfjs-webgl'` or `'tfjs-tensorflow'`, handles `tf.Tensor`.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` for an unknown engine; `ERR_BACKEND_INIT` when the
 *   engine's package is not installed (for tfjs-node: that it is not installed, that its install
 *   downloads libtensorflow from outside npm, and how to install it) or fails to initialise.
 * @example
 * ```ts
 * import { setBackend, tensor, matmul } from '@spectrans/core';
 * import { createTfjsBackend } from '@spectrans/backend-tfjs';
 *
 * await setBackend(await createTfjsBackend({ engine: 'wasm' }));
 * const c = matmul(tensor([[1, 2], [3, 4]]), tensor([[5], [6]]));
 * ```
 */
export function createTfjsBackend(options: TfjsBackendOptions): Promise<Backend<Tensor>> {
  return createBackendFrom(ALL_ENGINES, options);
}

/**
 * Whether an engine can be loaded here: its package (and tfjs-core) is installed and imports
 * without error. For `'tensorflow'` this imports @tensorflow/tfjs-node, loading its native binding.
 * The answer is cached per engine.
 *
 * @param engine - `'cpu'`, `'wasm'`, `'webgl'` or `'tensorflow'`. `'webgl'` can be installed in
 *   Node but only starts where WebGL exists (browsers): this says whether its package loads.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` for an unknown engine name.
 * @example
 * ```ts
 * const engine = (await isTfjsEngineAvailable('tensorflow')) ? 'tensorflow' : 'wasm';
 * await setBackend(await createTfjsBackend({ engine }));
 * ```
 */
export function isTfjsEngineAvailable(engine: TfjsEngine): Promise<boolean> {
  assertEngine(engine);
  return engineLoads(engine, ALL_ENGINES.importers);
}
