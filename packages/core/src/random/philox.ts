import { SpectransError } from '../errors.js';

/** Philox4x32 round multipliers (Salmon et al. 2011, Table 2; Random123 `PHILOX_M4x32_0/1`). */
const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
/** Philox4x32 key-schedule (Weyl) increments: golden ratio and sqrt(3) - 1 (Random123 `PHILOX_W32_0/1`). */
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** The round count of the standard Philox4x32-10 generator. */
export const PHILOX_ROUNDS = 10;

/**
 * High 32 bits of the exact 64-bit product of two uint32 values.
 *
 * Splits both factors into 16-bit halves so that every intermediate value stays below 2^32 and is
 * therefore exact on every engine; the low half is `Math.imul(a, b) >>> 0`.
 */
function mulhi32(a: number, b: number): number {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const bl = b & 0xffff;
  const bh = b >>> 16;
  const ll = al * bl; // < 2^32
  const t = ah * bl + (ll >>> 16); // <= 2^32 - 2^16
  const u = al * bh + (t & 0xffff); // <= 2^32 - 2^16
  return (ah * bh + (t >>> 16) + (u >>> 16)) >>> 0; // <= 2^32 - 1
}

/**
 * Unchecked Philox4x32 block: writes the 4 output words for counter `(c0..c3)` and key `(k0, k1)`
 * into `out[offset..offset+3]`. Internal fast path for {@link RandomGenerator}; inputs must already
 * be uint32 values.
 *
 * @internal
 */
export function philox4x32Into(
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  k0: number,
  k1: number,
  out: Uint32Array,
  offset: number,
  rounds: number = PHILOX_ROUNDS,
): void {
  for (let r = 0; r < rounds; r++) {
    if (r > 0) {
      k0 = (k0 + W0) >>> 0;
      k1 = (k1 + W1) >>> 0;
    }
    const hi0 = mulhi32(M0, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi32(M1, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
  }
  out[offset] = c0;
  out[offset + 1] = c1;
  out[offset + 2] = c2;
  out[offset + 3] = c3;
}

function isUint32(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
}

function checkWords(name: string, words: ArrayLike<number>, count: number): void {
  if (words === null || typeof words !== 'object' || words.length !== count) {
    throw new SpectransError('ERR_INVALID_ARGUMENT', `philox4x32: \`${name}\` must hold exactly ${count} uint32 words`);
  }
  for (let i = 0; i < count; i++) {
    if (!isUint32(words[i])) {
      throw new SpectransError(
        'ERR_INVALID_ARGUMENT',
        `philox4x32: \`${name}[${i}]\` must be an integer in [0, 2^32), got ${String(words[i])}`,
      );
    }
  }
}

/**
 * Computes one Philox4x32 block: the bijection of a 128-bit counter under a 64-bit key.
 *
 * @param counter - the counter, 4 uint32 words (word 0 first, as in Random123's `ctr.v[]`).
 * @param key - the key, 2 uint32 words.
 * @param rounds - the number of rounds, an integer in [1, 16]; default 10 (Philox4x32-10).
 * @returns a new `Uint32Array` of the 4 output words.
 * @throws SpectransError `ERR_INVALID_ARGUMENT` if `counter` or `key` has the wrong length or a word
 *   that is not a uint32, or if `rounds` is out of range.
 *
 * @remarks
 * Philox4x32-R of Salmon, Moraes, Dror and Shaw, "Parallel random numbers: as easy as 1, 2, 3"
 * (SC'11), bit-compatible with Random123's `philox4x32_R`: each round multiplies words 0 and 2 by
 * the constants 0xD2511F53 / 0xCD9E8D57, and the key is bumped by the Weyl increments
 * 0x9E3779B9 / 0xBB67AE85 between rounds. Only exact 32-bit integer arithmetic is used (the
 * 32x32->64 multiply is split into exact 16-bit partial products), so results are identical on
 * every JavaScript engine and platform. Checked against Random123's `kat_vectors`.
 */
export function philox4x32(
  counter: ArrayLike<number>,
  key: ArrayLike<number>,
  rounds: number = PHILOX_ROUNDS,
): Uint32Array {
  checkWords('counter', counter, 4);
  checkWords('key', key, 2);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 16) {
    throw new SpectransError(
      'ERR_INVALID_ARGUMENT',
      `philox4x32: \`rounds\` must be an integer in [1, 16], got ${String(rounds)}`,
    );
  }
  const out = new Uint32Array(4);
  philox4x32Into(
    counter[0] as number,
    counter[1] as number,
    counter[2] as number,
    counter[3] as number,
    key[0] as number,
    key[1] as number,
    out,
    0,
    rounds,
  );
  return out;
}
