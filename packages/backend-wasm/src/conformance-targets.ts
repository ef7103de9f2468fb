/**
 * `@spectrans/backend-wasm/conformance-targets`: this package's targets for the conformance suite
 * (`spectrans-conformance @spectrans/backend-wasm/conformance-targets`). Not re-exported from the
 * package entry: it exists for the suite, not for applications.
 * @packageDocumentation
 */
import type { ConformanceTarget } from '@spectrans/conformance';
import { createWasmBackend } from './backend.js';

/**
 * The targets: `wasm-1t` (no workers) and `wasm-2t` (the calling thread plus one worker on shared
 * memory; two threads exercise every split path whatever the machine's core count).
 */
export function conformanceTargets(): ConformanceTarget[] {
  return [
    { name: 'wasm-1t', create: () => createWasmBackend({ name: 'wasm-1t', threads: 1 }) },
    { name: 'wasm-2t', create: () => createWasmBackend({ name: 'wasm-2t', threads: 2 }) },
  ];
}
