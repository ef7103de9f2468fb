import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  eigh,
  fwht,
  hostLinalg,
  qr,
  rffFeatures,
  setBackend,
  svd,
  tensor,
  tidy,
  type DType,
  type Tensor,
} from '@spectrans/core';
import { createJsBackend } from '../src/index.js';
import { DTYPES_UNDER_TEST, expectClose, expectDType, expectExact, randomData, round, sizeOf } from './helpers.js';

const backend = createJsBackend();

beforeAll(async () => {
  await setBackend(backend);
});

afterEach(() => {
  expect(backend.memory!()).toEqual({ handles: 0, bytes: 0 });
});

function read(t: Tensor, dtype: DType): Float32Array | Float64Array {
  const d = t.dataSync();
  expectDType(d, dtype);
  return d;
}

function disposeAll(o: Record<string, Tensor>): void {
  for (const t of Object.values(o)) t.dispose();
}

/** Host results for every matrix of a batch, rounded to the dtype and concatenated. */
function hostBatched(
  data: readonly number[],
  count: number,
  size: number,
  dtype: DType,
  fn: (a: Float64Array) => Float64Array[],
): number[][] {
  const outs: number[][] = [];
  for (let b = 0; b < count; b++) {
    const res = fn(Float64Array.from(data.slice(b * size, (b + 1) * size)));
    res.forEach((r, i) => (outs[i] ??= []).push(...Array.from(r, (v) => round(v, dtype))));
  }
  return outs;
}

describe.each(DTYPES_UNDER_TEST)('native linalg matches core host linalg per batch matrix (%s)', (dtype) => {
  it('qr of tall, wide and batched matrices', () => {
    for (const [batch, m, n] of [
      [[], 5, 3],
      [[], 3, 5],
      [[2, 2], 4, 4],
      [[3], 6, 1],
    ] as [number[], number, number][]) {
      const x = randomData(sizeOf(batch) * m * n, m * 10 + n, dtype);
      const input = tensor(x, [...batch, m, n], dtype);
      const out = qr(input);
      input.dispose();
      const k = Math.min(m, n);
      expect(out.q.shape).toEqual([...batch, m, k]);
      expect(out.r.shape).toEqual([...batch, k, n]);
      const [q, r] = hostBatched(x, sizeOf(batch), m * n, dtype, (a) => {
        const res = hostLinalg.qr(a, m, n);
        return [res.q, res.r];
      });
      expectExact(read(out.q, dtype), q!);
      expectExact(read(out.r, dtype), r!);
      disposeAll(out);
    }
  });

  it('eigh of symmetric batched matrices', () => {
    const n = 5;
    const raw = randomData(2 * n * n, 3, dtype);
    const sym = raw.map((_, i) => {
      const b = Math.floor(i / (n * n));
      const r = Math.floor((i % (n * n)) / n);
      const c = i % n;
      return round(raw[b * n * n + r * n + c]! + raw[b * n * n + c * n + r]!, dtype);
    });
    const input = tensor(sym, [2, n, n], dtype);
    const out = eigh(input);
    input.dispose();
    const [values, vectors] = hostBatched(sym, 2, n * n, dtype, (a) => {
      const res = hostLinalg.eigh(a, n);
      return [res.values, res.vectors];
    });
    expectExact(read(out.values, dtype), values!);
    expectExact(read(out.vectors, dtype), vectors!);
    disposeAll(out);
  });

  it('svd of tall and wide matrices', () => {
    for (const [m, n] of [
      [6, 4],
      [3, 7],
    ] as [number, number][]) {
      const x = randomData(m * n, m + n, dtype);
      const input = tensor(x, [m, n], dtype);
      const out = svd(input);
      input.dispose();
      const [u, s, v] = hostBatched(x, 1, m * n, dtype, (a) => {
        const res = hostLinalg.svd(a, m, n);
        return [res.u, res.s, res.v];
      });
      expectExact(read(out.u, dtype), u!);
      expectExact(read(out.s, dtype), s!);
      expectExact(read(out.v, dtype), v!);
      disposeAll(out);
    }
  });
});

describe.each(DTYPES_UNDER_TEST)('fwht (%s)', (dtype) => {
  it('equals the Sylvester–Hadamard matrix product for every row', () => {
    for (const [rows, n] of [
      [1, 1],
      [3, 2],
      [2, 8],
      [5, 64],
    ] as [number, number][]) {
      const x = randomData(rows * n, n + rows, dtype);
      const t = tidy(() => fwht(tensor(x, [rows, n], dtype)));
      const expected: number[] = [];
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < n; j++) {
            let bits = i & j;
            let parity = 0;
            while (bits) {
              parity ^= bits & 1;
              bits >>= 1;
            }
            s += (parity ? -1 : 1) * x[r * n + j]!;
          }
          expected.push(round(s, dtype));
        }
      }
      expectClose(read(t, dtype), expected, dtype === 'float32' ? 1.2e-7 : 1e-14, 1e-14 * n);
      t.dispose();
    }
  });

  it('applied twice multiplies by n; propagates NaN within a row only', () => {
    const x = randomData(2 * 16, 9, dtype);
    const twice = tidy(() => fwht(fwht(tensor(x, [2, 16], dtype))));
    expectClose(
      read(twice, dtype),
      x.map((v) => 16 * v),
      1e-6,
      1e-6,
    );
    twice.dispose();
    const withNaN = [...x];
    withNaN[3] = NaN;
    const t = tidy(() => fwht(tensor(withNaN, [2, 16], dtype)));
    const d = read(t, dtype);
    for (let i = 0; i < 16; i++) expect(d[i]).toBeNaN();
    for (let i = 16; i < 32; i++) expect(Number.isFinite(d[i]!)).toBe(true);
    t.dispose();
  });
});

describe.each(DTYPES_UNDER_TEST)('fused rffFeatures (%s)', (dtype) => {
  function reference(
    x: number[],
    rows: number,
    d: number,
    omega: number[],
    D: number,
    bias: number[],
    scale: number,
    cosSin: boolean,
  ): number[] {
    const out: number[] = [];
    for (let r = 0; r < rows; r++) {
      const proj: number[] = [];
      for (let j = 0; j < D; j++) {
        let s = 0;
        for (let p = 0; p < d; p++) s += x[r * d + p]! * omega[p * D + j]!;
        proj.push(s);
      }
      const phase = proj.map((t, j) => t + bias[j]!);
      out.push(...phase.map((t) => round(scale * Math.cos(t), dtype)));
      if (cosSin) out.push(...phase.map((t) => round(scale * Math.sin(t), dtype)));
    }
    return out;
  }

  for (const [lead, d, D] of [
    [[7], 3, 10],
    [[2, 3], 5, 4],
    [[1], 1, 1],
    [[4], 16, 33],
    [[0], 3, 4],
  ] as [number[], number, number][]) {
    it(`x ${JSON.stringify([...lead, d])}, omega (${d}, ${D}), cos and cos/sin`, () => {
      const rows = sizeOf(lead);
      const x = randomData(rows * d, 1 + d, dtype, -2, 2);
      // large frequencies: phases of hundreds of radians must still be reduced accurately
      const omega = randomData(d * D, 2 + D, dtype, -100, 100);
      const bias = randomData(D, 3, dtype, 0, 2 * Math.PI);
      const scale = Math.sqrt(2 / D);
      for (const cosSin of [false, true]) {
        const t = tidy(() =>
          rffFeatures(
            tensor(x, [...lead, d], dtype),
            tensor(omega, [d, D], dtype),
            tensor(bias, [D], dtype),
            scale,
            cosSin,
          ),
        );
        expect(t.shape).toEqual([...lead, cosSin ? 2 * D : D]);
        // the phase is a double sum: reordering may move it by ~1e-13 rad
        expectClose(
          read(t, dtype),
          reference(x, rows, d, omega, D, bias, scale, cosSin),
          dtype === 'float32' ? 1.2e-7 : 1e-12,
          1e-12,
          `cosSin=${cosSin}`,
        );
        t.dispose();
      }
    });
  }
});
