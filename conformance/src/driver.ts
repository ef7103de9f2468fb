/** Registration of the corpus as vitest tests, independent of how vitest's API was obtained. */
import { DTYPES, type DType } from '@spectrans/core';
import type { beforeAll, afterAll, describe, test } from 'vitest';
import { buildCorpus } from './corpus.js';
import { executeCase, inapplicableReason, type Session } from './execute.js';
import { ConformanceFailure } from './failure.js';
import { findEntry, passesFilter } from './ids.js';
import { createEventLoopYielder } from './event-loop.js';
import { createOracle, declaredDTypes } from './runner.js';
import { DEFAULT_SEED, type CaseFilter, type ConformanceCase, type ConformanceTarget } from './types.js';

/** The part of vitest's API the driver uses. */
export interface VitestApi {
  /** vitest's `describe`. */
  readonly describe: typeof describe;
  /** vitest's `test`. */
  readonly test: typeof test;
  /** vitest's `beforeAll` (creates the backend). */
  readonly beforeAll: typeof beforeAll;
  /** vitest's `afterAll` (destroys it). */
  readonly afterAll: typeof afterAll;
}

/** Options of `runConformance`: a target plus run settings. */
export interface ConformanceOptions extends ConformanceTarget {
  /** Base seed (default {@link DEFAULT_SEED}). */
  readonly seed?: number;
  /** Only register ids passing this filter (prefix, prefixes or predicate). */
  readonly filter?: CaseFilter;
  /** The cases to register (default: the whole corpus, both dtypes; undeclared dtypes are skipped at run time). */
  readonly cases?: readonly ConformanceCase[];
  /** Steps of the long training run (see `CorpusOptions`); ignored with `cases`. */
  readonly longRunSteps?: number;
}

/** Why the started backend contradicts the target's `dtypes`, or undefined when it agrees. */
function dtypeMismatch(options: ConformanceOptions, declared: readonly DType[]): string | undefined {
  if (options.dtypes === undefined) return undefined;
  const expected = DTYPES.filter((d) => options.dtypes!.includes(d));
  if (expected.length === declared.length && expected.every((d) => declared.includes(d))) return undefined;
  return `target '${options.name}' lists dtypes [${expected.join(', ')}] but the backend declares [${declared.join(', ')}]`;
}

/**
 * Registers one `describe` block named after the target with one test per case, titled by the
 * case id. The backend is created once in `beforeAll` and destroyed in `afterAll`. Skips show
 * their reason; expected failures run as `test.fails`. When the target lists its `dtypes`, the
 * cases of other dtypes become one skipped test per dtype. Cases yield to the event loop at least
 * every 100 ms, so vitest's worker keeps answering its RPC while a synchronous backend runs.
 */
export function registerConformance(api: VitestApi, options: ConformanceOptions): void {
  const all = (options.cases ?? buildCorpus(DTYPES, { longRunSteps: options.longRunSteps })).filter((c) =>
    passesFilter(c.id, options.filter),
  );
  const listed = options.dtypes;
  const cases = listed === undefined ? all : all.filter((c) => c.dtype === undefined || listed.includes(c.dtype));
  const undeclared = DTYPES.map((d) => ({ dtype: d, count: all.filter((c) => c.dtype === d).length })).filter(
    ({ dtype, count }) => count > 0 && listed !== undefined && !listed.includes(dtype),
  );
  const yieldToEventLoop = createEventLoopYielder();
  api.describe(`conformance: ${options.name}`, () => {
    let session: Session | undefined;
    let startError: unknown;
    api.beforeAll(async () => {
      try {
        const backend = await options.create();
        session = { backend, oracle: createOracle(), seed: options.seed ?? DEFAULT_SEED };
        const mismatch = dtypeMismatch(options, declaredDTypes(backend));
        if (mismatch !== undefined) startError = new Error(mismatch);
      } catch (e) {
        startError = e;
      }
    });
    api.afterAll(async () => {
      try {
        await session?.backend.destroy?.();
      } finally {
        await session?.oracle.destroy?.();
      }
    });
    for (const { dtype, count } of undeclared) {
      api.test(`${dtype} (${count} cases)`, (ctx) => ctx.skip(`target '${options.name}' does not declare ${dtype}`));
    }
    for (const c of cases) {
      const skip = findEntry(options.skip, c.id);
      if (skip) {
        api.test(c.id, (ctx) => ctx.skip(skip.reason));
        continue;
      }
      const body = async (ctx: { skip: (note?: string) => never }): Promise<void> => {
        if (!session || startError !== undefined) {
          throw new Error(
            `backend '${options.name}' did not start: ${startError instanceof Error ? startError.message : String(startError)}`,
            { cause: startError },
          );
        }
        const reason = inapplicableReason(c, session.backend);
        if (reason !== undefined) ctx.skip(reason);
        await yieldToEventLoop();
        const result = await executeCase(c, session);
        if (result.status === 'fail') throw new ConformanceFailure(`${c.id}\n${result.message ?? ''}`);
      };
      const xfail = findEntry(options.expectedFailures, c.id);
      if (xfail) api.test.fails(c.id, body, c.timeoutMs);
      else api.test(c.id, body, c.timeoutMs);
    }
  });
}
