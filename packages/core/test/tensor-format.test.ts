/**
 * Tensor printing and synchronous reads, on a stub backend that only stores arrays: what is read,
 * how it is printed, and that printing never throws.
 */
import { inspect } from 'node:util';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Backend, TensorRef } from '../src/backend/contract.js';
import type { FloatArray } from '../src/dtype.js';
import { Tensor, type NestedArray, type RankedArray } from '../src/tensor.js';
import { expectError } from './errors.js';

interface Stub {
  backend: Backend<FloatArray>;
  /** Sizes of every readSync, to check that only the printed block is transferred. */
  reads: number[];
  live: () => number;
}

/** A backend holding row-major arrays: just enough for printing (readSync, slice, dispose). */
function stubBackend(options: { sync?: boolean; failRead?: boolean } = {}): Stub {
  const reads: number[] = [];
  let live = 0;
  const backend = {
    name: 'stub',
    capabilities: { dtypes: { float32: 'ieee', float64: 'ieee' } },
    async read(x: TensorRef<FloatArray>) {
      return x.handle.slice();
    },
    dispose() {
      live--;
    },
    slice(x: TensorRef<FloatArray>, begin: readonly number[], size: readonly number[]) {
      live++;
      const out: number[] = [];
      const strides = x.shape.map((_, a) => x.shape.slice(a + 1).reduce((p, d) => p * d, 1));
      const walk = (axis: number, offset: number): void => {
        if (axis === x.shape.length) {
          out.push(x.handle[offset]!);
          return;
        }
        for (let i = 0; i < size[axis]!; i++) walk(axis + 1, offset + (begin[axis]! + i) * strides[axis]!);
      };
      walk(0, 0);
      return x.dtype === 'float64' ? Float64Array.from(out) : Float32Array.from(out);
    },
  } as unknown as Backend<FloatArray>;
  if (options.sync !== false) {
    backend.readSync = (x) => {
      if (options.failRead) throw new Error('device lost');
      reads.push(x.handle.length);
      return x.handle.slice();
    };
  }
  return { backend, reads, live: () => live };
}

function make(
  stub: Stub,
  values: ArrayLike<number>,
  shape: number[],
  dtype: 'float32' | 'float64' = 'float32',
): Tensor {
  const data = dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
  return new Tensor(stub.backend, data, shape, dtype);
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('Tensor.toString and inspect', () => {
  it('prints dtype, shape, backend and every value of a small tensor, with six significant digits', () => {
    const stub = stubBackend();
    const t = make(stub, [0.1, 0.2, 0.3, 1 / 3, -0, NaN], [3, 2]);
    const text = 'Tensor float32 [3, 2] on stub: [[0.1, 0.2], [0.3, 0.333333], [-0, NaN]]';
    expect(t.toString()).toBe(text);
    expect(String(t)).toBe(text);
    expect(`${t}`).toBe(text);
    expect(inspect(t)).toBe(text);
    expect(inspect({ t })).toContain(`t: ${text}`); // nested in an object too
    t.dispose();
  });

  it('prints scalars, empty tensors and large or tiny magnitudes', () => {
    const stub = stubBackend();
    const cases: [number[], number[], 'float32' | 'float64', string][] = [
      [[2.5], [], 'float64', 'Tensor float64 [] on stub: 2.5'],
      [[], [0], 'float32', 'Tensor float32 [0] on stub: []'],
      [[], [2, 0], 'float32', 'Tensor float32 [2, 0] on stub: [[], []]'],
      [
        [123456789, 1e-10, -Infinity, 100],
        [4],
        'float64',
        'Tensor float64 [4] on stub: [1.23457e+8, 1e-10, -Infinity, 100]',
      ],
    ];
    for (const [values, shape, dtype, text] of cases) {
      const t = make(stub, values, shape, dtype);
      expect(t.toString()).toBe(text);
      t.dispose();
    }
    expect(stub.reads).toEqual([1, 4]); // empty tensors are not read at all
  });

  it('shows the leading entries of each axis of a large tensor and transfers only those', () => {
    const stub = stubBackend();
    const v = make(stub, range(1000), [1000]);
    expect(v.toString()).toBe('Tensor float32 [1000] on stub: [0, 1, 2, 3, 4, 5, …]');
    const m = make(stub, range(40), [5, 8]);
    expect(m.toString()).toBe(
      'Tensor float32 [5, 8] on stub: [[0, 1, 2, 3, 4, 5, …], [8, 9, 10, 11, 12, 13, …], [16, 17, 18, 19, 20, 21, …], …]',
    );
    const b = make(stub, range(2 * 3 * 10), [2, 3, 10]);
    expect(b.toString()).toBe(
      'Tensor float32 [2, 3, 10] on stub: [[[0, 1, 2, 3, 4, 5, …], [10, 11, 12, 13, 14, 15, …], [20, 21, 22, 23, 24, 25, …]], [[30, 31, 32, 33, 34, 35, …], [40, 41, 42, 43, 44, 45, …], [50, 51, 52, 53, 54, 55, …]]]',
    );
    expect(stub.reads).toEqual([6, 18, 36]);
    expect(stub.live()).toBe(0); // every slice made for printing was disposed
    for (const t of [v, m, b]) t.dispose();
  });

  it('prints a disposed tensor as disposed', () => {
    const stub = stubBackend();
    const t = make(stub, [1, 2], [2]);
    t.dispose();
    expect(t.toString()).toBe('Tensor float32 [2] on stub (disposed)');
    expect(inspect(t)).toBe('Tensor float32 [2] on stub (disposed)');
  });

  it('without readSync prints no values and says how to read them; a failing read is reported, not thrown', () => {
    const asyncOnly = stubBackend({ sync: false });
    const t = make(asyncOnly, [1, 2], [2]);
    expect(t.toString()).toBe(
      "Tensor float32 [2] on stub (backend 'stub' reads asynchronously: await tensor.array() for the values)",
    );
    t.dispose();
    const failing = stubBackend({ failRead: true });
    const u = make(failing, [1, 2], [2]);
    expect(u.toString()).toBe('Tensor float32 [2] on stub (values unreadable: device lost)');
    u.dispose();
  });
});

describe('synchronous reads', () => {
  it('arraySync and dataSync read where the backend has readSync', async () => {
    const stub = stubBackend();
    const t = make(stub, [1, 2, 3, 4, 5, 6], [2, 3], 'float64');
    expect(t.arraySync()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.arraySync(2)).toEqual(await t.array(2));
    expect(Array.from(t.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    const s = make(stub, [7], []);
    expect(s.arraySync(0)).toBe(7);
    for (const x of [t, s]) x.dispose();
  });

  it('raise ERR_SYNC_READ_UNSUPPORTED naming the backend when it reads only asynchronously', async () => {
    const t = make(stubBackend({ sync: false }), [1, 2], [2]);
    expectError(() => t.dataSync(), 'ERR_SYNC_READ_UNSUPPORTED');
    expectError(() => t.arraySync(), 'ERR_SYNC_READ_UNSUPPORTED');
    expect(() => t.arraySync()).toThrow(/backend 'stub'.*await tensor\.data\(\)/);
    expect(await t.array(1)).toEqual([1, 2]);
    t.dispose();
  });

  it('array(rank) and arraySync(rank) check the rank; disposed tensors raise ERR_DISPOSED', async () => {
    const t = make(stubBackend(), [1, 2, 3, 4], [2, 2]);
    expectError(() => t.arraySync(3), 'ERR_INVALID_SHAPE', 'rank');
    await expect(t.array(1)).rejects.toMatchObject({ code: 'ERR_INVALID_SHAPE' });
    t.dispose();
    expectError(() => t.arraySync(), 'ERR_DISPOSED');
    expectError(() => t.dataSync(), 'ERR_DISPOSED');
  });
});

describe('array() types', () => {
  it('array(rank) is typed by rank; array() stays NestedArray', () => {
    // Never called: the assertions are checked by the compiler (pnpm typecheck).
    const typed = async (t: Tensor): Promise<number> => {
      expectTypeOf(await t.array()).toEqualTypeOf<NestedArray>();
      expectTypeOf(t.arraySync()).toEqualTypeOf<NestedArray>();
      expectTypeOf(await t.array(0)).toEqualTypeOf<number>();
      expectTypeOf(await t.array(1)).toEqualTypeOf<number[]>();
      expectTypeOf(t.arraySync(2)).toEqualTypeOf<number[][]>();
      expectTypeOf(await t.array(3)).toEqualTypeOf<number[][][]>();
      const rows = await t.array(2);
      const first: number = rows[0]![0]!;
      // @ts-expect-error a rank-2 array has no third level
      void rows[0]![0]![0];
      const rank: number = t.rank;
      expectTypeOf(await t.array(rank)).toEqualTypeOf<NestedArray>();
      return first;
    };
    expectTypeOf<RankedArray<6>>().toEqualTypeOf<number[][][][][][]>();
    expectTypeOf<RankedArray<7>>().toEqualTypeOf<NestedArray>();
    expectTypeOf<RankedArray<number>>().toEqualTypeOf<NestedArray>();
    expect(typeof typed).toBe('function');
  });
});
