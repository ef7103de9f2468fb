import { describe, expect, it } from 'vitest';
import { cumsum, max, mean, min, sum, tensor } from '@spectrans/core';
import {
  DTYPES_UNDER_TEST,
  run,
  useLeakCheckedBackend,
  expectClose,
  expectExact,
  randomData,
  ravel,
  round,
  sizeOf,
  unravel,
} from './helpers.js';

useLeakCheckedBackend();

/** Reference reduction of one axis: visits elements in index order with plain double arithmetic. */
function refReduce(op: 'sum' | 'max' | 'min', x: readonly number[], shape: readonly number[], axis: number): number[] {
  const outShape = shape.filter((_, i) => i !== axis);
  const out: number[] = [];
  for (let o = 0; o < sizeOf(outShape); o++) {
    const idx = unravel(o, outShape);
    let acc = op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity;
    for (let l = 0; l < shape[axis]!; l++) {
      const full = [...idx.slice(0, axis), l, ...idx.slice(axis)];
      const v = x[ravel(full, shape)]!;
      if (op === 'sum') acc += v;
      else if (Number.isNaN(v) || Number.isNaN(acc)) acc = NaN;
      else acc = op === 'max' ? Math.max(acc, v) : Math.min(acc, v);
    }
    out.push(acc);
  }
  return out;
}

function refCumsum(
  x: readonly number[],
  shape: readonly number[],
  axis: number,
  exclusive: boolean,
  reverse: boolean,
): number[] {
  const out = new Array<number>(x.length).fill(0);
  const len = shape[axis]!;
  for (let i = 0; i < x.length; i++) {
    const idx = unravel(i, shape);
    let s = 0;
    for (let l = 0; l < len; l++) {
      const include = reverse
        ? exclusive
          ? l > idx[axis]!
          : l >= idx[axis]!
        : exclusive
          ? l < idx[axis]!
          : l <= idx[axis]!;
      if (include) {
        const j = [...idx];
        j[axis] = l;
        s += x[ravel(j, shape)]!;
      }
    }
    out[i] = s;
  }
  return out;
}

const SHAPES: number[][] = [[7], [3, 5], [2, 3, 4], [4, 1, 6], [2, 0, 3], [3, 0], [0, 4], [1, 1, 1], [2, 3, 2, 5]];

describe.each(DTYPES_UNDER_TEST)('reduce (%s)', (dtype) => {
  for (const shape of SHAPES) {
    for (let axis = 0; axis < shape.length; axis++) {
      it(`sum/max/min over axis ${axis} of ${JSON.stringify(shape)}`, () => {
        const x = randomData(sizeOf(shape), 10 + axis, dtype, -4, 4);
        for (const [op, fn] of [
          ['sum', sum],
          ['max', max],
          ['min', min],
        ] as const) {
          const { data, shape: s } = run(() => fn(tensor(x, shape, dtype), axis), dtype);
          expect(s).toEqual(shape.filter((_, i) => i !== axis));
          const expected = refReduce(op, x, shape, axis).map((v) => round(v, dtype));
          if (op === 'sum') expectClose(data, expected, dtype === 'float32' ? 1e-6 : 1e-13, 1e-6, `sum axis ${axis}`);
          else expectExact(data, expected, `${op} axis ${axis}`);
        }
      });
    }
  }

  it('empty axes: sum 0, max -Infinity, min +Infinity; mean of an empty axis is NaN', () => {
    expectExact(run(() => sum(tensor([], [2, 0], dtype), 1), dtype).data, [0, 0]);
    expectExact(run(() => max(tensor([], [2, 0], dtype), 1), dtype).data, [-Infinity, -Infinity]);
    expectExact(run(() => min(tensor([], [0, 3], dtype), 0), dtype).data, [Infinity, Infinity, Infinity]);
    expectExact(run(() => sum(tensor([], [0], dtype)), dtype).data, [0]);
  });

  it('propagates NaN and Infinity', () => {
    const x = [1, NaN, 3, -Infinity, 2, 5, Infinity, 1, Infinity, -Infinity, 0, 0];
    expectExact(run(() => max(tensor(x, [4, 3], dtype), 1), dtype).data, [NaN, 5, Infinity, 0]);
    expectExact(run(() => min(tensor(x, [4, 3], dtype), 1), dtype).data, [NaN, -Infinity, 1, -Infinity]);
    expectExact(run(() => sum(tensor(x, [4, 3], dtype), 1), dtype).data, [NaN, -Infinity, Infinity, -Infinity]);
    expectExact(run(() => sum(tensor(x, [4, 3], dtype), 0), dtype).data, [NaN, NaN, Infinity]);
    // NaN first, then larger values: stays NaN
    expectExact(run(() => max(tensor([NaN, 1, 2], [3], dtype), 0), dtype).data, [NaN]);
    expectExact(run(() => min(tensor([NaN, -1, -2], [3], dtype), 0), dtype).data, [NaN]);
  });

  it('sums accurately (compensated) and overflows to Infinity', () => {
    const n = 10001;
    const x = new Array<number>(n).fill(round(0.1, dtype));
    x[0] = 1e8;
    const expected = 1e8 + (n - 1) * round(0.1, dtype);
    const { data } = run(() => sum(tensor(x, [n], dtype)), dtype);
    expect(data[0]).toBe(round(expected, dtype));
    // float64 overflows like a plain sum; float32 accumulates in double, so only the result rounds
    const big = dtype === 'float32' ? Math.fround(3e38) : 1.7e308;
    expectExact(run(() => sum(tensor([big, big, -big], [3], dtype)), dtype).data, [
      dtype === 'float32' ? big : Infinity,
    ]);
    expectExact(run(() => sum(tensor([big, big], [2], dtype)), dtype).data, [Infinity]);
  });

  it('mean and multi-axis reductions compose', () => {
    const shape = [2, 3, 4];
    const x = randomData(24, 3, dtype);
    const { data } = run(() => mean(tensor(x, shape, dtype), [0, 2]), dtype);
    const expected = [0, 1, 2].map((j) => {
      let s = 0;
      for (let i = 0; i < 2; i++) for (let k = 0; k < 4; k++) s += x[ravel([i, j, k], shape)]!;
      return s / 8;
    });
    expectClose(data, expected, 1e-6);
  });
});

describe.each(DTYPES_UNDER_TEST)('cumsum (%s)', (dtype) => {
  for (const shape of [[9], [3, 4], [2, 3, 4], [2, 0, 3], [1, 5, 1]]) {
    for (let axis = 0; axis < shape.length; axis++) {
      it(`every flag combination, axis ${axis} of ${JSON.stringify(shape)}`, () => {
        const x = randomData(sizeOf(shape), 20 + axis, dtype, -2, 2);
        for (const exclusive of [false, true]) {
          for (const reverse of [false, true]) {
            const { data, shape: s } = run(() => cumsum(tensor(x, shape, dtype), axis, { exclusive, reverse }), dtype);
            expect(s).toEqual(shape);
            const expected = refCumsum(x, shape, axis, exclusive, reverse).map((v) => round(v, dtype));
            expectClose(
              data,
              expected,
              dtype === 'float32' ? 1e-6 : 1e-13,
              1e-6,
              `exclusive=${exclusive} reverse=${reverse}`,
            );
          }
        }
      });
    }
  }

  it('propagates NaN and Infinity forward only', () => {
    const x = [1, 2, NaN, 4, Infinity, 1];
    expectExact(run(() => cumsum(tensor(x, [6], dtype), 0), dtype).data, [1, 3, NaN, NaN, NaN, NaN]);
    expectExact(run(() => cumsum(tensor([1, Infinity, 2, -Infinity], [4], dtype), 0), dtype).data, [
      1,
      Infinity,
      Infinity,
      NaN,
    ]);
    expectExact(
      run(() => cumsum(tensor([1, Infinity, 2], [3], dtype), 0, { exclusive: true, reverse: true }), dtype).data,
      [Infinity, 2, 0],
    );
  });

  it('the last inclusive entry equals the sum', () => {
    const x = randomData(1000, 5, dtype, -1e3, 1e3);
    const c = run(() => cumsum(tensor(x, [1000], dtype), 0), dtype).data;
    const s = run(() => sum(tensor(x, [1000], dtype)), dtype).data;
    expect(c[999]).toBe(s[0]);
  });
});
