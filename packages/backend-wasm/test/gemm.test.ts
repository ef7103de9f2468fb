/**
 * The packed GEMM against float64 references on shapes that cross every blocking boundary (the
 * 4 x 8 tile, KC = 256, MC = 128, NC = 1024), all four transpose combinations, batch broadcasting
 * and the thread split, plus float64.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWasmBackend, type WasmBackend } from '../src/index.js';
import { hostArray, matmulRef } from '@spectrans/conformance/reference';
import { firstMismatch, ref, uniforms, upload } from './helpers.js';

const U32 = 2 ** -24;

describe.each([1, 2])('matmul on %i thread(s)', (threads) => {
  let b: WasmBackend;
  beforeAll(async () => {
    b = await createWasmBackend({ threads });
  });
  afterAll(async () => {
    expect(b.memory!()).toEqual({ handles: 0, bytes: 0 });
    await b.destroy();
  });

  const cases: [number, number, number, boolean, boolean][] = [
    [1, 1, 1, false, false],
    [5, 3, 7, true, false],
    [13, 300, 9, false, true],
    [37, 261, 19, true, true],
    [131, 520, 1030, false, false],
    [257, 33, 70, true, true],
    [300, 70, 130, false, true],
    // at most 16 outputs: the unpacked dot-product path (SIMD with a tail, and strided)
    [1, 257, 1, false, false],
    [1, 257, 1, true, true],
    [4, 33, 4, true, false],
    [2, 1000, 3, false, true],
  ];
  it.each(cases)('(%i x %i) · (%i) transposeA %s transposeB %s', (n, k, m, tA, tB) => {
    const aShape = tA ? [k, n] : [n, k];
    const bShape = tB ? [m, k] : [k, m];
    const a = uniforms(n * k, 1 + n);
    const bb = uniforms(k * m, 2 + m);
    const ra = upload(b, a, aShape);
    const rb = upload(b, bb, bShape);
    const out = b.matmul(ra, rb, tA, tB, [n, m]);
    const got = b.readSync!(ref(out, [n, m]));
    const want = matmulRef(hostArray(a, aShape), hostArray(bb, bShape), tA, tB);
    const bad = firstMismatch(got, want.data, (i) => 2 * U32 * k * want.scale[i]! + 1e-30);
    expect(bad, `element ${bad}: ${got[bad]} vs ${want.data[bad]}`).toBe(-1);
    for (const h of [ra.handle, rb.handle, out]) b.dispose(h);
  });

  it('batches one-element products: (64, 1, 259) · (64, 259, 1) -> (64, 1, 1)', () => {
    const a = uniforms(64 * 259, 21);
    const bb = uniforms(64 * 259, 22);
    const ra = upload(b, a, [64, 1, 259]);
    const rb = upload(b, bb, [64, 259, 1]);
    const out = b.matmul(ra, rb, false, false, [64, 1, 1]);
    const got = b.readSync!(ref(out, [64, 1, 1]));
    const want = matmulRef(hostArray(a, [64, 1, 259]), hostArray(bb, [64, 259, 1]), false, false);
    const bad = firstMismatch(got, want.data, (i) => 2 * U32 * 259 * want.scale[i]! + 1e-30);
    expect(bad, `element ${bad}: ${got[bad]} vs ${want.data[bad]}`).toBe(-1);
    for (const h of [ra.handle, rb.handle, out]) b.dispose(h);
  });

  it('broadcasts batch axes: (2, 1, 5, 7) · (3, 7, 9) -> (2, 3, 5, 9)', () => {
    const a = uniforms(2 * 5 * 7, 11);
    const bb = uniforms(3 * 7 * 9, 12);
    const ra = upload(b, a, [2, 1, 5, 7]);
    const rb = upload(b, bb, [3, 7, 9]);
    const out = b.matmul(ra, rb, false, false, [2, 3, 5, 9]);
    const got = b.readSync!(ref(out, [2, 3, 5, 9]));
    const want = matmulRef(hostArray(a, [2, 1, 5, 7]), hostArray(bb, [3, 7, 9]), false, false);
    expect(want.shape).toEqual([2, 3, 5, 9]);
    expect(firstMismatch(got, want.data, (q) => 2 * U32 * 7 * want.scale[q]!)).toBe(-1);
    for (const h of [ra.handle, rb.handle, out]) b.dispose(h);
  });

  it('float64 with transposes matches to double-precision rounding', () => {
    const n = 23,
      k = 41,
      m = 17;
    const a = Float64Array.from(uniforms(n * k, 5), (v) => v + v * 1e-9);
    const bb = Float64Array.from(uniforms(k * m, 6), (v) => v - v * 1e-9);
    const ra = upload(b, a, [k, n], 'float64');
    const rb = upload(b, bb, [m, k], 'float64');
    const out = b.matmul(ra, rb, true, true, [n, m]);
    const got = b.readSync!(ref(out, [n, m], 'float64'));
    expect(got).toBeInstanceOf(Float64Array);
    const want = matmulRef(hostArray(a, [k, n]), hostArray(bb, [m, k]), true, true);
    expect(firstMismatch(got, want.data, (i) => 2 * 2 ** -53 * k * want.scale[i]!)).toBe(-1);
    for (const h of [ra.handle, rb.handle, out]) b.dispose(h);
  });

  it('k = 0 gives zeros, empty outputs allocate nothing', () => {
    const ra = upload(b, [], [3, 0]);
    const rb = upload(b, [], [0, 4]);
    const out = b.matmul(ra, rb, false, false, [3, 4]);
    expect(Array.from(b.readSync!(ref(out, [3, 4])))).toEqual(new Array(12).fill(0));
    const re = upload(b, [], [0, 5]);
    const rf = upload(b, uniforms(10, 3), [5, 2]);
    const empty = b.matmul(re, rf, false, false, [0, 2]);
    expect(b.readSync!(ref(empty, [0, 2])).length).toBe(0);
    for (const h of [ra.handle, rb.handle, out, re.handle, rf.handle, empty]) b.dispose(h);
  });
});
