/**
 * @spectrans/backend-wasm: the spectrans ops contract on WebAssembly SIMD128 kernels compiled from
 * C, with a worker pool over shared wasm memory. The fast default for float32 in Node and browsers.
 *
 * @example
 * ```ts
 * import { setBackend, tensor, matmul } from '@spectrans/core';
 * import { createWasmBackend } from '@spectrans/backend-wasm';
 *
 * await setBackend(await createWasmBackend());
 * const c = matmul(tensor([[1, 2], [3, 4]]), tensor([[5], [6]]));
 * ```
 * @packageDocumentation
 */
export { createWasmBackend, WASM_CAPABILITIES, type WasmBackend, type WasmBackendOptions } from './backend.js';
export type { WasmHandle } from './storage.js';
