import { SpectransError } from '../errors.js';
import { checkLimit, LIMITS } from '../limits.js';
import { detLog } from './det-math.js';
import { philox4x32Into } from './philox.js';

const TWO32 = 4294967296;
const TWO_POW_26 = 67108864;
const TWO_POW_M53 = 1.1102230246251565e-16; // 2^-53, exact
/** Counter word 2 of the key-derivation block of {@link RandomGenerator.fork}; output blocks use 0. */
const FORK_DOMAIN = 1;

function checkSafeNonNegative(method: string, name: string, v: unknown): asserts v is number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `${method}: \`${name}\` must be a non-negative safe integer, got ${String(v)}`,
    );
  }
}

function checkCount(method: string, n: unknown): asserts n is number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `${method}: \`n\` must be a non-negative integer, got ${String(n)}`,
    );
  }
  checkLimit(`${method}: \`n\``, n, LIMITS.maxRandomCount, 'maxRandomCount');
}

function checkFinite(method: string, name: string, v: unknown): asserts v is number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `${method}: \`${name}\` must be a finite number, got ${String(v)}`,
    );
  }
}

interface CryptoLike {
  getRandomValues<T extends Uint32Array>(array: T): T;
}

function freshSeed(): number {
  const c = (globalThis as { crypto?: Partial<CryptoLike> }).crypto;
  if (c === undefined || typeof c.getRandomValues !== 'function') {
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      'RandomGenerator: `seed` is required where globalThis.crypto.getRandomValues is unavailable',
    );
  }
  const w = c.getRandomValues(new Uint32Array(2));
  // 21 + 32 = 53 random bits: a uniformly drawn safe integer.
  return ((w[1] as number) & 0x1fffff) * TWO32 + (w[0] as number);
}

/**
 * A seeded, counter-based random number generator (Philox4x32-10) whose output is bit-identical on
 * every JavaScript engine and platform.
 *
 * @remarks
 * The key is the seed split into its low and high 32 bits (a {@link RandomGenerator.fork} derives
 * its own key from its parent's). The only mutable state is a block position `p`: block `p` is
 * Philox4x32-10 (Salmon, Moraes, Dror & Shaw, SC'11) of the counter `(p mod 2^32, floor(p / 2^32),
 * 0, 0)`, giving 4 uint32 words. Every sampling call starts at a fresh block and discards the unused
 * words of its last block, so {@link RandomGenerator.state} fully describes the position and
 * {@link RandomGenerator.setState} restores it. Uniforms carry 53 random bits; normals use the
 * Marsaglia polar method (both outputs of each pair) with the deterministic `detLog` (an IEEE-only logarithm), so no
 * engine-dependent transcendental function is ever called.
 *
 * @example
 * ```ts
 * const rng = new RandomGenerator(42);
 * const w = rng.normal(64 * 16);          // a 64x16 Gaussian matrix, row-major
 * const redraw = rng.fork(3).normal(16);  // an independent, reproducible substream
 * ```
 */
export class RandomGenerator {
  /**
   * The seed of this generator, or of the root generator it was forked from. `new
   * RandomGenerator(seed)` followed by the same {@link RandomGenerator.streams} forks reproduces it.
   */
  readonly seed: number;
  #streams: readonly number[] = Object.freeze([]);
  #k0: number;
  #k1: number;
  #position = 0;
  readonly #block = new Uint32Array(4);
  #used = 4;
  #spare = 0;
  #hasSpare = false;
  // Last accepted point of the polar method (uniform in the unit disc, s = v1^2 + v2^2 in (0, 1)).
  #v1 = 0;
  #v2 = 0;
  #s = 0;

  /**
   * Creates a generator.
   *
   * @param seed - a non-negative safe integer; omitted, a fresh one is drawn from
   *   `globalThis.crypto.getRandomValues` and can be read back from {@link RandomGenerator.seed}.
   * @throws SpectransError `ERR_INVALID_ARGUMENT` if `seed` is not a non-negative safe integer, or
   *   is omitted where `globalThis.crypto` is unavailable.
   */
  constructor(seed?: number) {
    if (seed === undefined) {
      seed = freshSeed();
    } else {
      checkSafeNonNegative('RandomGenerator', 'seed', seed);
    }
    this.seed = seed;
    this.#k0 = seed >>> 0;
    this.#k1 = Math.floor(seed / TWO32) >>> 0;
  }

  /** Stream ids of the {@link RandomGenerator.fork} calls leading from the root generator to this one. */
  get streams(): readonly number[] {
    return this.#streams;
  }

  /** The block position: how many Philox blocks this generator has consumed. */
  get state(): number {
    return this.#position;
  }

  /**
   * Moves the generator to a block position previously read from {@link RandomGenerator.state}.
   *
   * @param state - a non-negative safe integer.
   * @throws SpectransError `ERR_INVALID_ARGUMENT` if `state` is not a non-negative safe integer.
   */
  setState(state: number): void {
    checkSafeNonNegative('RandomGenerator.setState', 'state', state);
    this.#position = state;
  }

  /**
   * Returns an independent, deterministic substream.
   *
   * @param stream - the stream id, a non-negative safe integer.
   * @returns a new generator at position 0 whose key is derived from this generator's key and
   *   `stream`; it depends neither on nor advances this generator's position.
   * @throws SpectransError `ERR_INVALID_ARGUMENT` if `stream` is not a non-negative safe integer.
   *
   * @remarks
   * The child key is the first two words of Philox4x32-10 of the counter `(stream mod 2^32,
   * floor(stream / 2^32), 1, 0)` under the parent key. Output blocks always have counter word 2
   * equal to 0, so (Philox being a bijection for a fixed key) derivation blocks never coincide
   * with output blocks, and distinct stream ids give distinct 128-bit derivation blocks. Forks
   * nest: `rng.fork(1).fork(2)` is a stream of its own. This is the counter-based substream scheme
   * of Salmon et al. (SC'11, Sec. 2), keyed per model parameter so that redraws are reproducible.
   */
  fork(stream: number): RandomGenerator {
    checkSafeNonNegative('RandomGenerator.fork', 'stream', stream);
    const out = new Uint32Array(4);
    philox4x32Into(stream >>> 0, Math.floor(stream / TWO32) >>> 0, FORK_DOMAIN, 0, this.#k0, this.#k1, out, 0);
    const child = new RandomGenerator(this.seed);
    child.#k0 = out[0] as number;
    child.#k1 = out[1] as number;
    child.#streams = Object.freeze([...this.#streams, stream]);
    return child;
  }

  /**
   * Draws uniform variates in [0, 1) with 53 random bits each.
   *
   * @param n - how many, a non-negative integer.
   * @returns a new `Float64Array` of length `n`; each value is `j / 2^53` for a uniform integer `j`.
   * @throws SpectransError `ERR_INVALID_ARGUMENT` if `n` is not a non-negative integer.
   *
   * @remarks
   * Two 32-bit words give one value: `((a >>> 5) * 2^26 + (b >>> 6)) / 2^53`, the construction of
   * the MT19937 reference `genrand_res53` (Matsumoto & Nishimura), exact in float64.
   */
  uniform(n: number): Float64Array {
    checkCount('RandomGenerator.uniform', n);
    this.#begin();
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.#uniform53();
    return out;
  }

  /**
   * Draws normal variates.
   *
   * @param n - how many, a non-negative integer.
   * @param mean - the mean, finite; default 0.
   * @param std - the standard deviation, finite and non-negative; default 1.
   * @returns a new `Float64Array` of length `n`.
   * @throws SpectransError `ERR_INVALID_ARGUMENT` if `n` is not a non-negative integer, `mean` is
   *   not finite, or `std` is not finite and non-negative.
   *
   * @remarks
   * Marsaglia & Bray's polar method (SIAM Review 6, 1964): draw `(v1, v2)` uniform in the square
   * until `0 < s = v1^2 + v2^2 < 1`, then `v1 f` and `v2 f` with `f = sqrt(-2 ln(s) / s)` are two
   * independent standard normals; both are used, in that order (the second of the last pair is
   * dropped when `n` is odd). Only `+ - * /`, `Math.sqrt` and `detLog` (an IEEE-only logarithm) are used, so the
   * output is bit-identical on every engine.
   */
  normal(n: number, mean = 0, std = 1): Float64Array {
    checkCount('RandomGenerator.normal', n);
    checkFinite('RandomGenerator.normal', 'mean', mean);
    checkFinite('RandomGenerator.normal', 'std', std);
    if (std < 0) {
      throw new SpectransError(
        'ERR_INVALID_ARGUMENT',
        `RandomGenerator.normal: \`std\` must be non-negative, got ${std}`,
      );
    }
    this.#begin();
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = mean + std * this.#normal();
    return out;
  }

  /**
   * Draws Cauchy (Lorentz) variates centred at 0.
   *
   * @param n - how many, a non-negative integer.
   * @param scale - the scale (half-width at half-maximum; the quartiles are `±scale`), finite and
   *   positive; default 1.
   * @returns a new `Float64Array` of length `n`.
   * @throws SpectransError `ERR_INVALID_ARGUMENT` if `n` is not a non-negative integer or `scale` is
   *   not finite and positive.
   *
   * @remarks
   * For `(v1, v2)` uniform in the unit disc the angle is uniform, so `v1 / v2 = cot(angle)` is
   * standard Cauchy (the ratio-of-uniforms form of the ratio of two normals; Devroye 1986,
   * Non-Uniform Random Variate Generation, Sec. IX.2). One disc point per value, no `Math.tan`.
   */
  cauchy(n: number, scale = 1): Float64Array {
    checkCount('RandomGenerator.cauchy', n);
    checkFinite('RandomGenerator.cauchy', 'scale', scale);
    if (scale <= 0) {
      throw new SpectransError(
        'ERR_INVALID_ARGUMENT',
        `RandomGenerator.cauchy: \`scale\` must be positive, got ${scale}`,
      );
    }
    this.#begin();
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      // s > 0 and v2 != 0 (a point on the horizontal axis is rejected; probability 2^-52).
      do this.#polarPoint();
      while (this.#v2 === 0);
      out[i] = (this.#v1 / this.#v2) * scale;
    }
    return out;
  }

  /**
   * Draws chi variates with `k` degrees of freedom: the Euclidean norm of a `k`-dimensional
   * standard normal vector.
   *
   * @param n - how many, a non-negative integer.
   * @param k - the degrees of freedom, a positive integer.
   * @returns a new `Float64Array` of length `n`.
   * @throws SpectransError `ERR_INVALID_ARGUMENT` if `n` is not a non-negative integer or `k` is
   *   not a positive integer.
   *
   * @remarks
   * `chi_k = sqrt(2 G)` with `G ~ Gamma(k/2, 1)`. For `k = 1` the value is `|z|`; for `k >= 2`, `G`
   * comes from Marsaglia & Tsang's exact rejection method (ACM TOMS 26(3), 2000), O(1) per value
   * whatever `k`, using `detLog` (an IEEE-only logarithm) so the output stays bit-identical on every engine. These are
   * the row norms of orthogonal random features (Yu et al., "Orthogonal Random Features", 2016).
   */
  chi(n: number, k: number): Float64Array {
    checkCount('RandomGenerator.chi', n);
    if (typeof k !== 'number' || !Number.isSafeInteger(k) || k < 1) {
      throw new SpectransError(
        'ERR_INVALID_ARGUMENT',
        `RandomGenerator.chi: \`k\` must be a positive integer, got ${String(k)}`,
      );
    }
    this.#begin();
    const out = new Float64Array(n);
    if (k === 1) {
      for (let i = 0; i < n; i++) out[i] = Math.abs(this.#normal());
      return out;
    }
    const d = k / 2 - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (let i = 0; i < n; i++) {
      for (;;) {
        const x = this.#normal();
        let v = 1 + c * x;
        if (v <= 0) continue;
        v = v * v * v;
        const u = this.#uniform53();
        const x2 = x * x;
        if (u < 1 - 0.0331 * x2 * x2 || detLog(u) < 0.5 * x2 + d * (1 - v + detLog(v))) {
          out[i] = Math.sqrt(2 * d * v);
          break;
        }
      }
    }
    return out;
  }

  /**
   * Draws Rademacher variates: `+1` or `-1` with probability 1/2 each.
   *
   * @param n - how many, a non-negative integer.
   * @returns a new `Float64Array` of length `n`.
   * @throws SpectransError `ERR_INVALID_ARGUMENT` if `n` is not a non-negative integer.
   *
   * @remarks
   * One random bit per value, least significant bit of each 32-bit word first.
   */
  rademacher(n: number): Float64Array {
    checkCount('RandomGenerator.rademacher', n);
    this.#begin();
    const out = new Float64Array(n);
    let word = 0;
    for (let i = 0; i < n; i++) {
      const bit = i & 31;
      if (bit === 0) word = this.#word();
      out[i] = (word >>> bit) & 1 ? 1 : -1;
    }
    return out;
  }

  /** Starts a sampling call at a fresh block, dropping leftovers of the previous call. */
  #begin(): void {
    this.#used = 4;
    this.#hasSpare = false;
  }

  #word(): number {
    if (this.#used === 4) {
      const p = this.#position;
      if (p >= Number.MAX_SAFE_INTEGER) {
        throw new SpectransError(
          'ERR_INVALID_ARGUMENT',
          'RandomGenerator: the block position passed 2^53 - 1; fork a new stream',
        );
      }
      philox4x32Into(p >>> 0, Math.floor(p / TWO32) >>> 0, 0, 0, this.#k0, this.#k1, this.#block, 0);
      this.#position = p + 1;
      this.#used = 0;
    }
    return this.#block[this.#used++] as number;
  }

  #uniform53(): number {
    const a = this.#word() >>> 5;
    const b = this.#word() >>> 6;
    return (a * TWO_POW_26 + b) * TWO_POW_M53;
  }

  /** Sets (#v1, #v2, #s) to a point uniform in the unit disc minus its centre. */
  #polarPoint(): void {
    let v1: number;
    let v2: number;
    let s: number;
    do {
      v1 = 2 * this.#uniform53() - 1;
      v2 = 2 * this.#uniform53() - 1;
      s = v1 * v1 + v2 * v2;
    } while (s >= 1 || s === 0);
    this.#v1 = v1;
    this.#v2 = v2;
    this.#s = s;
  }

  #normal(): number {
    if (this.#hasSpare) {
      this.#hasSpare = false;
      return this.#spare;
    }
    this.#polarPoint();
    const f = Math.sqrt((-2 * detLog(this.#s)) / this.#s);
    this.#spare = this.#v2 * f;
    this.#hasSpare = true;
    return this.#v1 * f;
  }
}
