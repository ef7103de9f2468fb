/** Runs one case against a backend: applicability, timing, leak check, expected-failure logic. */
import { type Backend, type DType } from '@spectrans/core';
import { optionalOpSupport } from '@spectrans/core/backend';
import { createCaseScope } from './context.js';
import { ConformanceFailure } from './failure.js';
import { caseSeed } from './host-rng.js';
import { compareLeaks, leakSnapshot } from './leak.js';
import type { CaseResult, ConformanceCase } from './types.js';

/** The backend under test, the oracle and the run's base seed. */
export interface Session {
  readonly backend: Backend;
  readonly oracle: Backend;
  readonly seed: number;
}

/** How the target wants a case treated. */
export interface Disposition {
  /** Reason to skip without running. */
  readonly skip?: string;
  /** Reason the case is expected to fail. */
  readonly expectedFailure?: string;
}

/** Why a case cannot run on `backend`, or undefined when it can. */
export function inapplicableReason(c: ConformanceCase, backend: Backend): string | undefined {
  if (c.dtype !== undefined && backend.capabilities.dtypes[c.dtype] === undefined) {
    return `backend '${backend.name}' does not declare ${c.dtype}`;
  }
  const applies = c.applies?.(backend) ?? true;
  return applies === true ? undefined : applies;
}

function describeError(e: unknown): string {
  if (e instanceof ConformanceFailure) return e.message;
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    const stack = (e.stack ?? '')
      .split('\n')
      .slice(1, 6)
      .map((l) => `  ${l.trim()}`)
      .join('\n');
    return `${e.name}${code ? ` ${String(code)}` : ''}: ${e.message}${stack ? `\n${stack}` : ''}`;
  }
  return `thrown: ${String(e)}`;
}

/**
 * Runs one case and returns its result; never throws. A case fails when its body throws, an op
 * modified one of its inputs, or tensors/handles leaked. With `expectedFailure`, a failure is
 * reported as 'xfail' and a pass as 'fail'.
 */
export async function executeCase(
  c: ConformanceCase,
  session: Session,
  disposition: Disposition = {},
): Promise<CaseResult> {
  const { backend, oracle } = session;
  const seed = caseSeed(session.seed, c.id);
  const base = {
    id: c.id,
    seed,
    ...(c.dtype !== undefined ? { dtype: c.dtype } : {}),
    ...(c.optionalOp !== undefined ? { path: optionalOpSupport(backend, c.optionalOp) } : {}),
  };
  if (disposition.skip !== undefined) return { ...base, status: 'skip', ms: 0, message: disposition.skip };
  const inapplicable = inapplicableReason(c, backend);
  if (inapplicable !== undefined) return { ...base, status: 'skip', ms: 0, message: inapplicable };

  const dtype: DType = c.dtype ?? 'float32';
  const before = leakSnapshot(backend);
  const scope = createCaseScope({ id: c.id, backend, oracle, dtype, seed });
  const start = performance.now();
  const problems: string[] = [];
  let failed = false;
  try {
    await c.run(scope.ctx);
  } catch (e) {
    failed = true;
    problems.push(describeError(e));
  }
  try {
    problems.push(...(await scope.finish(!failed)));
  } catch (e) {
    problems.push(`while checking inputs and disposing: ${describeError(e)}`);
  }
  problems.push(...compareLeaks(before, leakSnapshot(backend)));
  const ms = performance.now() - start;
  const maxError = scope.maxError();
  const toleranceFraction = scope.toleranceFraction();
  const measured = {
    ...base,
    ms,
    ...(maxError !== undefined ? { maxError } : {}),
    ...(toleranceFraction !== undefined ? { toleranceFraction } : {}),
  };
  const message = problems.join('\n');
  if (disposition.expectedFailure !== undefined) {
    return problems.length > 0
      ? { ...measured, status: 'xfail', message: `expected failure (${disposition.expectedFailure}): ${message}` }
      : {
          ...measured,
          status: 'fail',
          message: `expected to fail (${disposition.expectedFailure}) but passed: remove it from expectedFailures`,
        };
  }
  return problems.length > 0 ? { ...measured, status: 'fail', message } : { ...measured, status: 'pass' };
}
