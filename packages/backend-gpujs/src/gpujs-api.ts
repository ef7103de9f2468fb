/**
 * The small part of gpu.js's API this backend uses, typed structurally. gpu.js is loaded with a
 * dynamic `import()` inside the factory, so nothing here has a runtime presence.
 */

/** A gpu.js pipeline output: a WebGL texture wrapper (GL modes only). */
export interface GpujsTexture {
  /** Reads the texture back (synchronous `readPixels`); a Float32Array for 1-D outputs. */
  toArray(): unknown;
  /** Releases this reference; the GL texture is freed with its last reference. */
  delete(): void;
  /** The underlying WebGL texture (shared between clones). */
  readonly texture: object;
  /** Texture size in texels, [width, height]. */
  readonly size: ArrayLike<number>;
}

/** A value a kernel accepts: a texture (GL modes), a flat array (cpu/webasm) or a scalar uniform. */
export type GpujsKernelArgument = GpujsTexture | Float32Array | number;

/** The kernel object behind a run shortcut (replaced when gpu.js falls back or switches). */
export interface GpujsKernelInstance {
  readonly constructor: { readonly name: string };
  /** Why gpu.js degraded this kernel to another backend, when it did. */
  readonly fallbackReason?: string | null;
  destroy(removeCanvasReferences?: boolean): void;
  /** WebGL kernels: textures created by the kernel, freed with it. */
  textureCache?: object[];
}

/** What `gpu.createKernel` returns: a callable kernel. */
export interface GpujsKernel {
  (...args: GpujsKernelArgument[]): unknown;
  /** The kernel actually running (gpu.js swaps it on fallback). */
  readonly kernel: GpujsKernelInstance;
}

/** Settings of `gpu.createKernel` this backend passes. */
export interface GpujsKernelSettings {
  output: number[];
  pipeline: boolean;
  immutable: boolean;
  precision: 'single';
  tactic: 'precision';
  optimizeFloatMemory: boolean;
  dynamicOutput: false;
  dynamicArguments: false;
}

/** A `GPU` instance: one context, many kernels. */
export interface GpujsGpu {
  readonly mode: string;
  createKernel(source: string, settings: GpujsKernelSettings): GpujsKernel;
  destroy(): Promise<void>;
}

/** A kernel class exported by gpu.js (used to check which backend a kernel actually runs on). */
export type GpujsKernelClass = abstract new (...args: never[]) => unknown;

/** The gpu.js module namespace. */
export interface GpujsModule {
  readonly GPU: {
    new (settings: { mode: string }): GpujsGpu;
    readonly isHeadlessGLSupported: boolean;
    readonly isWebGLSupported: boolean;
    readonly isWebGL2Supported: boolean;
    readonly isWebAssemblySupported: boolean;
    readonly isSinglePrecisionSupported: boolean;
  };
  readonly HeadlessGLKernel: GpujsKernelClass;
  readonly WebGLKernel: GpujsKernelClass;
  readonly WebGL2Kernel: GpujsKernelClass;
  readonly WebAssemblyKernel: GpujsKernelClass;
  readonly CPUKernel: GpujsKernelClass;
}
