/**
 * `@spectrans/backend-gpujs/conformance-targets`: this package's targets for the conformance suite
 * (`spectrans-conformance @spectrans/backend-gpujs/conformance-targets`). Not re-exported from the
 * package entry: it exists for the suite, not for applications.
 * @packageDocumentation
 */
import type { ConformanceTarget } from '@spectrans/conformance';
import { createGpujsBackend } from './backend.js';
import { gpujsModeStatus, type GpujsMode } from './modes.js';

/** One gpu.js mode as a conformance target, with whether it can start here. */
export interface GpujsConformanceTarget extends ConformanceTarget {
  /** Whether the mode can start here; when not, `create` rejects with `unavailableReason`. */
  readonly available: boolean;
  readonly unavailableReason?: string;
}

/** The modes the suite runs: the Node GPU path, WebAssembly and plain JavaScript. */
export const CONFORMANCE_MODES: readonly GpujsMode[] = ['headlessgl', 'webasm', 'cpu'];

/**
 * One target per mode in {@link CONFORMANCE_MODES}, available or not: a mode that cannot start
 * here is still listed, and its `create` rejects with `ERR_BACKEND_INIT` naming what is missing
 * (e.g. for headlessgl without an X display: "run under xvfb-run"), so reports show why.
 *
 * @example
 * ```ts
 * for (const t of await conformanceTargets()) if (t.available) runConformance(t);
 * ```
 */
export async function conformanceTargets(): Promise<GpujsConformanceTarget[]> {
  const targets: GpujsConformanceTarget[] = [];
  for (const mode of CONFORMANCE_MODES) {
    const status = await gpujsModeStatus(mode);
    targets.push({
      name: `gpujs-${mode}`,
      create: () => createGpujsBackend({ mode }),
      dtypes: ['float32'],
      available: status.available,
      ...(status.available ? {} : { unavailableReason: status.reason }),
    });
  }
  return targets;
}
