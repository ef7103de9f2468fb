/** Cases of the unary elementwise ops: random values in each op's domain, edge values, large arguments, empty tensors. */
import type { DType } from '@spectrans/core';
import type { UnaryOp } from '@spectrans/core/backend';
import type { HostRng } from '../../host-rng.js';
import { UNARY_KIND, UNARY_OPS, unaryRef } from '../../reference/elementwise.js';
import type { ConformanceCase } from '../../types.js';
import { dtypeCase, edgeValues, randomShape, size } from '../helpers.js';
import { UNARY_FN } from './op-table.js';

/** Random values inside the op's domain (and away from its poles). */
function domainValue(op: UnaryOp, rng: HostRng): number {
  switch (op) {
    case 'log':
    case 'sqrt':
      return rng.uniform(0.01, 10);
    case 'reciprocal':
      return (rng.chance(0.5) ? 1 : -1) * rng.uniform(0.1, 10);
    case 'sin':
    case 'cos':
      return rng.uniform(-10, 10);
    default:
      return 3 * rng.normal();
  }
}

function unaryCases(op: UnaryOp, dtype: DType): ConformanceCase[] {
  const fn = UNARY_FN[op];
  const kind = UNARY_KIND[op];
  const id = `ops/${op}`;
  const cases: ConformanceCase[] = [
    dtypeCase(`${id}/random`, dtype, async (ctx) => {
      const shape = randomShape(ctx.rng, 0, 4);
      const x = ctx.hostInput(
        Array.from({ length: size(shape) }, () => domainValue(op, ctx.rng)),
        shape,
      );
      await ctx.expectClose(fn(ctx.input(x)), unaryRef(op, x), { kind, inputs: { x: shape } });
    }),
    dtypeCase(`${id}/edge-values`, dtype, async (ctx) => {
      // sin/cos of huge arguments is the large-arguments case; 1/-0 is not required to be -Infinity.
      const values = edgeValues(dtype, { large: op !== 'sin' && op !== 'cos', negativeZero: op !== 'reciprocal' });
      const x = ctx.hostInput(values, [values.length]);
      await ctx.expectClose(fn(ctx.input(x)), unaryRef(op, x), { kind, inputs: { x: x.shape } });
    }),
    dtypeCase(`${id}/empty`, dtype, async (ctx) => {
      const x = ctx.hostInput([], [3, 0, 2]);
      await ctx.expectClose(fn(ctx.input(x)), unaryRef(op, x), { kind });
    }),
  ];
  if (op === 'sin' || op === 'cos') {
    cases.push(
      dtypeCase(`${id}/large-arguments`, dtype, async (ctx) => {
        // |x| up to 2^16: phases of random features; the exact value is that of the rounded input.
        const values = Array.from({ length: 256 }, () => (ctx.rng.chance(0.5) ? 1 : -1) * 2 ** ctx.rng.uniform(3, 16));
        const x = ctx.hostInput(values, [16, 16]);
        await ctx.expectClose(fn(ctx.input(x)), unaryRef(op, x), { kind, inputs: { x: x.shape } });
      }),
    );
  }
  return cases;
}

/** Every unary-op case for `dtype`: `ops/<op>/{random,edge-values,empty}/<dtype>`, plus `large-arguments` for sin and cos. */
export function unaryOpCases(dtype: DType): ConformanceCase[] {
  return UNARY_OPS.flatMap((op) => unaryCases(op, dtype));
}
