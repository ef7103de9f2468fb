/** Loading engines: names, capabilities, tfjs-node detection and its message, side-effect-free import. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SpectransError, tensor } from '@spectrans/core';
import { createTfjsBackend, isTfjsEngineAvailable, TFJS_CAPABILITIES, TFJS_ENGINES } from '../src/index.js';
import { ALL_ENGINES } from '../src/all-engines.js';
import { isModuleNotFound, loadEngine, nodeWasmFolder, type Importers, type TfjsEngine } from '../src/engines.js';
import { backendFor, ENGINES } from './helpers.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

async function initError(p: Promise<unknown>): Promise<SpectransError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SpectransError);
  return e as SpectransError;
}

function notFound(specifier: string): Error {
  return Object.assign(new Error(`Cannot find package '${specifier}' imported from /app/x.js`), {
    code: 'ERR_MODULE_NOT_FOUND',
  });
}

describe('engines', () => {
  it.each(ENGINES)('%s: named tfjs-<engine>, float32 only with ieee precision', async (engine) => {
    const b = await backendFor(engine);
    expect(b.name).toBe(`tfjs-${engine}`);
    expect(b.capabilities).toEqual({ dtypes: { float32: 'ieee' } });
    expect(b.capabilities.dtypes.float64).toBeUndefined();
    expect(TFJS_CAPABILITIES.tensorflow.dtypes.float32).toBe('reduced');
  });

  it.each(ENGINES)('%s: is available; float64 tensors are refused by core before the backend runs', async (engine) => {
    expect(await isTfjsEngineAvailable(engine)).toBe(true);
    const b = await backendFor(engine);
    expect(() => tensor([1, 2], [2], 'float64', { backend: b })).toThrow(
      expect.objectContaining({ code: 'ERR_UNSUPPORTED_DTYPE' }),
    );
  });

  it('lists the engines and rejects unknown ones and bad options', async () => {
    expect(TFJS_ENGINES).toEqual(['cpu', 'wasm', 'webgl', 'tensorflow']);
    expect((await initError(createTfjsBackend({ engine: 'cuda' as never }))).code).toBe('ERR_INVALID_ARGUMENT');
    expect((await initError(createTfjsBackend(undefined as never))).code).toBe('ERR_INVALID_ARGUMENT');
    expect(() => isTfjsEngineAvailable('gpu' as never)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
  });

  it('finds the wasm binaries inside the npm package in Node', () => {
    const folder = nodeWasmFolder();
    // vite-node may not expose import.meta.resolve; tfjs then uses the script's own folder, which is the same place.
    if (folder !== undefined) {
      expect(folder).toMatch(/^file:.*tfjs-backend-wasm\/dist\/$/);
      expect(existsSync(fileURLToPath(new URL('tfjs-backend-wasm.wasm', folder)))).toBe(true);
      expect(existsSync(fileURLToPath(new URL('tfjs-backend-wasm-simd.wasm', folder)))).toBe(true);
    }
  });
});

describe('engine "webgl"', () => {
  // Node has no WebGL: the engine's package loads, but the engine cannot start. Its conformance runs
  // in a real browser (examples/browser, end-to-end test under Chromium with SwiftShader WebGL).
  it('declares reduced float32, and in Node rejects with ERR_BACKEND_INIT saying it needs WebGL', async () => {
    expect(TFJS_CAPABILITIES.webgl.dtypes.float32).toBe('reduced');
    const e = await initError(createTfjsBackend({ engine: 'webgl' }));
    expect(e.code).toBe('ERR_BACKEND_INIT');
    expect(e.message).toMatch(/tfjs engine 'webgl' failed to initialise \(it needs WebGL/);
    // tfjs is left usable on another engine afterwards.
    const b = await createTfjsBackend({ engine: 'cpu' });
    const t = tensor([1, 2], [2], 'float32', { backend: b });
    expect(Array.from(await t.data())).toEqual([1, 2]);
    t.dispose();
  });
});

describe('tfjs-node (engine "tensorflow") detection', () => {
  it('is detected at run time: absent here, and createTfjsBackend says why and how to install it', async () => {
    const available = await isTfjsEngineAvailable('tensorflow');
    if (available) {
      // Installed on this machine: then it must work.
      const b = await createTfjsBackend({ engine: 'tensorflow' });
      expect(b.name).toBe('tfjs-tensorflow');
      expect(b.capabilities.dtypes.float32).toBe('reduced');
      return;
    }
    const e = await initError(createTfjsBackend({ engine: 'tensorflow' }));
    expect(e.code).toBe('ERR_BACKEND_INIT');
    expect(e.message).toMatch(/@tensorflow\/tfjs-node.*not installed/);
    expect(e.message).toMatch(/libtensorflow/);
    expect(e.message).toMatch(/outside the npm registry/);
    expect(e.message).toContain('npm install @tensorflow/tfjs-node');
    expect(e.cause).toBeDefined();
  });

  const defaults = ALL_ENGINES.importers;
  const withEngine = (engine: TfjsEngine, load: () => Promise<unknown>): Importers => ({
    ...defaults,
    engines: { ...defaults.engines, [engine]: load },
  });
  const withTensorflow = (load: () => Promise<unknown>): Importers => withEngine('tensorflow', load);

  it('tells "not installed" from "installed but its native binding fails"', async () => {
    const missing = await initError(
      loadEngine(
        'tensorflow',
        withTensorflow(() => Promise.reject(notFound('@tensorflow/tfjs-node'))),
      ),
    );
    expect(missing.message).toMatch(/not installed/);

    const broken = await initError(
      loadEngine(
        'tensorflow',
        withTensorflow(() => Promise.reject(new Error('libtensorflow.so.2: cannot open shared object file'))),
      ),
    );
    expect(broken.code).toBe('ERR_BACKEND_INIT');
    expect(broken.message).toMatch(/installed but failed to load/);
    expect(broken.message).toContain('libtensorflow.so.2');
    expect(broken.message).toContain('npm install @tensorflow/tfjs-node');

    // tfjs-node present but one of its own dependencies missing: not "tfjs-node is not installed".
    const dependency = await initError(
      loadEngine(
        'tensorflow',
        withTensorflow(() => Promise.reject(notFound('@mapbox/node-pre-gyp'))),
      ),
    );
    expect(dependency.message).toMatch(/installed but failed to load/);
  });

  it('loads the module it is given when present (the path a machine with tfjs-node takes)', async () => {
    const loaded = await loadEngine(
      'tensorflow',
      withTensorflow(() => Promise.resolve({ version: 'stub' })),
    );
    expect(loaded.module).toEqual({ version: 'stub' });
    expect(typeof loaded.tf.tidy).toBe('function');
  });

  it('names the package and the install command when cpu or wasm is missing', async () => {
    const e = await initError(
      loadEngine(
        'wasm',
        withEngine('wasm', () => Promise.reject(notFound('@tensorflow/tfjs-backend-wasm'))),
      ),
    );
    expect(e.code).toBe('ERR_BACKEND_INIT');
    expect(e.message).toContain('npm install @tensorflow/tfjs-backend-wasm');
    const core = await initError(
      loadEngine('cpu', { ...defaults, core: () => Promise.reject(notFound('@tensorflow/tfjs-core')) }),
    );
    expect(core.message).toContain('npm install @tensorflow/tfjs-core');
  });

  it('isModuleNotFound matches only the module itself', () => {
    expect(isModuleNotFound(notFound('@tensorflow/tfjs-node'), '@tensorflow/tfjs-node')).toBe(true);
    expect(
      isModuleNotFound(
        Object.assign(new Error("Cannot find module '@tensorflow/tfjs-node'"), { code: 'MODULE_NOT_FOUND' }),
        '@tensorflow/tfjs-node',
      ),
    ).toBe(true);
    expect(isModuleNotFound(notFound('other'), '@tensorflow/tfjs-node')).toBe(false);
    expect(isModuleNotFound('nope', '@tensorflow/tfjs-node')).toBe(false);
  });
});

describe('no side effects on import', () => {
  it('no source file imports a tfjs package at run time except through import()', () => {
    const dir = `${packageDir}src`;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(`${dir}/${file}`, 'utf8');
      const valueImports = text
        .split('\n')
        .filter(
          (l) =>
            /^\s*(import|export)\s(?!type\b)[^'"]*from\s+['"]@tensorflow\//.test(l) ||
            /^\s*import\s+['"]@tensorflow\//.test(l),
        );
      expect(valueImports, file).toEqual([]);
    }
  });

  it('importing the package entry loads no tfjs module (checked in a fresh Node process)', () => {
    const code =
      "await import('./src/index.ts'); console.log(JSON.stringify({ engine: typeof globalThis._tfengine, registry: typeof globalThis._tfGlobals }));";
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      cwd: packageDir,
      encoding: 'utf8',
    });
    expect(JSON.parse(out.trim())).toEqual({ engine: 'undefined', registry: 'undefined' });
  });
});
