/** Kernels without parameters: cosine similarity and the polynomial kernel. */
import { SpectransError } from '../errors.js';
import { add, mul, pow } from '../ops/elementwise.js';
import { matmul } from '../ops/linear.js';
import { tidy } from '../scope.js';
import type { Tensor } from '../tensor.js';
import { choiceCheck, scalarCheck } from '../validate.js';
import { checkPoints, checkSameDim, COMPUTE_WITHOUT_Y } from './inputs.js';
import { KernelFunction } from './kernel-function.js';
import { MODULE_OPTION_KEYS, type ModuleOptions } from './module.js';
import { normalizeRows } from './norms.js';
import { checkOptions } from '../options.js';
import { checkFiniteIn } from '../numeric-range.js';

/** Every option of {@link CosineKernel}. */
const COSINE_KEYS = [...MODULE_OPTION_KEYS, 'eps', 'epsMode'] as const satisfies readonly (keyof CosineKernelOptions)[];
/** Every option of {@link PolynomialKernel}. */
const POLYNOMIAL_KEYS = [
  ...MODULE_OPTION_KEYS,
  'degree',
  'alpha',
  'coef0',
] as const satisfies readonly (keyof PolynomialKernelOptions)[];

/** Options of {@link CosineKernel}. */
export interface CosineKernelOptions extends ModuleOptions {
  /** Numerical-stability constant (default 1e-8). */
  eps?: number;
  /**
   * How eps enters: `'add'` divides by ‖x‖ + eps (the reference; self-similarity is slightly below 1),
   * `'clamp'` divides by max(‖x‖, eps) (torch's F.normalize; self-similarity is exactly 1).
   */
  epsMode?: 'add' | 'clamp';
}

/**
 * Cosine similarity k(x, y) = ⟨x, y⟩ / (‖x‖ ‖y‖).
 *
 * @remarks With the default `epsMode: 'add'` this is the reference's x / (‖x‖ + eps): an all-zero
 * row gives a zero row of K and self-similarity is ‖x‖²/(‖x‖ + eps)², just below 1. `'clamp'` gives
 * exactly 1 on the diagonal.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` for eps that is not finite and >= 0.
 * @example
 * ```ts
 * const k = new CosineKernel();
 * const K = k.compute(x, y); // (..., n, m), values in [-1, 1]
 * ```
 */
export class CosineKernel extends KernelFunction {
  readonly eps: number;
  readonly epsMode: 'add' | 'clamp';

  /** The options `toString()` prints. */
  protected override optionNames(): readonly string[] {
    return COSINE_KEYS;
  }

  constructor(options: CosineKernelOptions = {}) {
    super(checkOptions('CosineKernel', options, COSINE_KEYS));
    this.eps = checkFiniteIn(
      scalarCheck(options.eps ?? 1e-8, 'eps', { finite: true, nonNegative: true }),
      'eps',
      this.dtype,
    );
    this.epsMode = choiceCheck(options.epsMode ?? 'add', 'epsMode', ['add', 'clamp'] as const);
  }

  compute(x: Tensor, y: Tensor): Tensor {
    this.assertLive();
    const owner = 'CosineKernel.compute';
    checkPoints(x, 'x', { dtype: this.dtype, owner });
    checkPoints(y, 'y', { dtype: this.dtype, owner, ifMissing: COMPUTE_WITHOUT_Y });
    checkSameDim(x, y, owner);
    return tidy(() => matmul(this.normalizeRows(x), this.normalizeRows(y), { transposeB: true }));
  }

  private normalizeRows(x: Tensor): Tensor {
    return normalizeRows(x, this.eps, this.epsMode);
  }
}

/** Options of {@link PolynomialKernel}. */
export interface PolynomialKernelOptions extends ModuleOptions {
  /** Polynomial degree, a non-negative integer (default 2). */
  degree?: number;
  /** Scale of the inner product (default 1). */
  alpha?: number;
  /** Constant term (default 0). */
  coef0?: number;
}

/**
 * Polynomial kernel k(x, y) = (α⟨x, y⟩ + c)^degree.
 *
 * @remarks The reference accepts any degree; a non-integer degree gives NaN for negative bases and
 * a negative one gives infinities, so this port requires a non-negative integer.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` for a degree that is not a non-negative integer, or non-finite alpha/coef0.
 * @example
 * ```ts
 * const k = new PolynomialKernel({ degree: 3, coef0: 1 });
 * const K = k.compute(x, y);
 * ```
 */
export class PolynomialKernel extends KernelFunction {
  readonly degree: number;
  readonly alpha: number;
  readonly coef0: number;

  /** The options `toString()` prints. */
  protected override optionNames(): readonly string[] {
    return POLYNOMIAL_KEYS;
  }

  constructor(options: PolynomialKernelOptions = {}) {
    super(checkOptions('PolynomialKernel', options, POLYNOMIAL_KEYS));
    this.degree = checkDegree(options.degree ?? 2);
    this.alpha = checkFiniteIn(scalarCheck(options.alpha ?? 1, 'alpha', { finite: true }), 'alpha', this.dtype);
    this.coef0 = checkFiniteIn(scalarCheck(options.coef0 ?? 0, 'coef0', { finite: true }), 'coef0', this.dtype);
  }

  compute(x: Tensor, y: Tensor): Tensor {
    this.assertLive();
    const owner = 'PolynomialKernel.compute';
    checkPoints(x, 'x', { dtype: this.dtype, owner });
    checkPoints(y, 'y', { dtype: this.dtype, owner, ifMissing: COMPUTE_WITHOUT_Y });
    checkSameDim(x, y, owner);
    return tidy(() => polynomial(matmul(x, y, { transposeB: true }), this.alpha, this.coef0, this.degree));
  }
}

/** (α·g + c)^degree elementwise. */
export function polynomial(gram: Tensor, alpha: number, coef0: number, degree: number): Tensor {
  return tidy(() => integerPower(add(mul(gram, alpha), coef0), degree));
}

/**
 * x^n for a non-negative integer n by square-and-multiply: exact signs for negative bases on every
 * backend (GPU `pow` is undefined for negative bases).
 */
export function integerPower(x: Tensor, n: number): Tensor {
  if (n === 0) return pow(x, 0);
  return tidy(() => {
    let result: Tensor | undefined;
    let base = x;
    for (let e = n; e > 0; e >>= 1) {
      if (e & 1) result = result ? mul(result, base) : mul(base, 1);
      if (e > 1) base = mul(base, base);
    }
    return result!;
  });
}

/** Validates a polynomial degree: a non-negative integer. */
export function checkDegree(degree: unknown): number {
  const d = scalarCheck(degree, 'degree', { integer: true, nonNegative: true });
  if (d > 64) throw new SpectransError('ERR_INVALID_ARGUMENT', `degree must be <= 64, got ${d}`);
  return d;
}
