#!/usr/bin/env node
// Thin launcher so the bin exists before the package is built; the CLI itself lives in dist/.
//
// In a source checkout of this package (the spectrans monorepo) the workspace packages resolve to
// their TypeScript sources, which Node 20 cannot import, and dist/ may not be built: there the CLI
// runs from src/ under tsx, found from the working directory (the repository's devDependency).
// Installed from the registry there is no src/, and the CLI runs from dist/.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const source = new URL('../src/cli.ts', import.meta.url);

/** Whether this is a source checkout whose dependencies resolve to TypeScript. */
function inSourceCheckout() {
  if (!existsSync(source)) return false;
  if (!existsSync(new URL('../dist/cli.js', import.meta.url))) return true;
  try {
    return /\.[cm]?ts$/.test(import.meta.resolve('@spectrans/core'));
  } catch {
    return false;
  }
}

/** Registers tsx's ESM hooks (from the working directory, else from here); false when not installed. */
async function registerTsx() {
  for (const base of [`${process.cwd()}/`, import.meta.url]) {
    try {
      const api = await import(pathToFileURL(createRequire(base).resolve('tsx/esm/api')).href);
      api.register();
      return true;
    } catch {
      // not installed there: try the next place
    }
  }
  return false;
}

if (inSourceCheckout() && (await registerTsx())) await import(source.href);
else await import('../dist/cli.js');
