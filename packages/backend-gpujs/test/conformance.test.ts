/**
 * The conformance suite on every gpu.js mode that can run here (headlessgl needs an X display:
 * run under `xvfb-run -a`). Unavailable modes are reported, not run. The long training run takes
 * 1,000 steps here (headlessgl on Mesa's CPU renderer takes ~30 ms a step); `pnpm conformance`
 * runs the full 10,000.
 */
import { runConformance } from '@spectrans/conformance/vitest';
import { describe, test } from 'vitest';
import { conformanceTargets } from '../src/conformance-targets.js';

const only = process.env['SPECTRANS_GPUJS_MODES']?.split(',');
for (const target of await conformanceTargets()) {
  if (only && !only.includes(target.name.replace('gpujs-', ''))) continue;
  if (target.available) {
    runConformance({ ...target, longRunSteps: 1000 });
  } else {
    describe(`conformance: ${target.name}`, () => {
      test.skip(`unavailable: ${target.unavailableReason}`, () => {});
    });
  }
}
