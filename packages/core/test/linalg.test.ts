import { describe, expect, it } from 'vitest';
import { expectError } from './errors.js';
import { cholesky, eigh, fwht, qr, randomizedSvd, svd } from '../src/linalg/index.js';
import { RandomGenerator } from '../src/random/index.js';

// ---------------------------------------------------------------------------------------------
// Helpers (deliberately naive and independent of the code under test). They stay here rather than
// coming from @spectrans/conformance/reference: conformance depends on core, so a dev dependency
// back on it would make a workspace cycle.
// ---------------------------------------------------------------------------------------------

function matmul(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const x = a[i * k + p] as number;
      for (let j = 0; j < n; j++) c[i * n + j] = (c[i * n + j] as number) + x * (b[p * n + j] as number);
    }
  }
  return c;
}

function transpose(a: Float64Array, m: number, n: number): Float64Array {
  const t = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[j * m + i] = a[i * n + j] as number;
  return t;
}

function fro(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v * v;
  return Math.sqrt(s);
}

function diff(a: Float64Array, b: Float64Array): Float64Array {
  expect(a.length).toBe(b.length);
  return a.map((v, i) => v - (b[i] as number));
}

function eye(k: number): Float64Array {
  const e = new Float64Array(k * k);
  for (let i = 0; i < k; i++) e[i * k + i] = 1;
  return e;
}

/** ‖QᵀQ - I‖_F for an m x k matrix. */
function orthError(q: Float64Array, m: number, k: number): number {
  return fro(diff(matmul(transpose(q, m, k), q, k, m, k), eye(k)));
}

/** Scales column j of a row-major matrix with k columns by d[j]. */
function scaleColumns(a: Float64Array, k: number, d: ArrayLike<number>): Float64Array {
  return a.map((v, i) => v * (d[i % k] as number));
}

/** u diag(s) vᵀ. */
function reconstruct(u: Float64Array, s: Float64Array, v: Float64Array, m: number, n: number): Float64Array {
  const k = s.length;
  return matmul(scaleColumns(u, k, s), transpose(v, n, k), m, k, n);
}

/** Each column's largest-|.| entry (first on ties) is positive. */
function hasCanonicalSigns(x: Float64Array, rows: number, cols: number): boolean {
  for (let c = 0; c < cols; c++) {
    let best = 0;
    for (let i = 1; i < rows; i++) {
      if (Math.abs(x[i * cols + c] as number) > Math.abs(x[best * cols + c] as number)) best = i;
    }
    if ((x[best * cols + c] as number) < 0) return false;
  }
  return true;
}

function gaussian(seed: number, m: number, n: number): Float64Array {
  return new RandomGenerator(seed).normal(m * n);
}

/** A random m x n matrix with prescribed singular values (via Haar-ish orthonormal factors). */
function withSpectrum(seed: number, m: number, n: number, sv: number[]): Float64Array {
  const k = sv.length;
  const u = qr(gaussian(seed, m, k), m, k).q;
  const v = qr(gaussian(seed + 1, n, k), n, k).q;
  return reconstruct(u, Float64Array.from(sv), v, m, n);
}

function symmetric(seed: number, n: number): Float64Array {
  const g = gaussian(seed, n, n);
  return g.map((v, i) => v + (g[(i % n) * n + Math.floor(i / n)] as number));
}

const TOL = 1e-12;

// ---------------------------------------------------------------------------------------------
// qr
// ---------------------------------------------------------------------------------------------

describe('qr', () => {
  const shapes: [number, number][] = [
    [1, 1],
    [1, 7],
    [7, 1],
    [5, 5],
    [200, 200],
    [200, 60],
    [60, 200],
    [101, 100],
    [130, 97], // the blocked path (k ≥ 64) with a partial last panel
    [64, 64],
  ];

  it.each(shapes)('factors a %i x %i Gaussian matrix: residual, orthonormality, triangular R', (m, n) => {
    const a = gaussian(m * 1000 + n, m, n);
    const copy = Float64Array.from(a);
    const k = Math.min(m, n);
    const { q, r } = qr(a, m, n);
    expect(a).toEqual(copy); // input untouched
    expect(q.length).toBe(m * k);
    expect(r.length).toBe(k * n);
    expect(fro(diff(matmul(q, r, m, k, n), a)) / fro(a)).toBeLessThanOrEqual(TOL);
    expect(orthError(q, m, k)).toBeLessThanOrEqual(TOL);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < i; j++) expect(r[i * n + j]).toBe(0);
      expect(r[i * n + i]).toBeGreaterThan(0); // full rank almost surely: strictly positive
    }
  });

  it('uses the non-negative-diagonal convention (canonical Q)', () => {
    const minusI = eye(4).map((v) => -v);
    const { q, r } = qr(minusI, 4, 4);
    expect(Array.from(r)).toEqual(Array.from(eye(4)));
    expect(Array.from(q)).toEqual(Array.from(minusI));
    // Scaling a column by a positive factor leaves Q unchanged.
    const a = gaussian(3, 6, 4);
    const b = scaleColumns(a, 4, [2, 0.5, 3, 7]);
    expect(fro(diff(qr(a, 6, 4).q, qr(b, 6, 4).q))).toBeLessThan(1e-13);
  });

  it('gives Haar-distributed Q for Gaussian input (first column a_1 / ‖a_1‖, E[Q_11] = 0)', () => {
    // Plain Householder QR would give Q_11 = -|a_11| / ‖a_1‖ < 0 always (not Haar); with
    // diag(R) >= 0, Q_11 = a_11 / ‖a_1‖: mean 0 and second moment 1/m (Mezzadri 2007).
    const m = 8;
    const trials = 4000;
    const g = new RandomGenerator(99);
    let s1 = 0;
    let s2 = 0;
    for (let t = 0; t < trials; t++) {
      const a = g.normal(m * m);
      const q11 = qr(a, m, m).q[0] as number;
      let nrm = 0;
      for (let i = 0; i < m; i++) nrm += (a[i * m] as number) ** 2;
      expect(q11).toBeCloseTo((a[0] as number) / Math.sqrt(nrm), 12);
      s1 += q11;
      s2 += q11 * q11;
    }
    const sd = Math.sqrt(1 / m / trials);
    expect(Math.abs(s1 / trials)).toBeLessThan(5 * sd);
    expect(Math.abs(s2 / trials - 1 / m)).toBeLessThan(0.01);
  });

  it.each([
    [30, 10],
    [150, 100], // blocked: zero reflectors (tau = 0) inside panels
  ])('handles rank-deficient and zero %i x %i matrices with orthonormal Q', (m, n) => {
    const base = gaussian(4, m, 3);
    const a = matmul(base, gaussian(5, 3, n), m, 3, n); // rank 3
    const { q, r } = qr(a, m, n);
    expect(fro(diff(matmul(q, r, m, n, n), a)) / fro(a)).toBeLessThanOrEqual(TOL);
    expect(orthError(q, m, n)).toBeLessThanOrEqual(TOL);
    const z = qr(new Float64Array(m * n), m, n);
    expect(orthError(z.q, m, n)).toBeLessThanOrEqual(TOL);
    expect(z.r.every((v) => v === 0)).toBe(true);
  });

  it.each([
    [20, 5],
    [120, 80], // blocked
  ])('handles badly scaled %i x %i input without overflow', (m, n) => {
    const a = gaussian(6, m, n).map((v) => v * 1e300);
    const { q, r } = qr(a, m, n);
    expect(r.every(Number.isFinite)).toBe(true);
    const down = (x: Float64Array): Float64Array => x.map((v) => v * 1e-300); // keep the test's norms finite
    expect(fro(down(diff(matmul(q, r, m, n, n), a))) / fro(down(a))).toBeLessThanOrEqual(TOL);
    const tiny = gaussian(7, m, n).map((v) => v * 1e-300);
    const f = qr(tiny, m, n);
    expect(orthError(f.q, m, n)).toBeLessThanOrEqual(TOL);
  });
});

// ---------------------------------------------------------------------------------------------
// eigh
// ---------------------------------------------------------------------------------------------

describe('eigh', () => {
  function checkEigh(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
    const res = eigh(a, n);
    const { values, vectors } = res;
    expect(values.length).toBe(n);
    expect(vectors.length).toBe(n * n);
    const sym = a.map((v, i) => 0.5 * v + 0.5 * (a[(i % n) * n + Math.floor(i / n)] as number));
    const scale = Math.max(fro(sym), Number.MIN_VALUE);
    const residual = diff(matmul(sym, vectors, n, n, n), scaleColumns(vectors, n, values));
    expect(fro(residual) / scale).toBeLessThanOrEqual(TOL);
    expect(orthError(vectors, n, n)).toBeLessThanOrEqual(TOL);
    for (let i = 1; i < n; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1] as number);
    expect(hasCanonicalSigns(vectors, n, n)).toBe(true);
    return res;
  }

  it.each([2, 3, 10, 50, 200])('decomposes a random symmetric matrix of order %i', (n) => {
    checkEigh(symmetric(n, n), n);
  });

  it('handles 1 x 1', () => {
    const { values, vectors } = eigh(new Float64Array([-3.5]), 1);
    expect(Array.from(values)).toEqual([-3.5]);
    expect(Array.from(vectors)).toEqual([1]);
  });

  it('knows a 2 x 2 answer', () => {
    const { values, vectors } = checkEigh(new Float64Array([2, 1, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(1, 14);
    expect(values[1]).toBeCloseTo(3, 14);
    expect(Math.abs(vectors[0] as number)).toBeCloseTo(Math.SQRT1_2, 14);
  });

  it('sorts a diagonal matrix and returns signed unit vectors', () => {
    const d = [3, -1, 7, 0, -1, 2];
    const n = d.length;
    const a = new Float64Array(n * n);
    d.forEach((v, i) => (a[i * n + i] = v));
    const { values, vectors } = checkEigh(a, n);
    expect(Array.from(values)).toEqual([...d].sort((x, y) => x - y));
    for (let c = 0; c < n; c++) {
      let ones = 0;
      for (let i = 0; i < n; i++) {
        const v = vectors[i * n + c] as number;
        if (v === 1) ones++;
        else expect(v).toBe(0);
      }
      expect(ones).toBe(1);
    }
  });

  it('resolves repeated eigenvalues with an orthonormal eigenbasis', () => {
    const n = 40;
    const spectrum = Array.from({ length: n }, (_, i) => (i < 15 ? 1 : i < 30 ? -2 : 5 + i));
    const q = qr(gaussian(8, n, n), n, n).q;
    const a = matmul(scaleColumns(q, n, spectrum), transpose(q, n, n), n, n, n);
    const { values } = checkEigh(a, n);
    const sorted = [...spectrum].sort((x, y) => x - y);
    for (let i = 0; i < n; i++)
      expect(Math.abs((values[i] as number) - (sorted[i] as number))).toBeLessThan(1e-12 * 50);
  });

  it('symmetrises its input as (a + aᵀ) / 2', () => {
    const n = 12;
    const g = gaussian(9, n, n);
    const sym = g.map((v, i) => 0.5 * v + 0.5 * (g[(i % n) * n + Math.floor(i / n)] as number));
    const x = eigh(g, n);
    const y = eigh(sym, n);
    expect(fro(diff(x.values, y.values))).toBeLessThan(1e-13);
    expect(fro(diff(x.vectors, y.vectors))).toBeLessThan(1e-10);
  });

  it('is accurate for entries of extreme magnitude (no overflow or underflow)', () => {
    const n = 20;
    const a = symmetric(18, n);
    const ref = eigh(a, n);
    for (const scale of [1e300, 1e-300]) {
      const { values, vectors } = eigh(
        a.map((x) => x * scale),
        n,
      );
      const top = Math.max(...Array.from(ref.values, Math.abs));
      for (let i = 0; i < n; i++)
        expect(Math.abs((values[i] as number) / scale - (ref.values[i] as number))).toBeLessThan(1e-13 * top);
      expect(orthError(vectors, n, n)).toBeLessThanOrEqual(TOL);
    }
  });

  it('handles the zero matrix and a rank-one matrix', () => {
    const z = checkEigh(new Float64Array(9), 3);
    expect(Array.from(z.values)).toEqual([0, 0, 0]);
    const x = Float64Array.from([1, 2, 3, 4]);
    const rank1 = matmul(x, x, 4, 1, 4);
    const { values } = checkEigh(rank1, 4);
    expect(values[3]).toBeCloseTo(30, 12);
    for (let i = 0; i < 3; i++) expect(Math.abs(values[i] as number)).toBeLessThan(1e-13 * 30);
  });
});

// ---------------------------------------------------------------------------------------------
// svd
// ---------------------------------------------------------------------------------------------

describe('svd', () => {
  function checkSvd(a: Float64Array, m: number, n: number): { u: Float64Array; s: Float64Array; v: Float64Array } {
    const copy = Float64Array.from(a);
    const res = svd(a, m, n);
    expect(a).toEqual(copy);
    const { u, s, v } = res;
    const k = Math.min(m, n);
    expect(u.length).toBe(m * k);
    expect(s.length).toBe(k);
    expect(v.length).toBe(n * k);
    const scale = Math.max(fro(a), Number.MIN_VALUE);
    expect(fro(diff(reconstruct(u, s, v, m, n), a)) / scale).toBeLessThanOrEqual(TOL);
    expect(orthError(u, m, k)).toBeLessThanOrEqual(TOL);
    expect(orthError(v, n, k)).toBeLessThanOrEqual(TOL);
    for (let i = 0; i < k; i++) {
      expect(s[i]).toBeGreaterThanOrEqual(0);
      if (i > 0) expect(s[i]).toBeLessThanOrEqual(s[i - 1] as number);
    }
    expect(hasCanonicalSigns(v, n, k)).toBe(true);
    return res;
  }

  it.each([
    [1, 1],
    [1, 6],
    [6, 1],
    [8, 8],
    [200, 200],
    [200, 40],
    [40, 200],
    [120, 119],
  ] as [number, number][])('decomposes a %i x %i Gaussian matrix', (m, n) => {
    checkSvd(gaussian(7 * m + n, m, n), m, n);
  });

  it('recovers prescribed singular values, including across many orders of magnitude', () => {
    const sv = Array.from({ length: 30 }, (_, i) => 10 ** (-i / 3));
    const a = withSpectrum(10, 50, 30, sv);
    const { s } = checkSvd(a, 50, 30);
    // Normwise: each error <= ~eps ‖a‖.
    for (let i = 0; i < 30; i++) expect(Math.abs((s[i] as number) - (sv[i] as number))).toBeLessThan(1e-14);
  });

  it('agrees with the eigenvalues of aᵀa', () => {
    const m = 30;
    const n = 12;
    const a = gaussian(11, m, n);
    const { s } = checkSvd(a, m, n);
    const ev = eigh(matmul(transpose(a, m, n), a, n, m, n), n).values;
    for (let i = 0; i < n; i++) expect(s[i]).toBeCloseTo(Math.sqrt(ev[n - 1 - i] as number), 11);
  });

  it('handles rank-deficient matrices (tall and wide) with complete orthonormal factors', () => {
    for (const [m, n] of [
      [60, 40],
      [40, 60],
    ] as const) {
      const r = 5;
      const a = matmul(gaussian(12, m, r), gaussian(13, r, n), m, r, n);
      const { s } = checkSvd(a, m, n);
      expect(s[r - 1]).toBeGreaterThan(1);
      for (let i = r; i < Math.min(m, n); i++) expect(s[i]).toBeLessThan(1e-13 * (s[0] as number));
    }
  });

  it('is accurate for entries of extreme magnitude (no overflow or underflow)', () => {
    const a = gaussian(17, 30, 20);
    const ref = svd(a, 30, 20);
    for (const scale of [1e300, 1e-300, 1e-310]) {
      const { u, s, v } = svd(
        a.map((x) => x * scale),
        30,
        20,
      );
      const tol = scale < 1e-307 ? 1e-9 : 1e-13; // subnormal input itself carries fewer bits
      for (let i = 0; i < 20; i++)
        expect(Math.abs((s[i] as number) / scale - (ref.s[i] as number))).toBeLessThan(tol * (ref.s[0] as number));
      expect(orthError(u, 30, 20)).toBeLessThanOrEqual(TOL);
      expect(orthError(v, 20, 20)).toBeLessThanOrEqual(TOL);
    }
    // Same random sketch, scaled input: same answer scaled.
    const r = randomizedSvd(
      a.map((x) => x * 1e300),
      30,
      20,
      3,
      { rng: new RandomGenerator(1) },
    );
    const r0 = randomizedSvd(a, 30, 20, 3, { rng: new RandomGenerator(1) });
    for (let i = 0; i < 3; i++)
      expect(Math.abs((r.s[i] as number) / 1e300 - (r0.s[i] as number))).toBeLessThan(1e-13 * (r0.s[0] as number));
  });

  it('handles the zero matrix', () => {
    for (const [m, n] of [
      [3, 4],
      [4, 3],
      [5, 5],
    ] as const) {
      const { s } = checkSvd(new Float64Array(m * n), m, n);
      expect(Array.from(s)).toEqual(new Array(Math.min(m, n)).fill(0));
    }
  });

  it('handles exactly repeated singular values and duplicate columns', () => {
    const q = qr(gaussian(14, 20, 20), 20, 20).q; // orthogonal: all singular values 1
    const { s } = checkSvd(q, 20, 20);
    for (const v of s) expect(v).toBeCloseTo(1, 13);
    const col = gaussian(15, 10, 1);
    const dup = new Float64Array(30);
    for (let i = 0; i < 10; i++) for (let j = 0; j < 3; j++) dup[i * 3 + j] = col[i] as number;
    const d = checkSvd(dup, 10, 3);
    expect(d.s[0]).toBeCloseTo(Math.sqrt(3) * fro(col), 12);
    expect(d.s[1]).toBeLessThan(1e-14 * (d.s[0] as number));
  });

  it('keeps v and negates u when a is negated (sign convention)', () => {
    const a = gaussian(16, 9, 6);
    const b = a.map((v) => -v);
    const x = svd(a, 9, 6);
    const y = svd(b, 9, 6);
    // v is canonical, so -a has the same v and negated u.
    expect(fro(diff(x.v, y.v))).toBeLessThan(1e-12);
    expect(
      fro(
        diff(
          x.u,
          y.u.map((t) => -t),
        ),
      ),
    ).toBeLessThan(1e-12);
  });
});

// ---------------------------------------------------------------------------------------------
// randomizedSvd
// ---------------------------------------------------------------------------------------------

describe('randomizedSvd', () => {
  it('recovers an exactly rank-r matrix to ~1e-10', () => {
    const m = 150;
    const n = 120;
    const r = 8;
    const a = matmul(gaussian(20, m, r), gaussian(21, r, n), m, r, n);
    const exact = svd(a, m, n);
    const res = randomizedSvd(a, m, n, r, { rng: new RandomGenerator(1), oversample: 5, powerIterations: 0 });
    expect(res.u.length).toBe(m * r);
    expect(res.s.length).toBe(r);
    expect(res.v.length).toBe(n * r);
    expect(fro(diff(reconstruct(res.u, res.s, res.v, m, n), a)) / fro(a)).toBeLessThan(1e-10);
    for (let i = 0; i < r; i++) {
      expect(Math.abs((res.s[i] as number) - (exact.s[i] as number)) / (exact.s[i] as number)).toBeLessThan(1e-10);
    }
    expect(orthError(res.u, m, r)).toBeLessThanOrEqual(TOL);
    expect(orthError(res.v, n, r)).toBeLessThanOrEqual(TOL);
    expect(hasCanonicalSigns(res.v, n, r)).toBe(true);
  });

  it('is close to the truncated SVD on a decaying spectrum', () => {
    const m = 120;
    const n = 90;
    const rank = 10;
    const sv = Array.from({ length: 90 }, (_, i) => 0.7 ** i);
    const a = withSpectrum(22, m, n, sv);
    const exact = svd(a, m, n);
    const optimal = fro(
      diff(
        reconstruct(
          exact.u.filter((_, i) => i % n < rank),
          exact.s.slice(0, rank),
          exact.v.filter((_, i) => i % n < rank),
          m,
          n,
        ),
        a,
      ),
    );
    const res = randomizedSvd(a, m, n, rank, { rng: new RandomGenerator(2) });
    const err = fro(diff(reconstruct(res.u, res.s, res.v, m, n), a));
    expect(err).toBeLessThan(optimal * (1 + 1e-6));
    for (let i = 0; i < rank; i++) {
      expect(Math.abs((res.s[i] as number) - (exact.s[i] as number)) / (exact.s[i] as number)).toBeLessThan(1e-8);
    }
    // Leading singular vectors agree with the exact ones (same sign convention).
    for (let c = 0; c < 3; c++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += (res.v[i * rank + c] as number) * (exact.v[i * n + c] as number);
      expect(dot).toBeGreaterThan(1 - 1e-10);
    }
  });

  it('is reproducible for a given seed and handles wide input and full rank', () => {
    const a = gaussian(23, 30, 50);
    const x = randomizedSvd(a, 30, 50, 4, { rng: new RandomGenerator(3) });
    const y = randomizedSvd(a, 30, 50, 4, { rng: new RandomGenerator(3) });
    expect(x.s).toEqual(y.s);
    expect(x.u).toEqual(y.u);
    // rank = min(m, n): the sketch spans everything, so the result is the exact SVD.
    const full = randomizedSvd(a, 30, 50, 30, { rng: new RandomGenerator(4), powerIterations: 0 });
    expect(fro(diff(reconstruct(full.u, full.s, full.v, 30, 50), a)) / fro(a)).toBeLessThan(1e-12);
    // Without an rng a fresh seeded generator is used.
    expect(randomizedSvd(a, 30, 50, 2).s.length).toBe(2);
  });

  it('rejects bad ranks and options', () => {
    const a = gaussian(24, 6, 5);
    expectError(() => randomizedSvd(a, 6, 5, 0), 'ERR_INVALID_ARGUMENT', 'rank');
    expectError(() => randomizedSvd(a, 6, 5, 6), 'ERR_INVALID_ARGUMENT', 'rank');
    expectError(() => randomizedSvd(a, 6, 5, 2, { oversample: -1 }), 'ERR_INVALID_ARGUMENT', 'oversample');
    expectError(() => randomizedSvd(a, 6, 5, 2, { powerIterations: 1.5 }), 'ERR_INVALID_ARGUMENT', 'powerIterations');
    expectError(
      () => randomizedSvd(a, 6, 5, 2, { rng: {} as unknown as RandomGenerator }),
      'ERR_INVALID_ARGUMENT',
      'rng',
    );
    expectError(() => randomizedSvd(a, 5, 5, 2), 'ERR_INVALID_SHAPE', 'a');
  });
});

// ---------------------------------------------------------------------------------------------
// cholesky
// ---------------------------------------------------------------------------------------------

describe('cholesky', () => {
  it('factors a random SPD matrix', () => {
    const n = 100;
    const g = gaussian(30, n, n);
    const a = matmul(transpose(g, n, n), g, n, n, n).map((v, i) => (i % (n + 1) === 0 ? v + n : v));
    const l = cholesky(a, n);
    expect(l).not.toBeNull();
    const L = l as Float64Array;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) expect(L[i * n + j]).toBe(0);
      expect(L[i * n + i]).toBeGreaterThan(0);
    }
    expect(fro(diff(matmul(L, transpose(L, n, n), n, n, n), a)) / fro(a)).toBeLessThanOrEqual(1e-14);
  });

  it('reads only the lower triangle', () => {
    const a = new Float64Array([4, 999, 2, 5]);
    expect(Array.from(cholesky(a, 2) as Float64Array)).toEqual([2, 0, 1, 2]);
    expect(Array.from(cholesky(new Float64Array([9]), 1) as Float64Array)).toEqual([3]);
  });

  it('returns null for matrices that are not positive definite', () => {
    expect(cholesky(new Float64Array([1, 2, 2, 1]), 2)).toBeNull(); // indefinite
    expect(cholesky(new Float64Array([1, 1, 1, 1]), 2)).toBeNull(); // singular PSD
    expect(cholesky(new Float64Array([-1]), 1)).toBeNull();
    expect(cholesky(new Float64Array([0]), 1)).toBeNull();
    expect(cholesky(new Float64Array(9), 3)).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// fwht
// ---------------------------------------------------------------------------------------------

describe('fwht', () => {
  const sylvester = (n: number): Float64Array => {
    const h = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let bits = i & j;
        let parity = 0;
        while (bits) {
          parity ^= bits & 1;
          bits >>= 1;
        }
        h[i * n + j] = parity ? -1 : 1;
      }
    }
    return h;
  };

  it.each([1, 2, 4, 8, 64, 256])('equals multiplication by the Sylvester Hadamard matrix (n = %i)', (n) => {
    const count = 3;
    const x = new RandomGenerator(n).normal(count * n);
    // rows of x times H (H symmetric): X H.
    const expected = matmul(x, sylvester(n), count, n, n);
    const out = fwht(x, n, count);
    expect(out).toBe(x); // in place
    expect(fro(diff(out, expected)) / fro(expected)).toBeLessThan(1e-14);
  });

  it('applied twice multiplies by n (exactly on integers)', () => {
    const n = 128;
    const x = Float64Array.from({ length: 2 * n }, (_, i) => ((i * 37) % 11) - 5);
    const y = fwht(fwht(Float64Array.from(x), n, 2), n, 2);
    expect(Array.from(y)).toEqual(Array.from(x, (v) => v * n));
    const g = new RandomGenerator(5).normal(n);
    const h = fwht(fwht(Float64Array.from(g), n), n);
    expect(
      fro(
        diff(
          h,
          g.map((v) => v * n),
        ),
      ) /
        (n * fro(g)),
    ).toBeLessThan(1e-14);
  });

  it('defaults to one row and accepts zero rows', () => {
    expect(Array.from(fwht(new Float64Array([1, 2, 3, 4]), 4))).toEqual([10, -2, -4, 0]);
    expect(fwht(new Float64Array(0), 8, 0).length).toBe(0);
  });

  it('validates its arguments', () => {
    expectError(() => fwht(new Float64Array(6), 3, 2), 'ERR_INVALID_ARGUMENT', 'n');
    expectError(() => fwht(new Float64Array(0), 0, 0), 'ERR_INVALID_ARGUMENT', 'n');
    expectError(() => fwht(new Float64Array(8), 4, -1), 'ERR_INVALID_ARGUMENT', 'count');
    expectError(() => fwht(new Float64Array(8), 4, 1.5), 'ERR_INVALID_ARGUMENT', 'count');
    expectError(() => fwht(new Float64Array(8), 4), 'ERR_INVALID_SHAPE', 'x');
    expectError(() => fwht(new Float64Array(8), 4, 3), 'ERR_INVALID_SHAPE', 'x');
    expectError(() => fwht(new Float32Array(4) as unknown as Float64Array, 4), 'ERR_INVALID_ARGUMENT', 'x');
  });
});

// ---------------------------------------------------------------------------------------------
// Shared validation
// ---------------------------------------------------------------------------------------------

describe('linalg argument validation', () => {
  const a = new Float64Array(6);
  const calls: [string, (a: Float64Array, d1: number, d2: number) => unknown, [string, string]][] = [
    ['qr', (x, m, n) => qr(x, m, n), ['m', 'n']],
    ['svd', (x, m, n) => svd(x, m, n), ['m', 'n']],
    ['randomizedSvd', (x, m, n) => randomizedSvd(x, m, n, 1, { rng: new RandomGenerator(0) }), ['m', 'n']],
  ];

  it.each(calls)('%s rejects bad dimensions, lengths and entries', (_, f, [mName, nName]) => {
    for (const bad of [0, -2, 1.5, Number.NaN, Infinity]) {
      expectError(() => f(a, bad, 3), 'ERR_INVALID_ARGUMENT', mName);
      expectError(() => f(a, 2, bad), 'ERR_INVALID_ARGUMENT', nName);
    }
    expectError(() => f(a, 3, 3), 'ERR_INVALID_SHAPE', 'a');
    expectError(() => f(Float64Array.from([1, 2, Number.NaN, 4, 5, 6]), 2, 3), 'ERR_INVALID_ARGUMENT', 'a');
    expectError(() => f(Float64Array.from([1, 2, Infinity, 4, 5, 6]), 2, 3), 'ERR_INVALID_ARGUMENT', 'a');
    expectError(() => f([1, 2, 3, 4, 5, 6] as unknown as Float64Array, 2, 3), 'ERR_INVALID_ARGUMENT', 'a');
  });

  it('eigh and cholesky reject bad orders, lengths and entries', () => {
    for (const f of [(x: Float64Array, n: number) => eigh(x, n), (x: Float64Array, n: number) => cholesky(x, n)]) {
      for (const bad of [0, -1, 2.5, Number.NaN])
        expectError(() => f(new Float64Array(4), bad), 'ERR_INVALID_ARGUMENT', 'n');
      expectError(() => f(new Float64Array(5), 2), 'ERR_INVALID_SHAPE', 'a');
      expectError(() => f(Float64Array.from([1, 0, 0, Number.NaN]), 2), 'ERR_INVALID_ARGUMENT', 'a');
    }
  });
});
