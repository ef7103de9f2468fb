/**
 * Running generated kernels: compile once per (source, output size, input sizes) through the
 * kernel cache, keep outputs on the GPU as textures (GL modes) or as Float32Arrays (cpu,
 * webasm), and read back only when asked.
 */
import { SpectransError } from '@spectrans/core';
import { KernelSource, type MathFlavor } from './codegen/source.js';
import type {
  GpujsGpu,
  GpujsKernel,
  GpujsKernelArgument,
  GpujsKernelClass,
  GpujsModule,
  GpujsTexture,
} from './gpujs-api.js';
import { KernelCache } from './kernel-cache.js';
import { kernelSettings } from './kernel-settings.js';
import { isGlMode, kernelClassFor, type GpujsMode } from './modes.js';
import { Storage, StorageTracker } from './storage.js';

/** One kernel launch. */
export interface KernelCall {
  /** What the kernel computes, for error messages (e.g. `'matmul'`). */
  readonly op: string;
  /** The kernel source (from `KernelSource.build`). */
  readonly source: string;
  /** Output elements. */
  readonly size: number;
  /** Tensor inputs, bound to `t0, t1, ...`. */
  readonly inputs: readonly Storage[];
  /** Scalar inputs, bound to `s0, s1, ...` as float uniforms. */
  readonly scalars?: readonly number[];
}

/** Float index arithmetic in kernels is exact below 2^24 elements (GL and webasm compute it in float32). */
export const MAX_FLOAT32_INDEX = 2 ** 24;

/** Executes kernels for one backend instance (one gpu.js `GPU`, one GL context). */
export class Runtime {
  readonly gl: boolean;
  readonly flavor: MathFlavor;
  readonly tracker = new StorageTracker();
  readonly cache: KernelCache;
  readonly maxElements: number;
  readonly #kernelClass: GpujsKernelClass;
  #placeholder: Storage | undefined;

  constructor(
    readonly mod: GpujsModule,
    readonly gpu: GpujsGpu,
    readonly mode: GpujsMode,
    readonly backendName: string,
    kernelCacheSize: number,
  ) {
    this.gl = isGlMode(mode);
    this.flavor = this.gl ? 'gl' : 'exact';
    this.cache = new KernelCache(kernelCacheSize);
    this.maxElements = mode === 'cpu' ? 2 ** 31 - 1 : MAX_FLOAT32_INDEX;
    this.#kernelClass = kernelClassFor(mod, mode);
  }

  /** A new kernel source with `tensors` tensor and `scalars` scalar arguments. */
  source(tensors: number, scalars = 0): KernelSource {
    return new KernelSource(tensors, scalars, this.flavor);
  }

  /**
   * Runs a kernel and returns its output storage (a new texture in GL modes).
   * @throws SpectransError `ERR_UNSUPPORTED_OP` for outputs beyond the mode's index range, or when
   *   gpu.js cannot run a kernel on this mode's backend.
   */
  run(call: KernelCall): Storage {
    if (call.size === 0) return this.empty();
    this.#checkSize(call.op, call.size);
    const inputs = call.inputs.map((s) => (s.data.kind === 'empty' ? this.#emptyPlaceholder() : s));
    const key = `${call.size}|${inputs.map((s) => s.size).join(',')}|${call.source}`;
    const entry = this.cache.get(key, () => this.#compile(call));
    const args: GpujsKernelArgument[] = inputs.map(argumentOf);
    if (call.scalars) args.push(...call.scalars);
    let result: unknown;
    try {
      result = entry.kernel(...args);
    } catch (e) {
      this.cache.drop(entry);
      throw new SpectransError(
        'ERR_UNSUPPORTED_OP',
        `${this.backendName}: gpu.js could not run the ${call.op} kernel: ${e instanceof Error ? e.message : String(e)}`,
        { cause: e },
      );
    }
    if (entry.runs++ === 0) this.#checkBackend(entry.kernel, call.op, entry);
    if (this.gl) {
      const texture = result as GpujsTexture;
      if (!texture || typeof texture.delete !== 'function') {
        throw new SpectransError(
          'ERR_UNSUPPORTED_OP',
          `${this.backendName}: the ${call.op} kernel did not return a texture`,
        );
      }
      entry.pins++;
      return new Storage({ kind: 'texture', texture }, call.size, entry);
    }
    if (!(result instanceof Float32Array) || result.length !== call.size) {
      throw new SpectransError(
        'ERR_UNSUPPORTED_OP',
        `${this.backendName}: the ${call.op} kernel returned ${describe(result)} instead of a Float32Array of ${call.size}`,
      );
    }
    return new Storage({ kind: 'array', array: result }, call.size);
  }

  /** A storage of zero elements. */
  empty(): Storage {
    return new Storage({ kind: 'empty' }, 0);
  }

  /** Uploads host data: a texture in GL modes, the array itself otherwise. */
  upload(data: Float32Array): Storage {
    if (data.length === 0) return this.empty();
    this.#checkSize('fromArray', data.length);
    if (!this.gl) return new Storage({ kind: 'array', array: data }, data.length);
    const key = `${data.length}|upload`;
    const entry = this.cache.get(key, () =>
      this.#createKernel('function(t0) { return t0[this.thread.x]; }', data.length),
    );
    let texture: GpujsTexture;
    try {
      texture = entry.kernel(data) as GpujsTexture;
    } catch (e) {
      this.cache.drop(entry);
      throw new SpectransError(
        'ERR_UNSUPPORTED_OP',
        `${this.backendName}: uploading ${data.length} values failed: ${e instanceof Error ? e.message : String(e)}`,
        { cause: e },
      );
    }
    if (entry.runs++ === 0) this.#checkBackend(entry.kernel, 'fromArray', entry);
    entry.pins++;
    return new Storage({ kind: 'texture', texture }, data.length, entry);
  }

  /** Reads a storage back as a new Float32Array (synchronous `readPixels` in GL modes). */
  read(storage: Storage): Float32Array {
    const { data } = storage;
    if (data.kind === 'empty') return new Float32Array(0);
    if (data.kind === 'array') return data.array.slice();
    const values = data.texture.toArray();
    if (values instanceof Float32Array && values.length === storage.size) return values;
    if (values instanceof Float32Array && values.length > storage.size) return values.slice(0, storage.size);
    throw new SpectransError(
      'ERR_UNSUPPORTED_OP',
      `${this.backendName}: reading a texture returned ${describe(values)}`,
    );
  }

  /** Frees the placeholder and every kernel. */
  destroy(): void {
    this.#placeholder?.release();
    this.#placeholder = undefined;
    this.cache.clear();
  }

  #compile(call: KernelCall): GpujsKernel {
    try {
      return this.#createKernel(call.source, call.size);
    } catch (e) {
      throw new SpectransError(
        'ERR_UNSUPPORTED_OP',
        `${this.backendName}: gpu.js could not compile the ${call.op} kernel: ${e instanceof Error ? e.message : String(e)}`,
        { cause: e },
      );
    }
  }

  #createKernel(source: string, size: number): GpujsKernel {
    return this.gpu.createKernel(source, kernelSettings(size, this.gl));
  }

  /** gpu.js silently degrades kernels it cannot translate to its cpu backend; refuse that. */
  #checkBackend(kernel: GpujsKernel, op: string, entry: Parameters<KernelCache['drop']>[0]): void {
    const ran = kernel.kernel;
    if (ran instanceof this.#kernelClass) return;
    this.cache.drop(entry);
    const reason = ran.fallbackReason ? `: ${ran.fallbackReason}` : '';
    throw new SpectransError(
      'ERR_UNSUPPORTED_OP',
      `${this.backendName}: gpu.js ran the ${op} kernel with ${ran.constructor.name} instead of the ${this.mode} backend${reason}`,
    );
  }

  #checkSize(op: string, size: number): void {
    if (size > this.maxElements) {
      throw new SpectransError(
        'ERR_UNSUPPORTED_OP',
        `${this.backendName}: ${op} would produce ${size} elements; this mode indexes tensors in float32 and supports at most ${this.maxElements}`,
      );
    }
  }

  /** A one-element stand-in for empty inputs (kernels never read it, but GL needs a texture). */
  #emptyPlaceholder(): Storage {
    this.#placeholder ??= this.upload(new Float32Array(1));
    return this.#placeholder;
  }
}

function argumentOf(storage: Storage): GpujsKernelArgument {
  const { data } = storage;
  if (data.kind === 'texture') return data.texture;
  if (data.kind === 'array') return data.array;
  throw new Error('empty storage passed to a kernel');
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as Float32Array).length})`;
  return typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
}
