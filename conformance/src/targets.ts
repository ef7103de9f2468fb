/**
 * Loading conformance targets from modules (paths or package specifiers). A module that cannot be
 * found, imported or read gives a coded {@link TargetModuleError}; `.ts` files load through tsx when
 * this Node cannot import them itself.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { JS_TARGET } from './js-targets.js';
import type { ConformanceTarget } from './types.js';

/** What a target module exports: `conformanceTargets`, an array or a function returning (a promise of) one. */
export type ConformanceTargetsExport =
  readonly ConformanceTarget[] | (() => readonly ConformanceTarget[] | Promise<readonly ConformanceTarget[]>);

function looksLikePath(spec: string): boolean {
  return spec.startsWith('.') || isAbsolute(spec) || /\.(m?[jt]s|cts|cjs)$/.test(spec);
}

/** The file an `exports` entry maps to for ESM: its `import`, `node` or `default` condition. */
function exportTarget(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (typeof entry !== 'object' || entry === null) return undefined;
  const conditions = entry as Record<string, unknown>;
  for (const c of ['import', 'node', 'default']) {
    const target = exportTarget(conditions[c]);
    if (target !== undefined) return target;
  }
  return undefined;
}

/** The package.json of package `name` as Node's lookup from `cwd` finds it (exports or not). */
function findManifest(name: string, cwd: string): string | undefined {
  const require = createRequire(resolve(cwd, 'noop.js'));
  for (const dir of require.resolve.paths(name) ?? []) {
    const manifest = join(dir, name, 'package.json');
    if (existsSync(manifest)) return manifest;
  }
  return undefined;
}

/**
 * Resolves a package specifier from `cwd` as `import()` would: through the package's `exports`
 * map with the `import` condition (ESM-only packages such as spectrans' own, and dual packages get
 * their ES module build), else as `require.resolve` does (packages without `exports`).
 */
function resolveFromDirectory(spec: string, cwd: string): string {
  const parts = spec.split('/');
  const nameLength = spec.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameLength).join('/');
  const subpath = ['.', ...parts.slice(nameLength)].join('/');
  const manifest = findManifest(name, cwd);
  if (manifest !== undefined) {
    const exportsField = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: unknown }).exports;
    const conditional =
      typeof exportsField === 'object' &&
      exportsField !== null &&
      !Array.isArray(exportsField) &&
      Object.keys(exportsField).some((k) => k.startsWith('.'));
    const entry = conditional
      ? (exportsField as Record<string, unknown>)[subpath]
      : subpath === '.'
        ? exportsField
        : undefined;
    const target = exportTarget(entry);
    if (target !== undefined) return resolve(dirname(manifest), target);
  }
  return createRequire(resolve(cwd, 'noop.js')).resolve(spec);
}

/** A module's namespace object. */
type Namespace = Record<string, unknown>;

/** How modules are imported and TypeScript support is switched on: replaceable in tests. */
export interface ModuleLoader {
  /** Imports a URL or bare specifier (default: `import()`). */
  readonly importUrl: (url: string) => Promise<Namespace>;
  /**
   * Makes `.ts` files importable (default: registers tsx's ESM hooks when tsx is installed where
   * `dirs` can resolve it); resolves to false when nothing can.
   */
  readonly enableTypeScript: (dirs: readonly string[]) => Promise<boolean>;
  /** Whether this runtime imports `.ts` files already (then tsx is registered only when one fails). */
  readonly importsTypeScript: boolean;
}

/** File types a Node without type stripping cannot import by itself. */
const TYPESCRIPT_FILE = /\.[cm]?tsx?$/;

/**
 * tsx's API entries. `register()` of the ESM one installs its hooks for the whole process; the
 * CommonJS one is needed too, since tsx compiles a `.ts` file in a package without
 * `"type": "module"` to CommonJS, as Node would treat a `.js` file there.
 */
const TSX_APIS = ['tsx/esm/api', 'tsx/cjs/api'] as const;

let tsxRegistered: Promise<boolean> | undefined;

/** Registers tsx (the first one found from `dirs`, then from this package) once per process. */
function registerTsx(dirs: readonly string[]): Promise<boolean> {
  tsxRegistered ??= (async () => {
    const places: ((api: string) => Promise<Namespace>)[] = [
      ...dirs.map(
        (dir) => async (api: string) => (await import(pathToFileURL(resolveFromDirectory(api, dir)).href)) as Namespace,
      ),
      async (api: string) => (await import(api)) as Namespace,
    ];
    for (const load of places) {
      let esm: Namespace;
      try {
        esm = await load(TSX_APIS[0]);
      } catch {
        continue; // not installed there: try the next place
      }
      if (typeof esm['register'] !== 'function') continue;
      (esm['register'] as () => unknown)();
      const cjs = (await load(TSX_APIS[1]).catch(() => undefined))?.['register'];
      if (typeof cjs === 'function') (cjs as () => unknown)();
      return true;
    }
    return false;
  })();
  return tsxRegistered;
}

const NODE_LOADER: ModuleLoader = {
  importUrl: async (url) => (await import(url)) as Namespace,
  enableTypeScript: registerTsx,
  // Run from its TypeScript source, this module is under a loader that handles .ts (tsx, vitest);
  // Node 22.6+ reports its own type stripping in process.features.typescript.
  importsTypeScript:
    import.meta.url.endsWith('.ts') || Boolean((process.features as { typescript?: unknown }).typescript),
};

/** A target module that could not be loaded, with the code the CLI prints. */
export class TargetModuleError extends Error {
  override readonly name = 'TargetModuleError';
  constructor(
    /** `ERR_TARGET_MODULE_NOT_FOUND`, `ERR_TARGET_MODULE_TYPESCRIPT`, `ERR_TARGET_MODULE_LOAD` or `ERR_TARGET_MODULE_EXPORT`. */
    readonly code: TargetModuleErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Why a target module gave no targets. */
export type TargetModuleErrorCode =
  | 'ERR_TARGET_MODULE_NOT_FOUND'
  | 'ERR_TARGET_MODULE_TYPESCRIPT'
  | 'ERR_TARGET_MODULE_LOAD'
  | 'ERR_TARGET_MODULE_EXPORT';

/** The file types the CLI loads, for messages. */
export const SUPPORTED_MODULES =
  'target modules are .js, .mjs or .cjs files or package specifiers; .ts, .mts and .cts files load when tsx is ' +
  'installed (npm install --save-dev tsx) or Node strips types itself (Node >= 22.18)';

/** True for Node's refusal of a `.ts` file: the target itself, or a TypeScript file it imports. */
function needsTypeScript(e: unknown, url: string): boolean {
  if ((e as { code?: unknown } | null)?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') return false;
  const message = e instanceof Error ? e.message : '';
  return /"\.[cm]?tsx?"/.test(message) || TYPESCRIPT_FILE.test(url.replace(/[?#].*$/, ''));
}

/** This module's folder: package specifiers resolve from here first (the package's own dependencies). */
const HERE = dirname(fileURLToPath(import.meta.url));

/** `import.meta.resolve` where the runtime has it (Node, tsx), else the `exports`-aware lookup from here. */
function resolveHere(spec: string): string {
  const resolveMeta = (import.meta as { resolve?: (s: string) => string }).resolve;
  return typeof resolveMeta === 'function' ? resolveMeta(spec) : pathToFileURL(resolveFromDirectory(spec, HERE)).href;
}

/** The URL a specifier imports from: a path from `cwd`, else a package resolved from here or from `cwd`. */
function specifierUrl(spec: string, cwd: string): string {
  if (looksLikePath(spec)) {
    const file = resolve(cwd, spec);
    if (!existsSync(file))
      throw new TargetModuleError(
        'ERR_TARGET_MODULE_NOT_FOUND',
        `${spec}: no such file (${file}); ${SUPPORTED_MODULES}`,
      );
    return pathToFileURL(file).href;
  }
  try {
    return resolveHere(spec);
  } catch {
    // Not resolvable from this package (the backends are not its dependencies): resolve it from
    // the working directory, whose project installs them.
    try {
      return pathToFileURL(resolveFromDirectory(spec, cwd)).href;
    } catch (e) {
      throw new TargetModuleError(
        'ERR_TARGET_MODULE_NOT_FOUND',
        `${spec}: cannot resolve it from ${cwd} (${firstLine(e)}); is the package installed?`,
      );
    }
  }
}

/** Errors of a CommonJS module reaching for ES modules (`require()` of an ESM-only package, or of ESM in a cycle). */
const REQUIRE_ESM = new Set(['ERR_PACKAGE_PATH_NOT_EXPORTED', 'ERR_REQUIRE_ESM', 'ERR_REQUIRE_CYCLE_MODULE']);

/** For a `.ts`/`.cts` file that ran as CommonJS and failed for it: how to make it an ES module. */
function commonJsHint(e: unknown, url: string): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (!/\.c?ts$/.test(url.replace(/[?#].*$/, '')) || typeof code !== 'string' || !REQUIRE_ESM.has(code)) return '';
  return ' (a .ts file in a package without "type": "module" runs as CommonJS, which cannot require() ES modules: name it .mts or set "type": "module")';
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}

/**
 * Imports a target module. On a runtime that cannot import TypeScript, tsx is registered before a
 * `.ts` file is imported; a TypeScript file that still fails (one the module imports, or a runtime
 * that only seemed able) is retried once tsx is registered, under a new URL since Node caches the
 * failed import.
 */
async function importSpecifier(spec: string, cwd: string, loader: ModuleLoader): Promise<Namespace> {
  const url = specifierUrl(spec, cwd);
  const typescriptError = (): TargetModuleError =>
    new TargetModuleError(
      'ERR_TARGET_MODULE_TYPESCRIPT',
      `${spec}: Node ${process.version} cannot import TypeScript by itself and tsx is not installed; ` +
        `${SUPPORTED_MODULES}, or compile the file to JavaScript first`,
    );
  // Registering first matters: after a failed import, tsx's CommonJS path (a .ts file in a package
  // without "type": "module") finds the file half-loaded in Node's module cache.
  if (!loader.importsTypeScript && url.startsWith('file:') && TYPESCRIPT_FILE.test(url.replace(/[?#].*$/, ''))) {
    if (!(await loader.enableTypeScript([cwd]))) throw typescriptError();
  }
  try {
    return await loader.importUrl(url);
  } catch (e) {
    if (!needsTypeScript(e, url))
      throw new TargetModuleError(
        'ERR_TARGET_MODULE_LOAD',
        `${spec}: cannot import it: ${firstLine(e)}${commonJsHint(e, url)}`,
      );
    if (!(await loader.enableTypeScript([cwd]))) throw typescriptError();
    try {
      return await loader.importUrl(`${url}${url.includes('?') ? '&' : '?'}spectrans-conformance=tsx`);
    } catch (retry) {
      throw new TargetModuleError(
        'ERR_TARGET_MODULE_LOAD',
        `${spec}: cannot import it through tsx: ${firstLine(retry)}${commonJsHint(retry, url)}`,
      );
    }
  }
}

function isTarget(v: unknown): v is ConformanceTarget {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { name?: unknown }).name === 'string' &&
    typeof (v as { create?: unknown }).create === 'function'
  );
}

/**
 * Imports a target module and returns its targets.
 *
 * @throws TargetModuleError when the module cannot be found or imported (a TypeScript file without
 *   tsx: `ERR_TARGET_MODULE_TYPESCRIPT`) or exports no usable `conformanceTargets`.
 */
export async function loadTargetModule(
  spec: string,
  cwd = process.cwd(),
  loader: ModuleLoader = NODE_LOADER,
): Promise<ConformanceTarget[]> {
  const mod = await importSpecifier(spec, cwd, loader);
  const exported = mod['conformanceTargets'] as ConformanceTargetsExport | undefined;
  const bad = (what: string): TargetModuleError =>
    new TargetModuleError('ERR_TARGET_MODULE_EXPORT', `${spec}: ${what}`);
  if (exported === undefined)
    throw bad('does not export conformanceTargets (an array of { name, create }, or a function returning one)');
  let list: unknown;
  try {
    list = typeof exported === 'function' ? await exported() : exported;
  } catch (e) {
    throw bad(`conformanceTargets() threw: ${firstLine(e)}`);
  }
  if (!Array.isArray(list)) throw bad('conformanceTargets is not an array');
  const wrong = list.findIndex((t) => !isTarget(t));
  if (wrong >= 0) throw bad(`conformanceTargets[${wrong}] needs a string name and a create() function`);
  if (list.length === 0) throw bad('conformanceTargets is empty');
  return list as ConformanceTarget[];
}

/** What {@link resolveTargets} found: the targets, and each module that gave none. */
export interface ResolvedTargets {
  readonly targets: readonly ConformanceTarget[];
  readonly errors: readonly TargetModuleError[];
}

/**
 * The targets to run: those of the given modules (paths or package specifiers such as
 * `@spectrans/backend-tfjs/conformance-targets`), or without any, the js backend alone. Every
 * module is tried; the ones that fail are returned as errors.
 */
export async function resolveTargets(
  specs: readonly string[],
  cwd = process.cwd(),
  loader: ModuleLoader = NODE_LOADER,
): Promise<ResolvedTargets> {
  if (specs.length === 0) return { targets: [JS_TARGET], errors: [] };
  const targets: ConformanceTarget[] = [];
  const errors: TargetModuleError[] = [];
  for (const spec of specs) {
    try {
      targets.push(...(await loadTargetModule(spec, cwd, loader)));
    } catch (e) {
      errors.push(
        e instanceof TargetModuleError
          ? e
          : new TargetModuleError('ERR_TARGET_MODULE_LOAD', `${spec}: ${firstLine(e)}`),
      );
    }
  }
  return { targets, errors };
}
