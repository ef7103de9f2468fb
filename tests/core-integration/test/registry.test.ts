import { createJsBackend } from '@spectrans/backend-js';
import { afterEach, describe, expect, it } from 'vitest';
import { errorCode, errorCodeAsync } from './errors.js';
import {
  currentBackend,
  getBackend,
  listBackends,
  ready,
  registerBackend,
  removeBackend,
  setBackend,
  type Backend,
} from '@spectrans/core';

const names: string[] = [];
function register(name: string, factory: () => Backend | Promise<Backend>, priority?: number): void {
  registerBackend(name, factory, { priority });
  names.push(name);
}

afterEach(() => {
  for (const n of names.splice(0)) removeBackend(n);
});

describe('backend registry', () => {
  it('has no backend until one is set: a clear ERR_NO_BACKEND', () => {
    if (currentBackend() === undefined) {
      expect(errorCode(() => getBackend())).toBe('ERR_NO_BACKEND');
      expect(() => getBackend()).toThrow(/setBackend\(createJsBackend\(\)\)/);
    }
  });

  it('ready() starts the highest non-negative priority that works and lists every failure otherwise', async () => {
    register(
      'broken-a',
      () => {
        throw new Error('no GPU here');
      },
      10,
    );
    register(
      'broken-b',
      async () => {
        throw new Error('wasm missing');
      },
      5,
    );
    register('explicit-only', () => createJsBackend({ name: 'explicit-only' }), -1);
    await expect(ready()).rejects.toThrow(/broken-a: .*no GPU here[\s\S]*broken-b: .*wasm missing/);
    register('works', () => createJsBackend({ name: 'works' }), 1);
    const b = await ready();
    expect(b.name).toBe('works');
    expect(listBackends().map((e) => [e.name, e.current])).toEqual([
      ['broken-a', false],
      ['broken-b', false],
      ['works', true],
      ['explicit-only', false],
    ]);
    await setBackend('explicit-only');
    expect(getBackend().name).toBe('explicit-only');
    removeBackend('explicit-only');
    names.splice(names.indexOf('explicit-only'), 1);
    expect(currentBackend()).toBeUndefined();
  });

  it('rejects duplicate names, unknown names and objects that are not backends', async () => {
    register('dup', () => createJsBackend());
    expect(errorCode(() => registerBackend('dup', () => createJsBackend()))).toBe('ERR_INVALID_ARGUMENT');
    expect(await errorCodeAsync(() => setBackend('nope'))).toBe('ERR_NO_BACKEND');
    expect(await errorCodeAsync(() => setBackend({ name: 'half' } as unknown as Backend))).toBe('ERR_BACKEND_INIT');
    register('bad-factory', () => ({ name: 'x' }) as unknown as Backend);
    await expect(setBackend('bad-factory')).rejects.toThrow(/missing fromArray/);
  });

  it('setBackend with an instance takes effect at once', async () => {
    const js = createJsBackend({ name: 'instance' });
    const pending = setBackend(js);
    expect(getBackend()).toBe(js);
    await pending;
  });
});
