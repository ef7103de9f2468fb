/**
 * float32 SIMD kernels against exact float64 math: exp/sin/cos over the whole float32 range
 * (huge phases, infinities, NaN, underflow), the fused RFF epilogue, distances and the FWHT, on one
 * thread and on two (elementwise jobs split from 131072 elements, products from 2^20 multiply-adds).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UnaryOp } from '@spectrans/core/backend';
import { createWasmBackend, type WasmBackend } from '../src/index.js';
import {
  cdistRef,
  cumsumRef,
  fwhtRef,
  hostArray,
  matmulRef,
  reduceRef,
  sliceRef,
  transposeRef,
} from '@spectrans/conformance/reference';
import { firstMismatch, ref, uniforms, upload } from './helpers.js';

const U32 = 2 ** -24;

/** Special and wide-range float32 arguments. */
function arguments32(): Float32Array {
  const special = [
    0,
    -0,
    1,
    -1,
    Math.PI,
    -Math.PI / 2,
    1e-30,
    -1e-40,
    88.7,
    88.73,
    -87.3,
    -103.9,
    -104,
    200,
    -200,
    1e5,
    1e6,
    1.0001e6,
    -3e7,
    1e30,
    -3.4e38,
    Infinity,
    -Infinity,
    NaN,
  ];
  const wide = Array.from(uniforms(20000, 7, -1, 1), (v, i) => v * 10 ** ((i % 14) - 6));
  const phases = Array.from(uniforms(150000, 8, -3000, 3000));
  return Float32Array.from([...special, ...wide, ...phases]);
}

describe.each([1, 2])('float32 kernels on %i thread(s)', (threads) => {
  let b: WasmBackend;
  beforeAll(async () => {
    b = await createWasmBackend({ threads });
  });
  afterAll(async () => {
    expect(b.memory!()).toEqual({ handles: 0, bytes: 0 });
    await b.destroy();
  });

  it.each<[UnaryOp, (v: number) => number]>([
    ['exp', Math.exp],
    ['sin', Math.sin],
    ['cos', Math.cos],
  ])('%s is within 1 ulp of the exactly rounded value everywhere', (op, f) => {
    const x = arguments32();
    const rx = upload(b, x, [x.length]);
    const out = b.unary(op, rx);
    const got = b.readSync!(ref(out, [x.length]));
    const want = Float64Array.from(x, (v) => Math.fround(f(v)));
    const bad = firstMismatch(got, want, (i) => Math.max(2 * U32 * Math.abs(want[i]!), 2 ** -149));
    expect(bad, `${op}(${x[bad]}) = ${got[bad]}, want ${want[bad]}`).toBe(-1);
    b.dispose(rx.handle);
    b.dispose(out);
  });

  it('fused RFF features: scale·[cos, sin](x·omega + bias) across the thread split', () => {
    const rows = 600,
      d = 40,
      D = 70;
    const x = uniforms(rows * d, 21, -2, 2);
    const omega = uniforms(d * D, 22, -3, 3);
    const bias = uniforms(D, 23, 0, 2 * Math.PI);
    const scale = Math.sqrt(2 / D);
    const rx = upload(b, x, [3, 200, d]);
    const ro = upload(b, omega, [d, D]);
    const rb = upload(b, bias, [D]);
    const out = b.rffFeatures!(rx, ro, rb, scale, true, [3, 200, 2 * D]);
    const got = b.readSync!(ref(out, [3, 200, 2 * D]));
    const p = matmulRef(hostArray(x, [rows, d]), hostArray(omega, [d, D]), false, false);
    const bad: string[] = [];
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < D; j++) {
        const ph = p.data[i * D + j]! + bias[j]!;
        const tol = 4 * U32 * (d * p.scale[i * D + j]! + Math.abs(bias[j]!)) * scale + 8 * U32 * scale;
        if (!(Math.abs(got[i * 2 * D + j]! - scale * Math.cos(ph)) <= tol)) bad.push(`cos ${i},${j}`);
        if (!(Math.abs(got[i * 2 * D + D + j]! - scale * Math.sin(ph)) <= tol)) bad.push(`sin ${i},${j}`);
      }
    expect(bad).toEqual([]);
    for (const h of [rx.handle, ro.handle, rb.handle, out]) b.dispose(h);
  });

  it.each(['sqeuclidean', 'l1'] as const)('cdist %s on (2, 200, 37) x (1, 90, 37), never negative', (metric) => {
    const n = 200,
      m = 90,
      d = 37;
    const x = uniforms(2 * n * d, 31, -5, 5);
    const y = uniforms(m * d, 32, -5, 5);
    const rx = upload(b, x, [2, n, d]);
    const ry = upload(b, y, [1, m, d]);
    const out = b.cdist(rx, ry, metric, [2, n, m]);
    const got = b.readSync!(ref(out, [2, n, m]));
    const want = cdistRef(hostArray(x, [2, n, d]), hostArray(y, [1, m, d]), metric);
    const bad: string[] = [];
    for (let i = 0; i < want.data.length; i++) {
      const g = got[i]!;
      if (!(g >= 0 && Math.abs(g - want.data[i]!) <= 2 * U32 * d * want.scale[i]!))
        bad.push(`${i}: ${g} vs ${want.data[i]}`);
    }
    expect(bad).toEqual([]);
    for (const h of [rx.handle, ry.handle, out]) b.dispose(h);
  });

  it('fwht of 5 rows of 256 equals the Hadamard product exactly on small integers', () => {
    const n = 256;
    const x = Float32Array.from(uniforms(5 * n, 41, -8, 8), Math.round);
    const rx = upload(b, x, [5, n]);
    const out = b.fwht!(rx);
    const got = b.readSync!(ref(out, [5, n]));
    expect(Array.from(got)).toEqual(Array.from(fwhtRef(hostArray(x, [5, n])).data));
    b.dispose(rx.handle);
    b.dispose(out);
  });

  it('binary broadcasting layouts that coalesce to (rows, inner) and ones that do not', () => {
    const a = uniforms(4 * 3 * 5, 51);
    const c = uniforms(3 * 1, 52);
    const ra = upload(b, a, [4, 3, 5]);
    const rc = upload(b, c, [3, 1]);
    for (const [shape, data, rr] of [
      [[3, 1], c, rc],
      [[4, 3, 5], a, ra],
    ] as const) {
      const out = b.binary('sub', ra, rr, [4, 3, 5]);
      const got = b.readSync!(ref(out, [4, 3, 5]));
      for (let i = 0; i < 60; i++) {
        const bi = shape.length === 2 ? Math.floor(i / 5) % 3 : i;
        expect(got[i]).toBe(Math.fround(a[i]! - data[bi]!));
      }
      b.dispose(out);
    }
    b.dispose(ra.handle);
    b.dispose(rc.handle);
  });

  it.each([
    [
      [6, 4, 9],
      [6, 1, 9],
    ], // (G, h, D) − (G, 1, D): three axes after coalescing
    [
      [2, 3, 4, 5],
      [2, 1, 4, 1],
    ], // four axes, the inner one broadcast
    [
      [3, 1, 7],
      [5, 1],
    ], // both operands broadcast
  ])('binary broadcasting of %j against %j: one kernel call per block of the leading axes', (sa, sb) => {
    const outShape = sa.map((d, i) => Math.max(d, sb[i - (sa.length - sb.length)] ?? 1));
    const a = uniforms(
      sa.reduce((p, q) => p * q, 1),
      61,
    );
    const c = uniforms(
      sb.reduce((p, q) => p * q, 1),
      62,
    );
    const ra = upload(b, a, sa);
    const rc = upload(b, c, sb);
    const res = b.binary('mul', ra, rc, outShape);
    const got = b.readSync!(ref(res, outShape));
    const want = hostArray(a, sa);
    const other = hostArray(c, sb);
    const n = outShape.reduce((p, q) => p * q, 1);
    const at = (arr: { data: Float64Array; shape: readonly number[] }, flat: number): number => {
      // the element of a broadcast operand at the output's flat index
      let off = 0;
      let stride = 1;
      let rest = flat;
      const idx: number[] = [];
      for (let i = outShape.length - 1; i >= 0; i--) {
        idx[i] = rest % outShape[i]!;
        rest = Math.floor(rest / outShape[i]!);
      }
      for (let i = arr.shape.length - 1, j = outShape.length - 1; i >= 0; i--, j--) {
        off += (arr.shape[i] === 1 ? 0 : idx[j]!) * stride;
        stride *= arr.shape[i]!;
      }
      return arr.data[off]!;
    };
    for (let i = 0; i < n; i++) expect(got[i]).toBe(Math.fround(at(want, i) * at(other, i)));
    for (const h of [ra.handle, rc.handle, res]) b.dispose(h);
  });
});

describe.each([1, 2])('float32 where on %i thread(s)', (threads) => {
  it('cond nonzero (NaN included, -0 not) picks a; broadcast rows and a long flat split', async () => {
    const b = await createWasmBackend({ threads });
    const rows = 300,
      cols = 450;
    const cond = Float32Array.from(uniforms(rows, 71), (v, i) =>
      i % 5 === 0 ? Number.NaN : i % 7 === 0 ? -0 : v > 0 ? 1 : 0,
    );
    const a = uniforms(rows * cols, 72);
    const rc = upload(b, cond, [rows, 1]);
    const ra = upload(b, a, [rows, cols]);
    const rb = upload(b, [-5], []);
    const out = b.where(rc, ra, rb, [rows, cols]);
    const got = b.readSync!(ref(out, [rows, cols]));
    const bad: number[] = [];
    for (let i = 0; i < rows * cols; i++) {
      const c = cond[Math.floor(i / cols)]!;
      if (got[i] !== (c !== 0 ? a[i]! : -5)) bad.push(i);
    }
    expect(bad.slice(0, 5)).toEqual([]);
    const flat = b.where(ref(ra.handle, [rows * cols]), ref(ra.handle, [rows * cols]), rb, [rows * cols]);
    const gotFlat = b.readSync!(ref(flat, [rows * cols]));
    expect(gotFlat.every((v, i) => v === (a[i] !== 0 ? a[i] : -5))).toBe(true);
    for (const h of [rc.handle, ra.handle, rb.handle, out, flat]) b.dispose(h);
    expect(b.memory!()).toEqual({ handles: 0, bytes: 0 });
    await b.destroy();
  });
});

describe('float32 transpose', () => {
  it('swapping the last two axes of (3, 37, 45) moves every element exactly; other perms agree too', async () => {
    const b = await createWasmBackend({ threads: 1 });
    const x = uniforms(3 * 37 * 45, 81);
    const rx = upload(b, x, [3, 37, 45]);
    const t = b.transpose(rx, [0, 2, 1]);
    const got = b.readSync!(ref(t, [3, 45, 37]));
    expect(Array.from(got)).toEqual(Array.from(transposeRef(hostArray(x, [3, 37, 45]), [0, 2, 1]).data));
    const g = b.transpose(rx, [2, 0, 1]); // through the js fallback
    const gotG = b.readSync!(ref(g, [45, 3, 37]));
    expect(Array.from(gotG)).toEqual(Array.from(transposeRef(hostArray(x, [3, 37, 45]), [2, 0, 1]).data));
    for (const h of [rx.handle, t, g]) b.dispose(h);
    expect(b.memory!()).toEqual({ handles: 0, bytes: 0 });
    await b.destroy();
  });
});

describe.each([1, 2])('float32 reductions and scans on %i thread(s)', (threads) => {
  let b: WasmBackend;
  beforeAll(async () => {
    b = await createWasmBackend({ threads });
  });
  afterAll(async () => {
    expect(b.memory!()).toEqual({ handles: 0, bytes: 0 });
    await b.destroy();
  });

  // (outer, len, inner) splits: many rows, few rows with many columns, one long row.
  it.each<[number[], number]>([
    [[400, 3, 50], 1],
    [[3, 9000], 0],
    [[2, 7, 5000], 1],
    [[140001], 0],
  ])('shape %j axis %i: sum/max/min and the four cumsums match float64 references', (shape, axis) => {
    const size = shape.reduce((p, d) => p * d, 1);
    const x = uniforms(size, 61, -10, 10);
    x[size >> 1] = Number.NaN;
    const rx = upload(b, x, shape);
    const len = shape[axis]!;
    const outShape = shape.filter((_, i) => i !== axis);
    for (const op of ['sum', 'max', 'min'] as const) {
      const out = b.reduce(op, rx, axis);
      const got = b.readSync!(ref(out, outShape));
      const want = reduceRef(op, hostArray(x, shape), axis).data;
      const bad: string[] = [];
      for (let i = 0; i < want.length; i++) {
        const acc = want[i]!;
        const g = got[i]!;
        if (!(
          Object.is(g, Math.fround(acc)) ||
          (!Number.isNaN(acc) && Math.abs(g - acc) <= 2 ** -23 * Math.abs(acc) + 1e-9 * len)
        ))
          bad.push(`${op} ${i}: ${g} vs ${acc}`);
      }
      expect(bad.slice(0, 5)).toEqual([]);
      b.dispose(out);
    }
    for (const exclusive of [false, true])
      for (const reverse of [false, true]) {
        const out = b.cumsum(rx, axis, exclusive, reverse);
        const got = b.readSync!(ref(out, shape));
        const want = cumsumRef(hostArray(x, shape), axis, exclusive, reverse).data;
        const bad: string[] = [];
        for (let i = 0; i < want.length; i++) {
          const acc = want[i]!;
          if (!Object.is(got[i]!, Math.fround(acc)) && !(Math.abs(got[i]! - acc) <= 2 ** -23 * Math.abs(acc)))
            bad.push(`${i}`);
        }
        expect(bad.slice(0, 5), `cumsum exclusive ${exclusive} reverse ${reverse}`).toEqual([]);
        b.dispose(out);
      }
    b.dispose(rx.handle);
  });
});

describe.each([1, 2])('large slices (memory.copy of equally spaced rows) on %i thread(s)', (threads) => {
  let b: WasmBackend;
  beforeAll(async () => {
    b = await createWasmBackend({ threads });
  });
  afterAll(async () => {
    await b.destroy();
  });

  // Row copies serve slices of 4096 elements or more whose axes before the last partial one are whole.
  const cases: [readonly number[], readonly number[], readonly number[]][] = [
    [
      [3200, 512],
      [0, 256],
      [3200, 256],
    ], // the sines half of rffFeatures' cos/sin output
    [
      [32, 100, 512],
      [0, 0, 0],
      [32, 100, 256],
    ], // its cosines half, batched
    [
      [8, 30, 40, 6],
      [0, 0, 5, 0],
      [8, 30, 20, 6],
    ], // a middle axis, trailing axes whole
    [
      [70, 90],
      [3, 1],
      [60, 80],
    ], // rows not whole: the element-wise path
    [
      [4096, 3],
      [0, 1],
      [4096, 1],
    ], // one-element runs
  ];
  it.each(cases)('shape %j, begin %j, size %j: exact in float32 and float64', (shape, begin, size) => {
    const n = shape.reduce((p, q) => p * q, 1);
    const x = uniforms(n, 71, -5, 5);
    for (const dtype of ['float32', 'float64'] as const) {
      const rx = upload(b, x, shape, dtype);
      const out = b.slice(rx, begin, size);
      const got = b.readSync!(ref(out, size, dtype));
      const want = sliceRef(hostArray(x, shape), begin, size).data;
      expect(got.length).toBe(want.length);
      expect(
        firstMismatch(got, want, () => 0),
        dtype,
      ).toBe(-1);
      b.dispose(out);
      b.dispose(rx.handle);
    }
    expect(b.memory!().handles).toBe(0);
  });
});
