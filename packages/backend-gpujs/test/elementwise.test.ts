/** Elementwise ops through core's public API, in every mode, against float64 loops. */
import * as core from '@spectrans/core';
import { tidy } from '@spectrans/core';
import { type BinaryOp, type UnaryOp } from '@spectrans/core/backend';
import { expect, test } from 'vitest';
import {
  BINARY_KIND,
  BINARY_OPS,
  BINARY_REFERENCE,
  binaryRef,
  hostArray,
  sizeOf,
  UNARY_KIND,
  UNARY_OPS,
  UNARY_REFERENCE,
} from '@spectrans/conformance/reference';
import { expectClose, rng, values } from './support/helpers.js';
import { describeModes } from './support/suite.js';

const EDGES = [0, -0, 1, -1, 0.5, -2.5, 3, 1e-30, -1e-30, 1e30, -1e30, NaN, Infinity, -Infinity, 88, -88, 20, -20];
const SUBNORMAL = 2 ** -140;

const unaryFn = (op: UnaryOp): ((x: core.Tensor) => core.Tensor) => core[op];
const binaryFn = (op: BinaryOp): ((a: core.TensorOrNumber, b: core.TensorOrNumber) => core.Tensor) => core[op];

describeModes('elementwise', (ctx) => {
  // GPU shaders flush subnormal operands to zero (GLSL ES allows it): only IEEE modes get them.
  const edges = (): number[] => (ctx.precision === 'ieee' ? [...EDGES, SUBNORMAL, -SUBNORMAL] : EDGES);

  test.each(UNARY_OPS)('%s: random values and edge values', async (op) => {
    const r = rng(1);
    const domain =
      op === 'log' || op === 'sqrt'
        ? () => r.uniform(0.01, 10)
        : op === 'sin' || op === 'cos'
          ? () => r.uniform(-10, 10)
          : () => 3 * r.normal();
    for (const data of [
      values(60, domain),
      Float64Array.from(edges().filter((v) => !((op === 'sin' || op === 'cos') && Math.abs(v) > 2 ** 20))),
    ]) {
      const x = ctx.t(data, [data.length]);
      const y = unaryFn(op)(x);
      expectClose(
        await y.data(),
        { data: data.map(UNARY_REFERENCE[op]), shape: [data.length] },
        ctx.precision,
        UNARY_KIND[op],
        `${op}(${Array.from(data.slice(0, 3))}...)`,
      );
      x.dispose();
      y.dispose();
    }
  });

  test.each(BINARY_OPS)('%s: same shape, broadcasting and both scalar sides', async (op) => {
    const r = rng(2);
    const gen = (side: 'a' | 'b') =>
      op === 'pow'
        ? side === 'a'
          ? () => r.uniform(0.1, 4)
          : () => r.uniform(-3, 3)
        : op === 'div' && side === 'b'
          ? () => r.uniform(0.5, 4)
          : () => r.int(-2, 2) + (r.uniform() < 0.5 ? 0 : r.normal());
    for (const [aShape, bShape] of [
      [
        [3, 4],
        [3, 4],
      ],
      [
        [4, 1, 3],
        [5, 1],
      ],
      [[2, 3, 4], [4]],
      [[1], [2, 1, 3]],
      [[], [5]],
    ] as [number[], number[]][]) {
      const a = values(sizeOf(aShape), gen('a'));
      const b = values(sizeOf(bShape), gen('b'));
      const out = binaryFn(op)(ctx.t(a, aShape), ctx.t(b, bShape));
      expect(out.shape).toEqual(binaryRef(op, hostArray(a, aShape), hostArray(b, bShape)).shape);
      expectClose(
        await out.data(),
        binaryRef(op, hostArray(a, aShape), hostArray(b, bShape)),
        ctx.precision,
        BINARY_KIND[op],
        `${op} [${aShape}] [${bShape}]`,
      );
    }
    const x = values(7, gen('a'));
    for (const s of [Math.fround(gen('b')()), 0, NaN, Infinity]) {
      const right = await binaryFn(op)(ctx.t(x, [7]), s).data();
      expectClose(
        right,
        { data: x.map((v) => BINARY_REFERENCE[op](v, s)), shape: [7] },
        ctx.precision,
        BINARY_KIND[op],
        `${op}(x, ${s})`,
      );
      const left = await binaryFn(op)(s, ctx.t(x, [7])).data();
      expectClose(
        left,
        { data: x.map((v) => BINARY_REFERENCE[op](s, v)), shape: [7] },
        ctx.precision,
        BINARY_KIND[op],
        `${op}(${s}, x)`,
      );
    }
  });

  test.each(BINARY_OPS)('%s: every pair of edge values', async (op) => {
    const a: number[] = [];
    const b: number[] = [];
    for (const x of edges())
      for (const y of edges())
        if (op !== 'pow' || !(Object.is(x, -0) && y < 0)) {
          a.push(x);
          b.push(y);
        }
    const got = await binaryFn(op)(ctx.t(a, [a.length]), ctx.t(b, [b.length])).data();
    expectClose(
      got,
      { data: Float64Array.from(a, (v, i) => BINARY_REFERENCE[op](v, b[i]!)), shape: [a.length] },
      ctx.precision,
      BINARY_KIND[op],
      op,
    );
  });

  test('pow follows Math.pow for negative bases, zeros and infinities', async () => {
    const a = [-2, -2, -2, -0.5, -3, 0, 0, 0, Infinity, Infinity, -Infinity, -Infinity, NaN, 2, 1, 1];
    const b = [3, 2, 0.5, -3, 0, -1, 2, 0, 2, -2, 3, 2, 0, NaN, Infinity, NaN];
    const got = await core.pow(ctx.t(a, [a.length]), ctx.t(b, [b.length])).data();
    expectClose(
      got,
      { data: Float64Array.from(a, (v, i) => Math.pow(v, b[i]!)), shape: [a.length] },
      ctx.precision,
      'transcendental',
    );
  });

  test('where: nonzero (and NaN) conditions pick a, with broadcasting', async () => {
    const cond = [1, 0, NaN, -2, 0, 0.5];
    const got = await core.where(ctx.t(cond, [2, 3]), ctx.t([10, 20, 30], [3]), ctx.t([-1], [1])).data();
    expect(Array.from(got)).toEqual([10, -1, 30, 10, -1, 30]);
  });

  test('long vectors use 2-D textures (over the 16384-texel row limit)', async () => {
    const n = 1_000_003;
    const a = Float32Array.from({ length: n }, (_, i) => i % 1000);
    const b = Float32Array.from({ length: n }, (_, i) => Math.floor(i / 1000));
    const got = tidy(() => core.add(ctx.t(a, [n]), core.mul(ctx.t(b, [n]), 1000)));
    const data = await got.data();
    got.dispose();
    let bad = -1;
    for (let i = 0; i < n && bad < 0; i++) if (data[i] !== i) bad = i;
    expect(bad, `first wrong element ${bad}: ${data[bad]}`).toBe(-1);
  });

  test('empty and scalar tensors', async () => {
    const e = core.exp(ctx.t([], [3, 0, 2]));
    expect(e.shape).toEqual([3, 0, 2]);
    expect((await e.data()).length).toBe(0);
    const s = core.add(ctx.t([2], []), ctx.t([3], []));
    expect(Array.from(await s.data())).toEqual([5]);
    const bcast = core.mul(ctx.t([], [0, 3]), ctx.t([1, 2, 3], [3]));
    expect(bcast.shape).toEqual([0, 3]);
  });
});
