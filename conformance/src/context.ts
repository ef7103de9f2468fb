/** The context a case runs in: inputs, tracking, reads and assertions. */
import {
  SpectransError,
  Tensor,
  tensor,
  type Backend,
  type DType,
  type ErrorCode,
  type Precision,
  type Shape,
} from '@spectrans/core';
import { ConformanceFailure, mismatchMessage } from './failure.js';
import { guardBackend } from './guarded-backend.js';
import { HostRng } from './host-rng.js';
import { formatShape, sizeOf, type HostArray } from './reference/ndarray.js';
import { allclose, roundAllTo, toleranceFor, type CloseResult, type ToleranceKind } from './tolerance.js';
import type { CaseContext, CloseOptions, GuardedBackend, InputOptions } from './types.js';

/** What a context is created from. */
export interface ContextInit {
  readonly id: string;
  readonly backend: Backend;
  readonly oracle: Backend;
  readonly dtype: DType;
  readonly seed: number;
}

/** A context plus what the runner needs after the case body. */
export interface CaseScope {
  readonly ctx: CaseContext;
  /** Largest error recorded, if any comparison ran. */
  maxError(): number | undefined;
  /** Largest error as a fraction of its limit, if any check recorded one. */
  toleranceFraction(): number | undefined;
  /**
   * Ends the case: re-reads the inputs (when `checkInputs`) to verify no op modified them, then
   * disposes every tracked tensor and kernel. Returns the problems found.
   */
  finish(checkInputs: boolean): Promise<string[]>;
}

function isHostArray(v: unknown): v is HostArray {
  return typeof v === 'object' && v !== null && 'data' in v && 'shape' in v && !(v instanceof Tensor);
}

/** What a case may own: a tensor, or an object that frees its own tensors (a kernel, a feature map). */
interface Disposable {
  dispose(): void;
}

function isDisposable(value: object): value is Disposable {
  return typeof (value as Partial<Disposable>).dispose === 'function';
}

/** Tensors and disposable objects in `value` (a tensor or disposable, or arrays / plain objects of them). */
function collectDisposables(value: unknown, out: Disposable[]): void {
  if (value instanceof Tensor) out.push(value);
  else if (Array.isArray(value)) for (const v of value) collectDisposables(v, out);
  else if (typeof value === 'object' && value !== null) {
    if (Object.getPrototypeOf(value) === Object.prototype) {
      for (const v of Object.values(value)) collectDisposables(v, out);
    } else if (isDisposable(value)) out.push(value);
  }
}

function sameValue(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/** Creates the context of one case. */
export function createCaseScope(init: ContextInit): CaseScope {
  const { id, backend, oracle, dtype, seed } = init;
  const precision: Precision = backend.capabilities.dtypes[dtype] ?? 'ieee';
  const rng = new HostRng(seed);
  const tracked = new Set<Disposable>();
  const inputs: { tensor: Tensor; data: Float64Array; name: string }[] = [];
  let guarded: ReturnType<typeof guardBackend> | undefined;
  let maxError: number | undefined;
  let maxFraction: number | undefined;

  function fail(message: string): never {
    throw new ConformanceFailure(message);
  }

  const recordFraction = (fraction: number): void => {
    if (!Number.isNaN(fraction) && (maxFraction === undefined || fraction > maxFraction)) maxFraction = fraction;
  };
  const recordError = (error: number, limit?: number): void => {
    if (Number.isFinite(error) && (maxError === undefined || error > maxError)) maxError = error;
    if (limit !== undefined && limit >= 0) recordFraction(error === 0 ? 0 : Math.abs(error) / limit);
  };
  const recordClose = (result: CloseResult): void => {
    recordError(result.maxError);
    recordFraction(result.mismatches > 0 && result.maxRatio <= 1 ? Infinity : result.maxRatio);
  };

  const hostInput = (values: ArrayLike<number>, shape: Shape, dt: DType = dtype): HostArray => {
    if (values.length !== sizeOf(shape))
      throw new RangeError(`${id}: ${values.length} values for shape ${formatShape(shape)}`);
    return { data: roundAllTo(dt, values), shape: [...shape] };
  };

  const upload = (values: ArrayLike<number> | HostArray, shape: Shape | undefined, dt: DType, on: Backend): Tensor => {
    const h = isHostArray(values)
      ? hostInput(values.data, shape ?? values.shape, dt)
      : hostInput(values, shape ?? [values.length], dt);
    const data = dt === 'float64' ? Float64Array.from(h.data) : Float32Array.from(h.data);
    const t = tensor(data, h.shape, dt, { backend: on });
    tracked.add(t);
    if (on === backend)
      inputs.push({ tensor: t, data: h.data, name: `input ${inputs.length} ${formatShape(h.shape)}` });
    return t;
  };

  const read = async (t: Tensor, what = 'result'): Promise<Float64Array> => {
    const data = await t.data();
    const expectedType = t.dtype === 'float64' ? Float64Array : Float32Array;
    if (!(data instanceof expectedType)) {
      fail(
        `${what}: read() returned ${Object.prototype.toString.call(data).slice(8, -1)} for a ${t.dtype} tensor (expected ${expectedType.name})`,
      );
    }
    if (data.length !== t.size)
      fail(`${what}: read() returned ${data.length} elements for shape ${formatShape(t.shape)} (${t.size} expected)`);
    return Float64Array.from(data);
  };

  const expectValuesClose = (actual: ArrayLike<number>, expected: HostArray, options: CloseOptions): void => {
    const what = options.what ?? 'result';
    if (actual.length !== expected.data.length) {
      fail(`${what}: ${actual.length} values, expected ${expected.data.length} (shape ${formatShape(expected.shape)})`);
    }
    const tolerance = toleranceFor(dtype, precision, options.kind);
    const result = allclose(
      actual,
      roundAllTo(dtype, expected.data),
      options.scale ? { tolerance, k: options.k ?? 1, scale: options.scale } : { tolerance, k: options.k ?? 1 },
    );
    recordClose(result);
    if (!result.ok) {
      const kind = typeof options.kind === 'string' ? options.kind : options.kind.join('+');
      fail(
        mismatchMessage({
          what,
          result,
          shape: expected.shape,
          dtype,
          precision,
          kind,
          tolerance,
          seed,
          ...(options.k !== undefined ? { k: options.k } : {}),
          ...(options.inputs ? { inputs: options.inputs } : {}),
        }),
      );
    }
  };

  const ctx: CaseContext = {
    id,
    backend,
    oracle,
    dtype,
    precision,
    seed,
    rng,
    get guarded() {
      guarded ??= guardBackend(backend);
      return guarded;
    },
    tolerance: (kind: ToleranceKind | readonly ToleranceKind[]) => toleranceFor(dtype, precision, kind),
    hostInput,
    input: (values, shape, options: InputOptions = {}) =>
      upload(values, shape, options.dtype ?? dtype, options.on ?? backend),
    oracleInput: (values, shape) => upload(values, shape, 'float64', oracle),
    track<T>(value: T): T {
      const list: Disposable[] = [];
      collectDisposables(value, list);
      for (const t of list) tracked.add(t);
      return value;
    },
    dispose(value: unknown): void {
      const list: Disposable[] = [];
      collectDisposables(value, list);
      for (const t of list) {
        tracked.delete(t);
        t.dispose();
      }
    },
    read,
    async expectClose(actual: Tensor, expected: HostArray, options: CloseOptions): Promise<void> {
      const what = options.what ?? 'result';
      tracked.add(actual);
      if (formatShape(actual.shape) !== formatShape(expected.shape)) {
        fail(`${what}: shape ${formatShape(actual.shape)}, expected ${formatShape(expected.shape)} (seed ${seed})`);
      }
      if (actual.dtype !== dtype) fail(`${what}: dtype ${actual.dtype}, expected ${dtype}`);
      expectValuesClose(await read(actual, what), expected, options);
    },
    expectValuesClose,
    expectError(code: ErrorCode, fn: () => unknown, other?: GuardedBackend): void {
      const g = other ?? ctx.guarded;
      g.reset();
      let thrown: unknown;
      let returned: unknown;
      try {
        returned = fn();
      } catch (e) {
        thrown = e;
      }
      if (returned !== undefined) ctx.track(returned);
      if (thrown === undefined)
        fail(
          `expected SpectransError ${code}, but nothing was thrown (backend calls: ${g.calls.join(', ') || 'none'})`,
        );
      if (!(thrown instanceof SpectransError)) {
        const e = thrown as { name?: unknown; code?: unknown; message?: unknown };
        const twoCopies =
          e?.name === 'SpectransError' ? ' (a SpectransError from another copy of @spectrans/core?)' : '';
        fail(
          `expected SpectransError ${code}, got ${String(e?.name ?? typeof thrown)}${e?.code ? ` ${String(e.code)}` : ''}: ${String(e?.message ?? thrown)}${twoCopies}`,
        );
      }
      if (thrown.code !== code) fail(`expected SpectransError ${code}, got ${thrown.code}: ${thrown.message}`);
      if (g.calls.length > 0)
        fail(`core raised ${code} only after backend methods ran (${g.calls.join(', ')}): validation must come first`);
    },
    check(condition: boolean, message: () => string): void {
      if (!condition) fail(`${message()} (seed ${seed})`);
    },
    fail,
    recordError,
    recordClose,
  };

  return {
    ctx,
    maxError: () => maxError,
    toleranceFraction: () => maxFraction,
    async finish(checkInputs: boolean): Promise<string[]> {
      const problems: string[] = [];
      try {
        if (checkInputs) {
          for (const { tensor: t, data, name } of inputs) {
            if (t.isDisposed) continue;
            const now = await t.data();
            const changed = data.findIndex((v, i) => !sameValue(v, now[i]!));
            if (changed >= 0 || now.length !== data.length) {
              problems.push(
                `an op modified its ${name}: element ${changed} was ${data[changed]}, is now ${now[changed]}`,
              );
            }
          }
        }
      } finally {
        for (const t of tracked) t.dispose();
        tracked.clear();
      }
      return problems;
    },
  };
}
