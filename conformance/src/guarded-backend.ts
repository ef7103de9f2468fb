/** A call-logging wrapper of a backend, to prove that core rejects bad input before a backend runs. */
import type { Backend, BackendCapabilities } from '@spectrans/core';
import { OPTIONAL_BACKEND_METHODS, REQUIRED_BACKEND_METHODS, type LinalgOps } from '@spectrans/core/backend';
import type { GuardedBackend } from './types.js';

// Every method of the contract except `destroy`, which the wrapper never forwards.
const METHODS = [...REQUIRED_BACKEND_METHODS, ...OPTIONAL_BACKEND_METHODS.filter((m) => m !== 'destroy')];

/** Options of {@link guardBackend}. */
export interface GuardOptions {
  /** Capabilities to declare instead of the backend's (e.g. without float64). */
  readonly capabilities?: BackendCapabilities;
  /** Optional members to hide: `'readSync'`, `'memory'`, `'linalg'`, `'fwht'`, `'rffFeatures'`,
   * `'positiveFeatures'`, `'expCdist'`, `'logLinearAttention'`. */
  readonly omit?: readonly string[];
}

/**
 * Wraps `backend` so that every method call is logged, forwarding to the real method with the
 * real backend as `this`. The wrapper never forwards `destroy`. `capabilities` may be overridden
 * (e.g. to withdraw float64 and provoke `ERR_UNSUPPORTED_DTYPE`) and optional members hidden.
 *
 * @example
 * ```ts
 * const g = guardBackend(backend);
 * const a = tensor([1, 2], [2], 'float32', { backend: g.backend });
 * g.reset();
 * expect(() => matmul(a, a)).toThrow(); // and g.calls is still []
 * ```
 */
export function guardBackend(backend: Backend, options: GuardOptions = {}): GuardedBackend {
  const calls: string[] = [];
  const real = backend as unknown as Record<string, unknown>;
  const omit = new Set(options.omit ?? []);
  const wrapper: Record<string, unknown> = {
    name: `${backend.name} (guarded)`,
    capabilities: options.capabilities ?? backend.capabilities,
  };
  for (const m of METHODS) {
    const fn = omit.has(m) ? undefined : real[m];
    if (typeof fn === 'function') {
      wrapper[m] = (...args: unknown[]): unknown => {
        if (m !== 'dispose' && m !== 'memory') calls.push(m);
        return (fn as (...a: unknown[]) => unknown).apply(backend, args);
      };
    }
  }
  if (backend.linalg && !omit.has('linalg')) {
    const linalg = backend.linalg as unknown as Record<string, unknown>;
    const wrapped: Record<string, unknown> = {};
    for (const m of ['qr', 'eigh', 'svd'] as const) {
      const fn = linalg[m];
      if (typeof fn === 'function') {
        wrapped[m] = (...args: unknown[]): unknown => {
          calls.push(`linalg.${m}`);
          return (fn as (...a: unknown[]) => unknown).apply(backend.linalg, args);
        };
      }
    }
    wrapper['linalg'] = wrapped as LinalgOps<unknown>;
  }
  return {
    backend: wrapper as unknown as Backend,
    get calls() {
      return [...calls];
    },
    reset() {
      calls.length = 0;
    },
  };
}
