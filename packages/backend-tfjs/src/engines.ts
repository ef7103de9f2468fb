/**
 * Loading TensorFlow.js and one of its engines on demand: nothing here runs on import, and each
 * engine package is imported dynamically the first time it is asked for.
 */
import { SpectransError } from '@spectrans/core';
import type * as TfCore from '@tensorflow/tfjs-core';

/** The tfjs-core module namespace, as loaded at run time. */
export type Tf = typeof TfCore;

/**
 * A TensorFlow.js engine: `'cpu'` (@tensorflow/tfjs-backend-cpu, plain JavaScript), `'wasm'`
 * (@tensorflow/tfjs-backend-wasm, WebAssembly with XNNPACK), `'webgl'`
 * (@tensorflow/tfjs-backend-webgl, GPU shaders; browsers only) or `'tensorflow'`
 * (@tensorflow/tfjs-node, native libtensorflow).
 */
export type TfjsEngine = 'cpu' | 'wasm' | 'webgl' | 'tensorflow';

/** Every engine, in a stable order. */
export const TFJS_ENGINES: readonly TfjsEngine[] = ['cpu', 'wasm', 'webgl', 'tensorflow'];

/** The npm package that provides each engine. */
export const ENGINE_PACKAGES: Readonly<Record<TfjsEngine, string>> = Object.freeze({
  cpu: '@tensorflow/tfjs-backend-cpu',
  wasm: '@tensorflow/tfjs-backend-wasm',
  webgl: '@tensorflow/tfjs-backend-webgl',
  tensorflow: '@tensorflow/tfjs-node',
});

/** The name each engine registers in tfjs's backend registry (what `tf.getBackend()` returns). */
export const TFJS_BACKEND_NAMES: Readonly<Record<TfjsEngine, string>> = Object.freeze({
  cpu: 'cpu',
  wasm: 'wasm',
  webgl: 'webgl',
  tensorflow: 'tensorflow',
});

/** Imports a module by specifier; replaceable in tests. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

/** What `setWasmPaths` of @tensorflow/tfjs-backend-wasm accepts: a folder prefix or a path per binary. */
export type WasmPaths = string | Record<string, string>;

// tfjs-node is an optional peer that may be absent: importing it through a variable keeps bundlers
// from trying to resolve it and TypeScript from needing its types.
const importByName: ModuleImporter = (specifier) => import(/* @vite-ignore */ specifier);

/**
 * The default importers. tfjs-core, cpu, wasm and webgl are named literally so bundlers can follow them;
 * tfjs-node goes through a variable (it must never be bundled).
 */
export const defaultImporters: Readonly<Record<'core' | TfjsEngine, () => Promise<unknown>>> = Object.freeze({
  core: () => import('@tensorflow/tfjs-core'),
  cpu: () => import('@tensorflow/tfjs-backend-cpu'),
  wasm: () => import('@tensorflow/tfjs-backend-wasm'),
  webgl: () => import('@tensorflow/tfjs-backend-webgl'),
  tensorflow: () => importByName(ENGINE_PACKAGES.tensorflow),
});

/** Importers used by {@link loadEngine}; tests substitute their own. */
export type Importers = Readonly<Record<'core' | TfjsEngine, () => Promise<unknown>>>;

/** The loaded modules of one engine. */
export interface LoadedEngine {
  readonly tf: Tf;
  /** The engine package's module namespace. */
  readonly module: Record<string, unknown>;
}

/** Throws `ERR_INVALID_ARGUMENT` unless `engine` names an engine. */
export function assertEngine(engine: unknown): asserts engine is TfjsEngine {
  if (!TFJS_ENGINES.includes(engine as TfjsEngine)) {
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `engine must be one of ${TFJS_ENGINES.map((e) => `'${e}'`).join(', ')}, got ${JSON.stringify(engine)}`,
    );
  }
}

/**
 * Imports tfjs-core and the engine's package (which registers the engine with tfjs).
 *
 * @throws SpectransError `ERR_BACKEND_INIT` naming the missing package and how to install it; for
 *   tfjs-node, saying that its install downloads libtensorflow from outside the npm registry.
 */
export async function loadEngine(engine: TfjsEngine, importers: Importers = defaultImporters): Promise<LoadedEngine> {
  const tf = (await importOrExplain('@tensorflow/tfjs-core', importers.core, engine)) as Tf;
  const module = (await importOrExplain(ENGINE_PACKAGES[engine], importers[engine], engine)) as Record<string, unknown>;
  return { tf, module };
}

async function importOrExplain(specifier: string, load: () => Promise<unknown>, engine: TfjsEngine): Promise<unknown> {
  try {
    return await load();
  } catch (e) {
    throw new SpectransError('ERR_BACKEND_INIT', explainImportFailure(specifier, engine, e), { cause: e });
  }
}

/** True when `error` says that `specifier` itself (not one of its dependencies) could not be found. */
export function isModuleNotFound(error: unknown, specifier: string): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  const message = error.message;
  const notFound =
    code === 'ERR_MODULE_NOT_FOUND' ||
    code === 'MODULE_NOT_FOUND' ||
    /cannot find (module|package)|could not resolve|failed to (load|resolve)|does the file exist/i.test(message);
  return notFound && message.includes(specifier);
}

function explainImportFailure(specifier: string, engine: TfjsEngine, error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  const missing = isModuleNotFound(error, specifier);
  if (specifier === ENGINE_PACKAGES.tensorflow) {
    return missing
      ? `tfjs engine 'tensorflow' needs @tensorflow/tfjs-node, which is not installed. It is an optional peer ` +
          `dependency because its install script downloads the native libtensorflow library from outside the npm ` +
          `registry (storage.googleapis.com), which offline or locked-down machines cannot reach. To use it, run ` +
          `\`npm install @tensorflow/tfjs-node\` (or \`pnpm add @tensorflow/tfjs-node\`) on a machine with that access; ` +
          `otherwise use engine 'wasm' or 'cpu'.`
      : `@tensorflow/tfjs-node is installed but failed to load (its native libtensorflow binding is missing or ` +
          `broken; reinstalling with \`npm install @tensorflow/tfjs-node\` downloads it again): ${reason}`;
  }
  return missing
    ? `tfjs engine '${engine}' needs ${specifier}, which is not installed: run \`npm install ${specifier}\` ` +
        `(a peer dependency of @spectrans/backend-tfjs, version ^4.22.0)`
    : `${specifier} failed to load for tfjs engine '${engine}': ${reason}`;
}

const availability = new Map<TfjsEngine, Promise<boolean>>();

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
  let answer = availability.get(engine);
  if (!answer) {
    answer = loadEngine(engine).then(
      () => true,
      () => false,
    );
    availability.set(engine, answer);
  }
  return answer;
}

/**
 * In Node, the folder holding the wasm binaries (the package's `dist/`) as a file URL, so the
 * engine finds them however this module was bundled; undefined elsewhere or when it cannot tell.
 */
export function nodeWasmFolder(): string | undefined {
  const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
  if (!isNode || typeof import.meta.resolve !== 'function') return undefined;
  try {
    return new URL('.', import.meta.resolve(ENGINE_PACKAGES.wasm)).href;
  } catch {
    return undefined;
  }
}
