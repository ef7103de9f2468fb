/**
 * @spectrans/backend-gpujs: the spectrans ops contract on gpu.js, in headlessgl (Node + Xvfb),
 * webgl/webgl2 (browsers), webasm and cpu modes. Importing this package has no side effects:
 * gpu.js is loaded by `createGpujsBackend`.
 * @packageDocumentation
 */
export { createGpujsBackend, type GpujsBackend, type GpujsBackendOptions, type GpujsMemory } from './backend.js';
export { GPUJS_MODES, gpujsModeStatus, isGpujsModeAvailable, type GpujsMode, type ModeStatus } from './modes.js';
export { GpujsHandle } from './storage.js';
export { TRIG_REDUCTION_LIMIT } from './codegen/trig.js';
