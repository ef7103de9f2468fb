/**
 * The backends under test, loaded by dynamic import so that a backend that is missing, unfinished
 * or unable to start here is reported as unavailable (with the reason) instead of ending the run.
 */
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { matmul, tensor, type Backend } from '@spectrans/core';

/**
 * Every backend configuration the bench knows, in report order. Browser-only engines (tfjs webgl,
 * gpu.js webgl/webgl2) are not listed: Node has no WebGL. tfjs-tensorflow (tfjs-node) runs where
 * that optional package is installed, and is reported unavailable otherwise.
 */
export const BACKEND_IDS = ['js', 'tfjs-cpu', 'tfjs-wasm', 'tfjs-tensorflow', 'gpujs-headlessgl', 'gpujs-webasm', 'gpujs-cpu'] as const;
export type BackendId = (typeof BACKEND_IDS)[number];

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
  /** Milliseconds the factory took. */
  readonly startMs: number;
}

export type BackendOutcome = { readonly ok: true; readonly loaded: LoadedBackend } | { readonly ok: false; readonly id: BackendId; readonly reason: string };

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

async function factoryOf(pkg: string, exportName: string): Promise<Factory> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pkg)) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${pkg} could not be imported: ${message(e)}`);
  }
  const f = mod[exportName];
  if (typeof f !== 'function') throw new Error(`${pkg} does not export ${exportName} (yet)`);
  return f as Factory;
}

/** A tiny product on the backend, read back: proves the backend runs and warms its first kernel. */
async function probe(backend: Backend): Promise<void> {
  const a = tensor([[1, 2], [3, 4]], undefined, 'float32', { backend });
  const c = matmul(a, a);
  const v = await c.data();
  a.dispose();
  c.dispose();
  if (v[0] !== 7 || v[3] !== 22) throw new Error(`probe matmul returned [${Array.from(v).join(', ')}], expected [7, 10, 15, 22]`);
}

/** Creates one backend, or says why it cannot run here. Never throws. */
export async function loadBackend(id: BackendId): Promise<BackendOutcome> {
  const t0 = performance.now();
  try {
    let backend: Backend;
    let ran: string;
    let tf: TfLike | undefined;
    if (id === 'js') {
      const create = await factoryOf('@spectrans/backend-js', 'createJsBackend');
      backend = (await create({})) as Backend;
      await probe(backend);
      ran = backend.name;
    } else if (id.startsWith('tfjs-')) {
      const engine = id.slice('tfjs-'.length);
      const create = await factoryOf('@spectrans/backend-tfjs', 'createTfjsBackend');
      backend = (await create({ engine })) as Backend;
      await probe(backend);
      tf = await tfjsCore();
      const active = tf?.getBackend();
      const engineNow = (backend as { engine?: unknown }).engine;
      ran = `${backend.name}${typeof engineNow === 'string' ? ` engine '${engineNow}'` : ''}${active ? `, tf.getBackend() = '${active}' after the probe op` : ''}`;
      if (active !== undefined && active !== engine) throw new Error(`asked for engine '${engine}' but tfjs ran '${active}'`);
    } else {
      const mode = id.slice('gpujs-'.length);
      const create = await factoryOf('@spectrans/backend-gpujs', 'createGpujsBackend');
      backend = (await create({ mode })) as Backend;
      await probe(backend);
      const modeNow = (backend as { mode?: unknown }).mode;
      ran = `${backend.name}${typeof modeNow === 'string' ? ` (mode '${modeNow}')` : ''}`;
      if (typeof modeNow === 'string' && modeNow !== mode) throw new Error(`asked for mode '${mode}' but the backend runs '${modeNow}'`);
    }
    return { ok: true, loaded: { id, backend, ran, ...(tf ? { tf } : {}), startMs: performance.now() - t0 } };
  } catch (e) {
    let reason = message(e);
    if (id === 'gpujs-headlessgl' && !process.env['DISPLAY']) reason += ' [no DISPLAY: run the bench where xvfb-run exists, or under xvfb-run -a]';
    return { ok: false, id, reason };
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
    const gpujsReq = createRequire(createRequire(join(packageDir('@spectrans/backend-gpujs'), 'package.json')).resolve('gpu.js'));
    const createGl = gpujsReq('gl') as (w: number, h: number) => {
      getParameter(p: number): unknown;
      getExtension(name: string): { UNMASKED_RENDERER_WEBGL?: number; UNMASKED_VENDOR_WEBGL?: number } | null;
      RENDERER: number;
      VERSION: number;
    } | null;
    const gl = createGl(1, 1);
    if (!gl) return undefined;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(info?.UNMASKED_RENDERER_WEBGL !== undefined ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    const version = String(gl.getParameter(gl.VERSION));
    const ext = gl.getExtension('STACKGL_destroy_context') as { destroy?: () => void } | null;
    ext?.destroy?.();
    const device = existsSync('/dev/dri') ? 'a /dev/dri device exists' : 'no GPU device (/dev/dri absent): software rendering on the CPU';
    return `${renderer} (${version}); ${device}`;
  } catch {
    return undefined;
  }
}
