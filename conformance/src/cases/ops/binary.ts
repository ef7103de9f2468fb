/**
 * Cases of the binary elementwise ops: same shapes, broadcasting, a scalar on either side
 * (the contract's binaryScalar), edge values and empty tensors.
 */
import type { DType } from '@spectrans/core';
import type { BinaryOp } from '@spectrans/core/backend';
import type { HostRng } from '../../host-rng.js';
import { BINARY_KIND, BINARY_OPS, binaryRef, binaryScalarRef } from '../../reference/elementwise.js';
import type { HostArray } from '../../reference/ndarray.js';
import { roundTo } from '../../tolerance.js';
import type { CaseContext, ConformanceCase } from '../../types.js';
import { big, broadcastShapes, dtypeCase, edgeValues, kebab, randomShape, size } from '../helpers.js';
import { BINARY_FN } from './op-table.js';

const COMPARISONS = new Set<BinaryOp>(['greater', 'greaterEqual', 'less', 'lessEqual', 'equal', 'maximum', 'minimum']);

/** A random operand for side `side` of `op`: pow keeps a positive base, div a denominator away from 0, comparisons get ties. */
function operand(op: BinaryOp, side: 'a' | 'b', rng: HostRng): number {
  if (op === 'pow') return side === 'a' ? rng.uniform(0.1, 4) : rng.uniform(-3, 3);
  if (op === 'div' && side === 'b') return (rng.chance(0.5) ? 1 : -1) * rng.uniform(0.1, 10);
  if (COMPARISONS.has(op) && rng.chance(0.5)) return rng.int(-2, 2);
  return 3 * rng.normal();
}

function values(op: BinaryOp, side: 'a' | 'b', rng: HostRng, n: number): number[] {
  return Array.from({ length: n }, () => operand(op, side, rng));
}

/** Edge bases and exponents of pow, which follows JavaScript's Math.pow (so `1 ** NaN` is NaN, `(-2) ** 0.5` NaN). */
function powEdges(dtype: DType): { bases: number[]; exponents: number[] } {
  return {
    bases: [0, 0.5, 1, 2, 3, -2, big(dtype), Infinity, -Infinity, NaN],
    exponents: [0, 1, 2, -1, 0.5, -2.5, 3, Infinity, -Infinity, NaN],
  };
}

/** Every (a, b) pair of edge values, as two same-shape operands. */
function edgePairs(op: BinaryOp, dtype: DType): { a: number[]; b: number[] } {
  const { bases, exponents } =
    op === 'pow' ? powEdges(dtype) : { bases: edgeValues(dtype), exponents: edgeValues(dtype) };
  const a: number[] = [];
  const b: number[] = [];
  for (const x of bases)
    for (const y of exponents) {
      a.push(x);
      b.push(y);
    }
  return { a, b };
}

async function checkScalar(
  ctx: CaseContext,
  op: BinaryOp,
  x: HostArray,
  scalar: number,
  scalarFirst: boolean,
): Promise<void> {
  const t = ctx.input(x);
  const out = scalarFirst ? BINARY_FN[op](scalar, t) : BINARY_FN[op](t, scalar);
  // The contract rounds the scalar to x's dtype first.
  await ctx.expectClose(out, binaryScalarRef(op, x, roundTo(ctx.dtype, scalar), scalarFirst), {
    kind: BINARY_KIND[op],
    what: scalarFirst ? `${op}(${scalar}, x)` : `${op}(x, ${scalar})`,
    inputs: { x: x.shape },
  });
}

function binaryCases(op: BinaryOp, dtype: DType): ConformanceCase[] {
  const fn = BINARY_FN[op];
  const kind = BINARY_KIND[op];
  const id = `ops/${kebab(op)}`;
  return [
    dtypeCase(`${id}/same-shape`, dtype, async (ctx) => {
      const shape = randomShape(ctx.rng, 0, 4);
      const a = ctx.hostInput(values(op, 'a', ctx.rng, size(shape)), shape);
      const b = ctx.hostInput(values(op, 'b', ctx.rng, size(shape)), shape);
      await ctx.expectClose(fn(ctx.input(a), ctx.input(b)), binaryRef(op, a, b), {
        kind,
        inputs: { a: shape, b: shape },
      });
    }),
    dtypeCase(`${id}/broadcast`, dtype, async (ctx) => {
      // Two fixed pairs with size-1 inner axes (where flat-index shortcuts break), then random ones.
      const fixed = [
        { a: [2, 1, 4], b: [3, 1] },
        { a: [5, 1], b: [1, 3] },
      ];
      for (let round = 0; round < 5; round++) {
        const s = fixed[round] ?? broadcastShapes(ctx.rng);
        const a = ctx.hostInput(values(op, 'a', ctx.rng, size(s.a)), s.a);
        const b = ctx.hostInput(values(op, 'b', ctx.rng, size(s.b)), s.b);
        await ctx.expectClose(fn(ctx.input(a), ctx.input(b)), binaryRef(op, a, b), {
          kind,
          inputs: { a: s.a, b: s.b },
        });
      }
    }),
    dtypeCase(`${id}/scalar-right`, dtype, async (ctx) => {
      const shape = randomShape(ctx.rng, 0, 3);
      const x = ctx.hostInput(values(op, 'a', ctx.rng, size(shape)), shape);
      // A float64 scalar, generally not representable in float32: rounded to the dtype before the op.
      await checkScalar(ctx, op, x, operand(op, 'b', ctx.rng), false);
    }),
    dtypeCase(`${id}/scalar-left`, dtype, async (ctx) => {
      const shape = randomShape(ctx.rng, 0, 3);
      const x = ctx.hostInput(values(op, 'b', ctx.rng, size(shape)), shape);
      await checkScalar(ctx, op, x, operand(op, 'a', ctx.rng), true);
    }),
    dtypeCase(`${id}/scalar-edge-values`, dtype, async (ctx) => {
      const { bases, exponents } =
        op === 'pow' ? powEdges(dtype) : { bases: edgeValues(dtype), exponents: edgeValues(dtype) };
      const xs = ctx.hostInput(bases, [bases.length]);
      for (const s of exponents) await checkScalar(ctx, op, xs, s, false);
      const ys = ctx.hostInput(exponents, [exponents.length]);
      for (const s of bases) await checkScalar(ctx, op, ys, s, true);
    }),
    dtypeCase(`${id}/edge-values`, dtype, async (ctx) => {
      const pairs = edgePairs(op, dtype);
      const a = ctx.hostInput(pairs.a, [pairs.a.length]);
      const b = ctx.hostInput(pairs.b, [pairs.b.length]);
      await ctx.expectClose(fn(ctx.input(a), ctx.input(b)), binaryRef(op, a, b), {
        kind,
        inputs: { a: a.shape, b: b.shape },
      });
    }),
    dtypeCase(`${id}/empty`, dtype, async (ctx) => {
      const a = ctx.hostInput([], [2, 0, 3]);
      const b = ctx.hostInput(values(op, 'b', ctx.rng, 3), [1, 3]);
      await ctx.expectClose(fn(ctx.input(a), ctx.input(b)), binaryRef(op, a, b), {
        kind,
        inputs: { a: a.shape, b: b.shape },
      });
    }),
  ];
}

/** `ops/pow/negative-base`: integer exponents of negative bases (Math.pow defines them; GPU pow often does not). */
function negativeBaseCase(dtype: DType): ConformanceCase {
  return dtypeCase('ops/pow/negative-base', dtype, async (ctx) => {
    const n = 24;
    const a = ctx.hostInput(
      Array.from({ length: n }, () => -ctx.rng.uniform(0.5, 3)),
      [n],
    );
    const b = ctx.hostInput(
      Array.from({ length: n }, () => ctx.rng.int(-3, 3)),
      [n],
    );
    await ctx.expectClose(BINARY_FN.pow(ctx.input(a), ctx.input(b)), binaryRef('pow', a, b), {
      kind: 'transcendental',
      inputs: { a: a.shape, b: b.shape },
    });
  });
}

/**
 * Every binary-op case for `dtype`: `ops/<op>/{same-shape,broadcast,scalar-right,scalar-left,scalar-edge-values,edge-values,empty}/<dtype>`
 * (op names in kebab-case, e.g. `greater-equal`) and `ops/pow/negative-base/<dtype>`.
 */
export function binaryOpCases(dtype: DType): ConformanceCase[] {
  return [...BINARY_OPS.flatMap((op) => binaryCases(op, dtype)), negativeBaseCase(dtype)];
}
