/**
 * The harness's own seeded generator for test inputs (shapes and values). It is deliberately
 * independent of core's `RandomGenerator`, so a bug there cannot hide a bug in an op.
 */

/** 32-bit FNV-1a hash of a string, used to derive a per-case seed from its id. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The seed of one case: the run's base seed mixed with the case id, so each case is reproducible alone. */
export function caseSeed(baseSeed: number, id: string): number {
  return (hashString(id) ^ Math.imul(baseSeed >>> 0, 0x9e3779b1)) >>> 0;
}

/**
 * A small seeded generator (sfc32, Doolittle's Small Fast Counter) with helpers for tensor inputs.
 *
 * @example
 * ```ts
 * const rng = new HostRng(42);
 * const shape = rng.shape(3, 1, 5);     // e.g. [2, 5, 1]
 * const values = rng.normals(24);       // Float64Array of N(0, 1) draws
 * ```
 */
export class HostRng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** @param seed - any 32-bit integer. */
  constructor(seed: number) {
    this.#a = 0x9e3779b9;
    this.#b = 0x243f6a88;
    this.#c = 0xb7e15162;
    this.#d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.#next();
  }

  #next(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.#next() >>> 5;
    const lo = this.#next() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.random();
  }

  /** Integer uniform in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.random() * (hi - lo + 1));
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.random();
    const v = this.random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.random() < p;
  }

  /** One element of `items`. */
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.random() * items.length)];
    if (item === undefined) throw new RangeError('HostRng.pick: empty list');
    return item;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): number[] {
    const p = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(0, i);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }

  /** `n` standard normal values. */
  normals(n: number, std = 1): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = std * this.normal();
    return out;
  }

  /** `n` uniform values in [lo, hi). */
  uniforms(n: number, lo: number, hi: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.uniform(lo, hi);
    return out;
  }

  /** A shape of `rank` axes with sizes in [minSize, maxSize]. */
  shape(rank: number, minSize: number, maxSize: number): number[] {
    return Array.from({ length: rank }, () => this.int(minSize, maxSize));
  }
}
