import { describe, expect, it } from 'vitest';
import { cdist, matmul, tensor } from '@spectrans/core';
import {
  DTYPES_UNDER_TEST,
  run,
  useLeakCheckedBackend,
  expectClose,
  expectExact,
  randomData,
  refCdist,
  refMatmul,
  round,
  sizeOf,
} from './helpers.js';

useLeakCheckedBackend();

/** Shapes of a and b as stored (before the transpose flags apply). */
function stored(shape: number[], transpose: boolean): number[] {
  if (!transpose) return shape;
  const s = [...shape];
  [s[s.length - 2], s[s.length - 1]] = [s[s.length - 1]!, s[s.length - 2]!];
  return s;
}

/** [a batch, b batch, n, k, m]: sizes around the micro-tile (4), the row block (64) and the k block (256). */
const MATMUL_CASES: [number[], number[], number, number, number][] = [
  [[], [], 1, 1, 1],
  [[], [], 2, 3, 5],
  [[], [], 4, 4, 4],
  [[], [], 5, 7, 3],
  [[], [], 17, 13, 19],
  [[], [], 1, 300, 70],
  [[], [], 70, 300, 1],
  [[], [], 67, 259, 66],
  [[], [], 130, 20, 9],
  [[3], [3], 6, 5, 7],
  [[2, 1], [3], 9, 6, 5],
  [[2], [], 33, 17, 10],
  [[], [4], 10, 12, 6],
  [[1, 3], [2, 1], 5, 9, 6],
  [[2, 3], [1], 7, 8, 9],
  [[0], [1], 4, 4, 4],
];

describe.each(DTYPES_UNDER_TEST)('matmul (%s)', (dtype) => {
  for (const [aBatch, bBatch, n, k, m] of MATMUL_CASES) {
    it(`batch ${JSON.stringify(aBatch)} x ${JSON.stringify(bBatch)}, (${n} x ${k}) (${k} x ${m}), every transpose`, () => {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          const aShape = stored([...aBatch, n, k], ta);
          const bShape = stored([...bBatch, k, m], tb);
          const a = randomData(sizeOf(aShape), n * 31 + k, dtype);
          const b = randomData(sizeOf(bShape), m * 17 + k, dtype);
          const expected = refMatmul(a, aShape, b, bShape, ta, tb);
          const { data, shape } = run(
            () => matmul(tensor(a, aShape, dtype), tensor(b, bShape, dtype), { transposeA: ta, transposeB: tb }),
            dtype,
          );
          expect(shape).toEqual(expected.shape);
          // float32: the double-precision result rounded once, so within half an ulp plus the
          // reordering error of the double sums
          expectClose(
            data,
            expected.data.map((v) => round(v, dtype)),
            dtype === 'float32' ? 1.2e-7 : 1e-14,
            1e-13 * k,
            `ta=${ta} tb=${tb}`,
          );
        }
      }
    });
  }

  it('k = 0 gives zeros; n = 0 or m = 0 gives empty results', () => {
    expectExact(
      run(() => matmul(tensor([], [3, 0], dtype), tensor([], [0, 2], dtype)), dtype).data,
      [0, 0, 0, 0, 0, 0],
    );
    expectExact(
      run(() => matmul(tensor([], [64, 0], dtype), tensor([], [0, 8], dtype)), dtype).data,
      new Array<number>(512).fill(0),
    );
    expect(
      run(() => matmul(tensor([], [0, 3], dtype), tensor(randomData(6, 1, dtype), [3, 2], dtype)), dtype).shape,
    ).toEqual([0, 2]);
    expect(
      run(() => matmul(tensor(randomData(6, 1, dtype), [2, 3], dtype), tensor([], [3, 0], dtype)), dtype).shape,
    ).toEqual([2, 0]);
  });

  it('propagates NaN and Infinity to exactly the affected rows and columns', () => {
    for (const size of [3, 9]) {
      const a = randomData(size * size, 1, dtype);
      const b = randomData(size * size, 2, dtype);
      a[1 * size + 2] = NaN; // row 1 of the product
      b[0 * size + 1] = Infinity; // column 1, for rows with a nonzero, finite a[i, 0]
      const expected = refMatmul(a, [size, size], b, [size, size], false, false).data.map((v) => round(v, dtype));
      const { data } = run(() => matmul(tensor(a, [size, size], dtype), tensor(b, [size, size], dtype)), dtype);
      expectClose(data, expected, dtype === 'float32' ? 1.2e-7 : 1e-14, 1e-13);
      expect(Number.isNaN(data[1 * size + 0]!)).toBe(true);
      expect(Math.abs(data[0 * size + 1]!)).toBe(Infinity);
    }
  });

  it('accumulates in double precision for float32', () => {
    // 2^24 + 1 - 2^24 is 1 in double but 0 with float32 accumulation
    const a = [16777216, 1, -16777216];
    const { data } = run(() => matmul(tensor(a, [1, 3], 'float32'), tensor([1, 1, 1], [3, 1], 'float32')), 'float32');
    expectExact(data, [1]);
    const big = new Array<number>(3 * 64).fill(1);
    const rowA: number[] = [];
    for (let i = 0; i < 8; i++)
      rowA.push(...Array.from({ length: 64 }, (_, p) => (p === 0 ? 16777216 : p === 1 ? 1 : p === 2 ? -16777216 : 0)));
    const r = run(() => matmul(tensor(rowA, [8, 64], 'float32'), tensor(big, [64, 3], 'float32')), 'float32');
    expectExact(r.data, new Array<number>(24).fill(1));
  });
});

/** [x batch, y batch, n, m, d] */
const CDIST_CASES: [number[], number[], number, number, number][] = [
  [[], [], 1, 1, 1],
  [[], [], 3, 5, 2],
  [[], [], 8, 8, 16],
  [[], [], 17, 23, 3],
  [[], [], 70, 9, 300],
  [[], [], 2, 40, 7],
  [[3], [3], 5, 6, 4],
  [[2, 1], [3], 9, 5, 6],
  [[4], [], 11, 10, 5],
  [[], [2], 4, 6, 3],
  [[], [], 5, 4, 0],
];

describe.each(DTYPES_UNDER_TEST)('cdist (%s)', (dtype) => {
  for (const [xBatch, yBatch, n, m, d] of CDIST_CASES) {
    it(`batch ${JSON.stringify(xBatch)} x ${JSON.stringify(yBatch)}, n=${n} m=${m} d=${d}, both metrics`, () => {
      const xShape = [...xBatch, n, d];
      const yShape = [...yBatch, m, d];
      const x = randomData(sizeOf(xShape), n + 100 * d, dtype, -3, 3);
      const y = randomData(sizeOf(yShape), m + 7 * d, dtype, -3, 3);
      for (const metric of ['sqeuclidean', 'l1'] as const) {
        const expected = refCdist(x, xShape, y, yShape, metric);
        const { data, shape } = run(() => cdist(tensor(x, xShape, dtype), tensor(y, yShape, dtype), metric), dtype);
        expect(shape).toEqual(expected.shape);
        expectClose(
          data,
          expected.data.map((v) => round(v, dtype)),
          dtype === 'float32' ? 1.2e-7 : 1e-14,
          0,
          metric,
        );
      }
    });
  }

  it('squared distances are exact for nearby points and never negative', () => {
    // Points 1e-4 apart at distance ~1e4 from the origin: the Gram-matrix formula cancels
    // catastrophically; the direct sum does not.
    const n = 12;
    const d = 6;
    const base = randomData(d, 1, 'float64', 1e4, 2e4);
    const x: number[] = [];
    for (let i = 0; i < n; i++) for (let p = 0; p < d; p++) x.push(round(base[p]! + (i % 3) * 1e-4 * (p + 1), dtype));
    const expected = refCdist(x, [n, d], x, [n, d], 'sqeuclidean').data.map((v) => round(v, dtype));
    const { data } = run(() => cdist(tensor(x, [n, d], dtype), tensor(x, [n, d], dtype)), dtype);
    expectClose(data, expected, dtype === 'float32' ? 1.2e-7 : 1e-15, 0);
    for (let i = 0; i < n; i++) expect(data[i * n + i]).toBe(0);
    for (const v of data) expect(v).toBeGreaterThanOrEqual(0);
  });

  it('propagates NaN and Infinity', () => {
    const x = [0, 0, NaN, 1, Infinity, 0, 1, 1];
    const y = [0, 0, 1, 1];
    const sq = run(() => cdist(tensor(x, [4, 2], dtype), tensor(y, [2, 2], dtype)), dtype).data;
    expectExact(sq, [0, 2, NaN, NaN, Infinity, Infinity, 2, 0]);
    const l1 = run(() => cdist(tensor(x, [4, 2], dtype), tensor(y, [2, 2], dtype), 'l1'), dtype).data;
    expectExact(l1, [0, 2, NaN, NaN, Infinity, Infinity, 2, 0]);
  });
});
