/**
 * A bounded least-recently-used cache of compiled gpu.js kernels, keyed by their generated
 * source and output size (so by op, shapes and dtype).
 *
 * A GL texture keeps a reference to the kernel that rendered it (reading it back goes through
 * that kernel's framebuffers), so a kernel is destroyed only once no live storage it produced
 * remains: such kernels are "pinned" and survive eviction until their outputs are freed.
 */
import type { GpujsKernel } from './gpujs-api.js';
import type { StorageOwner } from './storage.js';

/** One cached kernel and how many live storages it produced. */
export class CachedKernel implements StorageOwner {
  /** Live storages produced by this kernel (GL modes). */
  pins = 0;
  /** Times this kernel ran. */
  runs = 0;
  /** Evicted while pinned: destroy when the last pin goes. */
  evicted = false;
  destroyed = false;

  constructor(
    readonly key: string,
    readonly kernel: GpujsKernel,
  ) {}

  /** A storage produced by this kernel was freed. */
  release(): void {
    this.pins--;
    if (this.pins === 0 && this.evicted) this.destroy();
  }

  /** Frees the kernel's program, framebuffers and internal textures. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    const instance = this.kernel.kernel;
    // gpu.js deletes every texture the kernel created when it is destroyed, including outputs
    // still referenced elsewhere; keep those (they carry a reference count) out of its reach.
    if (Array.isArray(instance.textureCache)) {
      instance.textureCache = instance.textureCache.filter((t) => ((t as { _refs?: number })._refs ?? 0) <= 0);
    }
    try {
      instance.destroy(false);
    } catch {
      // a kernel whose context is already gone has nothing left to free
    }
  }
}

/** Counters of the cache, for tests and `memory()`. */
export interface KernelCacheStats {
  /** Kernels compiled and still held (cached, or evicted but pinned). */
  readonly kernels: number;
  /** Kernels compiled since the backend started. */
  readonly compiled: number;
  /** Lookups that found a compiled kernel. */
  readonly hits: number;
}

/** LRU cache of compiled kernels. */
export class KernelCache {
  readonly #entries = new Map<string, CachedKernel>();
  readonly #evictedPinned = new Set<CachedKernel>();
  #compiled = 0;
  #hits = 0;

  /** @param capacity - kernels kept when unpinned; at least 1. */
  constructor(readonly capacity: number) {}

  /** The kernel for `key`, compiling it with `create` on a miss. */
  get(key: string, create: () => GpujsKernel): CachedKernel {
    const found = this.#entries.get(key);
    if (found) {
      this.#hits++;
      this.#entries.delete(key);
      this.#entries.set(key, found);
      return found;
    }
    const entry = new CachedKernel(key, create());
    this.#compiled++;
    this.#entries.set(key, entry);
    this.#evict();
    return entry;
  }

  /** Removes a kernel that failed (so the next call compiles afresh). */
  drop(entry: CachedKernel): void {
    if (this.#entries.get(entry.key) === entry) this.#entries.delete(entry.key);
    entry.evicted = true;
    if (entry.pins === 0) entry.destroy();
  }

  get stats(): KernelCacheStats {
    for (const e of this.#evictedPinned) if (e.destroyed) this.#evictedPinned.delete(e);
    return { kernels: this.#entries.size + this.#evictedPinned.size, compiled: this.#compiled, hits: this.#hits };
  }

  /** Destroys every kernel (the backend is going away; storages must already be freed or abandoned). */
  clear(): void {
    for (const e of [...this.#entries.values(), ...this.#evictedPinned]) e.destroy();
    this.#entries.clear();
    this.#evictedPinned.clear();
  }

  #evict(): void {
    while (this.#entries.size > this.capacity) {
      const oldest = this.#entries.values().next().value as CachedKernel;
      this.#entries.delete(oldest.key);
      oldest.evicted = true;
      if (oldest.pins === 0) oldest.destroy();
      else this.#evictedPinned.add(oldest);
    }
  }
}
