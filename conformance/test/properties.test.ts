/**
 * Property-based tests (fast-check) of the ops layer's shape rules and of every kernel constructor's
 * option handling: any input either works as specified or raises a coded SpectransError, and
 * nothing leaks either way.
 */
import { createJsBackend } from '@spectrans/backend-js';
import * as core from '@spectrans/core';
import { SpectransError, liveTensorCount, type Backend, type Tensor } from '@spectrans/core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { KERNEL_SPECS } from '../src/cases/errors/kernel-options.js';

let backend: Backend;
beforeAll(async () => {
  backend = await core.setBackend(createJsBackend());
});

/** Runs `fn`; returns its result or the code of the SpectransError it raised. Any other error fails. */
function outcome<T>(fn: () => T): { ok: T } | { code: string } {
  try {
    return { ok: fn() };
  } catch (e) {
    if (e instanceof SpectransError) return { code: e.code };
    throw new Error(`raw exception instead of a SpectransError: ${String(e)}`);
  }
}

/** Independent NumPy broadcasting: the result shape, or undefined when the shapes do not broadcast. */
function numpyBroadcast(a: readonly number[], b: readonly number[]): number[] | undefined {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = i - (rank - a.length) >= 0 ? a[i - (rank - a.length)]! : 1;
    const y = i - (rank - b.length) >= 0 ? b[i - (rank - b.length)]! : 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    out.push(x === 1 ? y : x);
  }
  return out;
}

const dim = fc.integer({ min: 0, max: 3 });
const shape = fc.array(dim, { maxLength: 4 });
const count = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);
const filled = (s: readonly number[], v: number): Tensor => core.fill(s, v, 'float32', { backend });

describe('ops layer shapes (fast-check)', () => {
  it('binary ops broadcast exactly as NumPy, or raise ERR_SHAPE_MISMATCH', () => {
    fc.assert(
      fc.property(shape, shape, (sa, sb) => {
        const before = liveTensorCount();
        const a = filled(sa, 1);
        const b = filled(sb, 2);
        const expected = numpyBroadcast(sa, sb);
        const got = outcome(() => core.add(a, b));
        if (expected === undefined) expect(got).toEqual({ code: 'ERR_SHAPE_MISMATCH' });
        else {
          expect('ok' in got).toBe(true);
          const t = (got as { ok: Tensor }).ok;
          expect([...t.shape]).toEqual(expected);
          expect(Array.from(t.dataSync()).every((v) => v === 3)).toBe(true);
          t.dispose();
        }
        a.dispose();
        b.dispose();
        expect(liveTensorCount()).toBe(before);
      }),
      { numRuns: 300 },
    );
  });

  it('matmul follows (..., n, k) x (..., k, m) with broadcast batches, or raises a shape code', () => {
    fc.assert(
      fc.property(shape, shape, fc.boolean(), fc.boolean(), (sa, sb, ta, tb) => {
        const a = filled(sa, 1);
        const b = filled(sb, 1);
        const got = outcome(() => core.matmul(a, b, { transposeA: ta, transposeB: tb }));
        let expected: number[] | string;
        if (sa.length < 2 || sb.length < 2) expected = 'ERR_INVALID_SHAPE';
        else {
          const [n, ka] = ta ? [sa.at(-1)!, sa.at(-2)!] : [sa.at(-2)!, sa.at(-1)!];
          const [kb, m] = tb ? [sb.at(-1)!, sb.at(-2)!] : [sb.at(-2)!, sb.at(-1)!];
          const batch = numpyBroadcast(sa.slice(0, -2), sb.slice(0, -2));
          expected = ka !== kb || batch === undefined ? 'ERR_SHAPE_MISMATCH' : [...batch, n, m];
          if (typeof expected !== 'string') {
            const t = (got as { ok: Tensor }).ok;
            expect([...t.shape]).toEqual(expected);
            // Every entry of ones·ones is the inner dimension.
            expect(Array.from(t.dataSync()).every((v) => v === ka)).toBe(true);
            t.dispose();
          }
        }
        if (typeof expected === 'string') expect(got).toEqual({ code: expected });
        a.dispose();
        b.dispose();
      }),
      { numRuns: 300 },
    );
  });

  it('reshape keeps the element count (one -1 inferred) or raises ERR_INVALID_SHAPE', () => {
    const target = fc.array(fc.integer({ min: -2, max: 4 }), { maxLength: 4 });
    fc.assert(
      fc.property(shape, target, (s, to) => {
        const x = filled(s, 1);
        const got = outcome(() => core.reshape(x, to));
        const inferred = to.filter((d) => d === -1).length;
        const known = count(to.filter((d) => d !== -1));
        const valid =
          to.every((d) => d >= -1) &&
          inferred <= 1 &&
          (inferred === 0 ? known === count(s) : known > 0 && count(s) % known === 0);
        if ('ok' in got) {
          expect(valid || (inferred === 1 && known === 0 && count(s) === 0)).toBe(true);
          expect(got.ok.size).toBe(count(s));
          got.ok.dispose();
        } else {
          expect(got.code).toBe('ERR_INVALID_SHAPE');
          expect(valid).toBe(false);
        }
        x.dispose();
      }),
      { numRuns: 300 },
    );
  });

  it('reductions keep or drop exactly the reduced axes, or raise ERR_INVALID_ARGUMENT for a bad axis', () => {
    fc.assert(
      fc.property(
        shape.filter((s) => s.length > 0),
        fc.integer({ min: -5, max: 5 }),
        fc.boolean(),
        (s, axis, keep) => {
          const x = filled(s, 1);
          const got = outcome(() => core.sum(x, axis, keep));
          if (axis < -s.length || axis >= s.length) expect(got).toEqual({ code: 'ERR_INVALID_ARGUMENT' });
          else {
            const a = axis < 0 ? axis + s.length : axis;
            const t = (got as { ok: Tensor }).ok;
            expect([...t.shape]).toEqual(keep ? s.map((d, i) => (i === a ? 1 : d)) : s.filter((_, i) => i !== a));
            expect(Array.from(t.dataSync()).every((v) => v === s[a])).toBe(true);
            t.dispose();
          }
          x.dispose();
        },
      ),
      { numRuns: 200 },
    );
  });
});

/** Option values of every kind: valid small sizes, edge numbers, wrong types. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -2, max: 9 }),
  fc.constantFrom(0.5, 2.5, NaN, Infinity, -Infinity, -0, 1e-30, 1e30, 1e12, 2 ** 53, 1e39),
  fc.constantFrom(
    'gaussian',
    'laplacian',
    'softmax',
    'relu',
    'chi',
    'fixed',
    'auto',
    'matrix',
    'norms',
    'cosine',
    'clamp',
    'add',
    'ideal',
    'float64',
    'bogus',
    '',
  ),
  fc.boolean(),
  fc.constantFrom(null, undefined, {}, [], '8'),
);

describe('kernel constructors accept any option bag without raw exceptions or leaks (fast-check)', () => {
  for (const spec of KERNEL_SPECS) {
    const keys = [...new Set([...Object.keys(spec.bad), ...Object.keys(spec.base)])];
    it(`${spec.id}: any values of its options construct or raise ERR_INVALID_ARGUMENT`, () => {
      fc.assert(
        fc.property(fc.dictionary(fc.constantFrom(...keys), anyValue, { maxKeys: keys.length }), (overrides) => {
          const before = liveTensorCount();
          const bag = { ...spec.base, ...overrides, backend };
          const got = outcome(() => spec.make(bag));
          if ('ok' in got) {
            const k = got.ok as unknown as Record<string, unknown>;
            // Whatever was accepted is what the kernel holds.
            for (const [key, v] of Object.entries(overrides)) {
              if (v === undefined || !(key in k) || typeof v === 'object') continue;
              // OrthogonalRandomFeatures resolves sorfApply 'auto' to the mode it chose.
              if (key === 'sorfApply' && v === 'auto') expect(['transform', 'matrix']).toContain(k[key]);
              else expect(k[key]).toBe(v);
            }
            got.ok.dispose();
          } else {
            expect(got.code).toBe('ERR_INVALID_ARGUMENT');
          }
          expect(liveTensorCount()).toBe(before);
        }),
        { numRuns: 150 },
      );
    });

    it(`${spec.id}: any unknown key is rejected with ERR_INVALID_ARGUMENT`, () => {
      fc.assert(
        fc.property(
          fc
            .string({ minLength: 1, maxLength: 12 })
            .filter((k) => !keys.includes(k) && k !== 'backend' && k !== 'dtype' && k !== '__proto__'),
          anyValue,
          (key, value) => {
            const got = outcome(() => spec.make({ ...spec.base, backend, [key]: value }));
            if ('ok' in got) got.ok.dispose();
            expect(got).toEqual({ code: 'ERR_INVALID_ARGUMENT' });
          },
        ),
        { numRuns: 100 },
      );
    });
  }
});
