/**
 * The gradient suite (`gradients/...`): every op's backward rule, every kernel configuration and
 * attention, on the backend under test against the float64 oracle, whose own gradients are checked
 * against central finite differences; and optimiser steps that must lower a loss without leaking.
 */
import type { DType } from '@spectrans/core';
import type { ConformanceCase } from '../../types.js';
import { gradientKernelCases } from './kernels.js';
import { gradientOpCases } from './ops.js';
import { trainingCases } from './training.js';

/** Every gradient case for `dtypes`, each dtype's variant next to the other. */
export function gradientCases(dtypes: readonly DType[], longRunSteps?: number): ConformanceCase[] {
  const perDType = dtypes.map((d) => [
    ...gradientOpCases(d),
    ...gradientKernelCases(d),
    ...trainingCases(d, longRunSteps),
  ]);
  return perDType[0]!.flatMap((c, i) => [c, ...perDType.slice(1).map((list) => list[i]!)]);
}

export { GRADIENT_OP_CASES } from './ops.js';
