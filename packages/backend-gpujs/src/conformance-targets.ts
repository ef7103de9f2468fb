/**
 * Conformance targets of this package, loaded by path by the conformance CLI
 * (`spectrans-conformance packages/backend-gpujs/src/conformance-targets.ts`). Not re-exported
 * from the package entry: it exists for the suite, not for applications.
 */
import type { Backend, DType } from '@spectrans/core';
import { createGpujsBackend } from './backend.js';
import { gpujsModeStatus, type GpujsMode } from './modes.js';

/** A case id (or id prefix) with the reason it is skipped or expected to fail. */
export interface GpujsIdReason {
  readonly id: string;
  readonly reason: string;
}

/** One backend for the conformance suite (structurally the suite's `ConformanceTarget`). */
export interface GpujsConformanceTarget {
  readonly name: string;
  readonly create: () => Promise<Backend>;
  readonly skip?: readonly GpujsIdReason[];
  readonly expectedFailures?: readonly GpujsIdReason[];
  /** The dtypes the backend declares (float32 only), so the suite registers no float64 cases. */
  readonly dtypes: readonly DType[];
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

export default conformanceTargets;
