/** The ops contract on gpu.js: `createGpujsBackend` and the backend it returns. */
import {
  SpectransError,
  type Backend,
  type BackendCapabilities,
  type DType,
  type DistanceMetric,
  type FloatArray,
  type Shape,
} from '@spectrans/core';
import {
  checkOptions,
  sizeOf,
  type BackendMemory,
  type BinaryOp,
  type ReduceOp,
  type TensorRef,
  type UnaryOp,
} from '@spectrans/core/backend';
import type { GpujsGpu, GpujsModule } from './gpujs-api.js';
import { isGlMode, loadGpujs, startGpu, type GpujsMode } from './modes.js';
import * as elementwise from './ops/elementwise.js';
import * as features from './ops/features.js';
import * as layout from './ops/layout.js';
import * as linear from './ops/linear.js';
import type { Operand } from './ops/operand.js';
import * as reductions from './ops/reduce.js';
import { Runtime } from './runtime.js';
import { GpujsHandle, type Storage } from './storage.js';

/** Options of `createGpujsBackend`. */
export interface GpujsBackendOptions {
  /**
   * The gpu.js mode: `'headlessgl'` (Node, needs the `gl` package and an X display, e.g. Xvfb),
   * `'webgl'` / `'webgl2'` (browsers), `'webasm'` or `'cpu'`.
   */
  readonly mode: GpujsMode;
  /** Compiled kernels kept before the least recently used are freed; default 256. */
  readonly kernelCacheSize?: number;
}

/** `memory()` of the gpu.js backend: the contract's counters plus textures and kernels. */
export interface GpujsMemory extends BackendMemory {
  /** Live GPU textures held by tensors (0 in cpu/webasm modes); shared storage counts once. */
  readonly textures: number;
  /** Bytes of those textures (RGBA float32 texels, padded to the texture rectangle). */
  readonly textureBytes: number;
  /** Compiled kernels currently held. */
  readonly kernels: number;
  /** Kernels compiled since the backend started (a cache miss each). */
  readonly kernelsCompiled: number;
  /** Kernel lookups served from the cache. */
  readonly kernelCacheHits: number;
}

/** A backend on gpu.js. Its handles are opaque; outputs stay on the GPU until read. */
export interface GpujsBackend extends Backend<GpujsHandle> {
  /** `'gpujs-<mode>'`, the mode that actually runs. */
  readonly name: string;
  /** The gpu.js mode this backend runs in (checked at creation: never a silent fallback). */
  readonly mode: GpujsMode;
  readSync(x: TensorRef<GpujsHandle>): Float32Array;
  memory(): GpujsMemory;
  destroy(): Promise<void>;
  fwht(x: TensorRef<GpujsHandle>): GpujsHandle;
  rffFeatures(
    x: TensorRef<GpujsHandle>,
    omega: TensorRef<GpujsHandle>,
    bias: TensorRef<GpujsHandle>,
    scale: number,
    cosSin: boolean,
    outShape: Shape,
  ): GpujsHandle;
}

const DEFAULT_KERNEL_CACHE_SIZE = 256;

/**
 * Creates a compute backend on gpu.js in the given mode.
 *
 * gpu.js is imported here, not when this package is imported. The factory runs a probe kernel
 * and refuses to start when gpu.js would fall back to another backend than the one asked for.
 *
 * @param options - `mode`, and optionally `kernelCacheSize`.
 * @returns a backend named `gpujs-<mode>` with `mode` set to the mode that runs.
 * @throws SpectransError `ERR_BACKEND_INIT` naming what is missing (gpu.js itself, the `gl`
 *   package, an X display — "run under xvfb-run" —, WebGL, float textures, WebAssembly);
 *   `ERR_INVALID_ARGUMENT` for an unknown mode or a bad cache size.
 * @remarks GPU modes compute in GPU float32, which is not IEEE: capabilities declare float32 as
 *   `'reduced'` there (`'ieee'` in cpu and webasm modes). cos/sin are range-reduced (Cody & Waite
 *   1980) before evaluation; sums are blocked. No float64.
 * @example
 * ```ts
 * import { setBackend, tensor, matmul } from '@spectrans/core';
 * import { createGpujsBackend } from '@spectrans/backend-gpujs';
 * await setBackend(await createGpujsBackend({ mode: 'headlessgl' })); // under xvfb-run on a server
 * const c = matmul(tensor([[1, 2]]), tensor([[3], [4]]));
 * console.log(await c.data()); // Float32Array [11]
 * ```
 */
export async function createGpujsBackend(options: GpujsBackendOptions): Promise<GpujsBackend> {
  const checked = checkOptions('createGpujsBackend', options ?? ({} as GpujsBackendOptions), [
    'mode',
    'kernelCacheSize',
  ]);
  const { mode } = checked;
  const cacheSize = checked.kernelCacheSize ?? DEFAULT_KERNEL_CACHE_SIZE;
  if (!Number.isInteger(cacheSize) || cacheSize < 1) {
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `kernelCacheSize must be a positive integer, got ${String(cacheSize)}`,
    );
  }
  const gpu = await startGpu(mode);
  return new GpujsBackendImpl(await loadGpujs(), gpu, mode, cacheSize);
}

class GpujsBackendImpl implements GpujsBackend {
  readonly name: string;
  readonly mode: GpujsMode;
  readonly capabilities: BackendCapabilities;
  readonly #rt: Runtime;
  readonly #gpu: GpujsGpu;
  #destroyed = false;

  constructor(mod: GpujsModule, gpu: GpujsGpu, mode: GpujsMode, cacheSize: number) {
    this.name = `gpujs-${mode}`;
    this.mode = mode;
    this.capabilities = Object.freeze({ dtypes: Object.freeze({ float32: isGlMode(mode) ? 'reduced' : 'ieee' }) });
    this.#gpu = gpu;
    this.#rt = new Runtime(mod, gpu, mode, this.name, cacheSize);
  }

  // ---- storage -------------------------------------------------------------------------------

  fromArray(data: FloatArray, shape: Shape, dtype: DType): GpujsHandle {
    this.#live();
    this.#float32(dtype);
    const values = data instanceof Float32Array ? data : Float32Array.from(data);
    if (values.length !== sizeOf(shape)) {
      throw new SpectransError(
        'ERR_INVALID_SHAPE',
        `${this.name}: fromArray got ${values.length} values for shape [${shape.join(', ')}]`,
      );
    }
    return this.#wrap(this.#rt.upload(values));
  }

  async read(x: TensorRef<GpujsHandle>): Promise<FloatArray> {
    return this.readSync(x);
  }

  readSync(x: TensorRef<GpujsHandle>): Float32Array {
    return this.#rt.read(this.#operand(x).storage);
  }

  dispose(handle: GpujsHandle): void {
    const storage = handle instanceof GpujsHandle ? handle.detach() : undefined;
    if (!storage) return;
    const freed = storage.release(); // after destroy() this only updates the counts: the context is gone
    this.#rt.tracker.removeHandle(storage, freed);
  }

  memory(): GpujsMemory {
    const t = this.#rt.tracker;
    const k = this.#rt.cache.stats;
    return {
      handles: t.handles,
      bytes: t.bytes,
      textures: t.textures,
      textureBytes: t.textureBytes,
      kernels: k.kernels,
      kernelsCompiled: k.compiled,
      kernelCacheHits: k.hits,
    };
  }

  async destroy(): Promise<void> {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#rt.destroy();
    await this.#gpu.destroy();
  }

  // ---- elementwise ---------------------------------------------------------------------------

  unary(op: UnaryOp, x: TensorRef<GpujsHandle>): GpujsHandle {
    return this.#wrap(elementwise.unary(this.#rt, op, this.#operand(x)));
  }

  binary(op: BinaryOp, a: TensorRef<GpujsHandle>, b: TensorRef<GpujsHandle>, outShape: Shape): GpujsHandle {
    return this.#wrap(elementwise.binary(this.#rt, op, this.#operand(a), this.#operand(b), outShape));
  }

  binaryScalar(op: BinaryOp, x: TensorRef<GpujsHandle>, scalar: number, scalarFirst: boolean): GpujsHandle {
    return this.#wrap(elementwise.binaryScalar(this.#rt, op, this.#operand(x), scalar, scalarFirst));
  }

  where(
    cond: TensorRef<GpujsHandle>,
    a: TensorRef<GpujsHandle>,
    b: TensorRef<GpujsHandle>,
    outShape: Shape,
  ): GpujsHandle {
    return this.#wrap(elementwise.where(this.#rt, this.#operand(cond), this.#operand(a), this.#operand(b), outShape));
  }

  cast(x: TensorRef<GpujsHandle>, dtype: DType): GpujsHandle {
    this.#float32(dtype);
    return this.#wrap(this.#operand(x).storage.retain());
  }

  // ---- reductions and scans ------------------------------------------------------------------

  reduce(op: ReduceOp, x: TensorRef<GpujsHandle>, axis: number): GpujsHandle {
    return this.#wrap(reductions.reduce(this.#rt, op, this.#operand(x), axis));
  }

  cumsum(x: TensorRef<GpujsHandle>, axis: number, exclusive: boolean, reverse: boolean): GpujsHandle {
    return this.#wrap(reductions.cumsum(this.#rt, this.#operand(x), axis, exclusive, reverse));
  }

  // ---- layout --------------------------------------------------------------------------------

  transpose(x: TensorRef<GpujsHandle>, perm: readonly number[]): GpujsHandle {
    return this.#wrap(layout.transpose(this.#rt, this.#operand(x), perm));
  }

  reshape(x: TensorRef<GpujsHandle>, _shape: Shape): GpujsHandle {
    return this.#wrap(this.#operand(x).storage.retain());
  }

  concat(xs: readonly TensorRef<GpujsHandle>[], axis: number, outShape: Shape): GpujsHandle {
    return this.#wrap(
      layout.concat(
        this.#rt,
        xs.map((x) => this.#operand(x)),
        axis,
        outShape,
      ),
    );
  }

  slice(x: TensorRef<GpujsHandle>, begin: readonly number[], size: Shape): GpujsHandle {
    return this.#wrap(layout.slice(this.#rt, this.#operand(x), begin, size));
  }

  // ---- products and distances ----------------------------------------------------------------

  matmul(
    a: TensorRef<GpujsHandle>,
    b: TensorRef<GpujsHandle>,
    transposeA: boolean,
    transposeB: boolean,
    outShape: Shape,
  ): GpujsHandle {
    return this.#wrap(linear.matmul(this.#rt, this.#operand(a), this.#operand(b), transposeA, transposeB, outShape));
  }

  cdist(x: TensorRef<GpujsHandle>, y: TensorRef<GpujsHandle>, metric: DistanceMetric, outShape: Shape): GpujsHandle {
    return this.#wrap(linear.cdist(this.#rt, this.#operand(x), this.#operand(y), metric, outShape));
  }

  // ---- optional groups -----------------------------------------------------------------------

  fwht(x: TensorRef<GpujsHandle>): GpujsHandle {
    return this.#wrap(features.fwht(this.#rt, this.#operand(x)));
  }

  rffFeatures(
    x: TensorRef<GpujsHandle>,
    omega: TensorRef<GpujsHandle>,
    bias: TensorRef<GpujsHandle>,
    scale: number,
    cosSin: boolean,
    outShape: Shape,
  ): GpujsHandle {
    return this.#wrap(
      features.rffFeatures(
        this.#rt,
        this.#operand(x),
        this.#operand(omega),
        this.#operand(bias),
        scale,
        cosSin,
        outShape,
      ),
    );
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** A handle on `storage`; a storage with one reference is new, more means shared. */
  #wrap(storage: Storage): GpujsHandle {
    this.#rt.tracker.addHandle(storage, storage.refs === 1);
    return new GpujsHandle(storage);
  }

  #operand(ref: TensorRef<GpujsHandle>): Operand {
    this.#live();
    const storage = ref.handle instanceof GpujsHandle ? ref.handle.storage : undefined;
    if (!storage)
      throw new SpectransError('ERR_DISPOSED', `${this.name}: tensor (shape [${ref.shape.join(', ')}]) was disposed`);
    if (ref.dtype !== 'float32') this.#float32(ref.dtype);
    return { shape: ref.shape, storage };
  }

  #float32(dtype: DType): void {
    if (dtype !== 'float32')
      throw new SpectransError('ERR_UNSUPPORTED_DTYPE', `backend '${this.name}' supports float32 only, got ${dtype}`);
  }

  #live(): void {
    if (this.#destroyed) throw new SpectransError('ERR_DISPOSED', `backend '${this.name}' was destroyed`);
  }
}
