/**
 * Optimisers that step named parameters: SGD with momentum and Adam, as in PyTorch's
 * `torch.optim.SGD` / `torch.optim.Adam` (weight decay added to the gradient).
 */
import { SpectransError } from '../errors.js';
import { add, div, mul, sqrt, square, sub } from '../ops/elementwise.js';
import { keep, tidy } from '../scope.js';
import { Tensor } from '../tensor.js';
import { scalarCheck } from '../validate.js';
import { valueAndGrads, type HasTrainableParameters } from './gradients.js';

/** What an optimiser steps in place: a kernel (its trainable parameters) or a record of named tensors. */
export type OptimizerTarget = HasTrainableParameters | Record<string, Tensor>;

/** A kernel that accepts new parameter values under the same names (every `KernelModule`). */
interface AssignsParameters extends HasTrainableParameters {
  assignTrainableParameters(values: Readonly<Record<string, Tensor>>): void;
}

function isModule(target: OptimizerTarget): target is AssignsParameters {
  return (
    typeof (target as Partial<AssignsParameters>).trainableParameters === 'function' &&
    typeof (target as Partial<AssignsParameters>).assignTrainableParameters === 'function'
  );
}

/**
 * Base of the optimisers: per-parameter state kept by name, a functional `update`, an in-place
 * `step` and a one-call `minimize`. One optimiser serves one model (state is keyed by parameter name).
 */
export abstract class Optimizer {
  readonly #state = new Map<string, { step: number; slots: Tensor[] }>();

  /** New values of `params` after one step along `grads`, computing the update of one parameter. */
  protected abstract next(
    param: Tensor,
    grad: Tensor,
    slots: Tensor[],
    step: number,
  ): { value: Tensor; slots: Tensor[] };

  /**
   * Functional form: returns new tensors for the parameters that have a gradient (the caller owns
   * them; `params` are left as they are) and advances the optimiser's state.
   * @throws SpectransError `ERR_INVALID_ARGUMENT` for a gradient with no parameter of that name or a
   *   different shape; `ERR_DISPOSED`.
   */
  update<K extends string>(
    params: Readonly<Record<K, Tensor>>,
    grads: Readonly<Partial<Record<K, Tensor>>>,
  ): Record<K, Tensor> {
    const owner = `${this.constructor.name}.update`;
    const names = Object.keys(grads) as K[];
    for (const name of names) {
      const p = params[name];
      const g = grads[name];
      if (!(p instanceof Tensor))
        throw new SpectransError('ERR_INVALID_ARGUMENT', `${owner}: grads.${name} has no parameter of that name`);
      if (!(g instanceof Tensor) || g.shape.join() !== p.shape.join()) {
        throw new SpectransError(
          'ERR_INVALID_ARGUMENT',
          `${owner}: grads.${name} must be a Tensor of shape [${p.shape.join(', ')}]`,
        );
      }
      p.ref(`${owner}: params.${name}`);
      g.ref(`${owner}: grads.${name}`);
    }
    const out = {} as Record<K, Tensor>;
    for (const name of names) {
      const previous = this.#state.get(name) ?? { step: 0, slots: [] };
      const { value, slots } = tidy(() => this.next(params[name], grads[name]!, previous.slots, previous.step + 1));
      for (const t of previous.slots) if (!slots.includes(t)) t.dispose();
      this.#state.set(name, { step: previous.step + 1, slots: slots.map((t) => keep(t)) });
      out[name] = value;
    }
    return out;
  }

  /**
   * One step in place: a kernel's parameters are replaced under the same names (so `stateDict()`
   * still gives the reference's names); a record's entries are replaced by new tensors (kept out
   * of every `tidy`) and the old ones disposed.
   */
  step(target: OptimizerTarget, grads: Readonly<Record<string, Tensor>>): void {
    if (isModule(target)) {
      target.assignTrainableParameters(this.update(target.trainableParameters(), grads));
      return;
    }
    if (target === null || typeof target !== 'object') {
      throw new SpectransError(
        'ERR_INVALID_ARGUMENT',
        `${this.constructor.name}.step: target must be a kernel or a record of named tensors`,
      );
    }
    const record = target as Record<string, Tensor>;
    const fresh = this.update(record, grads);
    for (const [name, t] of Object.entries(fresh)) {
      record[name]!.dispose();
      record[name] = keep(t);
    }
  }

  /**
   * Computes the loss and its gradients with respect to `target`'s parameters, takes one step,
   * and returns the loss (the caller owns it); the gradients are freed.
   * @example
   * ```ts
   * const opt = new Adam({ lr: 0.05 });
   * for (let i = 0; i < 200; i++) tidy(() => { opt.minimize(() => mean(square(sub(kernel.compute(x, x), target))), kernel); });
   * ```
   */
  minimize(f: () => Tensor, target: OptimizerTarget): Tensor {
    const { value, grads } = isModule(target)
      ? valueAndGrads(f, target)
      : valueAndGrads(f, target as Record<string, Tensor>);
    try {
      this.step(target, grads);
    } finally {
      for (const g of Object.values(grads)) g.dispose();
    }
    return value;
  }

  /** Forgets the state (momentum, moments, step counts). */
  reset(): void {
    for (const s of this.#state.values()) for (const t of s.slots) t.dispose();
    this.#state.clear();
  }

  /** Frees the state. */
  dispose(): void {
    this.reset();
  }
}

/** Options of {@link SGD}. */
export interface SGDOptions {
  /** Learning rate, > 0. */
  lr: number;
  /** Momentum in [0, 1) (default 0: plain gradient descent). */
  momentum?: number;
  /** L2 penalty added to the gradient, >= 0 (default 0). */
  weightDecay?: number;
}

/**
 * Stochastic gradient descent with momentum, as `torch.optim.SGD` (dampening 0):
 * g ← ∇ + λθ, b ← μb + g (b = g on the first step), θ ← θ − lr·b.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` for a bad lr, momentum or weightDecay.
 * @example
 * ```ts
 * const opt = new SGD({ lr: 0.1, momentum: 0.9 });
 * opt.step(kernel, grads);
 * ```
 */
export class SGD extends Optimizer {
  readonly lr: number;
  readonly momentum: number;
  readonly weightDecay: number;

  constructor(options: SGDOptions) {
    super();
    if (options === null || typeof options !== 'object')
      throw new SpectransError('ERR_INVALID_ARGUMENT', 'SGD: options must be an object with lr');
    this.lr = scalarCheck(options.lr, 'lr', { finite: true, positive: true });
    this.momentum = scalarCheck(options.momentum ?? 0, 'momentum', { finite: true, min: 0 });
    if (this.momentum >= 1)
      throw new SpectransError('ERR_INVALID_ARGUMENT', `momentum must be < 1, got ${this.momentum}`);
    this.weightDecay = scalarCheck(options.weightDecay ?? 0, 'weightDecay', { finite: true, nonNegative: true });
  }

  protected next(param: Tensor, grad: Tensor, slots: Tensor[]): { value: Tensor; slots: Tensor[] } {
    const g = this.weightDecay > 0 ? add(grad, mul(param, this.weightDecay)) : grad;
    if (this.momentum === 0) return { value: sub(param, mul(g, this.lr)), slots: [] };
    const buffer = slots[0] ? add(mul(slots[0], this.momentum), g) : mul(g, 1);
    return { value: sub(param, mul(buffer, this.lr)), slots: [buffer] };
  }
}

/** Options of {@link Adam}. */
export interface AdamOptions {
  /** Learning rate, > 0 (default 1e-3). */
  lr?: number;
  /** Decay rates of the first and second moments, each in [0, 1) (default [0.9, 0.999]). */
  betas?: readonly [number, number];
  /** Added to √v̂, > 0 (default 1e-8). */
  eps?: number;
  /** L2 penalty added to the gradient, >= 0 (default 0), as `torch.optim.Adam`. */
  weightDecay?: number;
}

/**
 * Adam (Kingma & Ba 2015), as `torch.optim.Adam`: g ← ∇ + λθ, m ← β₁m + (1−β₁)g,
 * v ← β₂v + (1−β₂)g², θ ← θ − lr·m̂/(√v̂ + ε) with bias-corrected m̂, v̂.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` for a bad lr, betas, eps or weightDecay.
 * @example
 * ```ts
 * const opt = new Adam({ lr: 0.01 });
 * const loss = opt.minimize(() => mean(square(sub(kernel.compute(x, x), target))), kernel);
 * ```
 */
export class Adam extends Optimizer {
  readonly lr: number;
  readonly betas: readonly [number, number];
  readonly eps: number;
  readonly weightDecay: number;

  constructor(options: AdamOptions = {}) {
    super();
    if (options === null || typeof options !== 'object')
      throw new SpectransError('ERR_INVALID_ARGUMENT', 'Adam: options must be an object');
    this.lr = scalarCheck(options.lr ?? 1e-3, 'lr', { finite: true, positive: true });
    const betas = options.betas ?? [0.9, 0.999];
    if (!Array.isArray(betas) || betas.length !== 2)
      throw new SpectransError('ERR_INVALID_ARGUMENT', 'betas must be a pair [beta1, beta2]');
    this.betas = [0, 1].map((i) => {
      const b = scalarCheck(betas[i], `betas[${i}]`, { finite: true, min: 0 });
      if (b >= 1) throw new SpectransError('ERR_INVALID_ARGUMENT', `betas[${i}] must be < 1, got ${b}`);
      return b;
    }) as unknown as readonly [number, number];
    this.eps = scalarCheck(options.eps ?? 1e-8, 'eps', { finite: true, positive: true });
    this.weightDecay = scalarCheck(options.weightDecay ?? 0, 'weightDecay', { finite: true, nonNegative: true });
  }

  protected next(param: Tensor, grad: Tensor, slots: Tensor[], step: number): { value: Tensor; slots: Tensor[] } {
    const [b1, b2] = this.betas;
    const g = this.weightDecay > 0 ? add(grad, mul(param, this.weightDecay)) : grad;
    const m = slots[0] ? add(mul(slots[0], b1), mul(g, 1 - b1)) : mul(g, 1 - b1);
    const v = slots[1] ? add(mul(slots[1], b2), mul(square(g), 1 - b2)) : mul(square(g), 1 - b2);
    const mHat = div(m, 1 - b1 ** step);
    const vHat = div(v, 1 - b2 ** step);
    return { value: sub(param, mul(div(mHat, add(sqrt(vHat), this.eps)), this.lr)), slots: [m, v] };
  }
}
