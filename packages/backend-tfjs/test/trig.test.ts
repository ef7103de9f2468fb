/** sin and cos for every float32 argument: the exact phase reduction (wasm) and the engines' own (cpu). */
import { describe, expect, it } from 'vitest';
import { cos, sin } from '@spectrans/core';
import { PHASE_EXP_MAX, PHASE_EXP_MIN, phaseTable, twoOverPiFixed } from '../src/phase-table.js';
import { ENGINES, expectClose, f32, rng, t, U, useEngine, values } from './helpers.js';

/** |actual - exact| <= 8u·(1 + |exact|): the 'ieee' transcendental row, against the float64 value of the float32 input. */
const TOL = { atol: 8 * U, rtol: 8 * U };

function logUniform(count: number, seed: number, loExp: number, hiExp: number): number[] {
  const r = rng(seed);
  return Array.from({ length: count }, () => Math.fround((r() < 0.5 ? -1 : 1) * 2 ** (loExp + (hiExp - loExp) * r())));
}

describe('the reduction constant', () => {
  it("2/pi from Machin's formula matches its published hexadecimal digits", () => {
    // 2/pi = 0.A2F9836E 4E441529 FC2757D1 F534DDC0 DB629599 3C439041 FE5163AB ... (e.g. fdlibm's ipio2 table)
    expect(twoOverPiFixed(224).toString(16).padStart(56, '0')).toBe(
      'a2f9836e4e441529fc2757d1f534ddc0db6295993c439041fe5163ab',
    );
  });

  it('every packed entry is an integer below 2^22 (exact in float32), one row per exponent', () => {
    const columns = phaseTable();
    expect(columns).toHaveLength(3);
    for (const c of columns) {
      expect(c.length).toBe(PHASE_EXP_MAX - PHASE_EXP_MIN + 1);
      for (const v of c) expect(Number.isInteger(v) && v >= 0 && v < 2 ** 22).toBe(true);
    }
  });
});

describe.each(ENGINES)('sin/cos on tfjs-%s', (engine) => {
  const ranges: [string, number[]][] = [
    ['|x| <= 1', logUniform(4000, 1, -30, 0)],
    ['1 < |x| < 2^16 (random-feature phases)', logUniform(4000, 2, 0, 16)],
    ['2^16 < |x| < 2^40', logUniform(4000, 3, 16, 40)],
    ['huge: up to 3.4e38', logUniform(4000, 4, 40, 127.99)],
    [
      'float32 neighbours of multiples of pi/2',
      Array.from({ length: 4000 }, (_, i) => Math.fround((((i - 2000) * Math.PI) / 2) * (1 + (i % 3) * 1e-3))),
    ],
  ];

  it.each(ranges)('%s: within the declared tolerance of the float64 value', async (_, x) => {
    await useEngine(engine);
    expectClose(await values(cos(t(x, [x.length]))), f32(x.map(Math.cos)), TOL, 'cos');
    expectClose(await values(sin(t(x, [x.length]))), f32(x.map(Math.sin)), TOL, 'sin');
  });

  it('exact multiples and special values', async () => {
    await useEngine(engine);
    const x = f32([
      0,
      -0,
      Math.PI / 2,
      Math.PI,
      2 * Math.PI,
      1e10,
      -1e10,
      3.4028234663852886e38,
      -3.4028234663852886e38,
      2 ** -149,
      NaN,
      Infinity,
      -Infinity,
    ]);
    expectClose(await values(cos(t(x, [x.length]))), f32(x.map(Math.cos)), TOL, 'cos');
    expectClose(await values(sin(t(x, [x.length]))), f32(x.map(Math.sin)), TOL, 'sin');
  });

  it("sin keeps its relative accuracy for tiny arguments (wasm's own sin does not)", async () => {
    await useEngine(engine);
    const x = f32([1e-6, -2e-6, 1e-20, -3e-38]);
    expectClose(await values(sin(t(x, [4]))), x, { rtol: 2 * U });
  });
});
