/**
 * sin and cos accurate for every float32 argument, built from tfjs ops that are exact in float32
 * (multiply by pieces, add, round, floor, gather) plus short polynomials. Used on engines whose own
 * sin/cos are not accurate (wasm: relative errors up to 1e-1 near zero, garbage beyond ~1e5).
 *
 * Call inside a `tf.tidy`; inputs are 1-D float32.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Tf } from './engines.js';
import { PHASE_EXP_MAX, PHASE_EXP_MIN, phaseTable } from './phase-table.js';

const PI_OVER_4 = Math.fround(Math.PI / 4); // below pi/4: no reduction needed
const PI_OVER_2_HI = Math.fround(Math.PI / 2);
const PI_OVER_2_LO = Math.fround(Math.PI / 2 - PI_OVER_2_HI);
/** Margin added to log2|x| so the exponent estimate is floor(log2|x|) or one more, never less. */
const EXPONENT_MARGIN = 2 ** -10;

/** x ≡ theta + quadrant · pi/2 (mod 2 pi), theta in about [-pi/4, pi/4], quadrant in {0, 1, 2, 3}. */
interface ReducedPhase {
  readonly theta: Tensor;
  readonly quadrant: Tensor;
}

/**
 * Reduces x exactly modulo pi/2 (see `phaseTable`); `a` is |x|. Elements in `passThrough`
 * (|x| <= pi/4, or not finite) come back unchanged with quadrant 0.
 */
function reducePhase(tf: Tf, x: Tensor, a: Tensor, passThrough: Tensor): ReducedPhase {
  const ones = tf.onesLike(a);
  const safe = tf.where(passThrough, ones, a); // every element now has a table row
  // e = floor(log2 |x|) or one more; x = m · 2^s with s = e - 24 and m an integer, |m| < 2^25.
  const e = tf.clipByValue(
    tf.floor(tf.add(tf.mul(tf.log(safe), 1 / Math.LN2), EXPONENT_MARGIN)),
    PHASE_EXP_MIN,
    PHASE_EXP_MAX,
  );
  const row = tf.cast(tf.sub(e, PHASE_EXP_MIN), 'int32');
  const m = tf.mul(tf.where(passThrough, ones, x), tf.pow(tf.scalar(2), tf.sub(24, e)));
  const mHigh = tf.mul(tf.floor(tf.mul(m, 2 ** -13)), 2 ** 13); // a multiple of 2^13 with <= 12 significant bits (or -2^25)
  const mLow = tf.sub(m, mHigh); // in [0, 2^13)

  // Pieces P0..P5 of frac(2^s / (2 pi)), 11 bits each: every product with mHigh or mLow is exact.
  const pieces: Tensor[] = [];
  phaseTable().forEach((column, k) => {
    const pair = tf.gather(tf.tensor1d(column), row);
    const high = tf.floor(tf.mul(pair, 2 ** -11));
    const low = tf.sub(pair, tf.mul(high, 2 ** 11));
    pieces.push(tf.mul(high, 2 ** (-11 * (2 * k + 1))), tf.mul(low, 2 ** (-11 * (2 * k + 2))));
  });
  const [p0, p1, p2, p3, p4, p5] = pieces as [Tensor, Tensor, Tensor, Tensor, Tensor, Tensor];
  const frac = (t: Tensor): Tensor => tf.sub(t, tf.round(t)); // exact, into [-1/2, 1/2]
  // Turns: levels 0 and 1 are sums of terms on grids 2^-11 and 2^-22, kept exact by taking
  // fractions along the way; the finer levels are below 2^-8 and carry ordinary rounding.
  const level0 = frac(tf.add(frac(tf.mul(mHigh, p1)), frac(tf.mul(mLow, p0))));
  const level1 = frac(tf.add(frac(tf.mul(mHigh, p2)), frac(tf.mul(mLow, p1))));
  const fine = tf.add(
    tf.add(tf.add(tf.mul(mHigh, p3), tf.mul(mLow, p2)), tf.add(tf.mul(mHigh, p4), tf.mul(mLow, p3))),
    tf.add(tf.mul(mHigh, p5), tf.mul(mLow, p4)),
  );
  const quarters = tf.mul(tf.add(level0, level1), 4); // exact, in [-4, 4]
  const q = tf.round(quarters);
  const r = tf.add(tf.sub(quarters, q), tf.mul(fine, 4)); // quarter turns, |r| <= 0.52
  const theta = tf.add(tf.mul(r, PI_OVER_2_HI), tf.mul(r, PI_OVER_2_LO));
  const quadrant = tf.sub(q, tf.mul(tf.floor(tf.mul(q, 0.25)), 4));
  return { theta: tf.where(passThrough, x, theta), quadrant: tf.where(passThrough, tf.zerosLike(a), quadrant) };
}

/** sin(theta) for |theta| <= 0.82: Taylor series to theta^9 (truncation below 3e-9 relative). */
function sinKernel(tf: Tf, theta: Tensor, z: Tensor): Tensor {
  let p = tf.add(tf.mul(z, 1 / 362880), -1 / 5040);
  p = tf.add(tf.mul(p, z), 1 / 120);
  p = tf.add(tf.mul(p, z), -1 / 6);
  return tf.add(theta, tf.mul(tf.mul(theta, z), p));
}

/** cos(theta) for |theta| <= 0.82: Taylor series to theta^10 (truncation below 2e-10). */
function cosKernel(tf: Tf, z: Tensor): Tensor {
  let p = tf.add(tf.mul(z, -1 / 3628800), 1 / 40320);
  p = tf.add(tf.mul(p, z), -1 / 720);
  p = tf.add(tf.mul(p, z), 1 / 24);
  return tf.add(tf.sub(1, tf.mul(z, 0.5)), tf.mul(tf.mul(z, z), p));
}

/** 1 - 2·bit for a 0/1 tensor: a sign to multiply by (exact). */
function signOf(tf: Tf, bit: Tensor): Tensor {
  return tf.sub(1, tf.mul(bit, 2));
}

/** t mod 2 for non-negative integer-valued t. */
function parity(tf: Tf, t: Tensor): Tensor {
  return tf.sub(t, tf.mul(tf.floor(tf.mul(t, 0.5)), 2));
}

/**
 * cos(x) and/or sin(x) of a 1-D float32 tensor: within about 2 ulp for |x| <= pi/4, absolute error
 * about 1e-7 elsewhere (the reduction itself is exact to ~2^-33), for every finite float32; NaN for
 * NaN and ±Infinity. Sharing the reduction, asking for both costs little more than one.
 */
export function accurateTrig(tf: Tf, x: Tensor, want: { cos: boolean; sin: boolean }): { cos?: Tensor; sin?: Tensor } {
  const a = tf.abs(x);
  const finite = tf.isFinite(x);
  const passThrough = tf.logicalOr(tf.lessEqual(a, PI_OVER_4), tf.logicalNot(finite));
  const { theta, quadrant } = reducePhase(tf, x, a, passThrough);
  const z = tf.square(theta);
  const s = sinKernel(tf, theta, z);
  const c = cosKernel(tf, z);
  const odd = tf.cast(parity(tf, quadrant), 'bool');
  const nan = tf.fill(a.shape, NaN);
  const out: { cos?: Tensor; sin?: Tensor } = {};
  if (want.cos) {
    // cos(theta + q pi/2) = c, -s, -c, s for q = 0..3: negative for q = 1, 2
    const negative = parity(tf, tf.floor(tf.mul(tf.add(quadrant, 1), 0.5)));
    out.cos = tf.where(finite, tf.mul(tf.where(odd, s, c), signOf(tf, negative)), nan);
  }
  if (want.sin) {
    // sin(theta + q pi/2) = s, c, -s, -c for q = 0..3: negative for q = 2, 3
    const negative = tf.floor(tf.mul(quadrant, 0.5));
    out.sin = tf.where(finite, tf.mul(tf.where(odd, c, s), signOf(tf, negative)), nan);
  }
  return out;
}
