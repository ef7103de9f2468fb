/**
 * Storage: handles and bytes stay flat over 10,000-call loops, reshape shares a block safely,
 * growth of the linear memory never invalidates live tensors, and options are validated.
 */
import { describe, expect, it } from 'vitest';
import { SpectransError } from '@spectrans/core';
import { createWasmBackend, type WasmBackendOptions } from '../src/index.js';
import { ref, uniforms, upload } from './helpers.js';

describe('memory', () => {
  it.each([1, 2])(
    'a 10,000-call loop leaves handles, bytes and the linear memory flat (%i thread(s))',
    async (threads) => {
      const b = await createWasmBackend({ threads });
      const x = upload(b, uniforms(64 * 64, 1), [64, 64]);
      const step = (): void => {
        const y = b.matmul(x, x, false, true, [64, 64]);
        const z = b.unary('exp', ref(y, [64, 64]));
        const w = b.binaryScalar('mul', ref(z, [64, 64]), 0.5, false);
        const r = b.reshape(ref(w, [64, 64]), [4096]);
        const s = b.reduce('sum', ref(r, [4096]), 0);
        for (const h of [y, z, w, r, s]) b.dispose(h);
      };
      for (let i = 0; i < 100; i++) step();
      const before = b.memory!();
      const bufferBytes = b.wasmMemory.buffer.byteLength;
      for (let i = 0; i < 10_000; i++) step();
      expect(b.memory!()).toEqual(before);
      expect(b.wasmMemory.buffer.byteLength).toBe(bufferBytes);
      b.dispose(x.handle);
      expect(b.memory!()).toEqual({ handles: 0, bytes: 0 });
      await b.destroy();
    },
  );

  it('reshape shares the block; disposing either handle keeps the other readable', async () => {
    const b = await createWasmBackend({ threads: 1 });
    const x = upload(b, [1, 2, 3, 4, 5, 6], [2, 3]);
    const r = b.reshape(x, [3, 2]);
    expect(r.ptr).toBe(x.handle.ptr);
    expect(r.refcount).toBe(2);
    expect(b.memory!()).toEqual({ handles: 2, bytes: 48 });
    b.dispose(x.handle);
    expect(r.refcount).toBe(1);
    expect(Array.from(b.readSync!(ref(r, [3, 2])))).toEqual([1, 2, 3, 4, 5, 6]);
    b.dispose(r);
    b.dispose(r); // a second dispose is ignored
    expect(b.memory!()).toEqual({ handles: 0, bytes: 0 });
    await b.destroy();
  });

  it.each([1, 2])('growing the memory keeps live tensors intact (%i thread(s))', async (threads) => {
    const b = await createWasmBackend({ threads });
    const data = uniforms(1000, 9);
    const x = upload(b, data, [1000]);
    const y = b.unary('square', x);
    const before = b.wasmMemory.buffer.byteLength;
    const big = b.fromArray(new Float32Array(16 << 20), [16 << 20], 'float32'); // 64 MiB forces growth
    expect(b.wasmMemory.buffer.byteLength).toBeGreaterThan(before);
    expect(Array.from(b.readSync!(x))).toEqual(Array.from(data));
    const z = b.binary('add', ref(y, [1000]), x, [1000]);
    const got = b.readSync!(ref(z, [1000]));
    for (let i = 0; i < 1000; i++) expect(got[i]).toBe(Math.fround(Math.fround(data[i]! * data[i]!) + data[i]!));
    for (const h of [x.handle, y, big, z]) b.dispose(h);
    await b.destroy();
  });

  it.each([1, 2])(
    'growth from outside (wasmMemory.grow) keeps tensors and later uploads intact (%i thread(s))',
    async (threads) => {
      const b = await createWasmBackend({ threads });
      const data = uniforms(1000, 3);
      const x = upload(b, data, [1000]);
      b.wasmMemory.grow(1); // detaches a private buffer; a shared one's old views stay short
      expect(Array.from(b.readSync!(x))).toEqual(Array.from(data));
      // Past the old end of the memory: the views must cover the new block.
      const big = b.fromArray(uniforms(8 << 20, 4), [8 << 20], 'float32');
      const tail = b.slice(ref(big, [8 << 20]), [(8 << 20) - 3], [3]);
      expect(Array.from(b.readSync!(ref(tail, [3])))).toEqual(Array.from(uniforms(8 << 20, 4).subarray(-3)));
      for (const h of [x.handle, big, tail]) b.dispose(h);
      await b.destroy();
    },
  );

  it('float64 storage round-trips and casts round to nearest', async () => {
    const b = await createWasmBackend({ threads: 1 });
    const x = upload(b, [0.1, 1 / 3, 1e300], [3], 'float64');
    expect(b.readSync!(x)).toEqual(Float64Array.from([0.1, 1 / 3, 1e300]));
    const c = b.cast(x, 'float32');
    expect(b.readSync!(ref(c, [3]))).toEqual(Float32Array.from([0.1, 1 / 3, Infinity]));
    b.dispose(x.handle);
    b.dispose(c);
    await b.destroy();
  });

  it.each([1, 2])(
    'float64 data uploaded as float32 rounds as Math.fround, in chunks (%i thread(s))',
    async (threads) => {
      const b = await createWasmBackend({ threads });
      const special = [
        0,
        -0,
        NaN,
        Infinity,
        -Infinity,
        3.4028235677973366e38,
        3.5e38,
        -1e39,
        1e-46,
        -1e-45,
        1.4e-45,
        2 ** -149,
        0.1,
      ];
      for (const n of [63, 64, 65, 16384, (1 << 14) * 3 + 7]) {
        const data = Float64Array.from(uniforms(n, n), (x, i) =>
          i < special.length ? special[i]! : x * 10 ** ((i % 80) - 40),
        );
        const before = b.memory!();
        const h = b.fromArray(data, [n], 'float32');
        const got = b.readSync!(ref(h, [n]));
        const want = Float32Array.from(data);
        expect(Object.is(got[1], -0)).toBe(true);
        expect(got).toEqual(want);
        b.dispose(h);
        expect(b.memory!()).toEqual(before);
      }
      await b.destroy();
    },
  );

  it.each([
    ['float32', 1],
    ['float64', 1],
    ['float32', 2],
    ['float64', 2],
  ] as const)(
    'large %s reads are owned copies, exact (%i thread(s): private or shared memory)',
    async (dtype, threads) => {
      const b = await createWasmBackend({ threads });
      const n = (1 << 17) + 3; // above the uninitialised-buffer threshold; an odd length
      const data = dtype === 'float32' ? Float32Array.from(uniforms(n, 3)) : Float64Array.from(uniforms(n, 3));
      const h = b.fromArray(data, [n], dtype);
      const r = { handle: h, shape: [n], dtype };
      for (const got of [b.readSync!(r), await b.read(r)]) {
        expect(got).toBeInstanceOf(dtype === 'float32' ? Float32Array : Float64Array);
        expect(got.length).toBe(n);
        expect(got.buffer).toBeInstanceOf(ArrayBuffer); // never a view of the (shared) wasm memory
        expect(got.buffer.byteLength).toBe(got.byteLength);
        expect(got).toEqual(data);
        got[0] = 42; // the copy is the caller's: the tensor keeps its value
      }
      expect(b.readSync!(r)[0]).toBe(data[0]);
      b.dispose(h);
      await b.destroy();
    },
  );
});

describe('options and lifecycle', () => {
  it('rejects bad options by name', async () => {
    const rejects = async (options: unknown, code: string, message: RegExp): Promise<void> => {
      const e = await createWasmBackend(options as WasmBackendOptions).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(SpectransError);
      expect((e as SpectransError).code).toBe(code);
      expect((e as Error).message).toMatch(message);
    };
    await rejects({ threads: 0 }, 'ERR_INVALID_ARGUMENT', /threads must be an integer >= 1/);
    await rejects({ threads: 1.5 }, 'ERR_INVALID_ARGUMENT', /threads must be an integer >= 1, got 1\.5/);
    await rejects({ name: '' }, 'ERR_INVALID_ARGUMENT', /name must be a non-empty string/);
    await rejects({ thread: 2 }, 'ERR_INVALID_ARGUMENT', /unknown option 'thread'; did you mean 'threads'\?/);
    await rejects(null, 'ERR_INVALID_ARGUMENT', /options must be an object, got null/);
    await rejects({ wasmBaseUrl: 42 }, 'ERR_INVALID_ARGUMENT', /wasmBaseUrl must be a string or a URL/);
    await rejects(
      { threads: 1, wasmBaseUrl: 'file:///nonexistent/' },
      'ERR_BACKEND_INIT',
      /spectrans-simd\.wasm not found/,
    );
  });

  it('reports its threads; ops after destroy() throw', async () => {
    const b = await createWasmBackend({ threads: 2 });
    expect(b.threads).toBe(2);
    expect(b.threadingNote).toBeUndefined();
    expect(b.name).toBe('wasm');
    const x = upload(b, uniforms(256 * 256, 3), [256, 256]);
    await b.destroy();
    expect(() => b.matmul(x, x, false, false, [256, 256])).toThrow(/used after destroy/);
    expect(() => b.matmul(x, x, false, false, [256, 256])).toThrow(expect.objectContaining({ code: 'ERR_DISPOSED' }));
  });

  it('runs single-threaded with a note where SharedArrayBuffer is unavailable', async () => {
    const g = globalThis as { SharedArrayBuffer?: unknown };
    const saved = g.SharedArrayBuffer;
    delete g.SharedArrayBuffer;
    try {
      const b = await createWasmBackend({ threads: 4 });
      expect(b.threads).toBe(1);
      expect(b.threadingNote).toMatch(/single-threaded: SharedArrayBuffer is unavailable/);
      const x = upload(b, [1, 2, 3, 4], [2, 2]);
      const y = b.matmul(x, x, false, false, [2, 2]);
      expect(Array.from(b.readSync!(ref(y, [2, 2])))).toEqual([7, 10, 15, 22]);
      b.dispose(x.handle);
      b.dispose(y);
      await b.destroy();
    } finally {
      g.SharedArrayBuffer = saved;
    }
  });

  it('defaults to the available cores', async () => {
    const { availableParallelism } = await import('node:os');
    const b = await createWasmBackend();
    expect(b.threads).toBe(availableParallelism());
    await b.destroy();
  });
});
