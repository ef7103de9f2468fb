/** Registration of the corpus as vitest tests, independent of how vitest's API was obtained. */
import { DTYPES } from '@spectrans/core';
import type { beforeAll, afterAll, describe, test } from 'vitest';
import { buildCorpus } from './corpus.js';
import { executeCase, inapplicableReason, type Session } from './execute.js';
import { ConformanceFailure } from './failure.js';
import { findEntry, passesFilter } from './ids.js';
import { createOracle } from './runner.js';
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
}

/**
 * Registers one `describe` block named after the target with one test per case, titled by the
 * case id. The backend is created once in `beforeAll` and destroyed in `afterAll`. Skips show
 * their reason; expected failures run as `test.fails`.
 */
export function registerConformance(api: VitestApi, options: ConformanceOptions): void {
  const cases = (options.cases ?? buildCorpus(DTYPES)).filter((c) => passesFilter(c.id, options.filter));
  api.describe(`conformance: ${options.name}`, () => {
    let session: Session | undefined;
    let startError: unknown;
    api.beforeAll(async () => {
      try {
        const backend = await options.create();
        session = { backend, oracle: createOracle(), seed: options.seed ?? DEFAULT_SEED };
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
    for (const c of cases) {
      const skip = findEntry(options.skip, c.id);
      if (skip) {
        api.test(c.id, (ctx) => ctx.skip(skip.reason));
        continue;
      }
      const body = async (ctx: { skip: (note?: string) => never }): Promise<void> => {
        if (!session) {
          throw new Error(`backend '${options.name}' did not start: ${startError instanceof Error ? startError.message : String(startError)}`, { cause: startError });
        }
        const reason = inapplicableReason(c, session.backend);
        if (reason !== undefined) ctx.skip(reason);
        const result = await executeCase(c, session);
        if (result.status === 'fail') throw new ConformanceFailure(`${c.id}\n${result.message ?? ''}`);
      };
      const xfail = findEntry(options.expectedFailures, c.id);
      if (xfail) api.test.fails(c.id, body);
      else api.test(c.id, body);
    }
  });
}
