/** The public types of the suite: cases, their context, targets and results. */
import type { Backend, DType, ErrorCode, Precision, Shape, Tensor } from '@spectrans/core';
import type { OptionalOpName } from '@spectrans/core/backend';
import type { HostRng } from './host-rng.js';
import type { HostArray } from './reference/ndarray.js';
import type { CloseResult, Tolerance, ToleranceKind } from './tolerance.js';

/**
 * One conformance case: a stable hierarchical id and a body run against a backend.
 *
 * Ids are `/`-separated, lowercase kebab-case, most general first, the tested dtype last when there
 * is one: `ops/matmul/transpose-b/float32`, `errors/matmul/inner-mismatch`, `linalg/qr/tall/float64`.
 */
export interface ConformanceCase {
  readonly id: string;
  /** The dtype the case exercises; absent for dtype-independent cases (errors, random moments). */
  readonly dtype?: DType;
  /** The optional op exercised, so reports can say whether the backend ran it natively. */
  readonly optionalOp?: OptionalOpName;
  /** Returns `true`, or the reason the case cannot apply to `backend` (it is then skipped). */
  readonly applies?: (backend: Backend) => true | string;
  /** Time limit of the case's vitest test, for the few cases that run long (default: the runner's). */
  readonly timeoutMs?: number;
  /** The body: throws (typically through the context's assertions) to fail. */
  run(ctx: CaseContext): void | Promise<void>;
}

/** Options of the context's comparisons. */
export interface CloseOptions {
  /** Which tolerance row(s) of the table apply (several are summed). */
  readonly kind: ToleranceKind | readonly ToleranceKind[];
  /** Accumulated terms per element (the inner dimension) for 'accumulate'. */
  readonly k?: number;
  /** Per-element magnitude of the accumulated terms for 'accumulate'. */
  readonly scale?: ArrayLike<number>;
  /** What is being compared, for the message (default 'result'). */
  readonly what?: string;
  /** Input shapes, for the message. */
  readonly inputs?: Readonly<Record<string, Shape>>;
}

/** Where {@link CaseContext.input} uploads to. */
export interface InputOptions {
  /** Storage dtype; default the case's dtype. Values are rounded to it on the host first. */
  readonly dtype?: DType;
  /** Backend to upload to; default the backend under test. */
  readonly on?: Backend;
}

/**
 * A counting stand-in for the backend under test: every method forwards to the real backend and is
 * logged, so a case can prove core raised an error before any backend method ran.
 */
export interface GuardedBackend {
  /** Pass as `{ on: guarded.backend }` to create inputs whose ops go through the log. */
  readonly backend: Backend;
  /** Methods called since the last `reset()`, e.g. `['fromArray', 'matmul']`. */
  readonly calls: readonly string[];
  /** Clears `calls`. */
  reset(): void;
}

/** What a case body receives. */
export interface CaseContext {
  readonly id: string;
  /** The backend under test. */
  readonly backend: Backend;
  /** backend-js, whose float64 is the exact reference. */
  readonly oracle: Backend;
  /** The dtype under test (float32 for dtype-independent cases). */
  readonly dtype: DType;
  /** The precision the backend declares for `dtype` ('ieee' when it declares none). */
  readonly precision: Precision;
  /** This case's seed (derived from the run's seed and the id). */
  readonly seed: number;
  /** Host generator for shapes and values, seeded with `seed`. */
  readonly rng: HostRng;
  /** Counting wrapper of the backend, for error cases. */
  readonly guarded: GuardedBackend;
  /** The tolerance row(s) for this case's dtype and precision. */
  tolerance(kind: ToleranceKind | readonly ToleranceKind[]): Tolerance;
  /** `values` rounded to the dtype, as a host array (what an uploaded tensor holds). */
  hostInput(values: ArrayLike<number>, shape: Shape, dtype?: DType): HostArray;
  /**
   * Uploads `values` (rounded to the dtype first) and tracks the tensor for disposal after the case.
   * The tensor's contents are re-read after the case to check no op modified its input.
   */
  input(values: ArrayLike<number> | HostArray, shape?: Shape, options?: InputOptions): Tensor;
  /** Uploads `values` in float64 to the oracle. */
  oracleInput(values: ArrayLike<number> | HostArray, shape?: Shape): Tensor;
  /**
   * Tracks tensors and objects with a `dispose()` method (kernels, feature maps), or arrays / plain
   * objects of them, for disposal after the case; returns `value`.
   */
  track<T>(value: T): T;
  /** Disposes what {@link CaseContext.track} accepts now (and stops tracking it). */
  dispose(value: unknown): void;
  /**
   * Reads a tensor as float64 after checking its storage: the backend must return a new array of the
   * tensor's dtype with exactly `size` elements.
   */
  read(t: Tensor, what?: string): Promise<Float64Array>;
  /** Reads `actual` and compares it with `expected` (float64, rounded to the dtype here) by the table. */
  expectClose(actual: Tensor, expected: HostArray, options: CloseOptions): Promise<void>;
  /** Compares host values with `expected` by the table (the shape is for messages and indices). */
  expectValuesClose(actual: ArrayLike<number>, expected: HostArray, options: CloseOptions): void;
  /**
   * Runs `fn` and asserts it throws `SpectransError` with `code`, and that no backend method of
   * `guarded` (default the context's) ran meanwhile: core validates first.
   */
  expectError(code: ErrorCode, fn: () => unknown, guarded?: GuardedBackend): void;
  /** Fails the case unless `condition` holds. */
  check(condition: boolean, message: () => string): void;
  /** Fails the case. */
  fail(message: string): never;
  /**
   * Records an error magnitude for the report (the case's `maxError` is the largest recorded) and,
   * with `limit` (what the check allows), the error as a fraction of it (`toleranceFraction`).
   */
  recordError(error: number, limit?: number): void;
  /**
   * Records an `allclose` comparison: its largest error and its largest error as a fraction
   * of each element's tolerance. The context's `expectClose` and `expectValuesClose` do this.
   */
  recordClose(result: CloseResult): void;
}

/** A skip or expected failure: an id, or an id prefix ending at a `/` (e.g. `linalg/svd`), and why. */
export interface IdReason {
  readonly id: string;
  readonly reason: string;
}

/** A backend to run the suite on. */
export interface ConformanceTarget {
  /** Column / describe title, e.g. `'tfjs-wasm'`. */
  readonly name: string;
  /** Creates the backend (once per run). */
  readonly create: () => Backend | Promise<Backend>;
  /** Cases not to run, by id or id prefix. */
  readonly skip?: readonly IdReason[];
  /** Cases known to fail, by id or id prefix: they must fail (an unexpected pass fails the run). */
  readonly expectedFailures?: readonly IdReason[];
  /**
   * The dtypes the backend declares, when known before it is created. The vitest driver then
   * reports the cases of every other dtype as one skipped test per dtype instead of one each, and
   * fails the run when the started backend declares a different set.
   */
  readonly dtypes?: readonly DType[];
}

/** Outcome of one case. */
export type CaseStatus = 'pass' | 'fail' | 'skip' | 'xfail';

/** Result of one case. */
export interface CaseResult {
  readonly id: string;
  readonly status: CaseStatus;
  readonly dtype?: DType;
  /** Largest |actual − expected| (or normalised residual) observed, when the case compared values. */
  readonly maxError?: number;
  /**
   * Largest error as a fraction of what its check allows (the element's tolerance, a residual
   * bound, 6 standard errors): 1 is the limit, so a passing case has at most 1.
   */
  readonly toleranceFraction?: number;
  /** Wall time of the case in milliseconds. */
  readonly ms: number;
  /** Failure message, skip reason, or expected-failure reason. */
  readonly message?: string;
  /** For optional ops: whether the backend ran them natively or core's fallback did. */
  readonly path?: 'native' | 'fallback';
  /** The case's seed. */
  readonly seed?: number;
}

/** Which cases to run: an id prefix, several, or a predicate. */
export type CaseFilter = string | readonly string[] | ((id: string) => boolean);

/** Settings of the corpus. */
export interface CorpusOptions {
  /**
   * Steps of `gradients/training/long-run-leaks/*` (default 10,000), whose live tensors, handles
   * and bytes must not change during training. Suites run on every commit on slow engines may
   * lower it (an even number of at least 200).
   */
  readonly longRunSteps?: number;
}

/** Options of the programmatic runner. */
export interface RunOptions {
  /** Only ids starting with this prefix (or any of these), or passing this predicate. */
  readonly filter?: CaseFilter;
  /** Base seed of the run (default {@link DEFAULT_SEED}); each case derives its own from its id. */
  readonly seed?: number;
  /** The cases to run (default: the whole corpus for the backend's declared dtypes). */
  readonly cases?: readonly ConformanceCase[];
  /** Steps of the long training run (see `CorpusOptions`); ignored with `cases`. */
  readonly longRunSteps?: number;
  /** Called after each case. */
  readonly onResult?: (result: CaseResult) => void;
}

/** Base seed of a run unless one is given. */
export const DEFAULT_SEED = 20240601;
