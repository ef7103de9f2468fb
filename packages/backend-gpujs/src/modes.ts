/**
 * gpu.js modes: loading gpu.js on demand, and finding out whether a mode can really run here.
 *
 * gpu.js quietly falls back to another backend when the one asked for is missing (no `gl`
 * package, no X display, no WebGL); this module turns that into a clear answer instead.
 */
import { SpectransError } from '@spectrans/core';
import type { GpujsGpu, GpujsKernelClass, GpujsModule, GpujsTexture } from './gpujs-api.js';
import { kernelSettings } from './kernel-settings.js';

/**
 * A gpu.js mode this backend can run in: `headlessgl` (Node, through the `gl` package),
 * `webgl`/`webgl2` (browsers), `webasm` (WebAssembly on the CPU) or `cpu` (plain JavaScript).
 */
export type GpujsMode = 'headlessgl' | 'webgl' | 'webgl2' | 'webasm' | 'cpu';

/** Every mode, in a stable order. */
export const GPUJS_MODES: readonly GpujsMode[] = ['headlessgl', 'webgl', 'webgl2', 'webasm', 'cpu'];

/** Whether a mode renders on a GPU through WebGL (textures, float32 with reduced precision). */
export function isGlMode(mode: GpujsMode): boolean {
  return mode === 'headlessgl' || mode === 'webgl' || mode === 'webgl2';
}

/** Whether a mode can run here, and if not, why. */
export type ModeStatus = { readonly available: true } | { readonly available: false; readonly reason: string };

let gpujsModule: Promise<GpujsModule> | undefined;

/**
 * Loads gpu.js once (dynamic import: importing this package has no side effects).
 * @throws SpectransError `ERR_BACKEND_INIT` when gpu.js is not installed.
 */
export function loadGpujs(): Promise<GpujsModule> {
  gpujsModule ??= import('gpu.js').then(
    (ns: unknown) => {
      const mod = ns as Partial<GpujsModule> & { default?: Partial<GpujsModule> };
      const resolved = mod.GPU ? mod : mod.default;
      if (!resolved?.GPU) throw new Error('gpu.js did not export GPU');
      return resolved as GpujsModule;
    },
    (e: unknown) => {
      gpujsModule = undefined;
      throw new SpectransError(
        'ERR_BACKEND_INIT',
        `gpu.js could not be loaded (install the peer dependency: npm install gpu.js): ${message(e)}`,
        { cause: e },
      );
    },
  );
  return gpujsModule;
}

/** The gpu.js kernel class that must run a mode's kernels. */
export function kernelClassFor(mod: GpujsModule, mode: GpujsMode): GpujsKernelClass {
  switch (mode) {
    case 'headlessgl':
      return mod.HeadlessGLKernel;
    case 'webgl':
      return mod.WebGLKernel;
    case 'webgl2':
      return mod.WebGL2Kernel;
    case 'webasm':
      return mod.WebAssemblyKernel;
    case 'cpu':
      return mod.CPUKernel;
  }
}

/**
 * Whether `mode` can run here, without creating a backend.
 * @example
 * ```ts
 * if (await isGpujsModeAvailable('headlessgl')) setBackend(await createGpujsBackend({ mode: 'headlessgl' }));
 * ```
 */
export async function isGpujsModeAvailable(mode: GpujsMode): Promise<boolean> {
  return (await gpujsModeStatus(mode)).available;
}

/**
 * Whether `mode` can run here and, when it cannot, what is missing (the message
 * `createGpujsBackend` would throw). Runs a one-element probe kernel in the mode.
 */
export async function gpujsModeStatus(mode: GpujsMode): Promise<ModeStatus> {
  try {
    const gpu = await startGpu(mode);
    await gpu.destroy();
    return { available: true };
  } catch (e) {
    return { available: false, reason: message(e) };
  }
}

/**
 * Creates a gpu.js `GPU` in `mode` and proves, with a probe kernel, that kernels really run on
 * that backend (and, in GL modes, read and write float32 textures exactly).
 *
 * @throws SpectransError `ERR_BACKEND_INIT` naming what is missing when the mode is unavailable.
 */
export async function startGpu(mode: GpujsMode): Promise<GpujsGpu> {
  if (!GPUJS_MODES.includes(mode)) {
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `mode must be one of ${GPUJS_MODES.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(mode)}`,
    );
  }
  const mod = await loadGpujs();
  const missing = await missingFor(mod, mode);
  if (missing) throw new SpectransError('ERR_BACKEND_INIT', `gpu.js mode '${mode}' is not available: ${missing}`);
  let gpu: GpujsGpu;
  try {
    gpu = new mod.GPU({ mode });
  } catch (e) {
    throw new SpectransError('ERR_BACKEND_INIT', `gpu.js mode '${mode}' is not available: ${message(e)}`, { cause: e });
  }
  try {
    probe(mod, gpu, mode);
  } catch (e) {
    await gpu.destroy().catch(() => undefined);
    if (e instanceof SpectransError) throw e;
    throw new SpectransError('ERR_BACKEND_INIT', `gpu.js mode '${mode}' failed its probe kernel: ${message(e)}`, {
      cause: e,
    });
  }
  return gpu;
}

/** Runs a tiny kernel and checks which backend ran it and what came back. */
function probe(mod: GpujsModule, gpu: GpujsGpu, mode: GpujsMode): void {
  const gl = isGlMode(mode);
  const kernel = gpu.createKernel('function(a, s) { return a[this.thread.x] * s; }', kernelSettings(3, gl));
  const input = new Float32Array([1.5, -0.1, 3e38]);
  const out = kernel(input, 2);
  const expected = kernelClassFor(mod, mode);
  const ran = kernel.kernel;
  if (
    !(ran instanceof expected) ||
    (mode === 'webgl' && ran instanceof mod.WebGL2Kernel) ||
    (mode !== 'headlessgl' && ran instanceof mod.HeadlessGLKernel)
  ) {
    const reason = ran.fallbackReason ? ` (${ran.fallbackReason})` : '';
    throw new SpectransError(
      'ERR_BACKEND_INIT',
      `gpu.js mode '${mode}' is not available: gpu.js ran the probe kernel with ${ran.constructor.name} instead${reason}`,
    );
  }
  const values = gl ? (out as GpujsTexture).toArray() : out;
  if (gl) (out as GpujsTexture).delete();
  const ok =
    values instanceof Float32Array &&
    values[0] === 3 &&
    values[1] === Math.fround(Math.fround(-0.1) * 2) &&
    values[2] === Infinity;
  if (!ok) {
    throw new SpectransError(
      'ERR_BACKEND_INIT',
      `gpu.js mode '${mode}' is not available: the probe kernel returned wrong float32 values (${String(values)}); float textures are not exact here`,
    );
  }
}

/** What a mode lacks here, from gpu.js's feature checks and the environment; undefined if nothing. */
async function missingFor(mod: GpujsModule, mode: GpujsMode): Promise<string | undefined> {
  const { GPU } = mod;
  switch (mode) {
    case 'cpu':
      return undefined;
    case 'webasm':
      return GPU.isWebAssemblySupported
        ? undefined
        : 'WebAssembly (with SIMD) is not supported by this JavaScript engine';
    case 'webgl':
    case 'webgl2':
      if (mode === 'webgl' ? GPU.isWebGLSupported : GPU.isWebGL2Supported)
        return singlePrecision(GPU.isSinglePrecisionSupported);
      return typeof document === 'undefined'
        ? `${mode} needs a browser with ${mode === 'webgl' ? 'WebGL' : 'WebGL 2'} (in Node use mode 'headlessgl')`
        : `this browser offers no ${mode === 'webgl' ? 'WebGL' : 'WebGL 2'} context (disabled, or no GPU driver)`;
    case 'headlessgl': {
      if (GPU.isHeadlessGLSupported) return singlePrecision(GPU.isSinglePrecisionSupported);
      return await whyNoHeadlessGl();
    }
  }
}

function singlePrecision(supported: boolean): string | undefined {
  return supported
    ? undefined
    : 'float32 textures (OES_texture_float and float render targets) are not supported by this GL driver';
}

/** Explains why gpu.js found no headless-gl context: the `gl` package, or the X display. */
async function whyNoHeadlessGl(): Promise<string> {
  if (typeof process === 'undefined' || !process.versions?.node)
    return "mode 'headlessgl' only runs in Node (in a browser use 'webgl2' or 'webgl')";
  try {
    const { createRequire } = await import('node:module');
    const fromHere = createRequire(import.meta.url);
    const fromGpujs = createRequire(fromHere.resolve('gpu.js'));
    fromGpujs('gl');
  } catch (e) {
    return (
      `the optional dependency 'gl' (headless-gl) could not be loaded (${message(e).split('\n')[0]}); ` +
      'install it with build tools and the GL/X11 headers (Debian: apt-get install build-essential python3 libgl1-mesa-dev libxi-dev libx11-dev) and reinstall gpu.js'
    );
  }
  const display = process.env['DISPLAY'];
  if (!display) {
    return "headless-gl found no X display (DISPLAY is not set): on a server run under 'xvfb-run -a <command>' (Debian: apt-get install xvfb xauth)";
  }
  return `headless-gl could not create a WebGL context on DISPLAY=${display}: check that the X server is running and Mesa is installed (Debian: apt-get install libgl1-mesa-dri), or run under 'xvfb-run -a'`;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
