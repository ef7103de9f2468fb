/** matmul and cdist through core on both engines, against float64 loops with |A|·|B| error bounds. */
import { describe, expect, it } from 'vitest';
import { cdist, matmul } from '@spectrans/core';
import { CDIST_BLOCK_ELEMENTS } from '../src/cdist.js';
import { ENGINE_TUNING } from '../src/runtime.js';
import { cdistRef, hostArray, matmulRef, sizeOf } from '@spectrans/conformance/reference';
import { ENGINES, expectClose, f32, t, U, uniforms, useEngine, values } from './helpers.js';

/** Higham's bound: |fl(AB) - AB| <= γ_k |A||B|, with margin. */
const accumulate = (ref: { scale: Float64Array; k: number }) => ({
  rtol: 2 * U,
  allowance: ref.scale.map((s) => 2 * U * Math.max(ref.k, 1) * s),
});

describe.each(ENGINES)('matmul on tfjs-%s', (engine) => {
  const cases: [string, number[], number[], boolean, boolean][] = [
    ['2-D', [5, 7], [7, 3], false, false],
    ['transpose a', [7, 5], [7, 3], true, false],
    ['transpose b', [5, 7], [3, 7], false, true],
    ['both transposed', [7, 5], [3, 7], true, true],
    ['batched a times 2-D b (folded into one product)', [2, 3, 5, 7], [7, 4], false, false],
    ['batched a transposed times 2-D b', [2, 3, 7, 5], [4, 7], true, true],
    ['2-D a times batched b', [5, 7], [3, 7, 4], false, false],
    ['equal batches', [3, 5, 7], [3, 7, 4], false, false],
    ['batch of one broadcast', [1, 5, 7], [3, 4, 7], false, true],
    ['batches that broadcast both ways (tfjs cannot)', [2, 1, 5, 7], [1, 3, 7, 4], false, false],
    ['both ways, transposed', [4, 1, 7, 5], [1, 3, 4, 7], true, true],
    ['inner dimension 1', [6, 1], [1, 6], false, false],
  ];

  it.each(cases)('%s', async (_, as, bs, ta, tb) => {
    await useEngine(engine);
    const a = uniforms(sizeOf(as), 3);
    const b = uniforms(sizeOf(bs), 4);
    const ref = matmulRef(hostArray(a, as), hostArray(b, bs), ta, tb);
    const out = matmul(t(a, as), t(b, bs), { transposeA: ta, transposeB: tb });
    expect(out.shape).toEqual(ref.shape);
    expectClose(await values(out), f32(ref.data), accumulate(ref));
  });

  it('empty inner dimension gives zeros; empty outputs stay empty', async () => {
    await useEngine(engine);
    expect(Array.from(await values(matmul(t([], [2, 0]), t([], [0, 3]))))).toEqual([0, 0, 0, 0, 0, 0]);
    const e = matmul(t([], [0, 4]), t(uniforms(12, 1), [4, 3]));
    expect(e.shape).toEqual([0, 3]);
    expect((await values(e)).length).toBe(0);
  });

  it('a large product stays within the bound', async () => {
    await useEngine(engine);
    const [n, k, m] = [64, 300, 48];
    const a = uniforms(n * k, 5);
    const b = uniforms(k * m, 6);
    const ref = matmulRef(hostArray(a, [n, k]), hostArray(b, [k, m]), false, false);
    expectClose(await values(matmul(t(a, [n, k]), t(b, [k, m]))), f32(ref.data), accumulate(ref));
  });
});

describe.each(ENGINES)('cdist on tfjs-%s', (engine) => {
  const cases: [string, number[], number[]][] = [
    ['2-D', [7, 5], [9, 5]],
    ['batched', [2, 7, 5], [2, 9, 5]],
    ['batch broadcast', [3, 1, 4, 6], [1, 2, 5, 6]],
    ['one batch against many', [4, 3], [3, 5, 3]],
    ['single feature', [6, 1], [4, 1]],
  ];

  it.each(cases)('%s: both metrics against float64', async (_, xs, ys) => {
    await useEngine(engine);
    const x = uniforms(sizeOf(xs), 9, -3, 3);
    const y = uniforms(sizeOf(ys), 10, -3, 3);
    for (const metric of ['sqeuclidean', 'l1'] as const) {
      const ref = cdistRef(hostArray(x, xs), hostArray(y, ys), metric);
      const out = cdist(t(x, xs), t(y, ys), metric);
      expect(out.shape).toEqual(ref.shape);
      expectClose(await values(out), f32(ref.data), accumulate(ref), metric);
    }
  });

  it('the exact form gives 0 on the diagonal of cdist(x, x) and relative accuracy for near points', async () => {
    await useEngine(engine);
    const x = uniforms(20 * 8, 12, 100, 101); // far from the origin: the Gram form would cancel
    const out = await values(cdist(t(x, [20, 8]), t(x, [20, 8])));
    for (let i = 0; i < 20; i++) expect(out[i * 21]).toBe(0);
    const y = x.map((v, i) => Math.fround(v + (i % 2 ? 1e-3 : -1e-3)));
    const ref = cdistRef(hostArray(x, [20, 8]), hostArray(y, [20, 8]), 'sqeuclidean');
    const near = await values(cdist(t(x, [20, 8]), t(y, [20, 8])));
    for (let i = 0; i < 20; i++)
      expect(Math.abs(near[i * 21]! - ref.data[i * 21]!) / ref.data[i * 21]!).toBeLessThan(1e-2);
  });

  it('large problems: exact l1 and sqeuclidean (blocked on wasm, loops on cpu), never negative', async () => {
    await useEngine(engine);
    const [n, m, d] = [130, 140, 64]; // several blocks of differences on wasm; JavaScript loops on cpu
    expect(n * m * d).toBeGreaterThan(CDIST_BLOCK_ELEMENTS);
    expect(n * m * d).toBeLessThan(ENGINE_TUNING[engine].cdistDirectMaxElements);
    const x = uniforms(n * d, 31, 5, 7);
    const y = uniforms(m * d, 32, 5, 7);
    const l1 = cdistRef(hostArray(x, [n, d]), hostArray(y, [m, d]), 'l1');
    expectClose(await values(cdist(t(x, [n, d]), t(y, [m, d]), 'l1')), f32(l1.data), accumulate(l1), 'l1');
    const sq = cdistRef(hostArray(x, [n, d]), hostArray(y, [m, d]), 'sqeuclidean');
    const out = await values(cdist(t(x, [n, d]), t(y, [m, d])));
    // exact form: within eps·d·(|x - c|² + |y - c|²)
    expectClose(out, f32(sq.data), { rtol: 1e-5, atol: 8 * U * d * 4 });
    expect(out.every((v) => v >= 0)).toBe(true);
    const same = await values(cdist(t(x, [n, d]), t(x, [n, d])));
    expect(same.every((v) => v >= 0)).toBe(true);
  });

  it("above the engine's direct limit, squared distances come from the centred Gram form", async () => {
    await useEngine(engine);
    const d = 64;
    const n = Math.ceil(Math.sqrt(ENGINE_TUNING[engine].cdistDirectMaxElements / d)) + 8;
    const x = uniforms(n * d, 41, 50, 52); // offset from the origin: centring keeps the error small
    const y = uniforms(n * d, 42, 50, 52);
    const ref = cdistRef(hostArray(x, [n, d]), hostArray(y, [n, d]), 'sqeuclidean');
    const out = await values(cdist(t(x, [n, d]), t(y, [n, d])));
    expectClose(out, f32(ref.data), { rtol: 1e-5, atol: 8 * U * d * 4 });
    expect(out.every((v) => v >= 0)).toBe(true);
  });

  it('zero features or rows give zeros / empty results', async () => {
    await useEngine(engine);
    expect(Array.from(await values(cdist(t([], [2, 0]), t([], [3, 0]))))).toEqual([0, 0, 0, 0, 0, 0]);
    const e = cdist(t([], [0, 3]), t(uniforms(6, 1), [2, 3]), 'l1');
    expect(e.shape).toEqual([0, 2]);
    expect((await values(e)).length).toBe(0);
  });
});
