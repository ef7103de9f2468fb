/**
 * Elementwise functions as kernel statements, with the contract's semantics (NaN propagation in
 * maximum/minimum, comparisons as 1/0, sign(0) = 0, elu with alpha = 1, JavaScript's pow).
 *
 * The `gl` flavour guards what GLSL leaves undefined (log/sqrt of negatives, pow of negative
 * bases, tanh overflow, exp of NaN) and range-reduces cos/sin; the `exact` flavour (cpu, webasm, where Math
 * runs in float64 and rounds once) calls Math directly.
 */
import type { BinaryOp, UnaryOp } from '@spectrans/core/backend';
import { lit, type KernelSource } from './source.js';
import { emitTrig } from './trig.js';

/** Cephes tanhf (Moshier): odd polynomial below 0.625, 1 − 2/(e^{2|x|} + 1) above. */
const TANH = [-5.70498872745e-3, 2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1].map(
  Math.fround,
);

/** Emits `op(v)` and returns the variable holding it. */
export function emitUnary(src: KernelSource, op: UnaryOp, v: string): string {
  const gl = src.flavor === 'gl';
  switch (op) {
    case 'neg':
      return src.let('u', `-${v}`);
    case 'abs':
      return src.let('u', `Math.abs(${v})`);
    case 'exp': {
      const r = src.let('u', `Math.exp(${v})`);
      // Some GL drivers (SwiftShader) return Infinity for exp(NaN).
      if (gl) src.line(`if (${v} != ${v}) { ${r} = ${v}; }`);
      return r;
    }
    case 'square':
      return src.let('u', `${v} * ${v}`);
    case 'reciprocal':
      return src.let('u', `1 / ${v}`);
    case 'log': {
      const r = src.let('u', `Math.log(${v})`);
      if (gl) {
        src.line(
          `if (${v} <= 0) { ${r} = ${v} == 0 ? -${src.inf()} : ${src.nan()}; }`,
          `if (${v} == ${src.inf()} || ${v} != ${v}) { ${r} = ${v}; }`,
        );
      }
      return r;
    }
    case 'sqrt': {
      const r = src.let('u', `Math.sqrt(${v})`);
      if (gl) {
        src.line(
          `if (${v} < 0) { ${r} = ${src.nan()}; }`,
          `if (${v} == 0 || ${v} == ${src.inf()} || ${v} != ${v}) { ${r} = ${v}; }`,
        );
      }
      return r;
    }
    case 'sin':
      return emitTrig(src, v, true);
    case 'cos':
      return emitTrig(src, v, false);
    case 'tanh': {
      if (!gl) return src.let('u', `Math.tanh(${v})`);
      const ax = src.let('ax', `Math.abs(${v})`);
      const z = src.let('z', `${v} * ${v}`);
      const poly = `((((${lit(TANH[0]!)} * ${z} + ${lit(TANH[1]!)}) * ${z} + ${lit(TANH[2]!)}) * ${z} + ${lit(TANH[3]!)}) * ${z} + ${lit(TANH[4]!)}) * ${z} * ${v} + ${v}`;
      const r = src.let('u', poly);
      const e = src.fresh('e');
      src.line(
        `if (${ax} >= 0.625) {`,
        `const ${e} = Math.exp(2 * ${ax});`,
        `${r} = 1 - 2 / (${e} + 1);`,
        `if (${v} < 0) { ${r} = -${r}; }`,
        '}',
        `if (${ax} > 9.5) { ${r} = ${v} > 0 ? 1 : -1; }`,
        `if (${v} != ${v}) { ${r} = ${v}; }`,
      );
      return r;
    }
    case 'relu': {
      const r = src.let('u', '0');
      src.line(`if (${v} > 0 || ${v} != ${v}) { ${r} = ${v}; }`);
      return r;
    }
    case 'elu': {
      if (!gl) return src.let('u', `${v} > 0 ? ${v} : Math.expm1(${v})`);
      const r = src.let('u', v);
      // e^v - 1 cancels for small |v|: the Taylor series to v^7 (remainder < 4e-10 relative) there
      const taylor = [1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040].map((c) => lit(Math.fround(c)));
      const horner = taylor.reduceRight((inner, c) => `(${c} + ${v} * ${inner})`, '0');
      src.line(
        `if (${v} <= 0) {`,
        `${r} = Math.exp(${v}) - 1;`,
        `if (${v} > -0.25) { ${r} = ${v} * (1 + ${v} * ${horner}); }`,
        '}',
      );
      return r;
    }
    case 'sign': {
      const r = src.let('u', v);
      src.line(`if (${v} > 0) { ${r} = 1; }`, `if (${v} < 0) { ${r} = -1; }`);
      return r;
    }
  }
}

/** Emits `op(a, b)` and returns the variable holding it. */
export function emitBinary(src: KernelSource, op: BinaryOp, a: string, b: string): string {
  switch (op) {
    case 'add':
      return src.let('w', `${a} + ${b}`);
    case 'sub':
      return src.let('w', `${a} - ${b}`);
    case 'mul':
      return src.let('w', `${a} * ${b}`);
    case 'div':
      return src.let('w', `${a} / ${b}`);
    case 'pow':
      return src.flavor === 'gl' ? emitGlPow(src, a, b) : src.let('w', `Math.pow(${a}, ${b})`);
    case 'maximum':
    case 'minimum': {
      const r = src.let('w', `Math.${op === 'maximum' ? 'max' : 'min'}(${a}, ${b})`);
      src.line(`if (${a} != ${a} || ${b} != ${b}) { ${r} = ${a} + ${b}; }`);
      return r;
    }
    case 'greater':
      return compare(src, `${a} > ${b}`);
    case 'greaterEqual':
      return compare(src, `${a} >= ${b}`);
    case 'less':
      return compare(src, `${a} < ${b}`);
    case 'lessEqual':
      return compare(src, `${a} <= ${b}`);
    case 'equal':
      return compare(src, `${a} == ${b}`);
  }
}

function compare(src: KernelSource, test: string): string {
  const r = src.let('w', '0');
  src.line(`if (${test}) { ${r} = 1; }`);
  return r;
}

/**
 * JavaScript's `Math.pow` on a GPU: GLSL's pow is undefined for negative bases and zero, so it
 * runs on |a| and the sign, zeros, infinities and NaNs are fixed up (IEEE 754 pow rules as
 * ECMAScript states them, including 1 ** ±Infinity = NaN; the sign of -0 results is not kept).
 */
function emitGlPow(src: KernelSource, a: string, b: string): string {
  const inf = src.inf();
  const nan = src.nan();
  const ab = src.let('pa', `Math.abs(${a})`);
  const r = src.let('w', `Math.pow(${ab}, ${b})`);
  const bi = src.fresh('pi');
  const half = src.fresh('ph');
  src.line(
    `if (${ab} == 0) { ${r} = ${b} > 0 ? 0 : ${inf}; }`,
    `if (${ab} == ${inf}) { ${r} = ${b} > 0 ? ${inf} : 0; }`,
    `if (${a} < 0) {`,
    `const ${bi} = Math.floor(${b});`,
    `if (${bi} != ${b}) { if (${ab} != ${inf}) { ${r} = ${nan}; } } else {`,
    `const ${half} = ${bi} * 0.5;`,
    `if (Math.floor(${half}) != ${half}) { ${r} = -${r}; }`,
    '}',
    '}',
    `if (${ab} == 1 && Math.abs(${b}) == ${inf}) { ${r} = ${nan}; }`,
    `if (${a} != ${a} || ${b} != ${b}) { ${r} = ${nan}; }`,
    `if (${b} == 0) { ${r} = 1; }`,
  );
  return r;
}
