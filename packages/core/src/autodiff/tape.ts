/**
 * The gradient tape: while a gradient is requested, core's op functions call `taped` with their
 * inputs, output and attributes, and the active tape keeps what each backward rule needs.
 * Outside a gradient computation `taped` is one branch and records nothing.
 */
import type { BinaryOp, UnaryOp } from '../backend/contract.js';
import { SpectransError } from '../errors.js';
import { keep } from '../scope.js';
import { Tensor } from '../tensor.js';

/** Names of the ops the tape records (each has a backward rule, or raises `ERR_NOT_DIFFERENTIABLE`). */
export type TapedOp =
  | 'neg'
  | 'abs'
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'square'
  | 'reciprocal'
  | 'sin'
  | 'cos'
  | 'tanh'
  | 'relu'
  | 'elu'
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'where'
  | 'sum'
  | 'max'
  | 'min'
  | 'cumsum'
  | 'transpose'
  | 'reshape'
  | 'concat'
  | 'slice'
  | 'cast'
  | 'matmul'
  | 'cdist'
  | 'fwht'
  | 'rffFeatures'
  | 'logLinearAttention'
  | 'qr'
  | 'eigh'
  | 'svd';

/** Op attributes a backward rule reads (axes, flags, the scalar of a tensor-scalar op, ...). */
export type OpAttrs = Readonly<Record<string, unknown>>;

/** One recorded op. */
export interface TapeEntry {
  readonly op: TapedOp;
  /** The op's tensor inputs, in order (identity only: they may be disposed by now). */
  readonly inputs: readonly Tensor[];
  /** Which inputs lead back to a watched tensor (only those get a gradient). */
  readonly needsGrad: readonly boolean[];
  /** The output (the first one for ops with several, e.g. eigh's values). */
  readonly output: Tensor;
  /** Every output, in order (one for most ops). */
  readonly outputs: readonly Tensor[];
  readonly attrs: OpAttrs;
  /** Private copies of the inputs the rule reads (undefined where not saved). */
  readonly saved: readonly (Tensor | undefined)[];
  /** Private copy of the output, where the rule reads it. */
  readonly savedOutput: Tensor | undefined;
  /** Private copies of every output, where the rule reads them. */
  readonly savedOutputs: readonly (Tensor | undefined)[];
  /** Private copies of by-products the op computed anyway and handed to its rule (e.g. rffFeatures' sines). */
  readonly extras: readonly Tensor[];
}

/** What each rule reads besides shapes: input positions ('all' for every input) and the output. */
const SAVES: Readonly<Partial<Record<string, { inputs?: readonly number[] | 'all'; output?: true }>>> = {
  neg: {},
  abs: { inputs: [0] },
  exp: { output: true },
  log: { inputs: [0] },
  sqrt: { output: true },
  square: { inputs: [0] },
  reciprocal: { output: true },
  sin: { inputs: [0] },
  cos: { inputs: [0] },
  tanh: { output: true },
  relu: { inputs: [0] },
  elu: { output: true },
  add: {},
  sub: {},
  mul: { inputs: 'all' },
  div: { inputs: [1], output: true },
  pow: { inputs: 'all', output: true },
  maximum: { inputs: 'all' },
  minimum: { inputs: 'all' },
  where: { inputs: [0] },
  sum: {},
  max: { inputs: [0], output: true },
  min: { inputs: [0], output: true },
  cumsum: {},
  transpose: {},
  reshape: {},
  concat: {},
  slice: {},
  cast: {},
  matmul: { inputs: 'all' },
  cdist: { inputs: 'all' },
  fwht: {},
  rffFeatures: { inputs: [0, 1], output: true },
  logLinearAttention: { inputs: 'all', output: true },
  qr: {},
  eigh: { output: true },
  svd: {},
};

/** Records ops whose inputs lead back to a watched tensor, with private copies of what their rules read. */
export class Tape {
  readonly entries: TapeEntry[] = [];
  readonly #tracked = new Set<Tensor>();
  readonly #copies: Tensor[] = [];

  /** Marks `t` as a tensor to differentiate with respect to. */
  watch(t: Tensor): void {
    this.#tracked.add(t);
  }

  /** True when `t` is watched or was computed from a watched tensor while recording. */
  isTracked(t: Tensor): boolean {
    return this.#tracked.has(t);
  }

  /** Records `output = op(inputs)` if any input is tracked. */
  record(
    op: TapedOp | UnaryOp | BinaryOp,
    inputs: readonly Tensor[],
    output: Tensor | readonly Tensor[],
    attrs: OpAttrs,
    extras: readonly Tensor[] = [],
  ): void {
    const spec = SAVES[op];
    // Comparisons and sign are piecewise constant: their outputs are constants to the tape (zero gradient).
    if (spec === undefined) return;
    const needsGrad = inputs.map((t) => this.#tracked.has(t));
    if (!needsGrad.includes(true)) return;
    // A tensor-scalar op has one tensor input, whichever side it stands on: save it if the rule reads either side.
    const scalarForm = attrs['scalar'] !== undefined && spec.inputs !== undefined;
    const saved = inputs.map((t, i) =>
      scalarForm || spec.inputs === 'all' || spec.inputs?.includes(i) ? this.#copy(t) : undefined,
    );
    const outputs = output instanceof Tensor ? [output] : output;
    const savedOutputs = outputs.map((t) => (spec.output ? this.#copy(t) : undefined));
    for (const t of outputs) this.#tracked.add(t);
    this.entries.push({
      op: op as TapedOp,
      inputs,
      needsGrad,
      output: outputs[0]!,
      outputs,
      attrs,
      saved,
      savedOutput: savedOutputs[0],
      savedOutputs,
      extras: extras.map((t) => this.#copy(t)),
    });
  }

  /** Frees every private copy. The tape is empty afterwards. */
  dispose(): void {
    for (const t of this.#copies) t.dispose();
    this.#copies.length = 0;
    this.entries.length = 0;
    this.#tracked.clear();
  }

  /** A handle of our own on t's data (a reshape, which backends may serve without copying), outside every tidy scope. */
  #copy(t: Tensor): Tensor {
    const copy = keep(new Tensor(t.backend, t.backend.reshape(t.ref('tape'), t.shape), t.shape, t.dtype));
    this.#copies.push(copy);
    return copy;
  }
}

let activeTape: Tape | undefined;

/**
 * @internal Called by core's op functions with their tensor inputs, output and attributes:
 * records them on the active tape, if any. Returns `output`.
 */
export function taped<T extends Tensor>(
  op: TapedOp | UnaryOp | BinaryOp,
  inputs: readonly Tensor[],
  output: T,
  attrs: OpAttrs = {},
  extras: readonly Tensor[] = [],
): T {
  if (activeTape !== undefined) activeTape.record(op, inputs, output, attrs, extras);
  return output;
}

/**
 * @internal True when a gradient computation is recording and one of `inputs` leads back to a
 * watched tensor: the op will be recorded, so it may compute by-products its rule can reuse.
 */
export function recordsAny(inputs: readonly Tensor[]): boolean {
  return activeTape !== undefined && inputs.some((t) => activeTape!.isTracked(t));
}

/** @internal Records an op with several outputs (a decomposition's factors) as one entry. Returns `outputs`. */
export function tapedFactors<T extends Record<string, Tensor>>(
  op: 'qr' | 'eigh' | 'svd',
  inputs: readonly Tensor[],
  outputs: T,
): T {
  if (activeTape !== undefined) activeTape.record(op, inputs, Object.values(outputs), {});
  return outputs;
}

/** @internal Runs `fn` with recording paused (for ops composed of other ops but recorded as one). */
export function untaped<T>(fn: () => T): T {
  if (activeTape === undefined) return fn();
  const tape = activeTape;
  activeTape = undefined;
  try {
    return fn();
  } finally {
    activeTape = tape;
  }
}

/** True while a gradient computation is recording. */
export function isRecording(): boolean {
  return activeTape !== undefined;
}

/**
 * @internal Runs `fn` with `tape` active.
 * @throws SpectransError `ERR_NOT_DIFFERENTIABLE` when a tape is already active (higher-order gradients).
 */
export function recordOn<T>(tape: Tape, fn: () => T, owner: string): T {
  if (activeTape !== undefined) {
    throw new SpectransError(
      'ERR_NOT_DIFFERENTIABLE',
      `${owner}: nested gradient computations (gradients of gradients) are not supported`,
    );
  }
  activeTape = tape;
  try {
    return fn();
  } finally {
    activeTape = undefined;
  }
}
