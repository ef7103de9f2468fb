/**
 * Bad arguments of the plumbing around the ops: option bags of ops and creation functions, sizes
 * above the limits (tensors, op outputs, random counts), tidy, the registry and the generator.
 */
import * as core from '@spectrans/core';
import type { ErrorCode } from '@spectrans/core';
import type { ConformanceCase } from '../../types.js';
import { errorCase } from './shapes.js';

/** A case that needs no input tensors. */
function plain(id: string, code: ErrorCode, call: (backend: core.Backend) => unknown): ConformanceCase {
  return {
    id,
    run(ctx) {
      ctx.expectError(code, () => call(ctx.guarded.backend));
    },
  };
}

/** `errors/op-options/...`, `errors/limits/...`, `errors/tidy/...`, `errors/registry/...`, `errors/random/...`. */
export function apiErrorCases(): ConformanceCase[] {
  const on = (backend: core.Backend) => ({ backend });
  return [
    errorCase('errors/op-options/matmul/transpose-not-boolean', 'ERR_INVALID_ARGUMENT', (t) => {
      const a = t([2, 2]);
      return () => core.matmul(a, a, { transposeB: 'yes' as never });
    }),
    errorCase('errors/op-options/matmul/snake-case-key', 'ERR_INVALID_ARGUMENT', (t) => {
      const a = t([2, 2]);
      return () => core.matmul(a, a, { transpose_b: true } as never);
    }),
    errorCase('errors/op-options/matmul/null', 'ERR_INVALID_ARGUMENT', (t) => {
      const a = t([2, 2]);
      return () => core.matmul(a, a, null as never);
    }),
    errorCase('errors/op-options/cumsum/unknown-key', 'ERR_INVALID_ARGUMENT', (t) => {
      const a = t([2, 2]);
      return () => core.cumsum(a, 0, { reversed: true } as never);
    }),
    errorCase('errors/op-options/cumsum/exclusive-not-boolean', 'ERR_INVALID_ARGUMENT', (t) => {
      const a = t([2, 2]);
      return () => core.cumsum(a, 0, { exclusive: 1 as never });
    }),
    errorCase('errors/op-options/sum/axes-string', 'ERR_INVALID_ARGUMENT', (t) => {
      const a = t([2, 2]);
      return () => core.sum(a, 'rows' as never);
    }),
    errorCase('errors/op-options/max/keep-dims-not-boolean', 'ERR_INVALID_ARGUMENT', (t) => {
      const a = t([2, 2]);
      return () => core.max(a, 0, 'yes' as never);
    }),
    errorCase('errors/op-options/mean/axes-of-strings', 'ERR_INVALID_ARGUMENT', (t) => {
      const a = t([2, 2]);
      return () => core.mean(a, ['0'] as never);
    }),
    plain('errors/op-options/tensor/unknown-key', 'ERR_INVALID_ARGUMENT', (b) =>
      core.tensor([1], [1], 'float32', { backnd: b } as never),
    ),
    plain('errors/op-options/tensor/not-a-backend', 'ERR_INVALID_ARGUMENT', () =>
      core.tensor([1], [1], 'float32', { backend: 'js' as never }),
    ),
    plain('errors/op-options/fill/null', 'ERR_INVALID_ARGUMENT', () => core.fill([1], 1, 'float32', null as never)),
    plain('errors/op-options/zeros/array', 'ERR_INVALID_ARGUMENT', (b) => core.zeros([1], 'float32', [on(b)] as never)),
    plain('errors/limits/zeros/elements', 'ERR_INVALID_SHAPE', (b) => core.zeros([1e6, 1e6], 'float32', on(b))),
    plain('errors/limits/ones/2-pow-31', 'ERR_INVALID_SHAPE', (b) => core.ones([2 ** 31], 'float32', on(b))),
    plain('errors/limits/tensor/shape', 'ERR_INVALID_SHAPE', (b) =>
      core.tensor([1], [2 ** 20, 2 ** 20], 'float32', on(b)),
    ),
    errorCase('errors/limits/matmul/output', 'ERR_INVALID_SHAPE', (t) => {
      const [col, row] = [t([100000, 1]), t([1, 100000])];
      return () => core.matmul(col, row);
    }),
    errorCase('errors/limits/add/broadcast-output', 'ERR_INVALID_SHAPE', (t) => {
      const [col, row] = [t([100000, 1]), t([1, 100000])];
      return () => core.add(col, row);
    }),
    errorCase('errors/limits/where/broadcast-output', 'ERR_INVALID_SHAPE', (t) => {
      const [col, row] = [t([100000, 1]), t([1, 100000])];
      return () => core.where(col, row, col);
    }),
    errorCase('errors/limits/cdist/output', 'ERR_INVALID_SHAPE', (t) => {
      const [x, y] = [t([100000, 1]), t([100000, 1])];
      return () => core.cdist(x, y);
    }),
    plain('errors/limits/random/normal-count', 'ERR_INVALID_ARGUMENT', () => new core.RandomGenerator(1).normal(1e12)),
    plain('errors/limits/random/uniform-count', 'ERR_INVALID_ARGUMENT', () =>
      new core.RandomGenerator(1).uniform(2 ** 40),
    ),
    plain('errors/random/negative-count', 'ERR_INVALID_ARGUMENT', () => new core.RandomGenerator(1).normal(-1)),
    plain('errors/random/fraction-count', 'ERR_INVALID_ARGUMENT', () => new core.RandomGenerator(1).uniform(1.5)),
    plain('errors/random/negative-seed', 'ERR_INVALID_ARGUMENT', () => new core.RandomGenerator(-1)),
    plain('errors/random/negative-stream', 'ERR_INVALID_ARGUMENT', () => new core.RandomGenerator(1).fork(-1)),
    plain('errors/random/chi-zero-dof', 'ERR_INVALID_ARGUMENT', () => new core.RandomGenerator(1).chi(2, 0)),
    plain('errors/tidy/number', 'ERR_INVALID_ARGUMENT', () => core.tidy(42 as never)),
    plain('errors/tidy/null', 'ERR_INVALID_ARGUMENT', () => core.tidy(null as never)),
    plain('errors/tidy/async', 'ERR_INVALID_ARGUMENT', () => core.tidy((async () => undefined) as never)),
    plain('errors/tidy/thenable', 'ERR_INVALID_ARGUMENT', () => core.tidy(() => ({ then: () => undefined }))),
    plain('errors/registry/empty-name', 'ERR_INVALID_ARGUMENT', (b) => core.registerBackend('', () => b)),
    plain('errors/registry/factory-not-a-function', 'ERR_INVALID_ARGUMENT', (b) =>
      core.registerBackend('conformance-bad', b as never),
    ),
    plain('errors/registry/priority-nan', 'ERR_INVALID_ARGUMENT', (b) =>
      core.registerBackend('conformance-bad', () => b, { priority: NaN }),
    ),
    plain('errors/registry/timeout-negative', 'ERR_INVALID_ARGUMENT', (b) =>
      core.registerBackend('conformance-bad', () => b, { timeoutMs: -1 }),
    ),
    plain('errors/registry/options-typo', 'ERR_INVALID_ARGUMENT', (b) =>
      core.registerBackend('conformance-bad', () => b, { prority: 1 } as never),
    ),
    plain('errors/registry/replace-not-boolean', 'ERR_INVALID_ARGUMENT', (b) =>
      core.registerBackend('conformance-bad', () => b, { replace: 'yes' as never }),
    ),
    plain('errors/op-args/clone/not-a-tensor', 'ERR_INVALID_ARGUMENT', () => core.clone(undefined as never)),
    plain('errors/op-args/expand-dims/not-a-tensor', 'ERR_INVALID_ARGUMENT', () => core.expandDims(null as never, 0)),
    plain('errors/op-args/matrix-transpose/not-a-tensor', 'ERR_INVALID_ARGUMENT', () =>
      core.matrixTranspose(42 as never),
    ),
    errorCase('errors/op-args/reshape/shape-not-an-array', 'ERR_INVALID_SHAPE', (t) => {
      const a = t([2, 2]);
      return () => core.reshape(a, 4 as never);
    }),
    errorCase('errors/op-args/transpose/perm-not-an-array', 'ERR_INVALID_ARGUMENT', (t) => {
      const a = t([2, 2]);
      return () => core.transpose(a, 'ji' as never);
    }),
    errorCase('errors/op-args/slice/begin-not-an-array', 'ERR_INVALID_ARGUMENT', (t) => {
      const a = t([2, 2]);
      return () => core.slice(a, 0 as never);
    }),
    errorCase('errors/op-args/concat/not-an-array', 'ERR_INVALID_ARGUMENT', (t) => {
      const a = t([2, 2]);
      return () => core.concat(a as never, 0);
    }),
    errorCase('errors/op-args/clip/nan-bound', 'ERR_INVALID_ARGUMENT', (t) => {
      const a = t([2]);
      return () => core.clip(a, NaN, 1);
    }),
    plain('errors/op-args/broadcast-shapes/not-an-array', 'ERR_INVALID_SHAPE', () =>
      core.broadcastShapes(undefined as never, [1]),
    ),
    plain('errors/op-args/size-of/not-an-array', 'ERR_INVALID_SHAPE', () => core.sizeOf(3 as never)),
    plain('errors/create-kernel/unknown-name', 'ERR_UNKNOWN_KERNEL', () =>
      core.createKernel('gaussian' as never, {} as never),
    ),
    plain('errors/create-kernel/null-options', 'ERR_INVALID_ARGUMENT', () =>
      core.createKernel('gaussian_rff', null as never),
    ),
  ];
}
