/**
 * The per-engine entry points (`/cpu`, `/wasm`, `/webgl`, `/node`): each creates its own engine's
 * backend, refuses the others naming the entry that offers them, and imports no other engine's
 * package anywhere in its module graph (what lets a bundler work with only that engine installed).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { matmul, SpectransError, tensor } from '@spectrans/core';
import * as cpuEntry from '../src/cpu.js';
import * as nodeEntry from '../src/node.js';
import * as wasmEntry from '../src/wasm.js';
import * as webglEntry from '../src/webgl.js';
import { ENGINE_PACKAGES, TFJS_ENGINES, type TfjsEngine } from '../src/engines.js';
import { ENGINE_ENTRY_POINTS } from '../src/entry-points.js';

const srcDir = fileURLToPath(new URL('../src/', import.meta.url));
const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, { import: string; types: string }>;
  publishConfig: { exports: Record<string, { import: string; types: string; default?: string }> };
};

const ENTRIES = [
  { engine: 'cpu', file: 'cpu', entry: cpuEntry },
  { engine: 'wasm', file: 'wasm', entry: wasmEntry },
  { engine: 'webgl', file: 'webgl', entry: webglEntry },
  { engine: 'tensorflow', file: 'node', entry: nodeEntry },
] as const;

async function rejection(p: Promise<unknown>): Promise<SpectransError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SpectransError);
  return e as SpectransError;
}

/** The source files reachable from `file` through relative imports (static and dynamic). */
function moduleGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(`${srcDir}${file}.ts`, 'utf8');
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*)'\.\/([\w-]+)\.js'/g)) moduleGraph(m[1]!, seen);
  return seen;
}

/** Every `@tensorflow/...` package named in an import or export of the files (type-only ones excluded). */
function tfjsPackagesNamed(files: Iterable<string>): Set<string> {
  const named = new Set<string>();
  for (const file of files) {
    const text = readFileSync(`${srcDir}${file}.ts`, 'utf8');
    for (const m of text.matchAll(
      /(import\s+type\s[^'"]*from\s+)?(?:from\s+|import\s*\(\s*)'(@tensorflow\/[\w-]+)'/g,
    )) {
      if (m[1] === undefined) named.add(m[2]!);
    }
  }
  return named;
}

describe('per-engine entry points', () => {
  it('are exported by package.json (source in the workspace, dist/ when published) and match the engines', () => {
    for (const { engine, file } of ENTRIES) {
      const subpath = `./${file}`;
      expect(packageJson.exports[subpath]).toEqual({ types: `./src/${file}.ts`, import: `./src/${file}.ts` });
      expect(packageJson.publishConfig.exports[subpath]).toEqual({
        types: `./dist/${file}.d.ts`,
        import: `./dist/${file}.js`,
        default: `./dist/${file}.js`, // require(esm) on Node >= 20.19
      });
      expect(ENGINE_ENTRY_POINTS[engine]).toBe(`@spectrans/backend-tfjs/${file}`);
    }
    expect(ENTRIES.map((e) => e.engine)).toEqual([...TFJS_ENGINES]);
  });

  it.each(ENTRIES)('$file: its module graph names tfjs-core and its own engine package only', ({ engine, file }) => {
    const graph = moduleGraph(file);
    expect(graph.has('all-engines')).toBe(false);
    const named = tfjsPackagesNamed(graph);
    // tfjs-node is imported by a computed specifier (native; never bundled), so it is not named.
    const expected = ['@tensorflow/tfjs-core', ...(engine === 'tensorflow' ? [] : [ENGINE_PACKAGES[engine]])];
    expect([...named].sort()).toEqual(expected.sort());
  });

  it('the package entry names every bundleable engine, each import() with a .catch (esbuild then bundles it with some missing)', () => {
    const text = readFileSync(`${srcDir}all-engines.ts`, 'utf8');
    for (const engine of ['cpu', 'wasm', 'webgl'] as const) {
      expect(text).toContain(`import('${ENGINE_PACKAGES[engine]}').catch(`);
    }
  });

  it.each([
    ['cpu', cpuEntry],
    ['wasm', wasmEntry],
  ] as const)(
    '%s: createTfjsBackend() with no options makes the backend of its engine, which computes',
    async (engine, entry) => {
      const b = await entry.createTfjsBackend();
      expect(b.name).toBe(`tfjs-${engine}`);
      expect(b.capabilities).toEqual(entry.TFJS_CAPABILITIES[engine]);
      const c = matmul(
        tensor([[1, 2]], undefined, 'float32', { backend: b }),
        tensor([[3], [4]], undefined, 'float32', { backend: b }),
      );
      expect(await c.array()).toEqual([[11]]);
      c.dispose();
      expect((await entry.createTfjsBackend({ engine } as never)).name).toBe(`tfjs-${engine}`);
      expect(await entry.isTfjsEngineAvailable()).toBe(true);
    },
  );

  it("the options types admit only the entry's own engine", async () => {
    // @ts-expect-error -- the /cpu entry's options type admits engine 'cpu' only
    const wrong = cpuEntry.createTfjsBackend({ engine: 'wasm' });
    expect((await rejection(wrong)).code).toBe('ERR_INVALID_ARGUMENT');
    // @ts-expect-error -- wasmPaths is the /wasm entry's option
    const noPaths = cpuEntry.createTfjsBackend({ wasmPaths: '/' });
    expect((await noPaths).name).toBe('tfjs-cpu');
  });

  it('wasm: takes wasmPaths', async () => {
    // Already initialised by the test above, so the paths are ignored; the option type-checks and is accepted.
    expect((await wasmEntry.createTfjsBackend({ wasmPaths: '/nowhere/' })).name).toBe('tfjs-wasm');
  });

  it('webgl: in Node rejects with ERR_BACKEND_INIT saying it needs WebGL', async () => {
    const e = await rejection(webglEntry.createTfjsBackend());
    expect(e.code).toBe('ERR_BACKEND_INIT');
    expect(e.message).toMatch(/it needs WebGL/);
    expect(await webglEntry.isTfjsEngineAvailable()).toBe(true); // the package loads; the engine cannot start
  });

  it('node: without @tensorflow/tfjs-node says it is not installed (or works where it is)', async () => {
    if (await nodeEntry.isTfjsEngineAvailable()) {
      expect((await nodeEntry.createTfjsBackend()).name).toBe('tfjs-tensorflow');
      return;
    }
    const e = await rejection(nodeEntry.createTfjsBackend());
    expect(e.code).toBe('ERR_BACKEND_INIT');
    expect(e.message).toMatch(/@tensorflow\/tfjs-node, which is not installed/);
  });

  it.each(ENTRIES)(
    '$file: refuses the other engines, naming the entry point that offers them',
    async ({ engine, entry }) => {
      for (const other of TFJS_ENGINES.filter((e) => e !== engine)) {
        const e = await rejection(entry.createTfjsBackend({ engine: other as never }));
        expect(e.code).toBe('ERR_INVALID_ARGUMENT');
        expect(e.message).toContain(`engine '${other}' is not offered by ${ENGINE_ENTRY_POINTS[engine]}`);
        expect(e.message).toContain(`from '${ENGINE_ENTRY_POINTS[other as TfjsEngine]}'`);
        expect(await entry.isTfjsEngineAvailable(other)).toBe(false);
      }
    },
  );

  it.each(ENTRIES)('$file: rejects unknown engines and options that are not an object', async ({ entry }) => {
    expect((await rejection(entry.createTfjsBackend({ engine: 'cuda' as never }))).code).toBe('ERR_INVALID_ARGUMENT');
    expect((await rejection(entry.createTfjsBackend(null as never))).code).toBe('ERR_INVALID_ARGUMENT');
    expect((await rejection(entry.createTfjsBackend(7 as never))).code).toBe('ERR_INVALID_ARGUMENT');
    const typo = await rejection(entry.createTfjsBackend({ wasmPath: '/x/' } as never));
    expect(typo.code).toBe('ERR_INVALID_ARGUMENT');
    expect(typo.message).toMatch(/unknown option 'wasmPath'; did you mean 'wasmPaths'\?/);
    expect(() => entry.isTfjsEngineAvailable('gpu' as never)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
  });
});
