/**
 * Tensor storage in wasm memory: handles over reference-counted blocks of the heap, and the
 * per-backend accounting behind `memory()`.
 */
import {
  SpectransError,
  type BackendMemory,
  type DType,
  type FloatArray,
  type TensorRef,
} from '@spectrans/core/backend';
import type { WasmHeap } from './heap.js';

/**
 * The wasm backend's tensor handle: `length` elements of `dtype` at byte offset `ptr` of the
 * backend's linear memory. Handles made by `reshape` share their block (`refcount` counts them);
 * the block returns to the allocator when its last handle is disposed.
 */
export interface WasmHandle {
  /** Byte offset of the first element in the backend's `WebAssembly.Memory` (0 when empty). */
  readonly ptr: number;
  /** Number of elements. */
  readonly length: number;
  /** Element type. */
  readonly dtype: DType;
  /** Live handles sharing this handle's block (0 once disposed). */
  readonly refcount: number;
}

/** A block of the heap shared by one or more handles. */
class Block {
  refs = 1;
  constructor(
    readonly ptr: number,
    readonly bytes: number,
  ) {}
}

/** The concrete handle; one class so that every handle has the same hidden class. */
class Handle implements WasmHandle {
  block: Block | null;
  constructor(
    readonly owner: HandleStore,
    block: Block,
    readonly length: number,
    readonly dtype: DType,
  ) {
    this.block = block;
  }
  get ptr(): number {
    return this.block?.ptr ?? 0;
  }
  get refcount(): number {
    return this.block?.refs ?? 0;
  }
}

/** Bytes per element of `dtype`. */
export function bytesOf(dtype: DType): number {
  return dtype === 'float64' ? 8 : 4;
}

/** Creates, shares and frees handles on one heap, counting live handles and their bytes. */
export class HandleStore {
  readonly heap: WasmHeap;
  #handles = 0;
  #bytes = 0;

  constructor(heap: WasmHeap) {
    this.heap = heap;
  }

  /** A new handle over a fresh, uninitialised block of `length` elements of `dtype`. */
  allocate(length: number, dtype: DType): WasmHandle {
    const bytes = length * bytesOf(dtype);
    const ptr = bytes === 0 ? 0 : this.heap.alloc(bytes);
    this.#handles++;
    this.#bytes += bytes;
    return new Handle(this, new Block(ptr, bytes), length, dtype);
  }

  /** A new handle sharing `h`'s block (for reshape). */
  share(h: WasmHandle): WasmHandle {
    const block = live(h).block!;
    block.refs++;
    this.#handles++;
    this.#bytes += block.bytes;
    return new Handle(this, block, h.length, h.dtype);
  }

  /** Drops a handle; later calls, and handles of other stores, are ignored. */
  dispose(h: WasmHandle): void {
    if (!(h instanceof Handle) || h.owner !== this || h.block === null) return;
    const block = h.block;
    h.block = null;
    this.#handles--;
    this.#bytes -= block.bytes;
    if (--block.refs === 0 && block.bytes > 0) this.heap.free(block.ptr, block.bytes);
  }

  /** Live handles and the bytes they hold (a shared block counts once per handle). */
  memory(): BackendMemory {
    return { handles: this.#handles, bytes: this.#bytes };
  }

  /** A view of `h`'s elements; valid until the next allocation on this heap. */
  view(h: WasmHandle): FloatArray {
    const ptr = live(h).ptr;
    return h.dtype === 'float64'
      ? this.heap.f64.subarray(ptr / 8, ptr / 8 + h.length)
      : this.heap.f32.subarray(ptr / 4, ptr / 4 + h.length);
  }
}

function live(h: WasmHandle): Handle {
  if (!(h instanceof Handle) || h.block === null)
    throw new SpectransError(
      'ERR_DISPOSED',
      'wasm backend: a handle was used after dispose (or comes from another backend)',
    );
  return h;
}

/** The handle of a tensor ref, checked live. */
export function handleOf(ref: TensorRef<WasmHandle>): WasmHandle {
  return live(ref.handle);
}
