/**
 * @spectrans/conformance: one corpus of cases (every op of the ops contract, decompositions,
 * random parameters, errors, every kernel and linear attention) run against any backend, with a vitest
 * driver, a programmatic runner, one tolerance table and a CLI report.
 *
 * @example
 * ```ts
 * // test/conformance.test.ts of a backend package
 * import { runConformance } from '@spectrans/conformance';
 * import { createMyBackend } from '../src/index.js';
 *
 * runConformance({ name: 'my-backend', create: async () => createMyBackend() });
 * ```
 * @packageDocumentation
 */
export type {
  CaseContext,
  CaseFilter,
  CaseResult,
  CaseStatus,
  CloseOptions,
  ConformanceCase,
  ConformanceTarget,
  GuardedBackend,
  IdReason,
  InputOptions,
  RunOptions,
} from './types.js';
export { DEFAULT_SEED } from './types.js';
export { runConformance } from './vitest-lazy.js';
export { registerConformance, type ConformanceOptions, type VitestApi } from './driver.js';
export { runCases, runCasesOn, runTarget, createOracle, declaredDTypes, type TargetReport } from './runner.js';
export { executeCase, type Session, type Disposition } from './execute.js';
export { buildCorpus } from './corpus.js';
export { kernelCases } from './cases/kernels/index.js';
export {
  TOLERANCES,
  UNIT_ROUNDOFF,
  MIN_NORMAL,
  allclose,
  elementTolerance,
  roundTo,
  roundAllTo,
  toleranceFor,
  type CloseResult,
  type CloseSpec,
  type ElementMismatch,
  type Tolerance,
  type ToleranceKind,
} from './tolerance.js';
export { ConformanceFailure } from './failure.js';
export { HostRng, caseSeed } from './host-rng.js';
export { guardBackend, type GuardOptions } from './guarded-backend.js';
export { idMatches, groupOf } from './ids.js';
export type { HostArray } from './reference/ndarray.js';
// Report formatters: ./report/index.ts (`@spectrans/conformance/report`).
export type { ConformanceTargetsExport } from './targets.js';
