/** Validation of plain (non-tensor) arguments: options of kernels and ops. */
import { SpectransError } from './errors.js';
import { describe } from './shape.js';

/** Constraints on a numeric option. */
export interface NumberRule {
  /** Must be finite (no NaN or ±Infinity). */
  finite?: boolean;
  /** Must be an integer. */
  integer?: boolean;
  /** Must be > 0. */
  positive?: boolean;
  /** Must be >= 0. */
  nonNegative?: boolean;
  /** Inclusive lower bound. */
  min?: number;
  /** Inclusive upper bound. */
  max?: number;
}

/**
 * Checks a numeric argument and returns it.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` naming `argument` and the rule it breaks.
 */
export function scalarCheck(value: unknown, argument: string, rule: NumberRule = {}): number {
  const fail = (what: string): never => {
    throw new SpectransError('ERR_INVALID_ARGUMENT', `${argument} must be ${what}, got ${describe(value)}`);
  };
  if (typeof value !== 'number' || Number.isNaN(value)) fail('a number');
  const v = value as number;
  if ((rule.finite || rule.integer) && !Number.isFinite(v)) fail('finite');
  if (rule.integer && !Number.isInteger(v)) fail('an integer');
  if (rule.positive && !(v > 0)) fail(rule.integer ? 'a positive integer' : 'positive');
  if (rule.nonNegative && !(v >= 0)) fail('non-negative');
  if (rule.min !== undefined && v < rule.min) fail(`>= ${rule.min}`);
  if (rule.max !== undefined && v > rule.max) fail(`<= ${rule.max}`);
  return v;
}

/**
 * Checks that `value` is one of `choices` and returns it.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` listing the choices.
 */
export function choiceCheck<const C extends readonly string[]>(
  value: unknown,
  argument: string,
  choices: C,
): C[number] {
  if (typeof value !== 'string' || !choices.includes(value)) {
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `${argument} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${describe(value)}`,
    );
  }
  return value as C[number];
}

/** Checks a boolean option. */
export function booleanCheck(value: unknown, argument: string): boolean {
  if (typeof value !== 'boolean')
    throw new SpectransError('ERR_INVALID_ARGUMENT', `${argument} must be a boolean, got ${describe(value)}`);
  return value;
}
