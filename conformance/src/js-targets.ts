/**
 * `@spectrans/conformance/js-targets`: the target module of backend-js, the suite's own dependency
 * and float64 oracle, so a CLI run can list it like any other backend's
 * (`spectrans-conformance @spectrans/conformance/js-targets @spectrans/backend-tfjs/conformance-targets`).
 * @packageDocumentation
 */
import { createJsBackend } from '@spectrans/backend-js';
import type { ConformanceTarget } from './types.js';

/** backend-js in float32 and float64: the column every other backend is compared with. */
export const JS_TARGET: ConformanceTarget = {
  name: 'js',
  create: () => createJsBackend(),
  dtypes: ['float32', 'float64'],
};

/** The targets of this module: {@link JS_TARGET} alone. */
export const conformanceTargets: readonly ConformanceTarget[] = [JS_TARGET];
