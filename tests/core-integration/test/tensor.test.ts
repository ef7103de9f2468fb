import { createJsBackend } from '@spectrans/backend-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorCode } from './errors.js';
import {
  add,
  exp,
  keep,
  liveTensorCount,
  matmul,
  mul,
  setBackend,
  fill,
  LIMITS,
  tensor,
  tidy,
  zeros,
  type Backend,
} from '@spectrans/core';

let js: Backend;
beforeAll(async () => {
  js = await setBackend(createJsBackend());
});

describe('tensor()', () => {
  it('infers shapes from nested arrays and rounds float32 data', async () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6.1],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect((await t.data())[5]).toBe(Math.fround(6.1));
    expect(await t.array()).toEqual([
      [1, 2, 3],
      [4, 5, Math.fround(6.1)],
    ]);
    t.dispose();
  });

  it('raises typed errors for bad data, shapes and dtypes', () => {
    expect(errorCode(() => tensor([1, 2, 3], [2, 2]))).toBe('ERR_INVALID_SHAPE');
    expect(errorCode(() => tensor([[1, 2], [3]]))).toBe('ERR_INVALID_SHAPE');
    expect(errorCode(() => tensor([1, 2], [2.5]))).toBe('ERR_INVALID_SHAPE');
    expect(errorCode(() => tensor([1], [Infinity]))).toBe('ERR_INVALID_SHAPE');
    expect(errorCode(() => tensor([1, 2], [-2]))).toBe('ERR_INVALID_SHAPE');
    expect(errorCode(() => tensor(['a' as unknown as number], [1]))).toBe('ERR_INVALID_ARGUMENT');
    expect(errorCode(() => tensor([1], [1], 'int32' as never))).toBe('ERR_INVALID_ARGUMENT');
    const float32Only = { ...createJsBackend({ name: 'f32' }), capabilities: { dtypes: { float32: 'ieee' as const } } };
    expect(errorCode(() => tensor([1], [1], 'float64', { backend: float32Only }))).toBe('ERR_UNSUPPORTED_DTYPE');
  });

  it('fill works and checks the size limit with or without a native fill', async () => {
    const { fill: _native, ...noFill } = createJsBackend({ name: 'no-fill' });
    const huge = [LIMITS.maxTensorElements, 2];
    for (const backend of [js, noFill as Backend]) {
      expect(errorCode(() => fill(huge, 1, 'float32', { backend }))).toBe('ERR_INVALID_SHAPE');
      const t = fill([2, 3], 0.1, 'float32', { backend });
      expect(Array.from(await t.data())).toEqual(new Array(6).fill(Math.fround(0.1)));
      t.dispose();
    }
  });

  it('ops reject disposed tensors, mixed dtypes and mixed backends before any backend runs', () => {
    const a = tensor([1, 2], [1, 2]);
    const b = tensor([1, 2], [2, 1], 'float64');
    const other = tensor([1, 2], [2, 1], 'float32', { backend: createJsBackend({ name: 'other' }) });
    expect(errorCode(() => matmul(a, b))).toBe('ERR_DTYPE_MISMATCH');
    expect(errorCode(() => matmul(a, other))).toBe('ERR_BACKEND_MISMATCH');
    a.dispose();
    expect(errorCode(() => exp(a))).toBe('ERR_DISPOSED');
    expect(() => exp(a)).toThrow(/disposed/);
    b.dispose();
    other.dispose();
  });
});

describe('tidy and keep', () => {
  it('disposes intermediates, keeps returned and kept tensors, and cleans up on throw', () => {
    const before = liveTensorCount();
    const x = tensor([1, 2, 3], [3]);
    let kept: ReturnType<typeof tensor> | undefined;
    const result = tidy(() => {
      const y = mul(x, 2);
      kept = keep(add(y, 1));
      return { out: exp(y), list: [add(x, x)] };
    });
    expect(liveTensorCount() - before).toBe(4); // x, kept, out, list[0]
    expect(() =>
      tidy(() => {
        zeros([2]);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(liveTensorCount() - before).toBe(4);
    for (const t of [x, kept!, result.out, result.list[0]!]) t.dispose();
    expect(liveTensorCount()).toBe(before);
    expect(js.memory?.().handles ?? 0).toBeGreaterThanOrEqual(0);
  });

  it('nested tidy moves returned tensors to the enclosing scope', () => {
    const before = liveTensorCount();
    const outer = tidy(() => {
      const inner = tidy(() => zeros([2]));
      zeros([3]);
      return inner;
    });
    expect(liveTensorCount() - before).toBe(1);
    outer.dispose();
  });
});
