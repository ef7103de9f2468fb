/**
 * The kernel suites (`kernels/...`, `attention/...`): the checks of src/kernels/ adapted to the
 * corpus, so they join the vitest driver, the runner and the CLI matrix like any op case.
 */
import type { DType } from '@spectrans/core';
import {
  attentionChecks,
  kernelChecks,
  referenceChecks,
  ensureClose,
  type KernelCheck,
  type ReferenceCheck,
} from '../../kernels/index.js';
import type { ConformanceCase } from '../../types.js';

/** The `kernels/...` and `attention/...` cases for the given dtypes. */
export function kernelCases(dtypes: readonly DType[]): ConformanceCase[] {
  const checks: KernelCheck[] = [...kernelChecks(), ...attentionChecks()];
  return dtypes.flatMap((dtype) => [
    ...checks.map((check) => ({
      id: `${check.id}/${dtype}`,
      dtype,
      run: (ctx: Parameters<ConformanceCase['run']>[0]) => {
        const t = ctx.tolerance('pipeline');
        return check.run({ backend: ctx.backend, oracle: ctx.oracle, dtype, rtol: t.rtol, atol: t.atol });
      },
    })),
    ...referenceChecks().map((check) => referenceCase(check, dtype)),
  ]);
}

/** A reference-fixture check: the fixtures' own tolerance, or the table's pipeline row where looser. */
function referenceCase(check: ReferenceCheck, dtype: DType): ConformanceCase {
  return {
    id: `${check.id}/${dtype}`,
    dtype,
    async run(ctx) {
      const outcome = await check.run(ctx.backend, dtype);
      if (outcome.kind === 'boolean') {
        if (outcome.actual !== outcome.expected)
          throw new Error(`isPositiveDefinite returned ${outcome.actual}, the reference ${outcome.expected}`);
      } else if (outcome.kind === 'error') {
        if (outcome.code !== outcome.expectedCode)
          throw new Error(
            `expected ${outcome.expectedCode} (the reference accepts this input and returns NaN), got ${outcome.code ?? 'no error'}`,
          );
      } else {
        const t = ctx.tolerance('pipeline');
        const note = outcome.note ? ` (${outcome.note})` : '';
        ensureClose(
          outcome.actual,
          outcome.expected,
          Math.max(outcome.rtol, t.rtol),
          Math.max(outcome.atol, t.atol),
          `reference output, shape [${outcome.shape.join(', ')}]${note}`,
        );
      }
    },
  };
}
