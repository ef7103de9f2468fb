/**
 * tfjs settings the conformance targets apply before creating a backend, so that what is checked is
 * the engine's own arithmetic.
 */
import type { TfjsEngine } from './engines.js';

/** The part of tfjs's `env()` that sets flags. */
export interface FlagSetter {
  set(flag: string, value: boolean): void;
}

/**
 * tfjs flags set per engine for conformance runs. webgl: `WEBGL_CPU_FORWARD` off, since tfjs
 * otherwise computes ops on small CPU-resident tensors (most conformance inputs) with its cpu
 * kernels in float64 JavaScript, and the shaders would go unchecked.
 */
export const CONFORMANCE_FLAGS: Readonly<Partial<Record<TfjsEngine, Readonly<Record<string, boolean>>>>> =
  Object.freeze({ webgl: Object.freeze({ WEBGL_CPU_FORWARD: false }) });

/** Sets the engine's {@link CONFORMANCE_FLAGS} on tfjs's environment (they must be registered: load the engine first). */
export function applyConformanceFlags(env: FlagSetter, engine: TfjsEngine): void {
  for (const [flag, value] of Object.entries(CONFORMANCE_FLAGS[engine] ?? {})) env.set(flag, value);
}
