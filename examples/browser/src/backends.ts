/** The backends this page offers, as conformance targets (a name and a factory, plus honest exceptions). */
import type { ConformanceTarget } from '@spectrans/conformance';
import { createJsBackend } from '@spectrans/backend-js';
import { tfjsConformanceTarget } from '@spectrans/backend-tfjs/conformance-targets';
import { createGpujsBackend } from '@spectrans/backend-gpujs';
import { createWasmBackend } from '@spectrans/backend-wasm';

/** The ids of the selectable backends. */
export type PageBackend = 'wasm' | 'js' | 'tfjs-webgl' | 'gpujs-webgl2';

/** Every selectable backend, in the order of the page's select. */
export const PAGE_BACKENDS: readonly PageBackend[] = ['wasm', 'js', 'tfjs-webgl', 'gpujs-webgl2'];

/** The conformance target of one page backend. */
export function targetFor(id: PageBackend): ConformanceTarget {
  switch (id) {
    case 'wasm':
      // The kernels are served under wasm/ (vite.config.ts); threads need cross-origin isolation.
      return { name: 'wasm', create: () => createWasmBackend({ wasmBaseUrl: new URL('wasm/', document.baseURI) }) };
    case 'js':
      return { name: 'js', create: () => createJsBackend() };
    case 'tfjs-webgl':
      return tfjsConformanceTarget('webgl');
    case 'gpujs-webgl2':
      return { name: 'gpujs-webgl2', create: () => createGpujsBackend({ mode: 'webgl2' }) };
  }
}
