/** Which gpu.js modes the tests run: every mode that can start here (headlessgl needs xvfb-run). */
import { gpujsModeStatus, type GpujsMode, type ModeStatus } from '../../src/index.js';

/** The modes under test, in order. */
export const TEST_MODES: readonly GpujsMode[] = ['headlessgl', 'webasm', 'cpu'];

/** Status of each test mode (probed once per test file). */
export async function modeStatuses(): Promise<{ mode: GpujsMode; status: ModeStatus }[]> {
  const only = process.env['SPECTRANS_GPUJS_MODES']?.split(',');
  const modes = only ? TEST_MODES.filter((m) => only.includes(m)) : TEST_MODES;
  return Promise.all(modes.map(async (mode) => ({ mode, status: await gpujsModeStatus(mode) })));
}
