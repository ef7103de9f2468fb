import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as st from '@spectrans/core';
import { setBackend, tensor, tidy, where, type DType, type Tensor } from '@spectrans/core';
import { type BinaryOp, type UnaryOp } from '@spectrans/core/backend';
import { createJsBackend } from '../src/index.js';
import {
  DTYPES_UNDER_TEST,
  expectClose,
  expectDType,
  expectExact,
  randomData,
  refBroadcast,
  round,
} from './helpers.js';

const backend = createJsBackend();

beforeAll(async () => {
  await setBackend(backend);
});

afterEach(() => {
  expect(backend.memory!()).toEqual({ handles: 0, bytes: 0 });
});

/** Runs `fn` in a tidy scope and reads its result. */
function run(fn: () => Tensor, dtype: DType): Float32Array | Float64Array {
  const t = tidy(fn);
  const d = t.dataSync();
  t.dispose();
  expectDType(d, dtype);
  return d;
}

const UNARY: Record<UnaryOp, (v: number) => number> = {
  neg: (v) => -v,
  abs: Math.abs,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  square: (v) => v * v,
  reciprocal: (v) => 1 / v,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  relu: (v) => (Number.isNaN(v) ? NaN : v > 0 ? v : 0),
  elu: (v) => (v > 0 ? v : Math.exp(v) - 1),
  sign: (v) => (Number.isNaN(v) ? NaN : v > 0 ? 1 : v < 0 ? -1 : 0),
};

const BINARY: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a > b ? a : b),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a < b ? a : b),
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
  equal: (a, b) => (a === b ? 1 : 0),
};

const SPECIAL = [0, -0, 1, -1, 0.5, -2.25, 3, 1e-30, 1e30, 12345.678, -1e6, Infinity, -Infinity, NaN];

describe.each(DTYPES_UNDER_TEST)('unary (%s)', (dtype) => {
  const data = [...SPECIAL, ...randomData(37, 1, dtype, -5, 5)].map((v) => round(v, dtype));

  it.each(Object.keys(UNARY) as UnaryOp[])('%s matches the float64 reference rounded once', (op) => {
    const fn = (st as unknown as Record<string, (x: Tensor) => Tensor>)[op]!;
    const out = run(() => fn(tensor(data, [data.length], dtype)), dtype);
    const expected = data.map((v) => round(UNARY[op](v), dtype));
    // elu uses expm1, which may differ from exp(x) - 1 by rounding
    if (op === 'elu') {
      expectClose(out, expected, dtype === 'float32' ? 1e-7 : 1e-15, 1e-300, op);
    } else {
      expectExact(out, expected, op);
    }
  });

  it('keeps the documented special values: sign(0) = 0, relu/sign pass NaN, elu(-inf) = -1', () => {
    const x = [0, -0, NaN, -Infinity, Infinity];
    expectExact(
      run(() => st.sign(tensor(x, [5], dtype)), dtype),
      [0, 0, NaN, -1, 1],
    );
    expectExact(
      run(() => st.relu(tensor(x, [5], dtype)), dtype),
      [0, 0, NaN, 0, Infinity],
    );
    expectExact(
      run(() => st.elu(tensor(x, [5], dtype)), dtype),
      [0, 0, NaN, -1, Infinity],
    );
  });

  it('is accurate for large arguments of sin and cos', () => {
    const x = [1e6, 1e10, 1e15, 2 ** 50].map((v) => round(v, dtype));
    expectExact(
      run(() => st.sin(tensor(x, [4], dtype)), dtype),
      x.map((v) => round(Math.sin(v), dtype)),
    );
    expectExact(
      run(() => st.cos(tensor(x, [4], dtype)), dtype),
      x.map((v) => round(Math.cos(v), dtype)),
    );
  });

  it('handles empty tensors', () => {
    expect(run(() => st.exp(tensor([], [2, 0], dtype)), dtype).length).toBe(0);
  });
});

/** Shape pairs covering every path: equal, scalar, trailing row, middle axes, both sides, rank mismatch. */
const BROADCAST_CASES: [number[], number[]][] = [
  [
    [2, 3],
    [2, 3],
  ],
  [[7], [7]],
  [[2, 3], [1]],
  [[1], [2, 3]],
  [[2, 3], []],
  [[], [4]],
  [[5, 4], [4]],
  [[3], [2, 3]],
  [
    [4, 1],
    [1, 5],
  ],
  [
    [2, 1, 3],
    [4, 1],
  ],
  [
    [2, 3, 4],
    [3, 1],
  ],
  [
    [2, 1, 4],
    [1, 3, 1],
  ],
  [
    [3, 1, 2, 1],
    [1, 4, 1, 5],
  ],
  [
    [1, 1],
    [2, 3],
  ],
  [
    [2, 3, 1],
    [2, 3, 1],
  ],
  [
    [6, 1],
    [6, 1],
  ],
  [
    [2, 0, 3],
    [1, 3],
  ],
  [[0], [1]],
];

describe.each(DTYPES_UNDER_TEST)('binary with broadcasting (%s)', (dtype) => {
  it.each(BROADCAST_CASES)('shapes %j and %j, every op', (aShape, bShape) => {
    const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
    const a = randomData(size(aShape), 2, dtype, -3, 3);
    // include equal values and zeros so comparisons and division see ties and infinities
    const b = randomData(size(bShape), 3, dtype, -3, 3).map((v, i) =>
      i % 5 === 0 ? (a[i] ?? 0) : i % 7 === 0 ? 0 : v,
    );
    for (const op of Object.keys(BINARY) as BinaryOp[]) {
      const fn = (st as unknown as Record<string, (a: Tensor, b: Tensor) => Tensor>)[op]!;
      const expected = refBroadcast(
        (x, y) => round(BINARY[op](x!, y!), dtype),
        [
          { data: a, shape: aShape },
          { data: b, shape: bShape },
        ],
      );
      const t = tidy(() => fn(tensor(a, aShape, dtype), tensor(b, bShape, dtype)));
      expect(t.shape, op).toEqual(expected.shape);
      expectExact(t.dataSync(), expected.data, `${op} ${JSON.stringify(aShape)} ${JSON.stringify(bShape)}`);
      t.dispose();
    }
  });

  it('propagates NaN through maximum/minimum and gives 0 for comparisons with NaN', () => {
    const a = [NaN, 1, NaN, -Infinity, 0, -0];
    const b = [1, NaN, NaN, Infinity, -0, 0];
    const go = (op: BinaryOp) =>
      run(
        () =>
          (st as unknown as Record<string, (a: Tensor, b: Tensor) => Tensor>)[op]!(
            tensor(a, [6], dtype),
            tensor(b, [6], dtype),
          ),
        dtype,
      );
    expectExact(go('maximum'), [NaN, NaN, NaN, Infinity, 0, 0]);
    expectExact(go('minimum'), [NaN, NaN, NaN, -Infinity, -0, -0]);
    for (const op of ['greater', 'greaterEqual', 'less', 'lessEqual', 'equal'] as const) {
      expectExact(go(op).slice(0, 3), [0, 0, 0], op);
    }
    expectExact(go('equal').slice(3), [0, 1, 1]);
    expectExact(go('add'), [NaN, NaN, NaN, NaN, 0, 0]);
  });

  it('binaryScalar: both orders, every op, with the scalar rounded to the dtype', () => {
    const x = [...randomData(9, 4, dtype, -2, 2), 0, 0.1, NaN].map((v) => round(v, dtype));
    for (const op of Object.keys(BINARY) as BinaryOp[]) {
      const fn = (st as unknown as Record<string, (a: unknown, b: unknown) => Tensor>)[op]!;
      for (const s of [0.1, -1.5, 0, 2]) {
        const sr = round(s, dtype);
        expectExact(
          run(() => fn(tensor(x, [3, 4], dtype), s), dtype),
          x.map((v) => round(BINARY[op](v, sr), dtype)),
          `${op}(x, ${s})`,
        );
        expectExact(
          run(() => fn(s, tensor(x, [3, 4], dtype)), dtype),
          x.map((v) => round(BINARY[op](sr, v), dtype)),
          `${op}(${s}, x)`,
        );
      }
    }
  });

  it('where broadcasts cond, a and b (cond nonzero is true)', () => {
    const cases: [number[], number[], number[]][] = [
      [[6], [6], [6]],
      [[2, 3], [3], [1]],
      [
        [3, 1],
        [1, 4],
        [3, 4],
      ],
      [[2, 1, 3], [4, 1], []],
      [[1], [2, 2], [2, 1]],
    ];
    for (const [cs, as, bs] of cases) {
      const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
      const c = randomData(size(cs), 5, dtype).map((v, i) => (i % 3 === 0 ? 0 : i % 4 === 0 ? NaN : v > 0 ? 1 : -2));
      const a = randomData(size(as), 6, dtype);
      const b = randomData(size(bs), 7, dtype);
      const expected = refBroadcast(
        (cv, av, bv) => (cv !== 0 ? av! : bv!),
        [
          { data: c, shape: cs },
          { data: a, shape: as },
          { data: b, shape: bs },
        ],
      );
      const t = tidy(() => where(tensor(c, cs, dtype), tensor(a, as, dtype), tensor(b, bs, dtype)));
      expect(t.shape).toEqual(expected.shape);
      expectExact(t.dataSync(), expected.data, `where ${JSON.stringify([cs, as, bs])}`);
      t.dispose();
    }
  });
});

describe('float32 rounding', () => {
  it('computes in double and rounds once', () => {
    // 1 + 2^-24 + 2^-24: each float32 add would round twice; double then one rounding does not
    const a = [1, 16777216];
    const out = run(() => st.add(tensor(a, [2], 'float32'), tensor([1, 1], [2], 'float32')), 'float32');
    expectExact(out, [2, 16777216]);
    const sq = run(() => st.square(tensor([3.4028234663852886e38], [1], 'float32')), 'float32');
    expectExact(sq, [Infinity]);
  });
});
