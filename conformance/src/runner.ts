/** The programmatic runner: the corpus over one target, without any test framework. */
import { createJsBackend } from '@spectrans/backend-js';
import type { Backend, BackendCapabilities, DType } from '@spectrans/core';
import { buildCorpus } from './corpus.js';
import { executeCase } from './execute.js';
import { findEntry, passesFilter } from './ids.js';
import { DEFAULT_SEED, type CaseResult, type ConformanceTarget, type RunOptions } from './types.js';

/** The dtypes a backend declares, float32 first. */
export function declaredDTypes(backend: Backend): DType[] {
  return (['float32', 'float64'] as const).filter((d) => backend.capabilities.dtypes[d] !== undefined);
}

/** Creates the oracle: a fresh backend-js instance (its float64 is the exact reference). */
export function createOracle(): Backend {
  return createJsBackend({ name: 'js-oracle' });
}

/**
 * Runs the corpus (or `options.cases`) against a target's backend and returns one result per case,
 * in corpus order. Creates the backend, runs the cases one after another, then calls `destroy?.()`.
 *
 * @throws whatever `target.create()` throws (the CLI reports that as an unavailable target).
 * @example
 * ```ts
 * const results = await runCases({ name: 'js', create: () => createJsBackend() }, { filter: 'ops/matmul' });
 * console.log(results.filter((r) => r.status === 'fail'));
 * ```
 */
export async function runCases(target: ConformanceTarget, options: RunOptions = {}): Promise<CaseResult[]> {
  const backend = await target.create();
  const oracle = createOracle();
  try {
    return await runCasesOn(backend, oracle, target, options);
  } finally {
    await backend.destroy?.();
    await oracle.destroy?.();
  }
}

/** {@link runCases} on a backend that already exists (neither created nor destroyed here). */
export async function runCasesOn(
  backend: Backend,
  oracle: Backend,
  target: Pick<ConformanceTarget, 'skip' | 'expectedFailures'>,
  options: RunOptions = {},
): Promise<CaseResult[]> {
  const cases = (options.cases ?? buildCorpus(declaredDTypes(backend), { longRunSteps: options.longRunSteps })).filter(
    (c) => passesFilter(c.id, options.filter),
  );
  const session = { backend, oracle, seed: options.seed ?? DEFAULT_SEED };
  const results: CaseResult[] = [];
  for (const c of cases) {
    const skip = findEntry(target.skip, c.id);
    const xfail = findEntry(target.expectedFailures, c.id);
    const result = await executeCase(c, session, {
      ...(skip ? { skip: skip.reason } : {}),
      ...(xfail ? { expectedFailure: xfail.reason } : {}),
    });
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}

/** One target's run as the reports show it. */
export interface TargetReport {
  /** The target's name (the report column). */
  readonly name: string;
  /** 'unavailable' when the target could not be loaded or its backend could not start. */
  readonly status: 'ok' | 'unavailable';
  /** Why the target is unavailable. */
  readonly reason?: string;
  /** The backend's own name and declared capabilities. */
  readonly backend?: { readonly name: string; readonly capabilities: BackendCapabilities };
  readonly results: readonly CaseResult[];
  /** Wall time of the whole target in milliseconds. */
  readonly ms: number;
}

/**
 * Runs a target and never throws: a backend that cannot start gives an 'unavailable' report.
 *
 * @example
 * ```ts
 * const report = await runTarget({ name: 'js', create: () => createJsBackend() });
 * ```
 */
export async function runTarget(target: ConformanceTarget, options: RunOptions = {}): Promise<TargetReport> {
  const start = performance.now();
  let backend: Backend;
  try {
    backend = await target.create();
  } catch (e) {
    return {
      name: target.name,
      status: 'unavailable',
      reason: e instanceof Error ? e.message : String(e),
      results: [],
      ms: performance.now() - start,
    };
  }
  const oracle = createOracle();
  try {
    const results = await runCasesOn(backend, oracle, target, options);
    return {
      name: target.name,
      status: 'ok',
      backend: { name: backend.name, capabilities: backend.capabilities },
      results,
      ms: performance.now() - start,
    };
  } finally {
    try {
      await backend.destroy?.();
    } finally {
      await oracle.destroy?.();
    }
  }
}
