/** Error cases: wrong ranks, mismatched dimensions, non-broadcastable shapes, bad axes and arguments. */
import * as core from '@spectrans/core';
import type { DistanceMetric, ErrorCode, Tensor } from '@spectrans/core';
import type { CaseContext, ConformanceCase } from '../../types.js';
import { size } from '../helpers.js';

/** An error case: `make` builds inputs with `t(shape)` (float32 zeros on the guarded backend) and returns the failing call. */
export function errorCase(
  id: string,
  code: ErrorCode,
  make: (t: (shape: number[]) => Tensor, ctx: CaseContext) => () => unknown,
): ConformanceCase {
  return {
    id,
    run(ctx) {
      const t = (shape: number[]): Tensor =>
        ctx.input(new Float64Array(size(shape)), shape, { on: ctx.guarded.backend });
      ctx.expectError(code, make(t, ctx));
    },
  };
}

/** `errors/<op>/<what>`: shape and argument errors of every op family. */
export function shapeErrorCases(): ConformanceCase[] {
  return [
    errorCase('errors/matmul/rank-1', 'ERR_INVALID_SHAPE', (t) => {
      const [a, b] = [t([3]), t([3, 2])];
      return () => core.matmul(a, b);
    }),
    errorCase('errors/matmul/inner-mismatch', 'ERR_SHAPE_MISMATCH', (t) => {
      const [a, b] = [t([2, 3]), t([4, 2])];
      return () => core.matmul(a, b);
    }),
    errorCase('errors/matmul/inner-mismatch-transposed', 'ERR_SHAPE_MISMATCH', (t) => {
      const [a, b] = [t([2, 3]), t([3, 4])];
      return () => core.matmul(a, b, { transposeB: true });
    }),
    errorCase('errors/matmul/batch-mismatch', 'ERR_SHAPE_MISMATCH', (t) => {
      const [a, b] = [t([2, 3, 4]), t([3, 4, 5])];
      return () => core.matmul(a, b);
    }),
    errorCase('errors/add/not-broadcastable', 'ERR_SHAPE_MISMATCH', (t) => {
      const [a, b] = [t([2, 3]), t([4])];
      return () => core.add(a, b);
    }),
    errorCase('errors/equal/not-broadcastable', 'ERR_SHAPE_MISMATCH', (t) => {
      const [a, b] = [t([2, 3, 4]), t([3, 1, 4])];
      return () => core.equal(a, b);
    }),
    errorCase('errors/add/two-scalars', 'ERR_INVALID_ARGUMENT', () => () => core.add(1, 2)),
    errorCase('errors/add/not-a-tensor', 'ERR_INVALID_ARGUMENT', (t) => {
      const a = t([2]);
      return () => core.add(a, [1, 2] as unknown as Tensor);
    }),
    errorCase('errors/where/not-broadcastable', 'ERR_SHAPE_MISMATCH', (t) => {
      const [c, a, b] = [t([2, 3]), t([2, 3]), t([2])];
      return () => core.where(c, a, b);
    }),
    errorCase('errors/cdist/rank-1', 'ERR_INVALID_SHAPE', (t) => {
      const [x, y] = [t([3]), t([2, 3])];
      return () => core.cdist(x, y);
    }),
    errorCase('errors/cdist/dim-mismatch', 'ERR_SHAPE_MISMATCH', (t) => {
      const [x, y] = [t([4, 3]), t([2, 5])];
      return () => core.cdist(x, y, 'l1');
    }),
    errorCase('errors/cdist/batch-mismatch', 'ERR_SHAPE_MISMATCH', (t) => {
      const [x, y] = [t([2, 4, 3]), t([3, 2, 3])];
      return () => core.cdist(x, y);
    }),
    errorCase('errors/cdist/unknown-metric', 'ERR_INVALID_ARGUMENT', (t) => {
      const [x, y] = [t([4, 3]), t([2, 3])];
      return () => core.cdist(x, y, 'cosine' as DistanceMetric);
    }),
    errorCase('errors/concat/shape-mismatch', 'ERR_SHAPE_MISMATCH', (t) => {
      const [a, b] = [t([2, 3]), t([2, 4])];
      return () => core.concat([a, b], 0);
    }),
    errorCase('errors/concat/rank-mismatch', 'ERR_SHAPE_MISMATCH', (t) => {
      const [a, b] = [t([2, 3]), t([2, 3, 1])];
      return () => core.concat([a, b], 0);
    }),
    errorCase('errors/concat/empty-list', 'ERR_INVALID_ARGUMENT', () => () => core.concat([], 0)),
    errorCase('errors/concat/axis-out-of-range', 'ERR_INVALID_ARGUMENT', (t) => {
      const [a, b] = [t([2, 3]), t([2, 3])];
      return () => core.concat([a, b], 2);
    }),
    errorCase('errors/reshape/size-mismatch', 'ERR_INVALID_SHAPE', (t) => {
      const a = t([2, 3]);
      return () => core.reshape(a, [4, 2]);
    }),
    errorCase('errors/reshape/negative-size', 'ERR_INVALID_SHAPE', (t) => {
      const a = t([2, 3]);
      return () => core.reshape(a, [-2, -3]);
    }),
    errorCase('errors/reshape/two-inferred-axes', 'ERR_INVALID_SHAPE', (t) => {
      const a = t([2, 3]);
      return () => core.reshape(a, [-1, -1]);
    }),
    errorCase('errors/reshape/non-integer-size', 'ERR_INVALID_SHAPE', (t) => {
      const a = t([2, 3]);
      return () => core.reshape(a, [1.5, 4]);
    }),
    errorCase('errors/slice/out-of-range', 'ERR_INVALID_ARGUMENT', (t) => {
      const a = t([4, 3]);
      return () => core.slice(a, [2, 0], [3, 3]);
    }),
    errorCase('errors/slice/negative-begin', 'ERR_INVALID_ARGUMENT', (t) => {
      const a = t([4, 3]);
      return () => core.slice(a, [-1, 0], [1, 1]);
    }),
    errorCase('errors/transpose/bad-perm', 'ERR_INVALID_ARGUMENT', (t) => {
      const a = t([2, 3, 4]);
      return () => core.transpose(a, [0, 0, 1]);
    }),
    errorCase('errors/transpose/perm-length', 'ERR_INVALID_ARGUMENT', (t) => {
      const a = t([2, 3, 4]);
      return () => core.transpose(a, [1, 0]);
    }),
    errorCase('errors/sum/axis-out-of-range', 'ERR_INVALID_ARGUMENT', (t) => {
      const a = t([2, 3]);
      return () => core.sum(a, 2);
    }),
    errorCase('errors/max/non-integer-axis', 'ERR_INVALID_ARGUMENT', (t) => {
      const a = t([2, 3]);
      return () => core.max(a, 0.5);
    }),
    errorCase('errors/cumsum/axis-out-of-range', 'ERR_INVALID_ARGUMENT', (t) => {
      const a = t([2, 3]);
      return () => core.cumsum(a, -3);
    }),
    errorCase('errors/qr/rank-1', 'ERR_INVALID_SHAPE', (t) => {
      const a = t([4]);
      return () => core.qr(a);
    }),
    errorCase('errors/svd/empty-matrix', 'ERR_INVALID_SHAPE', (t) => {
      const a = t([3, 0]);
      return () => core.svd(a);
    }),
    errorCase('errors/eigh/not-square', 'ERR_INVALID_SHAPE', (t) => {
      const a = t([3, 4]);
      return () => core.eigh(a);
    }),
    errorCase('errors/fwht/not-power-of-two', 'ERR_INVALID_SHAPE', (t) => {
      const a = t([2, 6]);
      return () => core.fwht(a);
    }),
    errorCase('errors/rff-features/shape-mismatch', 'ERR_SHAPE_MISMATCH', (t) => {
      const [x, omega, bias] = [t([5, 3]), t([4, 8]), t([8])];
      return () => core.rffFeatures(x, omega, bias, 1);
    }),
    errorCase('errors/rff-features/bias-mismatch', 'ERR_SHAPE_MISMATCH', (t) => {
      const [x, omega, bias] = [t([5, 3]), t([3, 8]), t([7])];
      return () => core.rffFeatures(x, omega, bias, 1);
    }),
    errorCase('errors/rff-features/bad-ranks', 'ERR_INVALID_SHAPE', (t) => {
      const [x, omega, bias] = [t([5, 3]), t([3, 8, 1]), t([8])];
      return () => core.rffFeatures(x, omega, bias, 1);
    }),
    errorCase('errors/rff-features/non-finite-scale', 'ERR_INVALID_ARGUMENT', (t) => {
      const [x, omega, bias] = [t([5, 3]), t([3, 8]), t([8])];
      return () => core.rffFeatures(x, omega, bias, Infinity);
    }),
    errorCase('errors/exp-cdist/shape-mismatch', 'ERR_SHAPE_MISMATCH', (t) => {
      const [x, y] = [t([5, 3]), t([4, 2])];
      return () => core.expCdist(x, y, 'sqeuclidean', -1);
    }),
    errorCase('errors/exp-cdist/non-finite-scale', 'ERR_INVALID_ARGUMENT', (t) => {
      const [x, y] = [t([5, 3]), t([4, 3])];
      return () => core.expCdist(x, y, 'l1', Number.NEGATIVE_INFINITY);
    }),
    errorCase('errors/clip/inverted-bounds', 'ERR_INVALID_ARGUMENT', (t) => {
      const a = t([3]);
      return () => core.clip(a, 1, 0);
    }),
  ];
}
