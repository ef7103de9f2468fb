/**
 * `attention/errors/<what>`: malformed options (null, unknown keys, null values, no feature map, an
 * array) raise `ERR_INVALID_ARGUMENT`; mismatched q, k, v and mask shapes raise `ERR_SHAPE_MISMATCH`.
 */
import { linearAttention, softmaxAttention, tidy, type DType, type Tensor } from '@spectrans/core';
import type { CaseContext, ConformanceCase } from '../../types.js';
import { dtypeCase, errorCode } from '../helpers.js';
import { points } from '../kernels/points.js';
import { QuadraticFeatureMap } from './quadratic.js';

const D = 4;

const OPTION_ERRORS: readonly (readonly [string, (q: Tensor) => Tensor])[] = [
  ['linear-options-null', (q) => linearAttention(q, q, q, null as never)],
  [
    'linear-options-unknown-key',
    (q) => linearAttention(q, q, q, { featureMap: new QuadraticFeatureMap(D), chunk_size: 4 } as never),
  ],
  [
    'linear-options-null-value',
    (q) => linearAttention(q, q, q, { featureMap: new QuadraticFeatureMap(D), causal: null } as never),
  ],
  ['linear-feature-map-missing', (q) => linearAttention(q, q, q, {} as never)],
  ['softmax-options-unknown-key', (q) => softmaxAttention(q, q, q, { causl: true } as never)],
  ['softmax-options-array', (q) => softmaxAttention(q, q, q, [] as never)],
];

/** Shapes of q, k, v and the key mask (when there is one) that do not fit together. */
const SHAPE_ERRORS: readonly (readonly [string, number[], number[], number[], number[] | undefined])[] = [
  ['d-mismatch', [3, 4], [5, 3], [5, 2], undefined],
  ['m-mismatch', [3, 4], [5, 4], [6, 2], undefined],
  ['mask-shape', [3, 4], [5, 4], [5, 2], [4]],
];

/** Asserts `fn`, run inside `tidy` (freeing what it made before failing), raises `code`. */
function expectCode(ctx: CaseContext, code: string, fn: () => unknown): void {
  const got = errorCode(() => tidy(fn));
  ctx.check(got === code, () => `expected ${code}, got ${got}`);
}

/** Every attention error case. */
export function attentionErrorCases(dtype: DType): ConformanceCase[] {
  return [
    ...OPTION_ERRORS.map(([name, call]) =>
      dtypeCase(`attention/errors/${name}`, dtype, (ctx) => {
        const q = points(ctx, [3, D], 1);
        expectCode(ctx, 'ERR_INVALID_ARGUMENT', () => call(q));
      }),
    ),
    ...SHAPE_ERRORS.map(([name, qs, ks, vs, ms]) =>
      dtypeCase(`attention/errors/${name}`, dtype, (ctx) => {
        const [q, k, v] = [points(ctx, qs, 1), points(ctx, ks, 2), points(ctx, vs, 3)];
        const mask = ms ? ctx.input(new Array<number>(ms[0]!).fill(1), ms) : undefined;
        expectCode(ctx, 'ERR_SHAPE_MISMATCH', () => {
          linearAttention(q, k, v, { featureMap: new QuadraticFeatureMap(qs[1]!), mask });
        });
      }),
    ),
  ];
}
