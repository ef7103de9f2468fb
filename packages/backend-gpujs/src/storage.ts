/**
 * Tensor storage: a flat row-major buffer of float32 values, a texture in GL modes or a
 * Float32Array in cpu/webasm modes, shared between handles with reference counting.
 */
import type { GpujsTexture } from './gpujs-api.js';

/** What a storage holds: a GPU texture, a host array, or nothing (zero elements). */
export type StorageData =
  | { readonly kind: 'texture'; readonly texture: GpujsTexture }
  | { readonly kind: 'array'; readonly array: Float32Array }
  | { readonly kind: 'empty' };

/** Something that must hear when a storage's last reference goes (the kernel that produced it). */
export interface StorageOwner {
  release(): void;
}

/** A flat buffer of `size` float32 values, freed when its last handle is disposed. */
export class Storage {
  #refs = 1;

  constructor(
    readonly data: StorageData,
    readonly size: number,
    private readonly owner?: StorageOwner,
  ) {}

  /** Live references (handles) to this storage. */
  get refs(): number {
    return this.#refs;
  }

  /** Adds a reference (a new handle sharing this storage). */
  retain(): this {
    this.#refs++;
    return this;
  }

  /** Drops a reference; frees the texture on the last one. Returns true when freed. */
  release(): boolean {
    this.#refs--;
    if (this.#refs > 0) return false;
    if (this.data.kind === 'texture') this.data.texture.delete();
    this.owner?.release();
    return true;
  }
}

/**
 * The backend's tensor handle: one reference to a storage. Handles are never shared; `reshape`
 * and same-dtype `cast` return a new handle on the same storage.
 */
export class GpujsHandle {
  #storage: Storage | undefined;

  constructor(storage: Storage) {
    this.#storage = storage;
  }

  /** The storage, while the handle is live. */
  get storage(): Storage | undefined {
    return this.#storage;
  }

  /** Detaches the handle; returns its storage (once). */
  detach(): Storage | undefined {
    const s = this.#storage;
    this.#storage = undefined;
    return s;
  }
}

/** Live-storage bookkeeping for `memory()` and leak checks. */
export class StorageTracker {
  handles = 0;
  bytes = 0;
  textures = 0;
  textureBytes = 0;

  /** Records a new handle on `storage` (and the storage itself when it is new). */
  addHandle(storage: Storage, isNewStorage: boolean): void {
    this.handles++;
    this.bytes += storage.size * 4;
    if (isNewStorage && storage.data.kind === 'texture') {
      this.textures++;
      this.textureBytes += textureBytes(storage.data.texture);
    }
  }

  /** Records a disposed handle (and its storage when that was its last reference). */
  removeHandle(storage: Storage, freed: boolean): void {
    this.handles--;
    this.bytes -= storage.size * 4;
    if (freed && storage.data.kind === 'texture') {
      this.textures--;
      this.textureBytes -= textureBytes(storage.data.texture);
    }
  }
}

/** GPU bytes of a float RGBA texture. */
function textureBytes(texture: GpujsTexture): number {
  const w = texture.size[0] ?? 0;
  const h = texture.size[1] ?? 0;
  return w * h * 16;
}
