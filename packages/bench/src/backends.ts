/**
 * The backends under test, loaded by dynamic import so that a backend that is missing, unfinished
 * or unable to start here is reported as unavailable (with the reason) instead of ending the run.
 */
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { matmul, tensor, type Backend } from '@spectrans/core';

/** One benchmarked backend configuration: which factory, with which options. */
export interface BackendSpec {
  /** Report id (table column, `--backends` value). */
  readonly id: string;
  /** The npm package that exports the factory. */
  readonly pkg: string;
  /** Name of the exported factory, called as `factory(options)`. */
  readonly factory: string;
  /** Options passed to the factory (`engine`, `mode`, ...). */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Computes on the CPU (compared with PyTorch CPU); headless-gl renders through GL, even on a CPU rasteriser. */
  readonly cpu: boolean;
  /** Judged against the performance targets (targets.ts), with a row per target. */
  readonly targets?: boolean;
  /** The factory takes a `threads` option: matmul is also measured at 1 thread (the thread-scaling target). */
  readonly threads?: boolean;
}

/** The row of backend-tfjs on one tfjs engine (all of them compute on the CPU in Node). */
function tfjs(engine: string): BackendSpec {
  return {
    id: `tfjs-${engine}`,
    pkg: '@spectrans/backend-tfjs',
    factory: 'createTfjsBackend',
    options: { engine },
    cpu: true,
  };
}

/** The row of backend-gpujs in one gpu.js mode. */
function gpujs(mode: string, cpu: boolean): BackendSpec {
  return {
    id: `gpujs-${mode}`,
    pkg: '@spectrans/backend-gpujs',
    factory: 'createGpujsBackend',
    options: { mode },
    cpu,
  };
}

/**
 * Every backend the bench measures, in report order. Adding a backend is one row here (its package
 * is found through this package's dependencies or, failing that, in the workspace's packages/).
 * Browser-only engines (tfjs webgl, gpu.js webgl/webgl2) are not listed: Node has no WebGL.
 * tfjs-tensorflow (tfjs-node) runs where that optional package is installed, and is reported
 * unavailable otherwise.
 */
export const BACKENDS: readonly BackendSpec[] = [
  { id: 'wasm', pkg: '@spectrans/backend-wasm', factory: 'createWasmBackend', cpu: true, targets: true, threads: true },
  { id: 'js', pkg: '@spectrans/backend-js', factory: 'createJsBackend', cpu: true, targets: true },
  tfjs('cpu'),
  tfjs('wasm'),
  tfjs('tensorflow'),
  gpujs('headlessgl', false),
  gpujs('webasm', true),
  gpujs('cpu', true),
];

/** Every backend id, in report order. */
export const BACKEND_IDS: readonly string[] = BACKENDS.map((b) => b.id);
/** A backend id of {@link BACKENDS}. */
export type BackendId = string;

/** The spec of a backend id; throws for an id the table does not list. */
export function backendSpec(id: string): BackendSpec {
  const spec = BACKENDS.find((b) => b.id === id);
  if (!spec) throw new Error(`unknown backend '${id}' (known: ${BACKEND_IDS.join(', ')})`);
  return spec;
}

/** Ids of the backends that compute on the CPU (compared with PyTorch CPU). */
export const CPU_BACKENDS: readonly string[] = BACKENDS.filter((b) => b.cpu).map((b) => b.id);
/** Ids of the backends judged against the performance targets. */
export const TARGET_BACKENDS: readonly string[] = BACKENDS.filter((b) => b.targets).map((b) => b.id);
/** The id of a backend's 1-thread variant (matmul only), for backends with a `threads` option. */
export const oneThreadId = (id: string): string => `${id} (1 thread)`;

/** The part of tfjs-core the bench reads: its own memory accounting and the active engine. */
export interface TfLike {
  getBackend(): string;
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  memory(): { numBytes: number; numTensors: number };
  profile(f: () => unknown): Promise<{ peakBytes: number; newBytes: number; newTensors: number }>;
  tidy<T>(f: () => T): T;
  randomUniform(shape: number[], min?: number, max?: number, dtype?: string, seed?: number): TfTensorLike;
  matMul(a: TfTensorLike, b: TfTensorLike): TfTensorLike;
  tensor(values: Float32Array, shape: number[]): TfTensorLike;
  engine(): { registry: Record<string, unknown> };
  version_core?: string;
}
export interface TfTensorLike {
  data(): Promise<unknown>;
  dispose(): void;
}

/** A backend that started, with what actually runs. */
export interface LoadedBackend {
  readonly id: BackendId;
  readonly backend: Backend;
  /** The engine or mode that actually ran a probe op (e.g. `tfjs-wasm (tf.getBackend() = 'wasm')`). */
  readonly ran: string;
  /** tfjs-core as the tfjs backend uses it (for tf.memory()/tf.profile()), when found. */
  readonly tf?: TfLike;
  /** Compute threads the backend uses, where known (1 for the JavaScript backends). */
  readonly threads?: number;
  /** Milliseconds the factory took. */
  readonly startMs: number;
}

export type BackendOutcome =
  | { readonly ok: true; readonly loaded: LoadedBackend }
  | { readonly ok: false; readonly id: BackendId; readonly reason: string };

const here = dirname(fileURLToPath(import.meta.url));
/** This package's directory (src/..). */
export const BENCH_DIR = join(here, '..');

/** The first line of an error; long explanations are cut after their first sentence. */
function message(e: unknown): string {
  const text = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
  if (text.length <= 240) return text;
  const end = text.indexOf('. ', 80);
  return end > 0 && end < 300 ? text.slice(0, end + 1) : `${text.slice(0, 300)}…`;
}

/** The directory of a workspace dependency of this package, through its node_modules link. */
function packageDir(name: string): string {
  return realpathSync(join(BENCH_DIR, 'node_modules', ...name.split('/')));
}

/** Imports a module as the given package would resolve it (shared instance with that package). */
export async function importFrom(pkg: string, specifier: string): Promise<unknown> {
  const req = createRequire(join(packageDir(pkg), 'package.json'));
  const resolved = req.resolve(specifier);
  const ns = (await import(pathToFileURL(resolved).href)) as { default?: unknown };
  return ns.default ?? ns;
}

let tfPromise: Promise<TfLike | undefined> | undefined;
/** tfjs-core as resolved from @spectrans/backend-tfjs (the same module instance it uses), if installed. */
export function tfjsCore(): Promise<TfLike | undefined> {
  tfPromise ??= importFrom('@spectrans/backend-tfjs', '@tensorflow/tfjs-core').then(
    (m) => m as TfLike,
    () => undefined,
  );
  return tfPromise;
}

type Factory = (options: Record<string, unknown>) => unknown;

/** A string export target of a package.json `exports['.']` (or `main`), for ESM import. */
function entryOf(pkgJson: { exports?: unknown; main?: string }): string | undefined {
  let e = pkgJson.exports;
  if (e && typeof e === 'object' && '.' in e) e = (e as Record<string, unknown>)['.'];
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object') {
    const o = e as Record<string, unknown>;
    const pick = o['import'] ?? o['default'];
    if (typeof pick === 'string') return pick;
  }
  return pkgJson.main;
}

/**
 * A workspace package by name (packages/<dir>/package.json), for a backend listed in BACKENDS that
 * is not (yet) a dependency of this package: the bench is private and lives in the monorepo.
 */
async function importFromWorkspace(pkg: string): Promise<Record<string, unknown> | undefined> {
  const root = join(BENCH_DIR, '..');
  for (const dir of readdirSync(root)) {
    const file = join(root, dir, 'package.json');
    if (!existsSync(file)) continue;
    const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; exports?: unknown; main?: string };
    if (json.name !== pkg) continue;
    const entry = entryOf(json);
    if (!entry) throw new Error(`${pkg} (${join(root, dir)}) has no import entry in package.json`);
    return (await import(pathToFileURL(join(root, dir, entry)).href)) as Record<string, unknown>;
  }
  return undefined;
}

async function factoryOf(pkg: string, exportName: string): Promise<Factory> {
  let mod: Record<string, unknown> | undefined;
  try {
    mod = (await import(pkg)) as Record<string, unknown>;
  } catch (e) {
    const notFound = (e as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND' && message(e).includes(pkg);
    if (notFound)
      mod = await importFromWorkspace(pkg).catch((w: unknown) => {
        throw new Error(`${pkg} could not be imported: ${message(w)}`);
      });
    if (!mod)
      throw new Error(
        notFound
          ? `${pkg} is not installed (neither a dependency of @spectrans/bench nor a package of this workspace)`
          : `${pkg} could not be imported: ${message(e)}`,
      );
  }
  const f = mod[exportName];
  if (typeof f !== 'function') throw new Error(`${pkg} does not export ${exportName} (yet)`);
  return f as Factory;
}

/** A tiny product on the backend, read back: proves the backend runs and warms its first kernel. */
async function probe(backend: Backend): Promise<void> {
  const a = tensor(
    [
      [1, 2],
      [3, 4],
    ],
    undefined,
    'float32',
    { backend },
  );
  const c = matmul(a, a);
  const v = await c.data();
  a.dispose();
  c.dispose();
  if (v[0] !== 7 || v[3] !== 22)
    throw new Error(`probe matmul returned [${Array.from(v).join(', ')}], expected [7, 10, 15, 22]`);
}

/** What tfjs's wasm engine runs: the binary (SIMD or not) and XNNPACK's thread count (tfjs disables wasm threads in Node). */
async function tfjsWasmInfo(tf: TfLike | undefined): Promise<{ text: string; threads?: number }> {
  try {
    const wasm = (await importFrom('@spectrans/backend-tfjs', '@tensorflow/tfjs-backend-wasm')) as {
      getThreadsCount?: () => number;
    };
    const env = (tf as unknown as { env?: () => { getAsync(flag: string): Promise<unknown> } } | undefined)?.env?.();
    const simd = env ? await env.getAsync('WASM_HAS_SIMD_SUPPORT') : undefined;
    const mt = env ? await env.getAsync('WASM_HAS_MULTITHREAD_SUPPORT') : undefined;
    const threads = wasm.getThreadsCount?.();
    const binary =
      simd === true
        ? mt === true
          ? 'threaded SIMD binary'
          : 'SIMD binary'
        : simd === false
          ? 'non-SIMD binary'
          : 'binary unknown';
    return {
      text: `XNNPACK, ${binary}, ${threads ?? '?'} thread${threads === 1 ? '' : 's'} (getThreadsCount()${mt === false ? '; tfjs turns wasm threads off in Node: WASM_HAS_MULTITHREAD_SUPPORT = false' : ''})`,
      ...(threads !== undefined ? { threads } : {}),
    };
  } catch (e) {
    return { text: `threads unknown (${message(e)})` };
  }
}

/** Creates one backend, or says why it cannot run here. Never throws. `extra` options override the table's (e.g. `{ threads: 1 }`). */
export async function loadBackend(
  id: BackendId,
  extra: Readonly<Record<string, unknown>> = {},
  reportId: string = id,
): Promise<BackendOutcome> {
  const t0 = performance.now();
  try {
    const spec = backendSpec(id);
    const options = { ...spec.options, ...extra };
    const create = await factoryOf(spec.pkg, spec.factory);
    const backend = (await create(options)) as Backend;
    await probe(backend);
    const self = backend as { engine?: unknown; mode?: unknown; threads?: unknown };
    const parts: string[] = [];
    let tf: TfLike | undefined;
    let threads = typeof self.threads === 'number' ? self.threads : undefined;
    for (const key of ['engine', 'mode'] as const) {
      const asked = options[key];
      const now = self[key];
      if (typeof now === 'string') parts.push(`${key} '${now}'`);
      if (typeof asked === 'string' && typeof now === 'string' && asked !== now)
        throw new Error(`asked for ${key} '${asked}' but the backend runs '${now}'`);
    }
    if (spec.pkg === '@spectrans/backend-tfjs') {
      tf = await tfjsCore();
      const active = tf?.getBackend();
      if (active) parts.push(`tf.getBackend() = '${active}' after the probe op`);
      if (active !== undefined && typeof options['engine'] === 'string' && active !== options['engine'])
        throw new Error(`asked for engine '${String(options['engine'])}' but tfjs ran '${active}'`);
      if (active === 'wasm') {
        const info = await tfjsWasmInfo(tf);
        parts.push(info.text);
        threads ??= info.threads;
      } else if (active === 'cpu') threads ??= 1;
    }
    if (spec.pkg === '@spectrans/backend-js') threads ??= 1;
    if (typeof self.threads === 'number') parts.push(`${self.threads} thread${self.threads === 1 ? '' : 's'}`);
    const ran = `${backend.name}${parts.length ? ` (${parts.join('; ')})` : ''}`;
    return {
      ok: true,
      loaded: {
        id: reportId,
        backend,
        ran,
        ...(tf ? { tf } : {}),
        ...(threads !== undefined ? { threads } : {}),
        startMs: performance.now() - t0,
      },
    };
  } catch (e) {
    let reason = message(e);
    if (id === 'gpujs-headlessgl' && !process.env['DISPLAY'])
      reason += ' [no DISPLAY: run the bench where xvfb-run exists, or under xvfb-run -a]';
    return { ok: false, id: reportId, reason };
  }
}

/** Frees a backend's contexts (gpu.js GL contexts, tfjs engines); errors are ignored. */
export async function destroyBackend(b: LoadedBackend): Promise<void> {
  try {
    await b.backend.destroy?.();
  } catch {
    /* nothing to report: the run is over for this backend */
  }
}

/**
 * The OpenGL renderer headless-gl gets here (e.g. Mesa llvmpipe, a CPU rasteriser), so the report
 * can say what "GPU" the headlessgl mode used. Undefined when it cannot tell.
 */
export async function glRenderer(): Promise<string | undefined> {
  try {
    const gpujsReq = createRequire(
      createRequire(join(packageDir('@spectrans/backend-gpujs'), 'package.json')).resolve('gpu.js'),
    );
    const createGl = gpujsReq('gl') as (
      w: number,
      h: number,
    ) => {
      getParameter(p: number): unknown;
      getExtension(name: string): { UNMASKED_RENDERER_WEBGL?: number; UNMASKED_VENDOR_WEBGL?: number } | null;
      RENDERER: number;
      VERSION: number;
    } | null;
    const gl = createGl(1, 1);
    if (!gl) return undefined;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(
      info?.UNMASKED_RENDERER_WEBGL !== undefined
        ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL)
        : gl.getParameter(gl.RENDERER),
    );
    const version = String(gl.getParameter(gl.VERSION));
    const ext = gl.getExtension('STACKGL_destroy_context') as { destroy?: () => void } | null;
    ext?.destroy?.();
    const device = existsSync('/dev/dri')
      ? 'a /dev/dri device exists'
      : 'no GPU device (/dev/dri absent): software rendering on the CPU';
    return `${renderer} (${version}); ${device}`;
  } catch {
    return undefined;
  }
}
