/**
 * cos/sin for GPU float32: Cody–Waite range reduction by π/2 followed by minimax polynomials.
 *
 * GLSL's cos/sin are not IEEE: on many GPUs they lose all accuracy once |x| is more than a few
 * periods, and even in [-π, π] their error varies by vendor. Here x is reduced to
 * r = x − k·π/2 (|r| ≤ π/4) by subtracting k times π/2 split into pieces of few significant
 * bits, so every product k·Pᵢ is exact in float32 (Cody & Waite 1980, "Software Manual for the
 * Elementary Functions"), then cos/sin of r come from Cephes' single-precision polynomials
 * (Moshier, Cephes Math Library, sinf.c/cosf.c) and the quadrant k mod 4 picks sign and function.
 * Absolute error stays near 2e-7 for |x| ≤ 2^20; beyond that the hardware's cos/sin are used.
 */
import { lit, type KernelSource } from './source.js';

/** Largest |x| reduced exactly; above it products k·Pᵢ are no longer exact in float32. */
export const TRIG_REDUCTION_LIMIT = 2 ** 20;

/** Number of significant bits per piece of π/2, and number of pieces. */
const PIECE_BITS = 6;
const PIECES = 6;

/** π/2 as float32 pieces of PIECE_BITS significant bits (the last one a full float32). */
export const HALF_PI_PIECES: readonly number[] = splitConstant(Math.PI / 2, PIECE_BITS, PIECES);

/** Splits `value` into `parts` numbers of `bits` significant bits each (the last rounded to float32). */
export function splitConstant(value: number, bits: number, parts: number): number[] {
  const out: number[] = [];
  let rest = value;
  for (let i = 0; i < parts - 1; i++) {
    const exponent = Math.floor(Math.log2(Math.abs(rest)));
    const scale = 2 ** (bits - 1 - exponent);
    const piece = Math.round(rest * scale) / scale;
    out.push(piece);
    rest -= piece;
  }
  out.push(Math.fround(rest));
  return out;
}

const SIN = [-1.6666654611e-1, 8.3321608736e-3, -1.9515295891e-4].map(Math.fround);
const COS = [4.166664568298827e-2, -1.388731625493765e-3, 2.443315711809948e-5].map(Math.fround);

/**
 * Emits `cos(x)` (or `sin(x)` when `sinOf` is true, or per element when `sinOf` names a variable
 * that is 1 for sin and 0 for cos) for a float32 `x`; returns the result variable.
 * In the `exact` flavour (cpu, webasm: Math.cos is evaluated in float64) it calls Math directly.
 */
export function emitTrig(src: KernelSource, x: string, sinOf: boolean | string): string {
  if (src.flavor === 'exact') {
    if (typeof sinOf === 'boolean') return src.let('tr', sinOf ? `Math.sin(${x})` : `Math.cos(${x})`);
    const r = src.let('tr', `Math.cos(${x})`);
    src.line(`if (${sinOf} > 0) { ${r} = Math.sin(${x}); }`);
    return r;
  }
  const k = src.let('k', `Math.floor(${x} * ${lit(Math.fround(2 / Math.PI))} + 0.5)`);
  const r = src.let('r', x);
  for (const piece of HALF_PI_PIECES) src.line(`${r} = ${r} - ${k} * ${lit(piece)};`);
  const z = src.let('z', `${r} * ${r}`);
  const s = src.let('sp', `${r} + ${r} * ${z} * (${lit(SIN[0]!)} + ${z} * (${lit(SIN[1]!)} + ${z} * ${lit(SIN[2]!)}))`);
  const c = src.let(
    'cp',
    `1 - 0.5 * ${z} + ${z} * ${z} * (${lit(COS[0]!)} + ${z} * (${lit(COS[1]!)} + ${z} * ${lit(COS[2]!)}))`,
  );
  // quadrant k mod 4 (exact for integral k); sin(x) = cos(x - π/2) shifts it by 3
  const q = src.let('qd', `${k} - 4 * Math.floor(${k} * 0.25)`);
  if (sinOf !== false) {
    src.line(`${q} = ${q} + ${sinOf === true ? '3' : `3 * ${sinOf}`};`, `if (${q} >= 4) { ${q} = ${q} - 4; }`);
  }
  const out = src.let('tr', c);
  src.line(
    `if (${q} == 1) { ${out} = -${s}; }`,
    `if (${q} == 2) { ${out} = -${c}; }`,
    `if (${q} == 3) { ${out} = ${s}; }`,
  );
  const big =
    typeof sinOf === 'boolean'
      ? sinOf
        ? `Math.sin(${x})`
        : `Math.cos(${x})`
      : `(${sinOf} > 0 ? Math.sin(${x}) : Math.cos(${x}))`;
  src.line(`if (Math.abs(${x}) > ${lit(TRIG_REDUCTION_LIMIT)}) { ${out} = ${big}; }`);
  src.line(`if (${x} != ${x} || Math.abs(${x}) == ${src.inf()}) { ${out} = ${src.nan()}; }`);
  return out;
}
