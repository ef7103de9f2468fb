/** Mode detection, names, clear errors for unavailable modes, and no side effects on import. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { matmul, registerBackend, removeBackend, setBackend, SpectransError, tensor } from '@spectrans/core';
import { describe, expect, test } from 'vitest';
import { createGpujsBackend, gpujsModeStatus, isGpujsModeAvailable, type GpujsMode } from '../src/index.js';
import { modeStatuses } from './support/modes.js';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** Runs test/fixtures/start-mode.ts in a fresh Node (through tsx) with `env`; returns its JSON line. */
async function startInChild(
  mode: string,
  env: NodeJS.ProcessEnv,
): Promise<{
  ok: boolean;
  code?: string;
  message?: string;
  name?: string;
  afterImport: boolean;
  afterCreate: boolean;
}> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/fixtures/start-mode.ts', mode], {
    cwd: packageDir,
    env,
    timeout: 60_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as never;
}

const statuses = await modeStatuses();

describe('modes', () => {
  for (const { mode, status } of statuses) {
    test.skipIf(!status.available)(`${mode}: runs the mode it was asked for and says so`, async () => {
      const backend = await createGpujsBackend({ mode });
      try {
        expect(backend.name).toBe(`gpujs-${mode}`);
        expect(backend.mode).toBe(mode);
        expect(await isGpujsModeAvailable(mode)).toBe(true);
        await setBackend(backend);
        expect(Array.from(await matmul(tensor([[1, 2]]), tensor([[3], [4]])).data())).toEqual([11]);
      } finally {
        await backend.destroy();
      }
    });
  }

  test('cpu and webasm are always available in Node', async () => {
    expect(await isGpujsModeAvailable('cpu')).toBe(true);
    expect(await isGpujsModeAvailable('webasm')).toBe(true);
  });

  test.each(['webgl', 'webgl2'] as GpujsMode[])(
    '%s in Node: a clear ERR_BACKEND_INIT, not a silent fallback',
    async (mode) => {
      expect(await gpujsModeStatus(mode)).toEqual({
        available: false,
        reason: expect.stringContaining("in Node use mode 'headlessgl'"),
      });
      await expect(createGpujsBackend({ mode })).rejects.toMatchObject({
        code: 'ERR_BACKEND_INIT',
        message: expect.stringContaining(`'${mode}' is not available`),
      });
    },
  );

  test('an unknown mode or cache size is ERR_INVALID_ARGUMENT', async () => {
    await expect(createGpujsBackend({ mode: 'gpu' as GpujsMode })).rejects.toBeInstanceOf(SpectransError);
    await expect(createGpujsBackend({ mode: 'gpu' as GpujsMode })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
    await expect(createGpujsBackend({ mode: 'cpu', kernelCacheSize: 0 })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
    await expect(createGpujsBackend({ mode: 'cpu', cacheSize: 3 } as never)).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
      message: expect.stringMatching(/unknown option 'cacheSize'/),
    });
  });

  test('headlessgl without an X display fails with ERR_BACKEND_INIT saying to use xvfb-run', async () => {
    const env = { ...process.env };
    delete env['DISPLAY'];
    const result = await startInChild('headlessgl', env);
    expect(result).toMatchObject({ ok: false, code: 'ERR_BACKEND_INIT' });
    expect(result.message).toMatch(/DISPLAY is not set.*xvfb-run/);
  });

  test('importing the package does not load gpu.js; creating a backend does', async () => {
    const result = await startInChild('cpu', process.env);
    expect(result).toMatchObject({ ok: true, name: 'gpujs-cpu', afterImport: false, afterCreate: true });
  });

  test('works through the registry, by name', async () => {
    registerBackend('gpujs-test', () => createGpujsBackend({ mode: 'cpu' }), { priority: -1 });
    try {
      const backend = await setBackend('gpujs-test');
      expect(backend.name).toBe('gpujs-cpu');
      await backend.destroy?.();
    } finally {
      removeBackend('gpujs-test');
    }
  });
});
