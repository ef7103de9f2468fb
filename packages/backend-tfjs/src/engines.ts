/**
 * Loading TensorFlow.js and one of its engines on demand: nothing here runs on import, and each
 * engine package is imported dynamically the first time it is asked for, through the importers of
 * the entry point in use (entry-points.ts, all-engines.ts).
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

/** What `setWasmPaths` of @tensorflow/tfjs-backend-wasm accepts: a folder prefix or a path per binary. */
export type WasmPaths = string | Record<string, string>;

/**
 * How one entry point loads tfjs-core and the engines it offers. Each entry names only its own
 * engine packages in `import()`, so a bundler never looks for the others.
 */
export interface Importers {
  readonly core: () => Promise<unknown>;
  readonly engines: Readonly<Partial<Record<TfjsEngine, () => Promise<unknown>>>>;
}

/** tfjs-core: a required peer, named literally so bundlers follow it. */
export const importCore = (): Promise<unknown> => import('@tensorflow/tfjs-core');

// tfjs-node is an optional peer that may be absent: importing it through a variable keeps bundlers
// from trying to resolve it (it is native and must never be bundled) and TypeScript from needing its types.
const importByName = (specifier: string): Promise<unknown> => import(/* @vite-ignore */ specifier);

/** @tensorflow/tfjs-node, through a variable (see above). */
export const importTfjsNode = (): Promise<unknown> => importByName(ENGINE_PACKAGES.tensorflow);

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
 * @throws SpectransError `ERR_INVALID_ARGUMENT` when `importers` does not offer `engine`;
 *   `ERR_BACKEND_INIT` naming the missing package and how to install it; for tfjs-node, saying that
 *   its install downloads libtensorflow from outside the npm registry.
 */
export async function loadEngine(engine: TfjsEngine, importers: Importers): Promise<LoadedEngine> {
  const load = importers.engines[engine];
  if (load === undefined) {
    throw new SpectransError('ERR_INVALID_ARGUMENT', `engine '${engine}' is not offered by this entry point`);
  }
  const tf = (await importOrExplain('@tensorflow/tfjs-core', importers.core, engine)) as Tf;
  const module = (await importOrExplain(ENGINE_PACKAGES[engine], load, engine)) as Record<string, unknown>;
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

const availability = new WeakMap<Importers, Map<TfjsEngine, Promise<boolean>>>();

/**
 * Whether `importers` loads `engine` here (tfjs-core and the engine's package import without
 * error); false for an engine they do not offer. Cached per importers and engine.
 */
export function engineLoads(engine: TfjsEngine, importers: Importers): Promise<boolean> {
  let cache = availability.get(importers);
  if (!cache) availability.set(importers, (cache = new Map()));
  let answer = cache.get(engine);
  if (!answer) {
    answer =
      importers.engines[engine] === undefined
        ? Promise.resolve(false)
        : loadEngine(engine, importers).then(
            () => true,
            () => false,
          );
    cache.set(engine, answer);
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
