/**
 * Loading and instantiating the kernels: finds the compiled `.wasm` next to this module (or at
 * `wasmBaseUrl`), creates the memory (shared when a worker pool will use it) and the main-thread
 * instance.
 */

import { SpectransError } from '@spectrans/core/backend';

/** What the C kernels export (csrc/). */
export interface KernelExports {
  readonly job_run: (job: number, tid: number, nt: number) => void;
  readonly row_sqnorms_f32: (x: number, rows: number, d: number, out: number) => void;
  readonly transpose_f32: (src: number, count: number, rows: number, cols: number, dst: number) => void;
  readonly fwht_f32: (x: number, rows: number, n: number) => void;
  readonly copy_rows: (dst: number, src: number, rows: number, runBytes: number, srcStrideBytes: number) => void;
  readonly f64_to_f32: (src: number, n: number, dst: number) => void;
  readonly fill_f32: (x: number, n: number, value: number) => void;
  readonly fill_f64: (x: number, n: number, value: number) => void;
  readonly gemm_workspace_bytes: () => number;
  readonly la_causal_scratch_floats: (D: number, block: number) => number;
  readonly la_augment_rows_f32: (x: number, rows: number, cols: number, y: number, dst: number) => void;
  readonly __heap_base: WebAssembly.Global;
  readonly __stack_pointer: WebAssembly.Global;
}

/** File names of the two builds in dist/. */
export const WASM_FILES = { single: 'spectrans-simd.wasm', threads: 'spectrans-simd-threads.wasm' } as const;

/** Initial and maximum memory in 64 KiB pages (16 MiB, 2 GiB: kernels use signed 32-bit offsets). */
export const INITIAL_PAGES = 256;
export const MAXIMUM_PAGES = 32768;

const isNode = typeof process !== 'undefined' && process.versions?.node !== undefined;

/**
 * Imports a Node built-in by a computed name, so browser bundlers neither resolve nor bundle it
 * (it is only reached when running in Node).
 */
export function importNode<T>(name: 'fs/promises' | 'os' | 'worker_threads'): Promise<T> {
  const specifier = `node:${name}`;
  return import(/* @vite-ignore */ /* webpackIgnore: true */ specifier) as Promise<T>;
}

async function readBytes(url: URL): Promise<Uint8Array | undefined> {
  if (url.protocol === 'file:' && isNode) {
    const { readFile } = await importNode<typeof import('node:fs/promises')>('fs/promises');
    try {
      return await readFile(url);
    } catch {
      return undefined;
    }
  }
  const response = await fetch(url);
  return response.ok ? new Uint8Array(await response.arrayBuffer()) : undefined;
}

/**
 * Compiles one build. Looks in `base` when given, else next to this module (dist/ when installed)
 * and then in ../dist/ (running from src/ in the repository).
 */
export async function compileKernels(file: string, base?: string | URL): Promise<WebAssembly.Module> {
  const candidates =
    base !== undefined
      ? [new URL(file, base)]
      : [new URL(`./${file}`, import.meta.url), new URL(`../dist/${file}`, import.meta.url)];
  for (const url of candidates) {
    const bytes = await readBytes(url).catch(() => undefined);
    if (bytes !== undefined) return WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  }
  throw new SpectransError(
    'ERR_BACKEND_INIT',
    `wasm backend: ${file} not found at ${candidates.map(String).join(' or ')} (build it with \`pnpm --filter @spectrans/backend-wasm build\`)`,
  );
}

/** The imports every instance gets: the memory, and exact Math.cos/Math.sin for huge phases. */
export function kernelImports(memory: WebAssembly.Memory): WebAssembly.Imports {
  return { env: { memory, cos: Math.cos, sin: Math.sin } };
}

/** Instantiates `module` on `memory` (synchronously: the module is already compiled). */
export function instantiate(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  return new WebAssembly.Instance(module, kernelImports(memory)).exports as unknown as KernelExports;
}

/** A new memory for the kernels; shared when a pool of workers will run on it. */
export function createMemory(shared: boolean): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared });
}

/** Whether this platform can run the worker pool, and if not, why. */
export function threadSupport(): { ok: true } | { ok: false; reason: string } {
  if (typeof SharedArrayBuffer === 'undefined')
    return {
      ok: false,
      reason:
        'SharedArrayBuffer is unavailable (in a browser, serve the page cross-origin isolated: COOP same-origin and COEP require-corp)',
    };
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown };
  if (!isNode) {
    if (g.crossOriginIsolated === false)
      return {
        ok: false,
        reason:
          'the page is not cross-origin isolated (COOP/COEP headers), so wasm memory cannot be shared with workers',
      };
    if (typeof g.Worker !== 'function') return { ok: false, reason: 'Web Workers are unavailable here' };
  }
  return { ok: true };
}

/** Logical cores: os.availableParallelism() in Node, navigator.hardwareConcurrency in browsers. */
export async function availableCores(): Promise<number> {
  if (isNode) {
    const os = await importNode<typeof import('node:os')>('os');
    return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  }
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency ?? 1;
}

/** True in Node.js (worker_threads; the main thread may block in Atomics.wait). */
export const IS_NODE = isNode;
