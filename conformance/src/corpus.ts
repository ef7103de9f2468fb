/** The whole corpus: every case module, for the dtypes a backend declares. */
import { DTYPES, type DType } from '@spectrans/core';
import { errorCases } from './cases/errors/index.js';
import { gradientCases } from './cases/gradients/index.js';
import { kernelCases } from './cases/kernels/index.js';
import { eighCases, qrCases, svdCases } from './cases/linalg/decompositions.js';
import { binaryOpCases } from './cases/ops/binary.js';
import { fwhtCases, positiveFeaturesCases, rffFeaturesCases } from './cases/ops/features.js';
import { logLinearAttentionGradCases } from './cases/ops/attention-grad-ops.js';
import { logLinearAttentionCases } from './cases/ops/attention-ops.js';
import { concatCases, reshapeCases, sliceCases, transposeCases } from './cases/ops/layout.js';
import { cdistCases, expCdistCases, matmulCases } from './cases/ops/linear.js';
import { cumsumCases, reduceOpCases } from './cases/ops/reduce.js';
import { unaryOpCases } from './cases/ops/unary.js';
import { castCases, whereCases } from './cases/ops/where-cast.js';
import { randomCases, randomUploadCases } from './cases/random/index.js';
import { storageCases } from './cases/storage.js';
import type { ConformanceCase, CorpusOptions } from './types.js';

/**
 * Builds every case for `dtypes` (default both): storage, ops, linalg, random, errors, kernels,
 * gradients.
 * Cases of one module stay together, each dtype's variant next to the other.
 *
 * @throws SpectransError `ERR_INVALID_ARGUMENT` for a bad `options.longRunSteps`.
 * @throws Error if two cases share an id (a bug in the corpus).
 * @example
 * ```ts
 * const ids = buildCorpus(['float32']).map((c) => c.id);
 * ```
 */
export function buildCorpus(dtypes: readonly DType[] = DTYPES, options: CorpusOptions = {}): ConformanceCase[] {
  const perDType: ((dtype: DType) => ConformanceCase[])[] = [
    storageCases,
    unaryOpCases,
    binaryOpCases,
    whereCases,
    (d) => castCases(d, dtypes),
    reduceOpCases,
    cumsumCases,
    transposeCases,
    reshapeCases,
    concatCases,
    sliceCases,
    matmulCases,
    cdistCases,
    expCdistCases,
    fwhtCases,
    rffFeaturesCases,
    positiveFeaturesCases,
    logLinearAttentionCases,
    logLinearAttentionGradCases,
    qrCases,
    eighCases,
    svdCases,
    randomUploadCases,
  ];
  const cases = [
    ...perDType.flatMap((make) => interleave(dtypes.map((d) => make(d)))),
    ...randomCases(),
    ...errorCases(),
    ...kernelCases(dtypes),
    ...gradientCases(dtypes, options.longRunSteps),
  ];
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.id)) throw new Error(`buildCorpus: duplicate case id '${c.id}'`);
    seen.add(c.id);
  }
  return cases;
}

/** [[a32, b32], [a64, b64]] -> [a32, a64, b32, b64] (lists of equal length; otherwise concatenated). */
function interleave(lists: ConformanceCase[][]): ConformanceCase[] {
  const [first, ...rest] = lists;
  if (!first) return [];
  if (rest.some((l) => l.length !== first.length)) return lists.flat();
  return first.flatMap((c, i) => [c, ...rest.map((l) => l[i]!)]);
}
