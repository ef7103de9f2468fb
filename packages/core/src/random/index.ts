/**
 * Seeded, counter-based random numbers that are bit-identical on every JavaScript engine and
 * platform: the Philox4x32-10 block function, a deterministic `log`, and {@link RandomGenerator}.
 *
 * @packageDocumentation
 */
export { PHILOX_ROUNDS, philox4x32 } from './philox.js';
export { detLog } from './det-math.js';
export { RandomGenerator } from './generator.js';
