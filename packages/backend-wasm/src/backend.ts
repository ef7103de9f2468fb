/**
 * createWasmBackend: the ops contract on WebAssembly SIMD128 kernels over one linear memory, with an
 * optional worker pool. Hot float32 paths (matmul, fused RFF features, fused log-space linear
 * attention, squared/L1 distances, the
 * Walsh–Hadamard transform, every elementwise op) run in wasm; float64 matmul runs in wasm; every
 * other op runs backend-js's implementation directly on views of the wasm heap (no copies in, one
 * copy out), so the whole contract holds with backend-js's precision.
 */
import { createJsBackend, type JsHandle } from '@spectrans/backend-js';
import { broadcastStrides, checkOptions, coalesceAxes, sizeOf, SpectransError } from '@spectrans/core/backend';
import type {
  Backend,
  BackendCapabilities,
  BinaryOp,
  DistanceMetric,
  DType,
  FloatArray,
  Shape,
  TensorRef,
  UnaryOp,
} from '@spectrans/core/backend';
import { logLinearAttentionOp } from './attention.js';
import { logLinearAttentionGradOp, type AttentionGradContext } from './attention-grad.js';
import { positiveFeaturesOp } from './features.js';
import { batchOffsets } from './batch.js';
import { WasmHeap } from './heap.js';
import { concatInto, sliceInto, uniformRows } from './layout.js';
import {
  BINARY_F32,
  EPILOGUE,
  float32Bits,
  JOB,
  JOB_WORDS,
  PARALLEL_MIN_ELEMENTS,
  PARALLEL_MIN_FLOPS,
  REDUCE_F32,
  UNARY_F32,
} from './jobs.js';
import { WorkerPool } from './pool.js';
import {
  availableCores,
  compileKernels,
  createMemory,
  instantiate,
  threadSupport,
  WASM_FILES,
  type KernelExports,
} from './runtime.js';
import { HandleStore, handleOf, type WasmHandle } from './storage.js';

/** Options of {@link createWasmBackend}. */
export interface WasmBackendOptions {
  /** The backend's name in the registry and in error messages; default `'wasm'`. */
  name?: string;
  /**
   * Threads for large kernels, the calling thread included: an integer >= 1. Default: the available
   * cores (`os.availableParallelism()` in Node, `navigator.hardwareConcurrency` in browsers). `1`
   * starts no workers. Where shared memory is unavailable the backend runs single-threaded and says
   * why in {@link WasmBackend.threadingNote}.
   */
  threads?: number;
  /**
   * Where to load `spectrans-simd.wasm` / `spectrans-simd-threads.wasm` from (a directory URL ending
   * in `/`). Default: next to this module, which is right for Node and for bundlers that copy the
   * package's `dist/` files.
   */
  wasmBaseUrl?: string | URL;
}

/** The wasm backend: the ops contract plus its threading state. */
export interface WasmBackend extends Backend<WasmHandle> {
  /** Threads kernels use (1 when single-threaded, and from the moment a pool worker has died). */
  readonly threads: number;
  /**
   * Why fewer threads than requested run (e.g. no SharedArrayBuffer, or which pool worker died and
   * how); undefined otherwise.
   */
  readonly threadingNote: string | undefined;
  /** The linear memory tensors live in (shared when threads > 1). Views of it go stale when it grows. */
  readonly wasmMemory: WebAssembly.Memory;
  /** Stops the worker pool; the backend is unusable afterwards. */
  destroy(): Promise<void>;
}

/**
 * What the wasm backend declares: IEEE float32 and float64. float32 products and sums accumulate in
 * float32 (within the classical γ_k bound); float32 exp/log/sin/cos/tanh/elu/pow are evaluated in double
 * precision and rounded once (within 1 ulp of Math rounded to float32; 0 ulp measured over dense
 * sweeps), the fused rffFeatures' cos/sin in float32 (absolute error about 1.6·2^-24); float64
 * ops other than matmul compute as backend-js does. float64 data uploaded to float32 tensors is
 * rounded in wasm (SIMD), so core hands it over unconverted.
 */
export const WASM_CAPABILITIES: BackendCapabilities = Object.freeze({
  dtypes: Object.freeze({ float32: 'ieee', float64: 'ieee' }),
  roundsFloat64Uploads: true,
});

/** Elements per staging chunk of a float64 to float32 upload (128 KiB of doubles: stays in L2). */
const UPLOAD_CHUNK = 1 << 14;

/** A Node Buffer: the members the read path uses. */
interface NodeBuffer {
  readonly buffer: ArrayBuffer;
  readonly byteOffset: number;
  copy(target: NodeBuffer): number;
}

/** Node's Buffer statics, where present (Node; not browsers). */
const NodeBufferStatics = (
  globalThis as unknown as {
    Buffer?: {
      allocUnsafeSlow(size: number): NodeBuffer;
      from(buffer: ArrayBufferLike, byteOffset: number, length: number): NodeBuffer;
    };
  }
).Buffer;

/**
 * A copy of a heap view in memory the caller owns. Large results in Node go into an uninitialised
 * buffer (malloc, reusing freed memory, instead of calloc's fresh zeroed pages) copied by
 * `Buffer.prototype.copy` from a Buffer over the heap: one native memmove, where V8's TypedArray
 * copies out of a shared (threaded) memory go word by word, and `Buffer.prototype.fill` with a
 * shared source takes a slow path (copying 4 MiB alone: 0.66 ms, against 1.0 ms for `slice` and
 * 3.6 ms for `fill`; a 4 MiB read through the backend: 0.49 ms, against 0.54 ms with `fill`).
 * Elsewhere (browsers) `slice` copies.
 */
function copyOut(view: FloatArray): FloatArray {
  if (NodeBufferStatics === undefined || view.byteLength < 1 << 18) return view.slice();
  const bytes = NodeBufferStatics.allocUnsafeSlow(view.byteLength);
  NodeBufferStatics.from(view.buffer, view.byteOffset, view.byteLength).copy(bytes);
  return view instanceof Float32Array
    ? new Float32Array(bytes.buffer, bytes.byteOffset, view.length)
    : new Float64Array(bytes.buffer, bytes.byteOffset, view.length);
}

/** Each backend's worker pool, for this package's tests (not exported from the package entry). */
const pools = new WeakMap<WasmBackend, WorkerPool>();

/**
 * Test hook: makes the supervisor of `backend`'s pool terminate worker `tid` (1-based; 0 ends the
 * supervisor itself, and its workers with it), at once
 * (resolves once the death is recorded) or as soon as the next job is in flight (resolves once the
 * supervisor watches for it). Not part of the package's API.
 *
 * @throws Error when the backend has no pool.
 */
export function terminatePoolWorkerForTest(backend: WasmBackend, tid: number, whenBusy: boolean): Promise<void> {
  const pool = pools.get(backend);
  if (pool === undefined)
    throw new SpectransError('ERR_INVALID_ARGUMENT', 'terminatePoolWorkerForTest: this backend has no worker pool');
  return pool.terminateWorkerForTest(tid, whenBusy);
}

const OPTION_KEYS = ['name', 'threads', 'wasmBaseUrl'] as const;

function checkWasmOptions(options: WasmBackendOptions | undefined): { name: string; threads: number | undefined } {
  const owner = 'createWasmBackend';
  const checked = checkOptions(owner, options, OPTION_KEYS);
  const name = checked.name ?? 'wasm';
  if (typeof name !== 'string' || name === '')
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `${owner}: name must be a non-empty string, got ${JSON.stringify(name)}`,
    );
  const threads = checked.threads;
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1))
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `${owner}: threads must be an integer >= 1, got ${String(threads)}`,
    );
  const base = checked.wasmBaseUrl;
  if (base !== undefined && typeof base !== 'string' && !(base instanceof URL))
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `${owner}: wasmBaseUrl must be a string or a URL, got ${typeof base}`,
    );
  return { name, threads };
}

/**
 * Creates an instance of the wasm backend: compiles the kernels, creates its memory and (for more
 * than one thread) starts its worker pool. Each instance has its own memory and accounting.
 *
 * If a pool worker dies (an uncaught error, or its thread terminated), the death is detected even
 * while the calling thread is blocked waiting for a job: the op whose job was running (or, for a
 * death between jobs, the next op that would use the pool) throws a `SpectransError` with code
 * `ERR_BACKEND_FAILURE` naming the worker and why, and never hangs. From then on the backend runs
 * single-threaded (`threads` is 1, `threadingNote` says why); tensors and their memory are intact.
 *
 * @param options - `name` (default `'wasm'`), `threads` (default: available cores), `wasmBaseUrl`.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` for an unknown or bad option; `ERR_BACKEND_INIT`
 * when the `.wasm` file cannot be loaded, or a pool worker fails or takes over a minute to start.
 * @example
 * ```ts
 * import { setBackend } from '@spectrans/core';
 * import { createWasmBackend } from '@spectrans/backend-wasm';
 * const backend = await createWasmBackend({ threads: 2 });
 * await setBackend(backend);
 * // ... and when done (lets Node exit promptly): await backend.destroy();
 * ```
 */
export async function createWasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  const { name, threads: requested } = checkWasmOptions(options);
  const wanted = requested ?? (await availableCores());
  const support = threadSupport();
  const useThreads = wanted > 1 && support.ok;
  const threadingNote = wanted > 1 && !support.ok ? `single-threaded: ${support.reason}` : undefined;
  const module = await compileKernels(useThreads ? WASM_FILES.threads : WASM_FILES.single, options.wasmBaseUrl);
  const memory = createMemory(useThreads);
  const kernels = instantiate(module, memory);
  const heap = new WasmHeap(memory, kernels.__heap_base.value as number);
  const pool = useThreads ? await WorkerPool.start(module, heap, kernels, wanted - 1, name) : undefined;
  return buildBackend(name, heap, kernels, pool, threadingNote);
}

function buildBackend(
  name: string,
  heap: WasmHeap,
  kernels: KernelExports,
  pool: WorkerPool | undefined,
  threadingNote: string | undefined,
): WasmBackend {
  const store = new HandleStore(heap);
  let threads = pool?.threads ?? 1;
  let note = threadingNote;
  /** The pool while it works; undefined once a worker has died (the backend is single-threaded then). */
  let livePool = pool;
  const job = heap.alloc(JOB_WORDS * 4);
  const jobWord = job / 4;
  let workspace = 0;
  const workspaceBytes = kernels.gemm_workspace_bytes();
  let destroyed = false;
  type Ref = TensorRef<WasmHandle>;

  const run = (nt: number): void => {
    if (destroyed) throw new SpectransError('ERR_DISPOSED', `${name} backend: used after destroy()`);
    if (livePool === undefined || nt <= 1) {
      kernels.job_run(job, 0, 1);
      return;
    }
    try {
      livePool.run(job, nt);
    } catch (e) {
      const failure = livePool.failure;
      if (failure === undefined) throw e;
      // A worker died: this op fails, later ones run on this thread alone (the pool is shut down).
      livePool = undefined;
      threads = 1;
      note = `single-threaded since ${failure}`;
      throw new SpectransError(
        'ERR_BACKEND_FAILURE',
        `${(e as Error).message}; the backend runs single-threaded from now on`,
        { cause: e },
      );
    }
  };
  /** Runs `fill` to compute the new block `out`; disposes `out` when that throws. */
  const produce = (out: WasmHandle, fill: () => void): WasmHandle => {
    try {
      fill();
    } catch (e) {
      store.dispose(out);
      throw e;
    }
    return out;
  };
  const setJob = (words: readonly number[]): void => {
    const i32 = heap.i32;
    i32.fill(0, jobWord, jobWord + JOB_WORDS);
    i32.set(words, jobWord);
  };
  const gemmWorkspace = (): number => {
    if (workspace === 0) workspace = heap.alloc(workspaceBytes * threads);
    return workspace;
  };
  /** Copies `values` into a fresh scratch block; returns its pointer (free with freeInts). */
  const ints = (values: Int32Array): number => {
    const ptr = heap.alloc(Math.max(4, values.byteLength));
    heap.i32.set(values, ptr / 4);
    return ptr;
  };
  const freeInts = (ptr: number, values: Int32Array): void => heap.free(ptr, Math.max(4, values.byteLength));

  // ---- js fallback on heap views ---------------------------------------------------------------
  const js = createJsBackend({ name: `${name}/js-fallback` });
  const jsRef = (r: Ref): TensorRef<JsHandle> => ({
    handle: js.fromArray(store.view(handleOf(r)), r.shape, r.dtype),
    shape: r.shape,
    dtype: r.dtype,
  });
  const adopt = (h: JsHandle, dtype: DType): WasmHandle => {
    try {
      const out = store.allocate(h.data.length, dtype);
      store.view(out).set(h.data);
      return out;
    } finally {
      js.dispose(h);
    }
  };
  /** Runs `f` on js handles that view the inputs in place, and copies its result into the heap. */
  const viaJs = (inputs: readonly Ref[], dtype: DType, f: (refs: TensorRef<JsHandle>[]) => JsHandle): WasmHandle => {
    const refs = inputs.map(jsRef);
    let result: JsHandle;
    try {
      result = f(refs);
    } finally {
      for (const r of refs) js.dispose(r.handle);
    }
    return adopt(result, dtype);
  };

  // ---- wasm kernels --------------------------------------------------------------------------------
  const gemm = (
    a: Ref,
    b: Ref,
    transposeA: boolean,
    transposeB: boolean,
    outShape: Shape,
    epilogue: number,
    extra: (words: number[]) => void,
  ): WasmHandle => {
    const dtype = a.dtype;
    const ar = a.shape[a.shape.length - 2]!;
    const ac = a.shape[a.shape.length - 1]!;
    const br = b.shape[b.shape.length - 2]!;
    const bc = b.shape[b.shape.length - 1]!;
    const n = transposeA ? ac : ar;
    const k = transposeA ? ar : ac;
    const m = transposeB ? br : bc;
    const outBatch = outShape.slice(0, -2);
    const out = store.allocate(sizeOf(outShape), dtype);
    const batches = sizeOf(outBatch);
    if (batches === 0 || n === 0 || m === 0) return out;
    const [aoffs, boffs] = batchOffsets([a.shape.slice(0, -2), b.shape.slice(0, -2)], [ar * ac, br * bc], outBatch);
    const ap = ints(aoffs!);
    const bp = ints(boffs!);
    const ws = dtype === 'float32' ? gemmWorkspace() : 0;
    const words = [
      dtype === 'float32' ? JOB.gemmF32 : JOB.gemmF64,
      batches,
      n,
      m,
      k,
      handleOf(a).ptr,
      handleOf(b).ptr,
      out.ptr,
      transposeA ? 1 : ac,
      transposeA ? ac : 1,
      transposeB ? 1 : bc,
      transposeB ? bc : 1,
      m,
      n * m,
      ap,
      bp,
      ws,
      workspaceBytes,
      epilogue,
    ];
    extra(words);
    setJob(words);
    try {
      return produce(out, () => run(batches * n * m * k >= PARALLEL_MIN_FLOPS ? threads : 1));
    } finally {
      freeInts(ap, aoffs!);
      freeInts(bp, boffs!);
    }
  };

  /**
   * float32 pairwise distances with d >= 1, or with `rate` exp(rate · distance) stored in their place
   * (the L1 kernel's store, or the squared distances' GEMM epilogue).
   */
  const distances = (x: Ref, y: Ref, metric: DistanceMetric, outShape: Shape, rate: number | undefined): WasmHandle => {
    const d = x.shape[x.shape.length - 1]!;
    if (metric === 'l1') {
      const out = store.allocate(sizeOf(outShape), 'float32');
      const n = x.shape[x.shape.length - 2]!;
      const m = y.shape[y.shape.length - 2]!;
      if (out.length === 0) return out;
      const [xo, yo] = batchOffsets(
        [x.shape.slice(0, -2), y.shape.slice(0, -2)],
        [n * d, m * d],
        outShape.slice(0, -2),
      );
      const yT = store.allocate(handleOf(y).length, 'float32');
      const xp = ints(xo!);
      const yp = ints(yo!);
      try {
        kernels.transpose_f32(handleOf(y).ptr, handleOf(y).length / (m * d), m, d, yT.ptr);
        const withExp = rate === undefined ? [0, 0] : [1, float32Bits(rate)];
        setJob([JOB.cdistL1F32, xo!.length, n, m, d, handleOf(x).ptr, yT.ptr, out.ptr, xp, yp, ...withExp]);
        return produce(out, () => run(xo!.length * n * m * d >= PARALLEL_MIN_FLOPS ? threads : 1));
      } finally {
        store.dispose(yT);
        freeInts(xp, xo!);
        freeInts(yp, yo!);
      }
    }
    const xRows = handleOf(x).length / d;
    const yRows = handleOf(y).length / d;
    const xn = store.allocate(xRows, 'float32');
    const yn = store.allocate(yRows, 'float32');
    try {
      kernels.row_sqnorms_f32(handleOf(x).ptr, xRows, d, xn.ptr);
      kernels.row_sqnorms_f32(handleOf(y).ptr, yRows, d, yn.ptr);
      const epilogue = rate === undefined ? EPILOGUE.sqDistances : EPILOGUE.sqDistancesExp;
      return gemm(x, y, false, true, outShape, epilogue, (w) => {
        w[19] = xn.ptr;
        w[23] = yn.ptr;
        if (rate !== undefined) setScale(w, rate);
      });
    } finally {
      store.dispose(xn);
      store.dispose(yn);
    }
  };

  const unaryF32 = (code: number, x: Ref): WasmHandle => {
    const out = store.allocate(handleOf(x).length, 'float32');
    const n = out.length;
    if (n === 0) return out;
    setJob([JOB.unaryF32, code, n, handleOf(x).ptr, out.ptr]);
    return produce(out, () => run(n >= PARALLEL_MIN_ELEMENTS ? threads : 1));
  };

  /**
   * Operands' broadcast layout coalesced as far as it goes, cut into jobs of the shape the float32
   * binary and where kernels take: [rows, inner, then (ptr, row stride, inner stride) per operand],
   * each with the element offset of its block of the (contiguous) output. Layouts of three or more
   * axes after coalescing (e.g. (G, h, D) against (G, 1, D)) become one job per index of the leading
   * axes. The kernels step inner elements by 0 or 1, which contiguous operands always give (the
   * output's innermost axis of extent > 1 is, in each operand, its last axis or broadcast); should an
   * operand ever have another inner stride, a trailing axis of extent 1 makes the old inner axis the
   * rows, so every layout still runs on the kernel.
   */
  const rowJobs = (operands: readonly Ref[], outShape: Shape): { words: number[]; outOffset: number }[] => {
    const layout = coalesceAxes(
      outShape,
      operands.map((r) => broadcastStrides(r.shape, outShape)),
    );
    const scalar = layout.dims.length === 0;
    const dims = scalar ? [1] : [...layout.dims];
    const strides = operands.map((_, o) => (scalar ? [0] : [...layout.strides[o]!]));
    if (strides.some((st) => st[st.length - 1] !== 0 && st[st.length - 1] !== 1)) {
      dims.push(1);
      for (const st of strides) st.push(0);
    }
    const k = dims.length;
    const rows = k >= 2 ? dims[k - 2]! : 1;
    const inner = dims[k - 1]!;
    const lead = dims.slice(0, Math.max(0, k - 2));
    const jobs: { words: number[]; outOffset: number }[] = [];
    const index = new Array<number>(lead.length).fill(0);
    for (let block = 0, blocks = sizeOf(lead); block < blocks; block++) {
      const words = [rows, inner];
      for (let o = 0; o < operands.length; o++) {
        const st = strides[o]!;
        let offset = 0;
        for (let i = 0; i < lead.length; i++) offset += index[i]! * st[i]!;
        const bytes = handleOf(operands[o]!).ptr + offset * 4;
        words.push(bytes, k >= 2 ? st[k - 2]! : 0, st[k - 1]!);
      }
      jobs.push({ words, outOffset: block * rows * inner });
      for (let i = lead.length - 1; i >= 0 && ++index[i]! === lead[i]!; i--) index[i] = 0;
    }
    return jobs;
  };

  /** Runs a float32 elementwise kernel (`head` = its leading job words) over rowJobs' blocks. */
  const elementwiseF32 = (head: readonly number[], operands: readonly Ref[], outShape: Shape): WasmHandle => {
    const jobs = rowJobs(operands, outShape);
    const out = store.allocate(sizeOf(outShape), 'float32');
    if (out.length === 0) return out;
    const perJob = out.length / jobs.length;
    return produce(out, () => {
      for (const { words, outOffset } of jobs) {
        setJob([...head, ...words, out.ptr + outOffset * 4]);
        run(perJob >= PARALLEL_MIN_ELEMENTS ? threads : 1);
      }
    });
  };

  /** float32 binary through the kernel (see rowJobs). */
  const binaryF32 = (code: number, a: Ref, b: Ref, outShape: Shape): WasmHandle =>
    elementwiseF32([JOB.binaryF32, code], [a, b], outShape);

  /** float32 where through the kernel (see rowJobs). */
  const whereF32 = (cond: Ref, a: Ref, b: Ref, outShape: Shape): WasmHandle =>
    elementwiseF32([JOB.whereF32], [cond, a, b], outShape);

  /** A float32 reduction (drops `axis`) or scan (keeps the shape) over (outer, len, inner). */
  const alongAxis = (kind: number, op: number, x: Ref, axis: number, drops: boolean): WasmHandle => {
    const outer = sizeOf(x.shape.slice(0, axis));
    const len = x.shape[axis]!;
    const inner = sizeOf(x.shape.slice(axis + 1));
    const out = store.allocate(drops ? outer * inner : outer * len * inner, 'float32');
    if (out.length === 0) return out;
    const nt = outer * len * inner >= PARALLEL_MIN_ELEMENTS ? threads : 1;
    const scratchBytes = Math.max(16, inner * 8 * nt);
    const scratch = heap.alloc(scratchBytes);
    try {
      setJob([kind, op, outer, len, inner, handleOf(x).ptr, out.ptr, scratch]);
      return produce(out, () => run(nt));
    } finally {
      heap.free(scratch, scratchBytes);
    }
  };

  const attentionContext: AttentionGradContext = {
    store,
    heap,
    kernels,
    get threads() {
      return threads;
    },
    produce,
    setJob,
    run,
    matmul: (a, b, transposeA, transposeB, outShape) =>
      gemm(a, b, transposeA, transposeB, outShape, EPILOGUE.none, () => {}),
    matmulTimes: (a, b, transposeA, transposeB, outShape, factor) =>
      gemm(a, b, transposeA, transposeB, outShape, EPILOGUE.timesF, (w) => {
        w[19] = factor.ptr;
      }),
  };

  const backend: WasmBackend = {
    name,
    capabilities: WASM_CAPABILITIES,
    get threads() {
      return threads;
    },
    get threadingNote() {
      return note;
    },
    wasmMemory: heap.memory,

    // ---- storage -------------------------------------------------------------------------------
    fromArray(data: FloatArray, shape: Shape, dtype: DType): WasmHandle {
      const size = sizeOf(shape);
      const out = store.allocate(size, dtype);
      const src = data.length === size ? data : data.subarray(0, size);
      if (dtype === 'float32' && src instanceof Float64Array && size >= 64) {
        // Float64 host data (what core's samplers draw): a same-type copy into the heap, then
        // rounded to float32 in wasm. V8's converting TypedArray.set is element by element on a
        // slow path, twice as slow again into a shared memory.
        // Through a small staging block, so each chunk is converted while it is in cache.
        const chunk = Math.min(size, UPLOAD_CHUNK);
        let tmp: number;
        try {
          tmp = heap.alloc(chunk * 8);
        } catch (e) {
          store.dispose(out);
          throw e;
        }
        for (let i = 0; i < size; i += chunk) {
          const n = Math.min(chunk, size - i);
          heap.f64.set(src.subarray(i, i + n), tmp / 8);
          kernels.f64_to_f32(tmp, n, out.ptr + 4 * i);
        }
        heap.free(tmp, chunk * 8);
      } else if (size > 0) {
        // Into the whole-memory view at the block's offset: no view object per upload.
        if (dtype === 'float32') heap.f32.set(src, out.ptr >>> 2);
        else heap.f64.set(src, out.ptr >>> 3);
      }
      return out;
    },
    fill(value: number, shape: Shape, dtype: DType): WasmHandle {
      const out = store.allocate(sizeOf(shape), dtype);
      if (out.length > 0) (dtype === 'float32' ? kernels.fill_f32 : kernels.fill_f64)(out.ptr, out.length, value);
      return out;
    },
    read(x: Ref): Promise<FloatArray> {
      try {
        return Promise.resolve(copyOut(store.view(handleOf(x))));
      } catch (e) {
        return Promise.reject(e as Error);
      }
    },
    readSync(x: Ref): FloatArray {
      return copyOut(store.view(handleOf(x)));
    },
    dispose(handle: WasmHandle): void {
      store.dispose(handle);
    },
    memory() {
      return store.memory();
    },
    async destroy(): Promise<void> {
      destroyed = true;
      await pool?.stop();
    },

    // ---- elementwise ---------------------------------------------------------------------------
    unary(op: UnaryOp, x: Ref) {
      if (x.dtype === 'float32') return unaryF32(UNARY_F32[op], x);
      return viaJs([x], x.dtype, ([r]) => js.unary(op, r!));
    },
    binary(op: BinaryOp, a: Ref, b: Ref, outShape) {
      if (a.dtype === 'float32') return binaryF32(BINARY_F32[op], a, b, outShape);
      return viaJs([a, b], a.dtype, ([ra, rb]) => js.binary(op, ra!, rb!, outShape));
    },
    binaryScalar(op: BinaryOp, x: Ref, scalar, scalarFirst) {
      if (x.dtype !== 'float32') return viaJs([x], x.dtype, ([r]) => js.binaryScalar(op, r!, scalar, scalarFirst));
      const s = store.allocate(1, 'float32');
      try {
        store.view(s)[0] = scalar;
        const sRef: Ref = { handle: s, shape: [], dtype: 'float32' };
        const code = BINARY_F32[op];
        return scalarFirst ? binaryF32(code, sRef, x, x.shape) : binaryF32(code, x, sRef, x.shape);
      } finally {
        store.dispose(s);
      }
    },
    where(cond: Ref, a: Ref, b: Ref, outShape) {
      if (a.dtype === 'float32' && cond.dtype === 'float32') return whereF32(cond, a, b, outShape);
      return viaJs([cond, a, b], a.dtype, ([c, ra, rb]) => js.where(c!, ra!, rb!, outShape));
    },
    cast(x: Ref, dtype) {
      const out = store.allocate(handleOf(x).length, dtype);
      store.view(out).set(store.view(handleOf(x)));
      return out;
    },

    // ---- reductions and scans ------------------------------------------------------------------
    reduce(op, x: Ref, axis) {
      if (x.dtype !== 'float32') return viaJs([x], x.dtype, ([r]) => js.reduce(op, r!, axis));
      return alongAxis(JOB.reduceF32, REDUCE_F32[op], x, axis, true);
    },
    cumsum(x: Ref, axis, exclusive, reverse) {
      if (x.dtype !== 'float32') return viaJs([x], x.dtype, ([r]) => js.cumsum(r!, axis, exclusive, reverse));
      return alongAxis(JOB.cumsumF32, (exclusive ? 1 : 0) | (reverse ? 2 : 0), x, axis, false);
    },

    // ---- layout --------------------------------------------------------------------------------
    transpose(x: Ref, perm) {
      const rank = x.shape.length;
      const swapsLastTwo =
        rank >= 2 &&
        perm[rank - 2] === rank - 1 &&
        perm[rank - 1] === rank - 2 &&
        perm.slice(0, -2).every((p, i) => p === i);
      if (x.dtype === 'float32' && swapsLastTwo) {
        // The common case (matrix transposes, batched or not): a blocked copy in wasm.
        const rows = x.shape[rank - 2]!;
        const cols = x.shape[rank - 1]!;
        const out = store.allocate(handleOf(x).length, 'float32');
        if (out.length > 0) kernels.transpose_f32(handleOf(x).ptr, out.length / (rows * cols), rows, cols, out.ptr);
        return out;
      }
      return viaJs([x], x.dtype, ([r]) => js.transpose(r!, perm));
    },
    reshape(x: Ref) {
      // Shares the block: tensors are immutable and the block lives until its last handle goes.
      return store.share(handleOf(x));
    },
    concat(xs: readonly Ref[], axis, outShape) {
      const out = store.allocate(sizeOf(outShape), xs[0]!.dtype);
      concatInto(
        xs.map((x) => store.view(handleOf(x))),
        xs.map((x) => x.shape),
        axis,
        outShape,
        store.view(out),
      );
      return out;
    },
    slice(x: Ref, begin, size) {
      const out = store.allocate(sizeOf(size), x.dtype);
      const runs = out.length >= 1 << 12 ? uniformRows(x.shape, begin, size) : undefined;
      if (runs !== undefined) {
        const bytes = x.dtype === 'float32' ? 4 : 8;
        const src = handleOf(x).ptr + runs.offset * bytes;
        kernels.copy_rows(out.ptr, src, runs.rows, runs.run * bytes, runs.stride * bytes);
      } else {
        sliceInto(store.view(handleOf(x)), x.shape, begin, size, store.view(out));
      }
      return out;
    },

    // ---- products and distances ----------------------------------------------------------------
    matmul(a: Ref, b: Ref, transposeA, transposeB, outShape) {
      return gemm(a, b, transposeA, transposeB, outShape, EPILOGUE.none, () => {});
    },
    cdist(x: Ref, y: Ref, metric, outShape) {
      if (x.dtype !== 'float32' || x.shape[x.shape.length - 1] === 0)
        return viaJs([x, y], x.dtype, ([rx, ry]) => js.cdist(rx!, ry!, metric, outShape));
      return distances(x, y, metric, outShape, undefined);
    },

    // ---- optional groups -----------------------------------------------------------------------
    linalg: {
      qr(x: Ref) {
        const refs = [jsRef(x)];
        try {
          const { q, r } = js.linalg!.qr!(refs[0]!);
          return { q: adopt(q, x.dtype), r: adopt(r, x.dtype) };
        } finally {
          js.dispose(refs[0]!.handle);
        }
      },
      eigh(x: Ref) {
        const ref = jsRef(x);
        try {
          const { values, vectors } = js.linalg!.eigh!(ref);
          return { values: adopt(values, x.dtype), vectors: adopt(vectors, x.dtype) };
        } finally {
          js.dispose(ref.handle);
        }
      },
      svd(x: Ref) {
        const ref = jsRef(x);
        try {
          const { u, s, v } = js.linalg!.svd!(ref);
          return { u: adopt(u, x.dtype), s: adopt(s, x.dtype), v: adopt(v, x.dtype) };
        } finally {
          js.dispose(ref.handle);
        }
      },
    },
    fwht(x: Ref) {
      if (x.dtype !== 'float32') return viaJs([x], x.dtype, ([r]) => js.fwht!(r!));
      const n = x.shape[x.shape.length - 1]!;
      const out = backend.cast(x, 'float32');
      if (n >= 2 && out.length > 0) kernels.fwht_f32(out.ptr, out.length / n, n);
      return out;
    },
    rffFeatures(x: Ref, omega: Ref, bias: Ref, scale, cosSin, outShape) {
      if (x.dtype !== 'float32')
        return viaJs([x, omega, bias], x.dtype, ([rx, ro, rb]) =>
          js.rffFeatures!(rx!, ro!, rb!, scale, cosSin, outShape),
        );
      const d = x.shape[x.shape.length - 1]!;
      const D = omega.shape[1]!;
      const rows = handleOf(x).length / Math.max(d, 1);
      const rowsOf = d === 0 ? sizeOf(x.shape.slice(0, -1)) : rows;
      const x2: Ref = { handle: x.handle, shape: [rowsOf, d], dtype: 'float32' };
      const out2: Shape = [rowsOf, cosSin ? 2 * D : D];
      return gemm(x2, omega, false, false, out2, cosSin ? EPILOGUE.rffCosSin : EPILOGUE.rffCos, (w) => {
        w[12] = cosSin ? 2 * D : D; // ldc: the sines go D columns to the right
        w[13] = 0;
        w[19] = handleOf(bias).ptr;
        w[22] = D;
        setScale(w, scale);
      });
    },
    positiveFeatures: positiveFeaturesOp(attentionContext),
    expCdist(x: Ref, y: Ref, metric, scale, outShape) {
      if (x.dtype !== 'float32' || x.shape[x.shape.length - 1] === 0) return undefined;
      return distances(x, y, metric, outShape, scale);
    },
    logLinearAttention: logLinearAttentionOp(attentionContext),
    logLinearAttentionGrad: logLinearAttentionGradOp(attentionContext),
  };
  if (pool !== undefined) pools.set(backend, pool);
  /** Writes `scale` as a float64 into words 20-21 (little-endian, as the C side reads it). */
  function setScale(w: number[], scale: number): void {
    const f = new Float64Array([scale]);
    const i = new Int32Array(f.buffer);
    w[20] = i[0]!;
    w[21] = i[1]!;
  }
  return backend;
}
