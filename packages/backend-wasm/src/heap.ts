/**
 * The wasm linear memory as a heap: a size-class free-list allocator over the region above the
 * module's `__heap_base`, and typed-array views that are re-created whenever `memory.grow` replaced
 * the buffer (growth detaches a private buffer and leaves a shared one's old views short), so no
 * caller ever holds a stale view across an allocation.
 */

const PAGE = 65536;
const ALIGN = 16;

/** The allocation class of `bytes`: multiples of 16 up to 256, then 2^k and 1.5·2^k steps (at most 50% slack). */
export function sizeClass(bytes: number): number {
  if (bytes <= 256) return Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
  const p = 2 ** Math.ceil(Math.log2(bytes));
  return bytes <= 0.75 * p ? 0.75 * p : p;
}

/** Allocator and views over one `WebAssembly.Memory`. */
export class WasmHeap {
  readonly memory: WebAssembly.Memory;
  #top: number;
  readonly #free = new Map<number, number[]>();
  #f32: Float32Array;
  #f64: Float64Array;
  #i32: Int32Array;

  /** @param base - first free byte (the module's `__heap_base`). */
  constructor(memory: WebAssembly.Memory, base: number) {
    this.memory = memory;
    this.#top = Math.ceil(base / ALIGN) * ALIGN;
    const buffer = memory.buffer;
    this.#f32 = new Float32Array(buffer);
    this.#f64 = new Float64Array(buffer);
    this.#i32 = new Int32Array(buffer);
  }

  /** A 16-byte aligned block of at least `bytes` bytes (its class size, see {@link sizeClass}). */
  alloc(bytes: number): number {
    const cls = sizeClass(bytes);
    const list = this.#free.get(cls);
    if (list !== undefined && list.length > 0) return list.pop()!;
    const ptr = this.#top;
    const end = ptr + cls;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      // Grow by at least a quarter of the current size, so a run of allocations grows rarely.
      const pages = Math.max(Math.ceil((end - have) / PAGE), Math.ceil(have / PAGE / 4));
      try {
        this.memory.grow(pages);
      } catch {
        this.memory.grow(Math.ceil((end - have) / PAGE));
      }
    }
    this.#top = end;
    return ptr;
  }

  /** Returns a block from {@link alloc} of the same requested size. */
  free(ptr: number, bytes: number): void {
    const cls = sizeClass(bytes);
    let list = this.#free.get(cls);
    if (list === undefined) this.#free.set(cls, (list = []));
    list.push(ptr);
  }

  /**
   * Re-creates the views when they no longer cover every block handed out: after `memory.grow`
   * (which detaches a private buffer and leaves a shared one's old views short). Checked against
   * the high-water mark, so the hot path never calls the `memory.buffer` getter (a runtime call).
   */
  #refresh(): void {
    if (this.#f32.length * 4 >= this.#top) return;
    const buffer = this.memory.buffer;
    this.#f32 = new Float32Array(buffer);
    this.#f64 = new Float64Array(buffer);
    this.#i32 = new Int32Array(buffer);
  }

  /** The whole memory as float32 (index = byte offset / 4). Valid until the next allocation. */
  get f32(): Float32Array {
    this.#refresh();
    return this.#f32;
  }

  /** The whole memory as float64 (index = byte offset / 8). Valid until the next allocation. */
  get f64(): Float64Array {
    this.#refresh();
    return this.#f64;
  }

  /** The whole memory as int32 (index = byte offset / 4). Valid until the next allocation. */
  get i32(): Int32Array {
    this.#refresh();
    return this.#i32;
  }

  /** Bytes of linear memory in use or on free lists (the high-water mark above the heap base). */
  get top(): number {
    return this.#top;
  }
}
