/**
 * Conformance targets of this package, loaded by path by the conformance CLI
 * (`spectrans-conformance packages/backend-wasm/src/conformance-targets.ts`). Not re-exported from
 * the package entry: it exists for the suite, not for applications.
 */
import type { Backend } from '@spectrans/core';
import { createWasmBackend } from './backend.js';

/** One backend for the conformance suite (structurally the suite's `ConformanceTarget`). */
export interface WasmConformanceTarget {
  readonly name: string;
  readonly create: () => Promise<Backend>;
}

/**
 * The targets: `wasm-1t` (no workers) and `wasm-2t` (the calling thread plus one worker on shared
 * memory; two threads exercise every split path whatever the machine's core count).
 */
export function conformanceTargets(): WasmConformanceTarget[] {
  return [
    { name: 'wasm-1t', create: () => createWasmBackend({ name: 'wasm-1t', threads: 1 }) },
    { name: 'wasm-2t', create: () => createWasmBackend({ name: 'wasm-2t', threads: 2 }) },
  ];
}
