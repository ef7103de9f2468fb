/**
 * Exact constants for reducing float32 phases modulo a full turn: 1/(2 pi) to 200 bits (from
 * Machin's formula in BigInt arithmetic), cut into 11-bit pieces, one row per binary exponent.
 * Computed once, on first use.
 */

/** Smallest exponent estimate the table covers (|x| > pi/4 has exponent >= -1). */
export const PHASE_EXP_MIN = -1;
/** Largest exponent estimate: floor(log2 |x|) + 1 for the largest float32. */
export const PHASE_EXP_MAX = 128;
/** Rows: one per exponent estimate. */
export const PHASE_ROWS = PHASE_EXP_MAX - PHASE_EXP_MIN + 1;
/** Bits per piece of the reduction constant. */
export const PIECE_BITS = 11;
/** Pieces per row (66 bits), stored two per packed column. */
export const PIECES = 6;

/**
 * floor(2/pi · 2^bits), with pi = 16 atan(1/5) - 4 atan(1/239) (Machin, 1706) evaluated in fixed
 * point with 72 guard bits.
 */
export function twoOverPiFixed(bits: number): bigint {
  const p = BigInt(bits + 72);
  const one = 1n << p;
  const atanInverse = (x: bigint): bigint => {
    let sum = 0n;
    let power = one / x; // 2^p / x^(2k+1)
    const x2 = x * x;
    for (let k = 1n, sign = 1n; power !== 0n; k += 2n, sign = -sign) {
      sum += (sign * power) / k;
      power /= x2;
    }
    return sum;
  };
  const pi = 16n * atanInverse(5n) - 4n * atanInverse(239n); // pi · 2^p
  return (2n << (p + BigInt(bits))) / pi;
}

let packed: Float32Array[] | undefined;

/**
 * The reduction table as three packed columns of PHASE_ROWS entries, indexed by `e - PHASE_EXP_MIN`.
 * Entry e of column k is the integer `P(2k) · 2^11 + P(2k+1)` (22 bits, exact in float32), where
 * P0..P5 are the 11-bit pieces of T = frac(2^s / (2 pi)), s = e - 24, with 66 fraction bits:
 * T ≈ Σ Pi · 2^(-11(i+1)).
 *
 * @remarks
 * For |x| = m · 2^s with m an integer below 2^25, x / (2 pi) ≡ m · T (mod 1). Splitting m at bit 13
 * makes every product of a part of m with a piece exact in float32, so the fraction of a turn
 * comes out exactly from float32 multiplies, adds and rounding — the table-driven reduction of
 * Payne & Hanek (1983), "Radian reduction for trigonometric functions", SIGNUM Newsletter 18(1).
 */
export function phaseTable(): readonly Float32Array[] {
  if (packed) return packed;
  const fractionBits = BigInt(PIECES * PIECE_BITS); // 66
  const precision = 200; // >= 66 + 64 + (PHASE_EXP_MAX - 24)
  const twoOverPi = twoOverPiFixed(precision);
  const mask = (1n << fractionBits) - 1n;
  const columns = [0, 1, 2].map(() => new Float32Array(PHASE_ROWS));
  for (let e = PHASE_EXP_MIN; e <= PHASE_EXP_MAX; e++) {
    const s = e - 24;
    // frac(2^s / (2 pi)) · 2^66 = floor(2^(s + 64) · 2/pi) mod 2^66
    const fixed = (twoOverPi >> BigInt(precision - (s + 64))) & mask;
    for (let k = 0; k < 3; k++) {
      const pair = Number((fixed >> BigInt(44 - 22 * k)) & 0x3fffffn);
      columns[k]![e - PHASE_EXP_MIN] = pair;
    }
  }
  packed = columns;
  return columns;
}
