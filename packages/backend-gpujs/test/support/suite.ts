/** One describe block per gpu.js mode that can run here, with its backend created once. */
import { tensor, type Precision, type Tensor } from '@spectrans/core';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { createGpujsBackend, type GpujsBackend, type GpujsMode } from '../../src/index.js';
import { modeStatuses } from './modes.js';

/** What a mode's tests receive. */
export interface ModeContext {
  readonly mode: GpujsMode;
  /** The backend (created in beforeAll). */
  readonly backend: GpujsBackend;
  /** Its declared float32 precision. */
  readonly precision: Precision;
  /** A float32 tensor on this backend. */
  t(data: ArrayLike<number>, shape: readonly number[]): Tensor;
}

const statuses = await modeStatuses();

/**
 * Registers `body` once per mode; modes that cannot start here get one skipped test naming why
 * (e.g. headlessgl outside xvfb-run).
 */
export function describeModes(title: string, body: (ctx: ModeContext) => void): void {
  for (const { mode, status } of statuses) {
    if (!status.available) {
      describe(`${title} [${mode}]`, () => {
        test.skip(`unavailable: ${status.reason}`, () => {});
      });
      continue;
    }
    describe(`${title} [${mode}]`, () => {
      let backend: GpujsBackend | undefined;
      beforeAll(async () => {
        backend = await createGpujsBackend({ mode });
      });
      afterAll(async () => {
        await backend?.destroy();
      });
      const ctx: ModeContext = {
        mode,
        get backend(): GpujsBackend {
          if (!backend) throw new Error('backend not created');
          return backend;
        },
        get precision(): Precision {
          return ctx.backend.capabilities.dtypes.float32;
        },
        t: (data, shape) => tensor(data, shape, 'float32', { backend: ctx.backend }),
      };
      body(ctx);
    });
  }
}
