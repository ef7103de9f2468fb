/**
 * What each mode's declared precision means in practice: range-reduced cos/sin for large phases,
 * accurate tanh/elu near zero, blocked sums, and the capabilities each mode declares.
 */
import { cos, elu, sin, sum, tanh } from '@spectrans/core';
import { expect, test } from 'vitest';
import { TRIG_REDUCTION_LIMIT } from '../src/index.js';
import { rng } from './support/helpers.js';
import { describeModes } from './support/suite.js';

describeModes('precision', (ctx) => {
  test('declares float32 only: reduced on GL, IEEE on cpu and webasm', () => {
    expect(ctx.backend.capabilities.dtypes).toEqual({ float32: ctx.mode === 'headlessgl' ? 'reduced' : 'ieee' });
  });

  test.each([
    ['cos', cos, Math.cos],
    ['sin', sin, Math.sin],
  ] as const)('%s of large arguments (|x| up to 2^20) is accurate to ~2e-7', async (_, fn, exact) => {
    const r = rng(11);
    const x = Float32Array.from({ length: 4096 }, () => (r.uniform() < 0.5 ? -1 : 1) * 2 ** r.uniform(-2, 20));
    const got = await fn(ctx.t(x, [x.length])).data();
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(got[i]! - exact(x[i]!)));
    expect(worst).toBeLessThan(ctx.precision === 'reduced' ? 4e-7 : 1.2e-7);
  });

  test('cos/sin beyond the reduction limit stay bounded; NaN and infinities give NaN', async () => {
    const x = [TRIG_REDUCTION_LIMIT * 3.7, -1e7, 3e9, NaN, Infinity, -Infinity];
    for (const fn of [cos, sin]) {
      const got = Array.from(await fn(ctx.t(x, [x.length])).data());
      for (const v of got.slice(0, 3)) expect(Math.abs(v)).toBeLessThanOrEqual(1);
      expect(got.slice(3).every(Number.isNaN)).toBe(true);
    }
  });

  test('tanh and elu keep relative accuracy near zero and saturate cleanly', async () => {
    const x = [1e-6, -3e-4, 0.01, 0.3, 0.62, 0.63, 2, -9, 50, -50, 1e30];
    const th = await tanh(ctx.t(x, [x.length])).data();
    x.forEach((v, i) =>
      expect(Math.abs(th[i]! - Math.tanh(v)), `tanh(${v})`).toBeLessThanOrEqual(2e-6 * Math.abs(Math.tanh(v)) + 1e-30),
    );
    const e = [-1e-6, -3e-4, -0.01, -0.03, -0.04, -1, -20, -100];
    const el = await elu(ctx.t(e, [e.length])).data();
    e.forEach((v, i) =>
      expect(Math.abs(el[i]! - Math.expm1(v)), `elu(${v})`).toBeLessThanOrEqual(2e-6 * Math.abs(Math.expm1(v))),
    );
  });

  test('long sums are blocked: a million terms keep float32 relative error near 2e-6', async () => {
    const n = 1_000_000;
    const x = new Float32Array(n).fill(0.1);
    const got = (await sum(ctx.t(x, [n])).data())[0]!;
    const exact = n * Math.fround(0.1);
    expect(Math.abs(got - exact) / exact).toBeLessThan(5e-6); // a naive float32 loop is off by ~1e-2 here
  });
});
