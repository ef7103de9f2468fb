/** Error cases of tensor state: disposed tensors, mixed dtypes, mixed backends. */
import * as core from '@spectrans/core';
import { SpectransError, type Tensor } from '@spectrans/core';
import type { ConformanceCase } from '../../types.js';
import { errorCase } from './shapes.js';

const disposedOps: readonly [string, (x: Tensor, y: Tensor) => unknown][] = [
  ['unary', (x) => core.exp(x)],
  ['binary', (x, y) => core.add(y, x)],
  ['binary-scalar', (x) => core.mul(2, x)],
  ['matmul', (x, y) => core.matmul(y, x)],
  ['reduce', (x) => core.sum(x, 0)],
  ['cumsum', (x) => core.cumsum(x, 1)],
  ['concat', (x, y) => core.concat([y, x], 0)],
  ['where', (x, y) => core.where(y, y, x)],
  ['cast', (x) => core.cast(x, 'float32')],
  ['reshape', (x) => core.reshape(x, [4])],
  ['qr', (x) => core.qr(x)],
  ['read-sync', (x) => x.dataSync()],
  ['array-sync', (x) => x.arraySync()],
];

/** `errors/disposed/<op>`, `errors/dtype-mismatch/<op>` (backends with float64), `errors/backend-mismatch/<op>`. */
export function stateErrorCases(): ConformanceCase[] {
  const disposed = disposedOps.map(([name, call]) =>
    errorCase(`errors/disposed/${name}`, 'ERR_DISPOSED', (t, ctx) => {
      const x = t([2, 2]);
      const y = t([2, 2]);
      ctx.dispose(x);
      return () => call(x, y);
    }),
  );
  const readDisposed: ConformanceCase = {
    id: 'errors/disposed/read',
    async run(ctx) {
      const x = ctx.input([1, 2], [2]);
      ctx.dispose(x);
      const err = await x.data().then(
        () => undefined,
        (e: unknown) => e,
      );
      ctx.check(
        err instanceof SpectransError && err.code === 'ERR_DISPOSED',
        () => `reading a disposed tensor gave ${err === undefined ? 'no error' : String(err)}, expected ERR_DISPOSED`,
      );
    },
  };
  const needsFloat64 = (b: core.Backend): true | string =>
    b.capabilities.dtypes.float64 ? true : 'needs float64 to mix dtypes';
  const mixed = (id: string, call: (f32: Tensor, f64: Tensor) => unknown): ConformanceCase => ({
    id,
    applies: needsFloat64,
    run(ctx) {
      const on = ctx.guarded.backend;
      const f32 = ctx.input([1, 2, 3, 4], [2, 2], { on, dtype: 'float32' });
      const f64 = ctx.input([1, 2, 3, 4], [2, 2], { on, dtype: 'float64' });
      ctx.expectError('ERR_DTYPE_MISMATCH', () => call(f32, f64));
    },
  });
  const backendMismatch = (id: string, call: (mine: Tensor, other: Tensor) => unknown): ConformanceCase => ({
    id,
    run(ctx) {
      const mine = ctx.input([1, 2, 3, 4], [2, 2], { on: ctx.guarded.backend, dtype: 'float32' });
      const other = ctx.input([1, 2, 3, 4], [2, 2], { on: ctx.oracle, dtype: 'float32' });
      ctx.expectError('ERR_BACKEND_MISMATCH', () => call(mine, other));
    },
  });
  return [
    ...disposed,
    readDisposed,
    mixed('errors/dtype-mismatch/add', (a, b) => core.add(a, b)),
    mixed('errors/dtype-mismatch/matmul', (a, b) => core.matmul(b, a)),
    mixed('errors/dtype-mismatch/where', (a, b) => core.where(a, a, b)),
    mixed('errors/dtype-mismatch/concat', (a, b) => core.concat([a, b], 0)),
    mixed('errors/dtype-mismatch/cdist', (a, b) => core.cdist(a, b)),
    backendMismatch('errors/backend-mismatch/add', (a, b) => core.add(a, b)),
    backendMismatch('errors/backend-mismatch/matmul', (a, b) => core.matmul(b, a)),
  ];
}
