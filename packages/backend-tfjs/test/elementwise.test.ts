/** Elementwise ops through core's public API on both engines, against float64 loops. */
import { describe, expect, it } from 'vitest';
import * as core from '@spectrans/core';
import { tensor, where, cast, type Tensor } from '@spectrans/core';
import { type BinaryOp, type UnaryOp } from '@spectrans/core/backend';
import {
  BINARY_REFERENCE as BINARY,
  binaryRef,
  hostArray,
  sizeOf,
  UNARY_REFERENCE,
} from '@spectrans/conformance/reference';
import { ENGINES, expectClose, f32, t, U, uniforms, useEngine, values } from './helpers.js';

/** Each unary op's test domain and whether it is transcendental (the values come from UNARY_REFERENCE). */
const UNARY: Record<UnaryOp, { lo: number; hi: number; transcendental: boolean }> = {
  neg: { lo: -1e3, hi: 1e3, transcendental: false },
  abs: { lo: -1e3, hi: 1e3, transcendental: false },
  exp: { lo: -80, hi: 80, transcendental: true },
  log: { lo: 1e-6, hi: 1e6, transcendental: true },
  sqrt: { lo: 0, hi: 1e6, transcendental: false },
  square: { lo: -1e3, hi: 1e3, transcendental: false },
  reciprocal: { lo: 0.001, hi: 1e3, transcendental: false },
  sin: { lo: -20, hi: 20, transcendental: true },
  cos: { lo: -20, hi: 20, transcendental: true },
  tanh: { lo: -10, hi: 10, transcendental: true },
  relu: { lo: -5, hi: 5, transcendental: false },
  elu: { lo: -20, hi: 5, transcendental: true },
  sign: { lo: -5, hi: 5, transcendental: false },
};

type Binary = (a: Tensor | number, b: Tensor | number) => Tensor;
const binaryFn = (op: BinaryOp): Binary => core[op] as Binary;
const unaryFn = (op: UnaryOp): ((x: Tensor) => Tensor) => core[op] as (x: Tensor) => Tensor;

/** Tolerance the backend declares ('ieee' float32): correctly rounded arithmetic, transcendentals within 8u. */
const tolerance = (transcendental: boolean) =>
  transcendental ? { atol: 8 * U, rtol: 8 * U } : { atol: 2 ** -126, rtol: 2 * U };

describe.each(ENGINES)('elementwise on tfjs-%s', (engine) => {
  describe('unary', () => {
    it.each(Object.keys(UNARY) as UnaryOp[])('%s: random values against float64', async (op) => {
      await useEngine(engine);
      const { lo, hi, transcendental } = UNARY[op];
      const fn = UNARY_REFERENCE[op];
      const x = uniforms(2000, op.length * 7919, lo, hi);
      const shape = [2, 5, 2, 2, 5, 2, 5]; // rank 7
      expectClose(await values(unaryFn(op)(t(x, shape))), f32(x.map(fn)), tolerance(transcendental), op);
    });

    it.each(Object.keys(UNARY) as UnaryOp[])('%s: edge values (NaN, ±0, ±Infinity, tiny, huge)', async (op) => {
      await useEngine(engine);
      const x = f32([NaN, 0, -0, 1, -1, Infinity, -Infinity, 1e-30, -1e-30, 1e-7, -1e-7, 3e-39, 1e30, -1e30, 0.5]);
      const { transcendental } = UNARY[op];
      const fn = UNARY_REFERENCE[op];
      const skipHuge = op === 'sin' || op === 'cos'; // covered by trig.test.ts
      const xs = skipHuge ? x.filter((v) => !(Math.abs(v) >= 1e30)) : x;
      expectClose(await values(unaryFn(op)(t(xs, [xs.length]))), f32(xs.map(fn)), tolerance(transcendental), op);
    });

    it('empty tensors give empty tensors of the same shape', async () => {
      await useEngine(engine);
      const out = core.exp(t([], [3, 0, 2]));
      expect(out.shape).toEqual([3, 0, 2]);
      expect((await values(out)).length).toBe(0);
    });

    it('sign is exact for tiny magnitudes and passes NaN (tfjs sign does not)', async () => {
      await useEngine(engine);
      expect(Array.from(await values(core.sign(t([1e-30, -1e-30, 1e-7, -1e-7, NaN, 0, -0], [7]))))).toEqual([
        1,
        -1,
        1,
        -1,
        NaN,
        0,
        0,
      ]);
    });
  });

  describe('binary with broadcasting', () => {
    const shapes: [number[], number[]][] = [
      [
        [2, 3],
        [2, 3],
      ],
      [[2, 3], [3]],
      [
        [4, 1, 3],
        [1, 5, 1],
      ],
      [[], [2, 2]],
      [[3, 1], []],
      [[1, 1, 1, 1, 1, 1, 1, 5], [5]],
      [
        [2, 1, 2, 1, 2, 1, 2],
        [1, 2, 1, 2, 1, 2, 1],
      ], // seven alternating axes: beyond XNNPACK's rank limit
      [
        [2, 3, 1, 2, 1, 3, 1, 2],
        [1, 1, 2, 1, 3, 1, 2, 1],
      ],
    ];
    it.each(Object.keys(BINARY) as BinaryOp[])('%s: every broadcast pattern against float64', async (op) => {
      await useEngine(engine);
      for (const [as, bs] of shapes) {
        const a = uniforms(sizeOf(as), 11, op === 'pow' ? 0.1 : -3, 3);
        const b = uniforms(sizeOf(bs), 13, -3, 3);
        if (op === 'equal') b.forEach((_, i) => i % 3 === 0 && i < a.length && (b[i] = a[i]!)); // some equal pairs
        const ref = binaryRef(op, hostArray(a, as), hostArray(b, bs));
        const out = binaryFn(op)(t(a, as), t(b, bs));
        expect(out.shape).toEqual(ref.shape);
        expectClose(await values(out), f32(ref.data), tolerance(op === 'pow'), `${op} [${as}] [${bs}]`);
      }
    });

    it('NaN: comparisons give 0, maximum/minimum propagate it from either side', async () => {
      await useEngine(engine);
      const a = [NaN, 1, NaN, 2, Infinity, -Infinity];
      const b = [1, NaN, NaN, 2, Infinity, 5];
      for (const op of Object.keys(BINARY) as BinaryOp[]) {
        if (op === 'pow') continue;
        expectClose(
          await values(binaryFn(op)(t(a, [6]), t(b, [6]))),
          f32(a.map((v, i) => BINARY[op](v, b[i]!))),
          { rtol: 2 * U },
          op,
        );
      }
    });

    it('pow follows Math.pow (1 ** NaN and (±1) ** ±Infinity are NaN)', async () => {
      await useEngine(engine);
      const a = [1, NaN, -8, -2, 0, 0, -1, 1, 2, 2, 0.5, -1];
      const b = [NaN, 0, 1 / 3, 3, -1, 0, Infinity, -Infinity, -Infinity, 0.5, 2, 2];
      expectClose(
        await values(core.pow(t(a, [12]), t(b, [12]))),
        f32(a.map((v, i) => Math.pow(v, Math.fround(b[i]!)))),
        { rtol: 8 * U },
      );
    });

    it('scalars on either side, rounded to float32 first', async () => {
      await useEngine(engine);
      const x = uniforms(24, 5, 0.5, 4);
      const shape = [2, 3, 4];
      for (const op of ['add', 'sub', 'div', 'pow', 'greater', 'maximum'] as BinaryOp[]) {
        const s = 0.1;
        const fs = Math.fround(s);
        const tol = tolerance(op === 'pow');
        expectClose(
          await values(binaryFn(op)(t(x, shape), s)),
          f32(x.map((v) => BINARY[op](v, fs))),
          tol,
          `${op}(x, s)`,
        );
        expectClose(
          await values(binaryFn(op)(s, t(x, shape))),
          f32(x.map((v) => BINARY[op](fs, v))),
          tol,
          `${op}(s, x)`,
        );
      }
      expectClose(await values(core.maximum(t([NaN, 1, -2], [3]), 0)), [NaN, 1, 0]);
      expectClose(await values(core.minimum(NaN, t([1, 2], [2]))), [NaN, NaN]);
    });
  });

  describe('where and cast', () => {
    it('where: nonzero (NaN included) is true, all three broadcast', async () => {
      await useEngine(engine);
      const cond = [0, NaN, -0, 2, 1e-30, -1];
      const a = uniforms(4, 3);
      const ref = Array.from({ length: 24 }, (_, i) => {
        const r = Math.floor(i / 4);
        const c = i % 4;
        const v = cond[r]!;
        return v !== 0 ? a[c]! : -7;
      });
      const out = where(t(cond, [6, 1]), t(a, [1, 4]), t([-7], []));
      expect(out.shape).toEqual([6, 4]);
      expectClose(await values(out), ref);
      const big = where(t([1, 0], [2, 1, 1, 1, 1, 1, 1]), t(uniforms(64, 9), [1, 2, 2, 2, 2, 2, 2]), t([5], [1]));
      expect(big.shape).toEqual([2, 2, 2, 2, 2, 2, 2]);
      const v = await values(big);
      expect(Array.from(v.slice(64))).toEqual(new Array(64).fill(5));
    });

    it('cast to float32 is a copy that outlives its source', async () => {
      await useEngine(engine);
      const x = t([1.5, NaN, -Infinity], [3]);
      const y = cast(x, 'float32');
      x.dispose();
      expectClose(await values(y), [1.5, NaN, -Infinity]);
      expect(() => tensor([1], [1], 'float64')).toThrow(expect.objectContaining({ code: 'ERR_UNSUPPORTED_DTYPE' }));
    });
  });
});
