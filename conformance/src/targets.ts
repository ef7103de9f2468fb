/** Loading conformance targets from modules (paths or package specifiers), never crashing on one that fails. */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createJsBackend } from '@spectrans/backend-js';
import type { ConformanceTarget } from './types.js';

/** What a target module exports: `conformanceTargets`, an array or a function returning (a promise of) one. */
export type ConformanceTargetsExport = readonly ConformanceTarget[] | (() => readonly ConformanceTarget[] | Promise<readonly ConformanceTarget[]>);

/** A target, or a module that could not provide any (reported as an unavailable column). */
export type LoadedTarget = ConformanceTarget | { readonly name: string; readonly unavailable: string };

/** The built-in js backend target. */
export const JS_TARGET: ConformanceTarget = { name: 'js', create: () => createJsBackend() };

/** Paths (relative to the conformance package) of the built-in backends' target modules. */
export const BUILTIN_TARGET_MODULES: readonly string[] = [
  '../packages/backend-js/src/conformance-targets.ts',
  '../packages/backend-tfjs/src/conformance-targets.ts',
  '../packages/backend-gpujs/src/conformance-targets.ts',
];

/** The conformance package directory (parent of src/ or dist/). */
export function packageDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..');
}

function looksLikePath(spec: string): boolean {
  return spec.startsWith('.') || isAbsolute(spec) || /\.(m?[jt]s|cts|cjs)$/.test(spec);
}

function moduleName(spec: string): string {
  if (!looksLikePath(spec)) return spec;
  const parts = resolve(spec).split(/[\\/]/);
  const pkg = parts.lastIndexOf('src');
  return pkg > 0 ? parts[pkg - 1]! : basename(spec).replace(/\.[^.]+$/, '');
}

async function importSpecifier(spec: string, cwd: string): Promise<Record<string, unknown>> {
  if (looksLikePath(spec)) return (await import(pathToFileURL(resolve(cwd, spec)).href)) as Record<string, unknown>;
  try {
    return (await import(spec)) as Record<string, unknown>;
  } catch (e) {
    // Not resolvable from this package: resolve it from the working directory instead.
    const resolved = createRequire(resolve(cwd, 'noop.js')).resolve(spec);
    if (!resolved) throw e;
    return (await import(pathToFileURL(resolved).href)) as Record<string, unknown>;
  }
}

function isTarget(v: unknown): v is ConformanceTarget {
  return typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string' && typeof (v as { create?: unknown }).create === 'function';
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
    if (bad >= 0) return [{ name, unavailable: `${spec}: conformanceTargets[${bad}] needs a string name and a create() function` }];
    return list.length === 0 ? [{ name, unavailable: `${spec}: conformanceTargets is empty` }] : [...list];
  } catch (e) {
    return [{ name, unavailable: e instanceof Error ? e.message.split('\n')[0]! : String(e) }];
  }
}

/**
 * The targets to run: those of the given modules, or by default the built-in js backend plus the
 * target modules of the other built-in backends that exist in this checkout.
 */
export async function resolveTargets(specs: readonly string[], cwd = process.cwd()): Promise<LoadedTarget[]> {
  if (specs.length > 0) return (await Promise.all(specs.map((s) => loadTargetModule(s, cwd)))).flat();
  const base = packageDir();
  const builtins = BUILTIN_TARGET_MODULES.map((p) => resolve(base, p)).filter((p) => existsSync(p));
  const hasJsModule = builtins.some((p) => p.includes(`backend-js`));
  const loaded: LoadedTarget[] = hasJsModule ? [] : [JS_TARGET];
  for (const path of builtins) loaded.push(...(await loadTargetModule(path, cwd)));
  return loaded;
}
