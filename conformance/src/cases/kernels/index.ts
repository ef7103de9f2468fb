/**
 * The kernel suites (`kernels/...`) and, with them, the attention suites (`attention/...`): every
 * configuration against the float64 oracle, properties, statistics, errors, state dicts, and the
 * Python reference's recorded outputs.
 */
import type { DType } from '@spectrans/core';
import type { ConformanceCase } from '../../types.js';
import { attentionCases } from '../attention/index.js';
import { kernelErrorCases } from './errors.js';
import { oracleCases } from './oracle.js';
import { propertyCases } from './properties.js';
import { referenceCases } from './reference-fixtures.js';
import { stateDictCases } from './state-dict.js';
import { statisticalCases } from './statistics.js';

/**
 * The `kernels/...` and `attention/...` cases for the given dtypes, each dtype's cases together.
 *
 * @example
 * ```ts
 * const ids = kernelCases(['float32']).map((c) => c.id); // 'kernels/gaussian-rff/plain/matches-oracle/float32', ...
 * ```
 */
export function kernelCases(dtypes: readonly DType[]): ConformanceCase[] {
  return dtypes.flatMap((dtype) => [
    ...oracleCases(dtype),
    ...propertyCases(dtype),
    ...statisticalCases(dtype),
    ...kernelErrorCases(dtype),
    ...stateDictCases(dtype),
    ...attentionCases(dtype),
    ...referenceCases(dtype),
  ]);
}
