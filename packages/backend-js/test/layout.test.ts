import { describe, expect, it } from 'vitest';
import { concat, expandDims, matrixTranspose, reshape, slice, tensor, transpose } from '@spectrans/core';
import {
  DTYPES_UNDER_TEST,
  run,
  useLeakCheckedBackend,
  expectExact,
  randomData,
  ravel,
  sizeOf,
  unravel,
} from './helpers.js';

useLeakCheckedBackend();

function refTranspose(x: readonly number[], shape: readonly number[], perm: readonly number[]): number[] {
  const outShape = perm.map((p) => shape[p]!);
  const out: number[] = [];
  for (let i = 0; i < sizeOf(outShape); i++) {
    const o = unravel(i, outShape);
    const idx = new Array<number>(shape.length);
    perm.forEach((p, a) => (idx[p] = o[a]!));
    out.push(x[ravel(idx, shape)]!);
  }
  return out;
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) =>
    Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]),
  );
}

describe.each(DTYPES_UNDER_TEST)('transpose (%s)', (dtype) => {
  for (const shape of [
    [3, 5],
    [2, 3, 4],
    [2, 1, 3, 4],
    [3, 4, 1, 5],
    [2, 0, 3],
  ]) {
    it(`every permutation of ${JSON.stringify(shape)}`, () => {
      const x = randomData(sizeOf(shape), 1, dtype);
      for (const perm of permutations(shape.length)) {
        const { data, shape: s } = run(() => transpose(tensor(x, shape, dtype), perm), dtype);
        expect(s).toEqual(perm.map((p) => shape[p]));
        expectExact(data, refTranspose(x, shape, perm), `perm ${JSON.stringify(perm)}`);
      }
    });
  }

  it('tiled path: large matrices and batched matrix transposes with odd sizes', () => {
    for (const shape of [
      [70, 45],
      [3, 33, 65],
      [129, 1, 31],
    ]) {
      const x = randomData(sizeOf(shape), 2, dtype);
      const { data } = run(() => matrixTranspose(tensor(x, shape, dtype)), dtype);
      const perm = shape.map((_, i) => i);
      [perm[shape.length - 2], perm[shape.length - 1]] = [perm[shape.length - 1]!, perm[shape.length - 2]!];
      expectExact(data, refTranspose(x, shape, perm));
      const rev = shape.map((_, i) => shape.length - 1 - i);
      expectExact(run(() => transpose(tensor(x, shape, dtype)), dtype).data, refTranspose(x, shape, rev));
    }
  });
});

describe.each(DTYPES_UNDER_TEST)('reshape, concat and slice (%s)', (dtype) => {
  it('reshape keeps row-major order', () => {
    const x = randomData(24, 3, dtype);
    const { data, shape } = run(() => expandDims(reshape(tensor(x, [2, 3, 4], dtype), [4, -1]), 1), dtype);
    expect(shape).toEqual([4, 1, 6]);
    expectExact(data, x);
  });

  it('concat along every axis, including empty parts', () => {
    const shapes = [
      [2, 3, 4],
      [2, 1, 4],
      [2, 0, 4],
      [2, 5, 4],
    ];
    for (let axis = 0; axis < 3; axis++) {
      const parts = shapes.map((s, i) => {
        const shape = s.map((d, j) => (j === axis ? d : [2, 3, 4][j]!));
        return { shape, data: randomData(sizeOf(shape), 30 + i, dtype) };
      });
      const { data, shape } = run(
        () =>
          concat(
            parts.map((p) => tensor(p.data, p.shape, dtype)),
            axis,
          ),
        dtype,
      );
      const outShape = [2, 3, 4];
      outShape[axis] = parts.reduce((s, p) => s + p.shape[axis]!, 0);
      expect(shape).toEqual(outShape);
      const expected: number[] = [];
      for (let i = 0; i < sizeOf(outShape); i++) {
        const idx = unravel(i, outShape);
        let a = idx[axis]!;
        const part = parts.find((p) => {
          if (a < p.shape[axis]!) return true;
          a -= p.shape[axis]!;
          return false;
        })!;
        const local = [...idx];
        local[axis] = a;
        expected.push(part.data[ravel(local, part.shape)]!);
      }
      expectExact(data, expected, `axis ${axis}`);
    }
    // long runs go through TypedArray.set
    const a = randomData(2 * 40, 1, dtype);
    const b = randomData(2 * 50, 2, dtype);
    const { data } = run(() => concat([tensor(a, [2, 40], dtype), tensor(b, [2, 50], dtype)], 1), dtype);
    expectExact(data, [...a.slice(0, 40), ...b.slice(0, 50), ...a.slice(40), ...b.slice(50)]);
  });

  it('slice: interior blocks, full axes, size-1 and empty extents', () => {
    const shape = [4, 5, 6];
    const x = randomData(sizeOf(shape), 4, dtype);
    const cases: [number[], number[]][] = [
      [
        [0, 0, 0],
        [4, 5, 6],
      ],
      [
        [1, 2, 3],
        [2, 2, 2],
      ],
      [
        [0, 1, 0],
        [4, 3, 6],
      ],
      [
        [2, 0, 0],
        [1, 5, 6],
      ],
      [
        [0, 0, 5],
        [4, 5, 1],
      ],
      [
        [3, 4, 1],
        [1, 1, 5],
      ],
      [
        [1, 1, 1],
        [2, 0, 3],
      ],
      [
        [0, 2, 0],
        [4, 1, 6],
      ],
    ];
    for (const [begin, size] of cases) {
      const { data, shape: s } = run(() => slice(tensor(x, shape, dtype), begin, size), dtype);
      expect(s).toEqual(size);
      const expected: number[] = [];
      for (let i = 0; i < sizeOf(size); i++) {
        const idx = unravel(i, size).map((v, a) => v + begin[a]!);
        expected.push(x[ravel(idx, shape)]!);
      }
      expectExact(data, expected, `slice ${JSON.stringify([begin, size])}`);
    }
    const long = randomData(3 * 100, 5, dtype);
    expectExact(run(() => slice(tensor(long, [3, 100], dtype), [1, 10], [2, 80]), dtype).data, [
      ...long.slice(110, 190),
      ...long.slice(210, 290),
    ]);
  });
});
