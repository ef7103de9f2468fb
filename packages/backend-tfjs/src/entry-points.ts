/**
 * The package's entry points and the engines each offers. The package entry offers every engine
 * and so names every engine package; `/cpu`, `/wasm`, `/webgl` and `/node` each name only their
 * own, so a bundler needs only tfjs-core and that one engine installed.
 */
import { SpectransError } from '@spectrans/core';
import { assertEngine, ENGINE_PACKAGES, engineLoads, importCore, type Importers, type TfjsEngine } from './engines.js';

/** One entry point: its import specifier, how it loads tfjs, and its default engine (if any). */
export interface EntryPoint {
  readonly specifier: string;
  readonly importers: Importers;
  readonly engine?: TfjsEngine;
}

/** The per-engine entry point of each engine. */
export const ENGINE_ENTRY_POINTS: Readonly<Record<TfjsEngine, string>> = Object.freeze({
  cpu: '@spectrans/backend-tfjs/cpu',
  wasm: '@spectrans/backend-tfjs/wasm',
  webgl: '@spectrans/backend-tfjs/webgl',
  tensorflow: '@spectrans/backend-tfjs/node',
});

/** Throws `ERR_INVALID_ARGUMENT` naming the entry point to import when `entry` does not offer `engine`. */
export function assertOffered(entry: EntryPoint, engine: TfjsEngine): void {
  if (entry.importers.engines[engine] !== undefined) return;
  throw new SpectransError(
    'ERR_INVALID_ARGUMENT',
    `engine '${engine}' is not offered by ${entry.specifier}, which loads ${ENGINE_PACKAGES[entry.engine ?? engine]} only: ` +
      `import createTfjsBackend from '${ENGINE_ENTRY_POINTS[engine]}' (or from '@spectrans/backend-tfjs', which offers every engine)`,
  );
}

/** The entry point of one engine: tfjs-core plus that engine's package, imported by `load`. */
export function engineEntryPoint(engine: TfjsEngine, load: () => Promise<unknown>): EntryPoint {
  return Object.freeze({
    specifier: ENGINE_ENTRY_POINTS[engine],
    engine,
    importers: Object.freeze({ core: importCore, engines: Object.freeze({ [engine]: load }) }),
  });
}

/** `isTfjsEngineAvailable` of a per-engine entry: its own engine by default, false for the others. */
export function entryEngineAvailable(entry: EntryPoint, engine: unknown): Promise<boolean> {
  const name = engine ?? entry.engine;
  assertEngine(name);
  return engineLoads(name, entry.importers);
}
