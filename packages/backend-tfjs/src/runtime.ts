/**
 * The state every op needs: the tfjs module, which engine this backend instance runs on, and the
 * engine's known deviations from the ops contract that the ops correct.
 */
import { SpectransError } from '@spectrans/core';
import { type TensorRef } from '@spectrans/core/backend';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Tf, TfjsEngine } from './engines.js';

/**
 * Known deviations of an engine from the ops contract. Each flag switches on a correction made
 * with tfjs ops (never a host round trip).
 */
export interface EngineFixes {
  /** `maximum`/`minimum` (and `max`/`min` reductions) may drop a NaN: mask NaN back in. */
  readonly nanMinMax: boolean;
  /** `sin`/`cos` lose accuracy away from zero: reduce the phase exactly and use our polynomials. */
  readonly trig: boolean;
  /** `pow` follows C (`pow(1, NaN) = 1`, `pow(-1, ±Inf) = 1`): give JavaScript's `Math.pow` results (NaN). */
  readonly powSpecials: boolean;
  /** `elu` computes `exp(x) - 1`, losing every digit for tiny negative x: use `expm1`. */
  readonly elu: boolean;
  /** `relu` may be wrong at the edges (NaN, −∞): compose it as x > 0 ? x : (NaN stays NaN, else 0). */
  readonly reluNaN: boolean;
  /** `pow` may miss Math.pow's table for zero and infinite bases: apply it explicitly. */
  readonly powZeroInf: boolean;
  /** `div` may shortcut x / x to 1, so 0/0 and ∞/∞ give 1: give NaN. */
  readonly divSpecials: boolean;
  /** `log(0)` is the log of the smallest normal float32 (−88.03), not −∞: give −∞. */
  readonly logZero: boolean;
  /** `expm1(NaN)` (behind `elu`) is +∞: pass NaN through. */
  readonly expm1NaN: boolean;
  /**
   * `matMul` over an odd shared dimension adds the product of the operands' padding lanes (packed
   * textures hold 2 × 2 blocks, and packed elementwise ops fill padding with op(0): exp gives 1):
   * pad both operands with a zero along the shared axis, so it is even.
   */
  readonly oddSharedDim: boolean;
}

/**
 * Corrections per engine, from measurements on tfjs 4.22 (see the README's precision section).
 * `sign` is always composed: every engine returns 0 for NaN, and wasm also for |x| < 1e-6.
 */
export const ENGINE_FIXES: Readonly<Record<TfjsEngine, EngineFixes>> = Object.freeze({
  // JavaScript math in float64, rounded once: Math.max/Math.cos/Math.pow semantics already.
  cpu: Object.freeze({
    nanMinMax: false,
    trig: false,
    powSpecials: false,
    elu: true,
    reluNaN: false,
    divSpecials: false,
    powZeroInf: false,
    logZero: false,
    expm1NaN: false,
    oddSharedDim: false,
  }),
  // XNNPACK maximum keeps a NaN only in its first operand; sin/cos errors reach 1e-1 relative
  // near zero and are unusable beyond ~1e5; pow follows C.
  wasm: Object.freeze({
    nanMinMax: true,
    trig: true,
    powSpecials: true,
    elu: false,
    reluNaN: false,
    divSpecials: false,
    powZeroInf: false,
    logZero: false,
    expm1NaN: false,
    oddSharedDim: false,
  }),
  // GPU shader float32: GLSL leaves NaN handling, pow's special cases and the accuracy of sin/cos
  // to the driver; apply every correction (measured in a browser only: Node has no WebGL): relu(NaN)
  // x/x, pow with zero or infinite bases, log(0), expm1(NaN) and matMul over an odd shared dimension
  // after exp (1 × 1 times 1 × 1 read back twice the product) were measured wrong in Chromium on
  // SwiftShader.
  webgl: Object.freeze({
    nanMinMax: true,
    trig: true,
    powSpecials: true,
    elu: true,
    reluNaN: true,
    divSpecials: true,
    powZeroInf: true,
    logZero: true,
    expm1NaN: true,
    oddSharedDim: true,
  }),
  // Not measurable here (libtensorflow cannot be installed offline): apply every correction.
  tensorflow: Object.freeze({
    nanMinMax: true,
    trig: true,
    powSpecials: true,
    elu: true,
    reluNaN: true,
    divSpecials: true,
    powZeroInf: true,
    logZero: true,
    expm1NaN: true,
    oddSharedDim: true,
  }),
});

/** Speed/accuracy trade-offs per engine. */
export interface EngineTuning {
  /**
   * Squared Euclidean `cdist` computes differences exactly up to this many batch·n·m·d elements and
   * uses one matmul (the Gram form) above. Measured: the difference form costs ~95 ns per element on
   * cpu (JavaScript broadcasting) but ~1.5 ns on wasm, about what the Gram form costs there.
   */
  readonly cdistDirectMaxElements: number;
  /**
   * The engine keeps tensors as JavaScript typed arrays (tfjs's cpu engine), so loops over those
   * arrays are its native kernels: used where tfjs's own composition is slow (L1 distances and
   * exact differences: ~95 ns per element through broadcasting, ~1 ns in a loop; the FWHT's
   * log2(n) slice/concat stages).
   */
  readonly jsKernels: boolean;
}

/** Tuning per engine. */
export const ENGINE_TUNING: Readonly<Record<TfjsEngine, EngineTuning>> = Object.freeze({
  cpu: Object.freeze({ cdistDirectMaxElements: 2 ** 22, jsKernels: true }),
  wasm: Object.freeze({ cdistDirectMaxElements: 2 ** 24, jsKernels: false }),
  webgl: Object.freeze({ cdistDirectMaxElements: 2 ** 22, jsKernels: false }),
  tensorflow: Object.freeze({ cdistDirectMaxElements: 2 ** 22, jsKernels: false }),
});

/** One backend instance's view of tfjs. */
export interface TfjsRuntime {
  readonly tf: Tf;
  readonly engine: TfjsEngine;
  /** The engine's name in tfjs's registry. */
  readonly tfjsName: string;
  readonly fixes: EngineFixes;
  readonly tuning: EngineTuning;
}

/** What core passes for a tensor of this backend. */
export type Ref = TensorRef<Tensor>;

/**
 * Makes this runtime's engine tfjs's active backend (one global per process), so new tensors land
 * on it. A string comparison when it already is; a synchronous switch otherwise (the factory
 * initialised the engine, so `setBackend` completes without awaiting).
 *
 * @throws SpectransError `ERR_BACKEND_INIT` when the engine cannot be made active synchronously
 *   (it was removed with `tf.removeBackend`, or another backend is still initialising).
 */
export function activate(rt: TfjsRuntime): void {
  const { tf, tfjsName } = rt;
  if (tf.getBackend() === tfjsName) return;
  tf.setBackend(tfjsName).catch(() => undefined);
  if (tf.getBackend() !== tfjsName || tf.engine().registry[tfjsName] === undefined) {
    throw new SpectransError(
      'ERR_BACKEND_INIT',
      `tfjs could not switch its active backend to '${tfjsName}' synchronously (was it removed with tf.removeBackend, or is another backend initialising?)`,
    );
  }
}

/**
 * Runs one op: activates the engine, then runs `fn` inside one `tf.tidy`, so every intermediate is
 * freed and only the returned tensor survives. The result is always a new handle (were `fn` to
 * return one of `inputs` unchanged, a clone is returned instead) and is marked `tf.keep`: its
 * lifetime belongs to the spectrans Tensor that wraps it, even when the op runs inside a caller's
 * own `tf.tidy`.
 */
export function run(rt: TfjsRuntime, inputs: readonly Ref[], fn: () => Tensor): Tensor {
  activate(rt);
  const out = rt.tf.tidy(() => {
    const result = fn();
    return inputs.some((r) => r.handle === result) ? rt.tf.clone(result) : result;
  });
  return rt.tf.keep(out);
}
