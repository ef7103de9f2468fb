/**
 * The vitest driver's registration, through a recording stand-in for vitest's API: a target that
 * lists its dtypes gets one skipped test per other dtype, a backend contradicting that list fails
 * at start, and synchronous stretches give the event loop a turn.
 */
import { createJsBackend } from '@spectrans/backend-js';
import { describe, expect, it } from 'vitest';
import { registerConformance, type VitestApi } from '../src/driver.js';
import { createEventLoopYielder } from '../src/event-loop.js';
import { derive } from './fixtures/broken-backends.js';

interface Recorded {
  titles: string[];
  bodies: Map<string, (ctx: { skip: (note?: string) => never }) => unknown>;
  hooks: (() => unknown)[];
}

function recordingApi(): { api: VitestApi; rec: Recorded } {
  const rec: Recorded = { titles: [], bodies: new Map(), hooks: [] };
  const test = ((title: string, fn: (ctx: { skip: (note?: string) => never }) => unknown) => {
    rec.titles.push(title);
    rec.bodies.set(title, fn);
  }) as unknown as VitestApi['test'];
  (test as unknown as { fails: unknown }).fails = test;
  const api = {
    describe: ((_: string, fn: () => void) => fn()) as unknown as VitestApi['describe'],
    test,
    beforeAll: ((fn: () => unknown) => rec.hooks.push(fn)) as unknown as VitestApi['beforeAll'],
    afterAll: (() => undefined) as unknown as VitestApi['afterAll'],
  };
  return { api, rec };
}

const skipCtx = {
  skip: (note?: string): never => {
    throw new Error(`skipped: ${note}`);
  },
};

describe('registerConformance', () => {
  it('registers one skipped test per dtype the target does not list, instead of one per case', () => {
    const { api: all, rec: everyCase } = recordingApi();
    registerConformance(all, { name: 'js', create: () => createJsBackend(), filter: 'ops/add' });
    const { api, rec } = recordingApi();
    registerConformance(api, { name: 'js', create: () => createJsBackend(), filter: 'ops/add', dtypes: ['float32'] });
    const float64 = everyCase.titles.filter((t) => t.endsWith('/float64'));
    expect(float64.length).toBeGreaterThan(1);
    expect(rec.titles.filter((t) => t.endsWith('/float64'))).toEqual([]);
    expect(rec.titles).toContain(`float64 (${float64.length} cases)`);
    expect(() => rec.bodies.get(`float64 (${float64.length} cases)`)!(skipCtx)).toThrow(
      "target 'js' does not declare float64",
    );
    expect(rec.titles.length).toBe(everyCase.titles.length - float64.length + 1);
  });

  it('fails every case when the backend declares other dtypes than the target lists', async () => {
    const { api, rec } = recordingApi();
    const float32Only = () => derive('float32-only', () => ({ capabilities: { dtypes: { float32: 'ieee' } } }));
    registerConformance(api, { name: 'liar', create: float32Only, filter: 'ops/add', dtypes: ['float32', 'float64'] });
    for (const hook of rec.hooks) await hook();
    const first = rec.titles.find((t) => t.endsWith('/float32'))!;
    await expect(async () => rec.bodies.get(first)!(skipCtx)).rejects.toThrow(
      "target 'liar' lists dtypes [float32, float64] but the backend declares [float32]",
    );
  });
});

describe('createEventLoopYielder', () => {
  it('lets macrotasks run inside a chain of microtasks once the stretch is over', async () => {
    const breathe = createEventLoopYielder(5);
    let fired = false;
    setImmediate(() => (fired = true));
    const start = performance.now();
    // Busy microtask-only work: without the yielder the immediate could not run before the loop ends.
    while (!fired && performance.now() - start < 1000) {
      await Promise.resolve();
      await breathe();
    }
    expect(fired).toBe(true);
    expect(performance.now() - start).toBeLessThan(500);
  });

  it('costs nothing while the stretch is short', async () => {
    const breathe = createEventLoopYielder(60_000);
    let fired = false;
    setImmediate(() => (fired = true));
    for (let i = 0; i < 1000; i++) await breathe();
    expect(fired).toBe(false);
  });
});
