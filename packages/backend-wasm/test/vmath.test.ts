/**
 * The float32 log, tanh, elu and pow kernels against float64 Math rounded to float32: the largest
 * ulp distance over dense sweeps (about 2^20 arguments each: every binade of log's domain with
 * subnormals, around 1 and tanh's/elu's whole working range, pow over wide bases and exponents,
 * near-1 bases with huge exponents, negative bases with integer exponents), every special case of
 * Math.pow bit for bit (signed zeros included), and pow through every broadcast path, on one thread
 * and on two. Measured: 0 ulp everywhere (each result is the correctly rounded float32 of its double
 * evaluation); the bound asserted leaves 1 ulp for a reference that rounds twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Shape, UnaryOp } from '@spectrans/core/backend';
import { createWasmBackend, type WasmBackend } from '../src/index.js';
import { ref, uniforms, upload } from './helpers.js';

const MAX_ULP = 1;
/** Sweep results allowed to differ from the reference at all (each by at most MAX_ULP). */
const MAX_INEXACT = 16;

const bits = new Float32Array(1);
const bitsI = new Int32Array(bits.buffer);

/** The float32 `v`'s position on the number line in ulps (±0 both 0). */
function ordinal(v: number): number {
  bits[0] = v;
  const i = bitsI[0]!;
  return i >= 0 ? i : -(i & 0x7fffffff);
}

/** ulps between two float32 values; 0 for two NaNs, Infinity for NaN against a number. */
function ulpDistance(got: number, want: number): number {
  if (Number.isNaN(got) || Number.isNaN(want)) return Number.isNaN(got) && Number.isNaN(want) ? 0 : Infinity;
  return Math.abs(ordinal(got) - ordinal(want));
}

/** `count` float32 values whose bit patterns step evenly through [lo, hi), with the sign bit if `negative`. */
function bitSweep(lo: number, hi: number, count: number, negative = false): Float32Array {
  const u = new Uint32Array(count);
  for (let i = 0; i < count; i++) u[i] = (lo + Math.floor(((hi - lo) * i) / count)) | (negative ? 0x80000000 : 0);
  return new Float32Array(u.buffer);
}

function concat(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The worst ulp distance and how many results differ at all, with the worst case described. */
function compare(
  got: Float32Array,
  want: (i: number) => number,
  describeAt: (i: number) => string,
): { worst: number; inexact: number; where: string } {
  let worst = 0;
  let inexact = 0;
  let where = '';
  for (let i = 0; i < got.length; i++) {
    const u = ulpDistance(got[i]!, Math.fround(want(i)));
    if (u === 0) continue;
    inexact++;
    if (u > worst) {
      worst = u;
      where = `${describeAt(i)} = ${got[i]}, want ${Math.fround(want(i))}`;
    }
  }
  return { worst, inexact, where };
}

const F32_MAX = 3.4028234663852886e38;

describe.each([1, 2])('float32 log, tanh, elu, pow on %i thread(s)', (threads) => {
  let b: WasmBackend;
  beforeAll(async () => {
    b = await createWasmBackend({ threads });
  });
  afterAll(async () => {
    expect(b.memory!()).toEqual({ handles: 0, bytes: 0 });
    await b.destroy();
  });

  const unary = (op: UnaryOp, x: Float32Array): Float32Array => {
    const rx = upload(b, x, [x.length]);
    const out = b.unary(op, rx);
    const got = b.readSync!(ref(out, [x.length])) as Float32Array;
    b.dispose(rx.handle);
    b.dispose(out);
    return got;
  };
  const pow = (a: Float32Array, e: Float32Array, aShape: Shape, eShape: Shape, outShape: Shape): Float32Array => {
    const ra = upload(b, a, aShape);
    const re = upload(b, e, eShape);
    const out = b.binary('pow', ra, re, outShape);
    const got = b.readSync!(ref(out, outShape)) as Float32Array;
    for (const h of [ra.handle, re.handle, out]) b.dispose(h);
    return got;
  };

  const sweeps: [UnaryOp, () => Float32Array, (v: number) => number][] = [
    [
      'log',
      // every positive float32 (subnormals to the largest) and densely around 1
      () => concat(bitSweep(1, 0x7f800000, 1 << 20), bitSweep(0x3f7f0000, 0x3f810000, 1 << 16)),
      Math.log,
    ],
    [
      'tanh',
      // 0 to 11 (past float32 saturation) both signs, tiny arguments included, then up to the largest
      () =>
        concat(
          bitSweep(0, 0x41300000, 1 << 19),
          bitSweep(0, 0x41300000, 1 << 19, true),
          bitSweep(0x41300000, 0x7f800000, 1 << 12),
        ),
      Math.tanh,
    ],
    [
      'elu',
      // -0 to -104 (tiny arguments, where expm1 matters, through underflow of exp) and positives
      () => concat(bitSweep(0, 0x42d00000, 1 << 20, true), bitSweep(0, 0x7f800000, 1 << 14)),
      (v) => (v > 0 ? v : Math.expm1(v)),
    ],
  ];

  it.each(sweeps)(
    `%s is within ${MAX_ULP} ulp of float64 Math rounded to float32 over a dense sweep`,
    (op, args, f) => {
      const x = args();
      const got = unary(op, x);
      const r = compare(
        got,
        (i) => f(x[i]!),
        (i) => `${op}(${x[i]})`,
      );
      expect(r.worst, r.where).toBeLessThanOrEqual(MAX_ULP);
      expect(r.inexact, r.where).toBeLessThanOrEqual(MAX_INEXACT);
    },
  );

  it(`pow is within ${MAX_ULP} ulp of Math.pow rounded to float32 over 2^20 (base, exponent) pairs`, () => {
    const n = 1 << 20;
    const a = new Float32Array(n);
    const e = new Float32Array(n);
    const u = uniforms(2 * n, 91, 0, 1);
    const anyPositive = bitSweep(1, 0x7f800000, n / 4);
    for (let i = 0; i < n; i++) {
      const s = u[2 * i]!;
      const t = u[2 * i + 1]!;
      switch (i % 4) {
        case 0: // every positive base, exponents in [-2, 2] (over- and underflow, subnormal results)
          a[i] = anyPositive[i >> 2]!;
          e[i] = 4 * t - 2;
          break;
        case 1: // signed bases, integer exponents (odd and even) in [-40, 40]
          a[i] = 20 * s - 10;
          e[i] = Math.round(80 * t - 40);
          break;
        case 2: // bases within 2^-11 of 1, exponents up to ±65536: log must be exact near 1
          a[i] = 1 + (s - 0.5) * 2 ** -10;
          e[i] = (t - 0.5) * 2 ** 17;
          break;
        default: // [0, 100) to the power [-30, 30]
          a[i] = 100 * s;
          e[i] = 60 * t - 30;
      }
    }
    const got = pow(a, e, [n], [n], [n]);
    const r = compare(
      got,
      (i) => Math.pow(a[i]!, e[i]!),
      (i) => `pow(${a[i]}, ${e[i]})`,
    );
    expect(r.worst, r.where).toBeLessThanOrEqual(MAX_ULP);
    expect(r.inexact, r.where).toBeLessThanOrEqual(MAX_INEXACT);
  });

  it.each<[UnaryOp, number[], (v: number) => number]>([
    ['log', [0, -0, -1, -1e-45, -Infinity, Infinity, NaN, 1, 2 ** -149, 2 ** -126, F32_MAX, 2, Math.E], Math.log],
    [
      'tanh',
      [0, -0, NaN, Infinity, -Infinity, 9.1, -9.1, 20, -1e30, 1e-30, -1e-30, 2 ** -149, -(2 ** -149)],
      Math.tanh,
    ],
    [
      'elu',
      [0, -0, NaN, -Infinity, Infinity, 1e-40, -1e-40, -1e-30, -1e-7, -200, -88, 3.5, F32_MAX, -F32_MAX],
      (v) => (v > 0 ? v : Math.expm1(v)),
    ],
  ])('%s special values are exact, signed zeros included', (op, values, f) => {
    const x = Float32Array.from(values);
    const got = unary(op, x);
    expect(Array.from(got)).toEqual(Array.from(x, (v) => Math.fround(f(v))));
    for (let i = 0; i < x.length; i++) expect(Object.is(got[i], Math.fround(f(x[i]!))), `${op}(${x[i]})`).toBe(true);
  });

  it('pow follows Math.pow bit for bit on every special case (1 ** NaN, signed zeros, infinities, negative bases)', () => {
    const bases = [
      NaN,
      0,
      -0,
      Infinity,
      -Infinity,
      1,
      -1,
      0.5,
      -0.5,
      2,
      -2,
      3,
      -3,
      -2.5,
      1e-45,
      -1e-45,
      F32_MAX,
      -F32_MAX,
    ];
    const exponents = [
      NaN,
      0,
      -0,
      Infinity,
      -Infinity,
      1,
      -1,
      2,
      -2,
      3,
      -3,
      0.5,
      -0.5,
      2.5,
      -2.5,
      1e-45,
      -1e-45,
      127,
      -149,
      2 ** 24,
      2 ** 24 - 1,
      -(2 ** 24 - 1),
      2 ** 30,
      F32_MAX,
      -F32_MAX,
    ];
    const a = Float32Array.from(bases.flatMap((x) => exponents.map(() => x)));
    const e = Float32Array.from(bases.flatMap(() => exponents));
    const got = pow(a, e, [a.length], [e.length], [a.length]);
    const bad: string[] = [];
    for (let i = 0; i < a.length; i++) {
      const want = Math.fround(Math.pow(a[i]!, e[i]!));
      if (!Object.is(got[i], want)) bad.push(`pow(${a[i]}, ${e[i]}) = ${got[i]}, want ${want}`);
    }
    expect(bad).toEqual([]);
  });

  it('pow runs every broadcast layout and the scalar path (either side) on the kernel', () => {
    // Large enough (2^18 outputs) that jobs split across threads.
    const base = uniforms(512 * 512, 92, 0, 4);
    const ex = uniforms(512, 93, -3, 3);
    const check = (got: Float32Array, want: (i: number) => number, label: string): void => {
      const r = compare(got, want, (i) => `${label} at ${i}`);
      expect(r.worst, r.where).toBeLessThanOrEqual(MAX_ULP);
    };
    // (512, 512) ** (512): rows against a broadcast row
    check(pow(base, ex, [512, 512], [512], [512, 512]), (i) => Math.pow(base[i]!, ex[i % 512]!), 'row');
    // (512, 1) ** (1, 512): an outer product
    const col = base.subarray(0, 512);
    check(pow(col, ex, [512, 1], [1, 512], [512, 512]), (i) => Math.pow(col[i >> 9]!, ex[i % 512]!), 'outer');
    // (4, 128, 512) ** (4, 1, 512): one job per leading index
    const ex4 = uniforms(4 * 512, 94, -2, 2);
    check(
      pow(base, ex4, [4, 128, 512], [4, 1, 512], [4, 128, 512]),
      (i) => Math.pow(base[i]!, ex4[(i >> 16) * 512 + (i % 512)]!),
      'grouped',
    );
    // scalar exponent and scalar base, through binaryScalar
    const rx = upload(b, base, [512, 512]);
    for (const [scalar, first] of [
      [2.5, false],
      [-3, false],
      [-2, true],
      [1.5, true],
    ] as const) {
      const out = b.binaryScalar('pow', rx, scalar, first);
      const got = b.readSync!(ref(out, [512, 512])) as Float32Array;
      check(got, (i) => (first ? Math.pow(scalar, base[i]!) : Math.pow(base[i]!, scalar)), `scalar ${scalar} ${first}`);
      b.dispose(out);
    }
    b.dispose(rx.handle);
  });
});
