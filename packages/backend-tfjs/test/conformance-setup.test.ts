/**
 * The webgl conformance target turns tfjs's WEBGL_CPU_FORWARD off, so the shaders compute every
 * case (tfjs otherwise hands ops on small CPU-resident tensors to its cpu kernels). Node has no
 * WebGL: the target's backend cannot start here, but the flag is set before it tries.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { applyConformanceFlags, CONFORMANCE_FLAGS } from '../src/conformance-setup.js';
import { conformanceTargets, tfjsConformanceTarget } from '../src/conformance-targets.js';
import { TFJS_ENGINES } from '../src/engines.js';

function recordingEnv(): { env: { set(flag: string, value: boolean): void }; sets: [string, boolean][] } {
  const sets: [string, boolean][] = [];
  return { env: { set: (flag, value) => void sets.push([flag, value]) }, sets };
}

describe('conformance flags', () => {
  it('webgl: WEBGL_CPU_FORWARD is set off; the other engines are left as tfjs has them', () => {
    for (const engine of TFJS_ENGINES) {
      const { env, sets } = recordingEnv();
      applyConformanceFlags(env, engine);
      expect(sets, engine).toEqual(engine === 'webgl' ? [['WEBGL_CPU_FORWARD', false]] : []);
    }
    expect(CONFORMANCE_FLAGS.webgl).toEqual({ WEBGL_CPU_FORWARD: false });
  });

  it("the tfjs-webgl target's create turns WEBGL_CPU_FORWARD off in tfjs's own environment before the engine starts", async () => {
    await import('@tensorflow/tfjs-backend-webgl'); // registers the webgl flags
    tf.env().set('WEBGL_CPU_FORWARD', true); // tfjs's default
    const target = tfjsConformanceTarget('webgl');
    expect(target.name).toBe('tfjs-webgl');
    await expect(target.create()).rejects.toMatchObject({ code: 'ERR_BACKEND_INIT' }); // no WebGL in Node
    expect(tf.env().getBool('WEBGL_CPU_FORWARD')).toBe(false);
    tf.env().set('WEBGL_CPU_FORWARD', true); // leave tfjs as found
  });

  it('the Node targets (cpu, wasm) are created without touching tfjs flags', async () => {
    const targets = await conformanceTargets();
    expect(targets.map((t) => t.name).slice(0, 2)).toEqual(['tfjs-cpu', 'tfjs-wasm']);
    const before = { ...tf.env().getFlags() };
    for (const t of targets.slice(0, 2)) await t.create();
    const after = tf.env().getFlags();
    for (const [flag, value] of Object.entries(before)) expect(after[flag], flag).toBe(value);
  });
});
