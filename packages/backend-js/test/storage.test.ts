import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { add, cast, reshape, setBackend, tensor, tidy, zeros } from '@spectrans/core';
import { optionalOpSupport, type TensorRef } from '@spectrans/core/backend';
import { createJsBackend, JS_CAPABILITIES, type JsHandle } from '../src/index.js';
import { DTYPES_UNDER_TEST, expectDType, expectExact } from './helpers.js';

const backend = createJsBackend();

beforeAll(async () => {
  await setBackend(backend);
});

afterEach(() => {
  expect(backend.memory!()).toEqual({ handles: 0, bytes: 0 });
});

const ref = (handle: JsHandle, shape: number[], dtype: 'float32' | 'float64'): TensorRef<JsHandle> => ({
  handle,
  shape,
  dtype,
});

describe('createJsBackend', () => {
  it('has the default name, the given name, IEEE capabilities for both dtypes and rounding float64 uploads', () => {
    expect(backend.name).toBe('js');
    expect(createJsBackend({ name: 'oracle' }).name).toBe('oracle');
    expect(backend.capabilities).toEqual({ dtypes: { float32: 'ieee', float64: 'ieee' }, roundsFloat64Uploads: true });
    expect(JS_CAPABILITIES).toBe(backend.capabilities);
    expect(() => createJsBackend({ name: '' })).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_ARGUMENT',
        message: expect.stringMatching(/name must be a non-empty string/),
      }),
    );
    expect(() => createJsBackend({ nmae: 'x' } as never)).toThrow(/unknown option 'nmae'; did you mean 'name'\?/);
  });

  it('implements every optional op natively but the fused attention, which core composes for it', () => {
    for (const op of ['linalg/qr', 'linalg/eigh', 'linalg/svd', 'fwht', 'rffFeatures'] as const) {
      expect(optionalOpSupport(backend as never, op)).toBe('native');
    }
    expect(optionalOpSupport(backend as never, 'logLinearAttention')).toBe('fallback');
  });

  it('keeps separate accounting per instance', () => {
    const other = createJsBackend();
    const h = other.fromArray(new Float32Array(4), [4], 'float32');
    expect(other.memory!()).toEqual({ handles: 1, bytes: 16 });
    expect(backend.memory!()).toEqual({ handles: 0, bytes: 0 });
    backend.dispose(h); // not ours: ignored
    expect(other.memory!().handles).toBe(1);
    other.dispose(h);
    expect(other.memory!()).toEqual({ handles: 0, bytes: 0 });
  });
});

describe.each(DTYPES_UNDER_TEST)('storage (%s)', (dtype) => {
  const Arr = dtype === 'float32' ? Float32Array : Float64Array;
  const bytes = dtype === 'float32' ? 4 : 8;

  it('adopts the uploaded array, reads copies of the right dtype', async () => {
    const data = Arr.from([1, 2, 3, 4, 5, 6]);
    const h = backend.fromArray(data, [2, 3], dtype);
    expect(h.data).toBe(data);
    expect(backend.memory!()).toEqual({ handles: 1, bytes: 6 * bytes });
    const r = ref(h, [2, 3], dtype);
    const a = await backend.read(r);
    const b = backend.readSync!(r);
    expectDType(a, dtype);
    expectDType(b, dtype);
    expectExact(a, [1, 2, 3, 4, 5, 6]);
    expect(a).not.toBe(data);
    a[0] = 99;
    b[1] = 99;
    expectExact(backend.readSync!(r), [1, 2, 3, 4, 5, 6]);
    backend.dispose(h);
    expect(h.disposed).toBe(true);
    backend.dispose(h); // a second dispose is harmless
    expect(backend.memory!()).toEqual({ handles: 0, bytes: 0 });
    expect(() => backend.readSync!(r)).toThrow(/after dispose/);
    await expect(backend.read(r)).rejects.toThrow(/after dispose/);
  });

  it('converts an array of the other dtype on upload', () => {
    const other = dtype === 'float32' ? Float64Array.from([0.1, 2]) : Float32Array.from([0.1, 2]);
    const h = backend.fromArray(other, [2], dtype);
    expectDType(h.data, dtype);
    expect(h.data[0]).toBe(dtype === 'float32' ? Math.fround(0.1) : Math.fround(0.1));
    backend.dispose(h);
  });

  it('reshape shares storage, and disposing either handle leaves the other readable', () => {
    const x = tensor([1, 2, 3, 4, 5, 6], [2, 3], dtype);
    const y = reshape(x, [3, 2]);
    expect(backend.memory!()).toEqual({ handles: 2, bytes: 12 * bytes });
    x.dispose();
    expectExact(y.dataSync(), [1, 2, 3, 4, 5, 6]);
    const z = reshape(y, [6]);
    y.dispose();
    expectExact(z.dataSync(), [1, 2, 3, 4, 5, 6]);
    z.dispose();
  });

  it('returns to zero live handles after ops inside tidy and dispose', () => {
    const out = tidy(() => add(zeros([3, 4], dtype), tensor([1, 2, 3, 4], [4], dtype)));
    expect(backend.memory!().handles).toBe(1);
    expectExact(out.dataSync(), [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4]);
    out.dispose();
  });

  it('handles empty and scalar tensors', () => {
    const e = tensor([], [0, 3], dtype);
    expect(e.dataSync().length).toBe(0);
    const s = tensor(7, [], dtype);
    expectExact(s.dataSync(), [7]);
    e.dispose();
    s.dispose();
  });
});

describe('cast', () => {
  it('rounds to nearest when narrowing and is exact when widening; always copies', () => {
    const x = tensor([0.1, 1 / 3, 1e40, -1e-50, NaN, -Infinity], [6], 'float64');
    const y = cast(x, 'float32');
    const yd = y.dataSync();
    expectDType(yd, 'float32');
    expectExact(yd, [0.1, 1 / 3, 1e40, -1e-50, NaN, -Infinity].map(Math.fround));
    const z = cast(y, 'float64');
    expectExact(z.dataSync(), [0.1, 1 / 3, 1e40, -1e-50, NaN, -Infinity].map(Math.fround));
    const w = cast(x, 'float64');
    expect((w.ref().handle as JsHandle).data).not.toBe((x.ref().handle as JsHandle).data);
    for (const t of [x, y, z, w]) t.dispose();
  });
});
