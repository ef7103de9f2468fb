/** The ops contract on TensorFlow.js, one engine per backend instance, created through an entry point. */
import {
  SpectransError,
  type Backend,
  type BackendCapabilities,
  type DType,
  type FloatArray,
  type Shape,
} from '@spectrans/core';
import { checkOptions } from '@spectrans/core/backend';
import type { Tensor } from '@tensorflow/tfjs-core';
import { cdist } from './cdist.js';
import { binary, binaryScalar, cast, unary, where } from './elementwise.js';
import {
  assertEngine,
  loadEngine,
  nodeWasmFolder,
  TFJS_BACKEND_NAMES,
  type Tf,
  type TfjsEngine,
  type WasmPaths,
} from './engines.js';
import { assertOffered, type EntryPoint } from './entry-points.js';
import { fwht, rffFeatures } from './features.js';
import { spendFirstTensorQuietly } from './node-banner.js';
import { concat, reshape, slice, transpose } from './layout.js';
import { matmul } from './matmul.js';
import { cumsum, reduce } from './reduce.js';
import { activate, ENGINE_FIXES, ENGINE_TUNING, type Ref, type TfjsRuntime } from './runtime.js';

/** Options of `createTfjsBackend` (the package entry). */
export interface TfjsBackendOptions {
  /** Which TensorFlow.js engine computes: `'cpu'`, `'wasm'`, `'webgl'` (browsers) or `'tensorflow'` (tfjs-node). */
  engine: TfjsEngine;
  /**
   * wasm only: where the `.wasm` binaries are, as `setWasmPaths` of @tensorflow/tfjs-backend-wasm
   * takes it (a folder URL ending in `/`, or a URL per binary). Default: in Node, the package's own
   * `dist/` folder; in browsers, tfjs's default (next to the bundled script). Ignored when the wasm
   * engine was already initialised in this process.
   */
  wasmPaths?: WasmPaths;
}

/**
 * Precision each engine delivers in float32. cpu computes in float64 JavaScript math and rounds
 * once; wasm uses XNNPACK's IEEE float32 arithmetic and float32 libm functions within 2 ulp (sin and
 * cos replaced by our exactly reduced ones). tfjs-node uses libtensorflow's vectorised
 * approximations, which could not be measured here: declared reduced. webgl computes in GPU shader
 * float32 (GLSL allows approximate division and transcendental functions): declared reduced.
 */
export const TFJS_CAPABILITIES: Readonly<Record<TfjsEngine, BackendCapabilities>> = Object.freeze({
  cpu: Object.freeze({ dtypes: Object.freeze({ float32: 'ieee' as const }) }),
  wasm: Object.freeze({ dtypes: Object.freeze({ float32: 'ieee' as const }) }),
  webgl: Object.freeze({ dtypes: Object.freeze({ float32: 'reduced' as const }) }),
  tensorflow: Object.freeze({ dtypes: Object.freeze({ float32: 'reduced' as const }) }),
});

/**
 * `createTfjsBackend` of one entry point: validates the options, imports the engine through the
 * entry's importers, initialises it and makes it tfjs's active backend. `entry.engine`, when set,
 * is the default engine (the per-engine entries).
 */
export async function createBackendFrom(entry: EntryPoint, options: unknown): Promise<Backend<Tensor>> {
  const given = options === undefined && entry.engine !== undefined ? {} : options;
  if (given === null || typeof given !== 'object') {
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `createTfjsBackend: options must be an object like { engine: '${entry.engine ?? 'wasm'}' }, got ${given === null ? 'null' : typeof given}`,
    );
  }
  const { engine: requested, wasmPaths } = checkOptions('createTfjsBackend', given as Partial<TfjsBackendOptions>, [
    'engine',
    'wasmPaths',
  ]);
  const engine: unknown = requested ?? entry.engine;
  assertEngine(engine);
  assertOffered(entry, engine);
  const { tf, module } = await loadEngine(engine, entry.importers);
  const tfjsName = TFJS_BACKEND_NAMES[engine];
  if (engine === 'wasm') configureWasm(tf, module, wasmPaths);
  await initialise(tf, engine, tfjsName);
  return makeBackend({ tf, engine, tfjsName, fixes: ENGINE_FIXES[engine], tuning: ENGINE_TUNING[engine] });
}

function configureWasm(tf: Tf, module: Record<string, unknown>, wasmPaths: WasmPaths | undefined): void {
  if (tf.engine().registry[TFJS_BACKEND_NAMES.wasm] !== undefined) return; // already initialised
  const paths = wasmPaths ?? nodeWasmFolder();
  const setWasmPaths = module['setWasmPaths'];
  if (paths === undefined || typeof setWasmPaths !== 'function') return;
  try {
    (setWasmPaths as (paths: WasmPaths) => void)(paths);
  } catch (e) {
    throw new SpectransError('ERR_BACKEND_INIT', `tfjs engine 'wasm': setWasmPaths failed: ${messageOf(e)}`, {
      cause: e,
    });
  }
}

async function initialise(tf: Tf, engine: TfjsEngine, tfjsName: string): Promise<void> {
  const previous = tf.getBackend() as string | null | undefined;
  let ok = false;
  let cause: unknown;
  try {
    ok = await tf.setBackend(tfjsName);
  } catch (e) {
    cause = e;
  }
  if (ok && tf.engine().registry[tfjsName] !== undefined) {
    if (engine === 'cpu') spendFirstTensorQuietly(tf);
    return;
  }
  if (previous && previous !== tfjsName && tf.engine().registry[previous] !== undefined) {
    await tf.setBackend(previous).catch(() => undefined); // leave tfjs as we found it
  }
  const hint =
    engine === 'wasm'
      ? ' (is the .wasm binary reachable? pass wasmPaths)'
      : engine === 'webgl'
        ? ' (it needs WebGL: a browser with WebGL enabled; it does not run in Node)'
        : '';
  throw new SpectransError(
    'ERR_BACKEND_INIT',
    `tfjs engine '${engine}' failed to initialise${hint}${cause === undefined ? '' : `: ${messageOf(cause)}`}`,
    { cause },
  );
}

function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (e && typeof e === 'object' && 'message' in e) return String((e as { message: unknown }).message);
  return String(e);
}

function makeBackend(rt: TfjsRuntime): Backend<Tensor> {
  const { tf } = rt;
  const copy = (data: ArrayLike<number>): Float32Array => new Float32Array(data as Float32Array); // tfjs cpu hands out its own array
  return {
    name: `tfjs-${rt.engine}`,
    capabilities: TFJS_CAPABILITIES[rt.engine],

    // ---- storage -------------------------------------------------------------------------------
    fromArray(data: FloatArray, shape: Shape, dtype: DType): Tensor {
      if (dtype !== 'float32')
        throw new SpectransError(
          'ERR_UNSUPPORTED_DTYPE',
          `backend 'tfjs-${rt.engine}' supports float32 only, not ${dtype}`,
        );
      activate(rt);
      return tf.keep(tf.tensor(data instanceof Float32Array ? data : Float32Array.from(data), [...shape], 'float32'));
    },
    async read(x: Ref): Promise<FloatArray> {
      return copy(await x.handle.data());
    },
    readSync(x: Ref): FloatArray {
      return copy(x.handle.dataSync());
    },
    dispose(handle: Tensor): void {
      handle.dispose();
    },
    /** tfjs counts tensors and bytes for the whole process (every engine, every user of tfjs). */
    memory() {
      const m = tf.memory();
      return { handles: m.numTensors, bytes: m.numBytes };
    },

    // ---- elementwise ---------------------------------------------------------------------------
    unary: (op, x: Ref) => unary(rt, op, x),
    binary: (op, a: Ref, b: Ref, outShape) => binary(rt, op, a, b, outShape),
    binaryScalar: (op, x: Ref, scalar, scalarFirst) => binaryScalar(rt, op, x, scalar, scalarFirst),
    where: (cond: Ref, a: Ref, b: Ref, outShape) => where(rt, cond, a, b, outShape),
    cast: (x: Ref, dtype) => cast(rt, x, dtype),

    // ---- reductions and scans ------------------------------------------------------------------
    reduce: (op, x: Ref, axis) => reduce(rt, op, x, axis),
    cumsum: (x: Ref, axis, exclusive, reverse) => cumsum(rt, x, axis, exclusive, reverse),

    // ---- layout --------------------------------------------------------------------------------
    transpose: (x: Ref, perm) => transpose(rt, x, perm),
    reshape: (x: Ref, shape) => reshape(rt, x, shape),
    concat: (xs: readonly Ref[], axis, outShape) => concat(rt, xs, axis, outShape),
    slice: (x: Ref, begin, size) => slice(rt, x, begin, size),

    // ---- products and distances ----------------------------------------------------------------
    matmul: (a: Ref, b: Ref, transposeA, transposeB, outShape) => matmul(rt, a, b, transposeA, transposeB, outShape),
    cdist: (x: Ref, y: Ref, metric, outShape) => cdist(rt, x, y, metric, outShape),

    // ---- optional groups: fwht and rffFeatures native; linalg absent (host float64 fallback) ---
    fwht: (x: Ref) => fwht(rt, x),
    rffFeatures: (x: Ref, omega: Ref, bias: Ref, scale, cosSin, outShape) =>
      rffFeatures(rt, x, omega, bias, scale, cosSin, outShape),
  };
}
