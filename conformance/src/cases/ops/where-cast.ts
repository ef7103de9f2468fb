/** Cases of `where` (selection with broadcasting) and `cast` (dtype conversion). */
import { cast, where, type DType } from '@spectrans/core';
import { whereRef } from '../../reference/elementwise.js';
import type { ConformanceCase } from '../../types.js';
import { big, broadcastShapes, dtypeCase, randomShape, size } from '../helpers.js';

/**
 * `ops/where/{same-shape,broadcast,condition-values}/<dtype>`: cond nonzero (including NaN and -0's
 * opposite, any nonzero) selects a.
 */
export function whereCases(dtype: DType): ConformanceCase[] {
  return [
    dtypeCase('ops/where/same-shape', dtype, async (ctx) => {
      const shape = randomShape(ctx.rng, 0, 4);
      const n = size(shape);
      const c = ctx.hostInput(
        Array.from({ length: n }, () => ctx.rng.pick([0, 1, -3, 0.25])),
        shape,
      );
      const a = ctx.hostInput(ctx.rng.normals(n), shape);
      const b = ctx.hostInput(ctx.rng.normals(n), shape);
      await ctx.expectClose(where(ctx.input(c), ctx.input(a), ctx.input(b)), whereRef(c, a, b), {
        kind: 'exact',
        inputs: { cond: shape, a: shape, b: shape },
      });
    }),
    dtypeCase('ops/where/broadcast', dtype, async (ctx) => {
      for (let round = 0; round < 3; round++) {
        const s = broadcastShapes(ctx.rng);
        // The third operand: the output shape with some axes set to 1 or dropped.
        const cut = ctx.rng.int(0, s.out.length - 1);
        const third = s.out.slice(cut).map((d) => (ctx.rng.chance(0.5) ? 1 : d));
        const [cs, as, bs] = ctx.rng.pick([
          [s.a, s.b, third],
          [third, s.a, s.b],
          [s.b, third, s.a],
        ] as const);
        const c = ctx.hostInput(
          Array.from({ length: size(cs) }, () => ctx.rng.pick([0, 1])),
          cs,
        );
        const a = ctx.hostInput(ctx.rng.normals(size(as)), as);
        const b = ctx.hostInput(ctx.rng.normals(size(bs)), bs);
        await ctx.expectClose(where(ctx.input(c), ctx.input(a), ctx.input(b)), whereRef(c, a, b), {
          kind: 'exact',
          inputs: { cond: cs, a: as, b: bs },
        });
      }
    }),
    dtypeCase('ops/where/condition-values', dtype, async (ctx) => {
      const conds = [0, -0, 1, -1, 1e-30, NaN, Infinity, -Infinity, 0.5];
      const c = ctx.hostInput(conds, [conds.length]);
      const a = ctx.hostInput(
        conds.map((_, i) => i + 1),
        [conds.length],
      );
      const b = ctx.hostInput(
        conds.map((_, i) => -(i + 1)),
        [conds.length],
      );
      await ctx.expectClose(where(ctx.input(c), ctx.input(a), ctx.input(b)), whereRef(c, a, b), {
        kind: 'exact',
        inputs: { cond: c.shape },
      });
    }),
  ];
}

function other(dtype: DType): DType {
  return dtype === 'float32' ? 'float64' : 'float32';
}

/**
 * `ops/cast/same-dtype/<dtype>` (a copy) and `ops/cast/to-<other>/<dtype>` when the backend
 * declares both dtypes: narrowing rounds to nearest (overflow to ±Infinity), widening is exact.
 */
export function castCases(dtype: DType, dtypes: readonly DType[]): ConformanceCase[] {
  const cases: ConformanceCase[] = [
    dtypeCase('ops/cast/same-dtype', dtype, async (ctx) => {
      const values = [...ctx.rng.normals(20), NaN, Infinity, -Infinity, 0, big(dtype)];
      const x = ctx.hostInput(values, [values.length]);
      const t = ctx.input(x);
      const out = ctx.track(cast(t, dtype));
      ctx.dispose(t); // the copy must survive its source
      await ctx.expectClose(out, x, { kind: 'exact' });
    }),
  ];
  const target = other(dtype);
  if (dtypes.includes(target)) {
    cases.push(
      dtypeCase(
        `ops/cast/to-${target}`,
        dtype,
        async (ctx) => {
          // float64 sources hold values that are not float32-representable, and ones that overflow it.
          const values = [
            ...ctx.rng.normals(30).map((v) => v * 10 ** ctx.rng.int(-5, 5)),
            NaN,
            Infinity,
            -Infinity,
            0,
            1 / 3,
            1e39,
            -1e39,
            3.4028235677973366e38,
            1e-46,
          ];
          const x = ctx.hostInput(values, [values.length]);
          const out = cast(ctx.input(x), target);
          ctx.track(out);
          ctx.check(out.dtype === target, () => `cast result has dtype ${out.dtype}, expected ${target}`);
          const got = await ctx.read(out);
          const expected = Float64Array.from(x.data, (v) => (target === 'float32' ? Math.fround(v) : v));
          const bad = expected.findIndex((e, i) => !(e === got[i] || (Number.isNaN(e) && Number.isNaN(got[i]!))));
          ctx.check(
            bad < 0,
            () =>
              `cast ${dtype} -> ${target}: element ${bad}: ${x.data[bad]} became ${got[bad]}, expected ${expected[bad]} (round to nearest even)`,
          );
        },
        {
          applies: (backend) =>
            backend.capabilities.dtypes[target] !== undefined || `the backend does not declare ${target}`,
        },
      ),
    );
  }
  return cases;
}
