/**
 * Named parameters shared by every kernel: `parameters()`, `stateDict()`, `loadStateDict()` with
 * the Python reference's names, plus the dtype and backend the parameters live on.
 */
import type { Backend } from '../backend/contract.js';
import { assertDType, type DType } from '../dtype.js';
import { SpectransError } from '../errors.js';
import { describe, shapesEqual, sizeOf, type Shape } from '../shape.js';
import { checkOptions } from '../options.js';
import { booleanCheck } from '../validate.js';
import { DTYPE_MAX, finiteIn } from '../numeric-range.js';
import { Tensor } from '../tensor.js';
import { keep } from '../scope.js';
import { clone } from '../ops/layout.js';
import { targetBackend, uploadCopy } from '../ops/dispatch.js';
import { describeOptions } from '../format.js';

/** A tensor serialised as plain JSON, as in the reference fixtures (a JSON export of a PyTorch state_dict). */
export interface SerializedTensor {
  shape: number[];
  /** `'float32'` or `'float64'` (anything else is rejected by `loadStateDict`). */
  dtype: 'float32' | 'float64' | string;
  /** Row-major values; non-finite values may be the strings 'NaN', 'Infinity', '-Infinity'. */
  data: (number | string)[];
}

/** One named parameter of a kernel. */
export interface ParameterInfo {
  /** The reference's name (e.g. `omega`, `bias`, `projection`, `diagonal_0`, `eigenvectors`). */
  readonly name: string;
  readonly shape: Shape;
  readonly dtype: DType;
  /** True where the reference makes it an `nn.Parameter` (learnable), false for a buffer. */
  readonly trainable: boolean;
  /** The live tensor (owned by the kernel: do not dispose it). */
  readonly tensor: Tensor;
}

/** Options every kernel accepts. */
export interface ModuleOptions {
  /** dtype of the parameters and expected inputs: `'float32'` (default) or `'float64'`. */
  dtype?: DType;
  /** Backend for the parameters; defaults to the current backend. */
  backend?: Backend;
}

/** The options of {@link ModuleOptions}, which every kernel accepts. */
export const MODULE_OPTION_KEYS = ['dtype', 'backend'] as const satisfies readonly (keyof ModuleOptions)[];

/** Base of every kernel: owns named parameter tensors on one backend, in one dtype. */
export abstract class KernelModule {
  /** dtype of parameters and inputs. */
  readonly dtype: DType;
  /** Backend holding the parameters. */
  readonly backend: Backend;
  readonly #params = new Map<string, { tensor: Tensor; trainable: boolean }>();
  #disposed = false;

  protected constructor(options: ModuleOptions = {}) {
    const dtype = options.dtype ?? 'float32';
    assertDType(dtype, 'dtype');
    this.dtype = dtype;
    this.backend = targetBackend(options.backend);
  }

  /**
   * Runs the allocating part of a constructor: when it throws, everything allocated so far is
   * freed (the kernel is disposed) before the error propagates, so a failed constructor leaks nothing.
   */
  protected allocating(build: () => void): void {
    try {
      build();
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  /** Uploads host data as a named parameter (replacing and disposing any previous one). */
  protected setParameter(name: string, data: ArrayLike<number>, shape: Shape, trainable: boolean): Tensor {
    const t = keep(uploadCopy(this.backend, data, shape, this.dtype));
    this.#params.get(name)?.tensor.dispose();
    this.#params.set(name, { tensor: t, trainable });
    return t;
  }

  /** Replaces a parameter by a tensor the module takes ownership of. */
  protected adoptParameter(name: string, t: Tensor, trainable: boolean): void {
    keep(t);
    const previous = this.#params.get(name);
    if (previous && previous.tensor !== t) previous.tensor.dispose();
    this.#params.set(name, { tensor: t, trainable });
  }

  /** Removes a parameter (disposing it). */
  protected deleteParameter(name: string): void {
    this.#params.get(name)?.tensor.dispose();
    this.#params.delete(name);
  }

  /** The live tensor of a parameter. */
  protected param(name: string): Tensor {
    this.assertLive();
    const p = this.#params.get(name);
    if (!p) throw new SpectransError('ERR_STATE_DICT', `${this.constructor.name} has no parameter '${name}'`);
    return p.tensor;
  }

  /** Names of the entries `stateDict()` returns, in the reference's order. Subclasses may hide transient ones. */
  protected stateDictNames(): string[] {
    return [...this.#params.keys()];
  }

  /** Every named parameter with its trainable flag, in the reference's order. */
  parameters(): ParameterInfo[] {
    this.assertLive();
    return [...this.#params.entries()].map(([name, p]) => ({
      name,
      shape: p.tensor.shape,
      dtype: p.tensor.dtype,
      trainable: p.trainable,
      tensor: p.tensor,
    }));
  }

  /**
   * The trainable parameters by the reference's names: live tensors owned by the kernel (do not
   * dispose them). Non-trainable parameters (buffers) are left out, so they get no gradient.
   * @example
   * ```ts
   * const { value, grads } = valueAndGrads(() => mean(kernel.compute(x, x)), kernel.trainableParameters());
   * ```
   */
  trainableParameters(): Record<string, Tensor> {
    this.assertLive();
    const out: Record<string, Tensor> = {};
    for (const [name, p] of this.#params) if (p.trainable) out[name] = p.tensor;
    return out;
  }

  /**
   * Replaces trainable parameters by new values under the same names (what an optimiser's step
   * does), so `stateDict()` keeps the reference's names. The kernel takes ownership of the given
   * tensors and disposes the ones they replace; parameters not named are unchanged.
   *
   * @throws SpectransError `ERR_STATE_DICT` for an unknown or non-trainable name, or a value that
   *   is not a live tensor of the parameter's shape, dtype and backend; nothing changes when it throws.
   */
  assignTrainableParameters(values: Readonly<Record<string, Tensor>>): void {
    this.assertLive();
    const owner = `${this.constructor.name}.assignTrainableParameters`;
    if (values === null || typeof values !== 'object')
      throw new SpectransError('ERR_STATE_DICT', `${owner}: expected an object of named tensors`);
    for (const [name, t] of Object.entries(values)) {
      const p = this.#params.get(name);
      if (!p || !p.trainable)
        throw new SpectransError(
          'ERR_STATE_DICT',
          `${owner}: '${name}' is not a trainable parameter (trainable: ${Object.keys(this.trainableParameters()).join(', ') || 'none'})`,
        );
      const ok =
        t instanceof Tensor &&
        !t.isDisposed &&
        shapesEqual(t.shape, p.tensor.shape) &&
        t.dtype === p.tensor.dtype &&
        t.backend === p.tensor.backend;
      if (!ok) {
        throw new SpectransError(
          'ERR_STATE_DICT',
          `${owner}: '${name}' must be a live ${p.tensor.dtype} tensor of shape [${p.tensor.shape.join(', ')}] on backend '${p.tensor.backend.name}'`,
        );
      }
    }
    for (const [name, t] of Object.entries(values)) this.adoptParameter(name, t, true);
    this.afterLoad();
  }

  /**
   * Copies of the parameters by the reference's names. The caller owns (and disposes) the copies.
   * @example
   * ```ts
   * const sd = kernel.stateDict(); // { omega: Tensor, bias: Tensor }
   * ```
   */
  stateDict(): Record<string, Tensor> {
    this.assertLive();
    const out: Record<string, Tensor> = {};
    try {
      for (const name of this.stateDictNames()) out[name] = clone(this.param(name));
    } catch (e) {
      for (const t of Object.values(out)) t.dispose();
      throw e;
    }
    return out;
  }

  /** The state dict as plain JSON-serialisable objects `{ shape, dtype, data }` (the fixtures' format). */
  async exportStateDict(): Promise<Record<string, SerializedTensor>> {
    // Copies taken synchronously: a loadStateDict while the reads are pending cannot mix two states.
    const snapshot = this.stateDict();
    try {
      const out: Record<string, SerializedTensor> = {};
      for (const [name, t] of Object.entries(snapshot)) {
        const data = Array.from(await t.data(), (v) => (Number.isFinite(v) ? v : String(v)));
        out[name] = { shape: [...t.shape], dtype: t.dtype, data };
      }
      return out;
    } finally {
      for (const t of Object.values(snapshot)) t.dispose();
    }
  }

  /**
   * Loads parameters by the reference's names, from tensors or `{ shape, dtype, data }` objects
   * (e.g. a PyTorch state_dict exported to JSON). Values are converted to this kernel's dtype.
   *
   * @throws SpectransError `ERR_STATE_DICT` naming every missing, unexpected or mis-shaped entry;
   *   nothing is changed when it throws.
   */
  loadStateDict(dict: Record<string, Tensor | SerializedTensor>, options: { strict?: boolean } = {}): void {
    this.assertLive();
    const owner = `${this.constructor.name}.loadStateDict`;
    checkOptions(owner, options, ['strict']);
    const strict = booleanCheck(options.strict ?? true, `${owner}: strict`);
    if (dict === null || typeof dict !== 'object' || Array.isArray(dict)) {
      throw new SpectransError('ERR_STATE_DICT', `${owner}: expected an object of named tensors`);
    }
    const aliases = this.stateDictAliases();
    const expected = this.stateDictNames();
    const entries = new Map<string, Tensor | SerializedTensor>();
    const keyOf = new Map<string, string>();
    const problems: string[] = [];
    for (const [key, value] of Object.entries(dict)) {
      const name = aliases[key] ?? key;
      if (!expected.includes(name)) problems.push(`unexpected key '${key}'`);
      else if (keyOf.has(name)) problems.push(`'${key}' and '${keyOf.get(name)}' both name the parameter '${name}'`);
      else {
        entries.set(name, value);
        keyOf.set(name, key);
      }
    }
    for (const name of expected) if (!entries.has(name)) problems.push(`missing key '${name}'`);
    const staged = new Map<string, { data: Float64Array; shape: number[] }>();
    for (const [name, value] of entries) {
      const want = this.param(name).shape;
      try {
        const host = hostValues(value, name, want, this.dtype);
        if (!shapesEqual(host.shape, want))
          problems.push(`'${name}' has shape [${host.shape.join(', ')}], expected [${want.join(', ')}]`);
        else staged.set(name, host);
      } catch (e) {
        problems.push(e instanceof Error ? e.message : String(e));
      }
    }
    const fatal = strict ? problems : problems.filter((p) => !p.startsWith('missing') && !p.startsWith('unexpected'));
    if (fatal.length > 0) {
      throw new SpectransError('ERR_STATE_DICT', `${this.constructor.name}.loadStateDict: ${fatal.join('; ')}`);
    }
    // Upload everything first, then swap: a backend failure midway leaves the old state intact.
    const uploaded = new Map<string, Tensor>();
    try {
      for (const [name, host] of staged)
        uploaded.set(name, keep(uploadCopy(this.backend, host.data, host.shape, this.dtype)));
    } catch (e) {
      for (const t of uploaded.values()) t.dispose();
      throw e;
    }
    for (const [name, t] of uploaded) this.adoptParameter(name, t, this.#params.get(name)!.trainable);
    this.afterLoad();
  }

  /** Alternative key names accepted by `loadStateDict` (e.g. trainable `diagonals.0` for `diagonal_0`). */
  protected stateDictAliases(): Record<string, string> {
    return {};
  }

  /** Hook run after parameters were loaded. */
  protected afterLoad(): void {}

  /**
   * Names of the options the constructor takes, each also a readable property holding the value in
   * use (defaults filled in, a drawn seed included), in the order `toString()` prints them.
   */
  protected optionNames(): readonly string[] {
    return [];
  }

  /**
   * The class and the options in use, e.g.
   * `GaussianRFFKernel { inputDim: 2, numFeatures: 1024, sigma: 1, ..., seed: 42, dtype: 'float32', backend: 'js' }`;
   * `(disposed)` after `dispose()`. Parameters are not printed (see `parameters()` or `stateDict()`).
   */
  toString(): string {
    const options: Record<string, unknown> = {};
    const self = this as unknown as Record<string, unknown>;
    for (const name of this.optionNames()) if (name !== 'dtype' && name !== 'backend') options[name] = self[name];
    options['dtype'] = this.dtype;
    options['backend'] = this.backend;
    return describeOptions(this.constructor.name, options, this.#disposed);
  }

  /** Node's `util.inspect` hook, so `console.log(kernel)` prints {@link KernelModule.toString}. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** Frees every parameter. The kernel is unusable afterwards. */
  dispose(): void {
    for (const p of this.#params.values()) p.tensor.dispose();
    this.#params.clear();
    this.#disposed = true;
  }

  /** @throws SpectransError `ERR_DISPOSED` once disposed. */
  protected assertLive(): void {
    if (this.#disposed) throw new SpectransError('ERR_DISPOSED', `${this.constructor.name} was disposed`);
  }
}

/**
 * Host values of one state-dict entry, validated in order of cost: the shape against the
 * parameter's before any data is parsed, then the dtype, the length and every value (finite
 * values must stay finite in the kernel's dtype; 'NaN' and '±Infinity' are kept as written).
 */
function hostValues(
  value: Tensor | SerializedTensor,
  name: string,
  want: Shape,
  dtype: DType,
): { data: Float64Array; shape: number[] } {
  if (value instanceof Tensor) {
    if (!shapesEqual(value.shape, want)) return { data: new Float64Array(0), shape: [...value.shape] };
    return { data: checkValues(Float64Array.from(value.dataSync()), name, dtype), shape: [...value.shape] };
  }
  if (!value || typeof value !== 'object' || !Array.isArray(value.shape) || !Array.isArray(value.data)) {
    throw new SpectransError('ERR_STATE_DICT', `'${name}' must be a Tensor or { shape, dtype, data }`);
  }
  const shape: unknown[] = value.shape;
  if (!shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    throw new SpectransError(
      'ERR_STATE_DICT',
      `'${name}' has an invalid shape ${describe(shape)} (sizes must be non-negative integers)`,
    );
  }
  if (!shapesEqual(value.shape, want)) return { data: new Float64Array(0), shape: [...value.shape] };
  if (value.dtype !== 'float32' && value.dtype !== 'float64') {
    throw new SpectransError(
      'ERR_STATE_DICT',
      `'${name}' has dtype ${describe(value.dtype)}; expected 'float32' or 'float64'`,
    );
  }
  if (sizeOf(value.shape) !== value.data.length) {
    throw new SpectransError(
      'ERR_STATE_DICT',
      `'${name}' has ${value.data.length} values for shape [${value.shape.join(', ')}]`,
    );
  }
  const data = Float64Array.from(value.data, (v) => parseSerialized(v, name));
  // Values written as float32 are the shortest decimals that round-trip: round back to float32 exactly.
  if (value.dtype === 'float32') for (let i = 0; i < data.length; i++) data[i] = Math.fround(data[i]!);
  return { data: checkValues(data, name, dtype), shape: [...value.shape] };
}

/** Rejects finite values that would overflow to ±Infinity in `dtype`. */
function checkValues(data: Float64Array, name: string, dtype: DType): Float64Array {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (Number.isFinite(v) && !finiteIn(v, dtype)) {
      throw new SpectransError(
        'ERR_STATE_DICT',
        `'${name}'[${i}] = ${v} overflows ${dtype} (|value| <= ${DTYPE_MAX[dtype]})`,
      );
    }
  }
  return data;
}

/** Parses one serialised value (a number or 'NaN' / 'Infinity' / '-Infinity'). */
export function parseSerialized(v: number | string, name = 'value'): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string')
    throw new SpectransError('ERR_STATE_DICT', `'${name}' contains a non-numeric value ${describe(v)}`);
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  throw new SpectransError('ERR_STATE_DICT', `'${name}' contains a non-numeric value ${JSON.stringify(v)}`);
}
