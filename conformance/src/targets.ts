/** Loading conformance targets from modules (paths or package specifiers), never crashing on one that fails. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { JS_TARGET } from './js-targets.js';
import type { ConformanceTarget } from './types.js';

/** What a target module exports: `conformanceTargets`, an array or a function returning (a promise of) one. */
export type ConformanceTargetsExport =
  readonly ConformanceTarget[] | (() => readonly ConformanceTarget[] | Promise<readonly ConformanceTarget[]>);

/** A target, or a module that could not provide any (reported as an unavailable column). */
export type LoadedTarget = ConformanceTarget | { readonly name: string; readonly unavailable: string };

function looksLikePath(spec: string): boolean {
  return spec.startsWith('.') || isAbsolute(spec) || /\.(m?[jt]s|cts|cjs)$/.test(spec);
}

function moduleName(spec: string): string {
  if (!looksLikePath(spec)) return spec;
  const parts = resolve(spec).split(/[\\/]/);
  const pkg = parts.lastIndexOf('src');
  return pkg > 0 ? parts[pkg - 1]! : basename(spec).replace(/\.[^.]+$/, '');
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

/**
 * Resolves a package specifier from `cwd`. `require.resolve` handles packages with a `require` or
 * `default` export; ESM-only packages (`import` condition only, as spectrans' own) are resolved
 * through their package.json's `exports` map.
 */
function resolveFromDirectory(spec: string, cwd: string): string {
  const require = createRequire(resolve(cwd, 'noop.js'));
  try {
    return require.resolve(spec);
  } catch (e) {
    const parts = spec.split('/');
    const nameLength = spec.startsWith('@') ? 2 : 1;
    const name = parts.slice(0, nameLength).join('/');
    const subpath = ['.', ...parts.slice(nameLength)].join('/');
    const manifest = require.resolve(`${name}/package.json`);
    const exportsField = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: unknown }).exports;
    const entry =
      typeof exportsField === 'object' && exportsField !== null && subpath in exportsField
        ? (exportsField as Record<string, unknown>)[subpath]
        : subpath === '.'
          ? exportsField
          : undefined;
    const target = exportTarget(entry);
    if (target === undefined) throw e;
    return resolve(dirname(manifest), target);
  }
}

async function importSpecifier(spec: string, cwd: string): Promise<Record<string, unknown>> {
  if (looksLikePath(spec)) return (await import(pathToFileURL(resolve(cwd, spec)).href)) as Record<string, unknown>;
  try {
    return (await import(spec)) as Record<string, unknown>;
  } catch {
    // Not resolvable from this package (the backends are not its dependencies): resolve it from
    // the working directory, whose project installs them.
    return (await import(pathToFileURL(resolveFromDirectory(spec, cwd)).href)) as Record<string, unknown>;
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
 * Imports a target module and returns its targets; a module that cannot be imported or exports
 * nothing usable gives one unavailable entry named after the module.
 */
export async function loadTargetModule(spec: string, cwd = process.cwd()): Promise<LoadedTarget[]> {
  const name = moduleName(spec);
  try {
    const mod = await importSpecifier(spec, cwd);
    const exported = mod['conformanceTargets'] as ConformanceTargetsExport | undefined;
    if (exported === undefined) return [{ name, unavailable: `${spec} does not export conformanceTargets` }];
    const list = typeof exported === 'function' ? await exported() : exported;
    if (!Array.isArray(list)) return [{ name, unavailable: `${spec}: conformanceTargets is not an array` }];
    const bad = list.findIndex((t) => !isTarget(t));
    if (bad >= 0)
      return [{ name, unavailable: `${spec}: conformanceTargets[${bad}] needs a string name and a create() function` }];
    return list.length === 0 ? [{ name, unavailable: `${spec}: conformanceTargets is empty` }] : [...list];
  } catch (e) {
    return [{ name, unavailable: e instanceof Error ? e.message.split('\n')[0]! : String(e) }];
  }
}

/**
 * The targets to run: those of the given modules (paths or package specifiers such as
 * `@spectrans/backend-tfjs/conformance-targets`), or without any, the js backend alone.
 */
export async function resolveTargets(specs: readonly string[], cwd = process.cwd()): Promise<LoadedTarget[]> {
  if (specs.length === 0) return [JS_TARGET];
  return (await Promise.all(specs.map((s) => loadTargetModule(s, cwd)))).flat();
}
