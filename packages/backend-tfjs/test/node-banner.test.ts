/**
 * tfjs's cpu engine prints "Hi, looks like you are running TensorFlow.js in Node.js..." on its first
 * tensor. The backend owns the engine and spends that first tensor quietly: creating backends and
 * computing prints nothing. Checked in fresh Node processes (tfjs prints it once per process).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { createTfjsBackend } from '../src/index.js';
import { spendFirstTensorQuietly } from '../src/node-banner.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** Runs an ES module in a fresh Node process (TypeScript through tsx); its stdout and stderr. */
function runFresh(code: string, withTsx = true): { stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...(withTsx ? ['--import', 'tsx'] : []), '--input-type=module', '-e', code], {
    cwd: packageDir,
    encoding: 'utf8',
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  if (r.status !== 0) throw new Error(`child exited with ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

const BANNER = /looks like you are running TensorFlow\.js in Node\.js/;

describe("tfjs's Node.js banner", () => {
  it('is printed by tfjs itself on the first cpu tensor (the control: the check below can fail)', () => {
    const { stdout, stderr } = runFresh(
      "const tf = await import('@tensorflow/tfjs-core'); await import('@tensorflow/tfjs-backend-cpu'); await tf.setBackend('cpu'); tf.zeros([1]);",
      false,
    );
    expect(stdout + stderr).toMatch(BANNER);
  });

  it('is not printed: creating the cpu and wasm backends and computing on them writes nothing to the console', () => {
    // Every console method is counted, and the raw stderr is checked too.
    const { stdout, stderr } = runFresh(`
      const written = [];
      for (const m of ['log', 'warn', 'error', 'info', 'debug']) {
        console[m] = (...a) => { written.push([m, a.join(' ')]); };
      }
      const { setBackend, tensor, matmul } = await import('@spectrans/core');
      const { createTfjsBackend } = await import('./src/index.ts');
      const { createTfjsBackend: createCpu } = await import('./src/cpu.ts');
      for (const b of [await createTfjsBackend({ engine: 'cpu' }), await createTfjsBackend({ engine: 'wasm' }), await createCpu()]) {
        await setBackend(b);
        const c = matmul(tensor([[1, 2]]), tensor([[3], [4]]));
        if ((await c.array())[0][0] !== 11) throw new Error('wrong product on ' + b.name);
      }
      process.stdout.write(JSON.stringify(written));
    `);
    expect(JSON.parse(stdout)).toEqual([]);
    expect(stderr).toBe('');
  });

  it("restores tfjs's PROD flag, so later tfjs warnings still show (and keeps a user's PROD mode)", async () => {
    await createTfjsBackend({ engine: 'cpu' });
    expect(tf.env().getBool('PROD')).toBe(false);
    const flags = new Map<string, boolean>([['PROD', true]]);
    let duringFirstTensor: boolean | undefined;
    const stub = {
      env: () => ({
        getBool: (f: string) => flags.get(f) ?? false,
        set: (f: string, v: boolean) => void flags.set(f, v),
      }),
      zeros: () => {
        duringFirstTensor = flags.get('PROD');
        return 'tensor';
      },
      dispose: () => undefined,
    };
    spendFirstTensorQuietly(stub as never);
    expect(duringFirstTensor).toBe(true);
    expect(flags.get('PROD')).toBe(true); // the user's own enableProdMode() survives
    flags.set('PROD', false);
    spendFirstTensorQuietly(stub as never);
    expect(flags.get('PROD')).toBe(false);
  });
});
