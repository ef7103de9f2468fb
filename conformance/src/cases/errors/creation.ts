/** Error cases of tensor creation: bad sizes, bad data, unknown and unsupported dtypes. */
import * as core from '@spectrans/core';
import type { DType } from '@spectrans/core';
import { guardBackend } from '../../guarded-backend.js';
import type { ConformanceCase } from '../../types.js';

/** `errors/tensor/*`, `errors/fill/*`, `errors/dtype/*`: rejected before the backend allocates anything. */
export function creationErrorCases(): ConformanceCase[] {
  const on = (backend: core.Backend) => ({ backend });
  const simple = (id: string, code: core.ErrorCode, call: (backend: core.Backend) => unknown): ConformanceCase => ({
    id,
    run(ctx) {
      ctx.expectError(code, () => call(ctx.guarded.backend));
    },
  });
  return [
    simple('errors/tensor/negative-size', 'ERR_INVALID_SHAPE', (b) => core.tensor([], [-1], 'float32', on(b))),
    simple('errors/tensor/non-integer-size', 'ERR_INVALID_SHAPE', (b) =>
      core.tensor([1, 2, 3], [1.5, 2], 'float32', on(b)),
    ),
    simple('errors/tensor/nan-size', 'ERR_INVALID_SHAPE', (b) => core.tensor([1], [NaN], 'float32', on(b))),
    simple('errors/tensor/infinite-size', 'ERR_INVALID_SHAPE', (b) => core.tensor([1], [Infinity], 'float32', on(b))),
    simple('errors/tensor/size-mismatch', 'ERR_INVALID_SHAPE', (b) =>
      core.tensor([1, 2, 3, 4, 5], [2, 3], 'float32', on(b)),
    ),
    simple('errors/tensor/ragged', 'ERR_INVALID_SHAPE', (b) => core.tensor([[1, 2], [3]], undefined, 'float32', on(b))),
    simple('errors/tensor/non-numeric-data', 'ERR_INVALID_ARGUMENT', (b) =>
      core.tensor(['1', 2] as unknown as number[], [2], 'float32', on(b)),
    ),
    simple('errors/tensor/unknown-dtype', 'ERR_INVALID_ARGUMENT', (b) =>
      core.tensor([1], [1], 'float16' as DType, on(b)),
    ),
    simple('errors/fill/negative-size', 'ERR_INVALID_SHAPE', (b) => core.zeros([3, -2], 'float32', on(b))),
    simple('errors/fill/infinite-size', 'ERR_INVALID_SHAPE', (b) => core.ones([Infinity], 'float32', on(b))),
    simple('errors/fill/non-numeric-value', 'ERR_INVALID_ARGUMENT', (b) =>
      core.fill([2], 'x' as unknown as number, 'float32', on(b)),
    ),
    {
      id: 'errors/dtype/unsupported-upload',
      run(ctx) {
        // The backend as if it declared float32 only: float64 must be refused by core, not by the backend.
        const g = guardBackend(ctx.backend, {
          capabilities: { dtypes: { float32: ctx.backend.capabilities.dtypes.float32 } },
        });
        ctx.expectError('ERR_UNSUPPORTED_DTYPE', () => core.tensor([1, 2], [2], 'float64', { backend: g.backend }), g);
        ctx.expectError('ERR_UNSUPPORTED_DTYPE', () => core.zeros([2], 'float64', { backend: g.backend }), g);
      },
    },
    {
      id: 'errors/dtype/unsupported-cast',
      run(ctx) {
        const g = guardBackend(ctx.backend, {
          capabilities: { dtypes: { float32: ctx.backend.capabilities.dtypes.float32 } },
        });
        const x = ctx.input([1, 2], [2], { on: g.backend, dtype: 'float32' });
        ctx.expectError('ERR_UNSUPPORTED_DTYPE', () => core.cast(x, 'float64'), g);
      },
    },
    {
      id: 'errors/unsupported-op/no-native-no-read-sync',
      run(ctx) {
        // Without a native op and without readSync, the host fallbacks cannot run: ERR_UNSUPPORTED_OP.
        const g = guardBackend(ctx.backend, { omit: ['readSync', 'linalg', 'fwht'] });
        const x = ctx.input(new Float64Array(16), [4, 4], { on: g.backend, dtype: 'float32' });
        ctx.expectError('ERR_UNSUPPORTED_OP', () => core.qr(x), g);
        ctx.expectError('ERR_UNSUPPORTED_OP', () => core.eigh(x), g);
        ctx.expectError('ERR_UNSUPPORTED_OP', () => core.svd(x), g);
        ctx.expectError('ERR_UNSUPPORTED_OP', () => core.fwht(x), g);
      },
    },
    {
      id: 'errors/sync-read-unsupported',
      run(ctx) {
        // A backend without readSync: synchronous reads raise a coded error naming it, printing gives a hint.
        const g = guardBackend(ctx.backend, { omit: ['readSync'] });
        const x = ctx.input([1, 2, 3, 4], [2, 2], { on: g.backend, dtype: 'float32' });
        ctx.expectError('ERR_SYNC_READ_UNSUPPORTED', () => x.dataSync(), g);
        ctx.expectError('ERR_SYNC_READ_UNSUPPORTED', () => x.arraySync(), g);
        const text = String(x);
        ctx.check(
          text.startsWith(`Tensor float32 [2, 2] on ${g.backend.name} (`) && text.includes('await tensor.array()'),
          () => `a tensor on a backend without readSync printed ${JSON.stringify(text)}`,
        );
      },
    },
  ];
}
