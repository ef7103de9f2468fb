/**
 * `@spectrans/backend-tfjs/conformance-targets`: this package's targets for the conformance suite
 * (`spectrans-conformance @spectrans/backend-tfjs/conformance-targets`). Not re-exported from the
 * package entry: it exists for the suite, not for applications.
 * @packageDocumentation
 */
import type { ConformanceTarget, IdReason } from '@spectrans/conformance';
import { ALL_ENGINES, createTfjsBackend, isTfjsEngineAvailable } from './all-engines.js';
import { applyConformanceFlags, CONFORMANCE_FLAGS } from './conformance-setup.js';
import { loadEngine, type TfjsEngine } from './engines.js';

/** Skips and expected failures per engine (every entry says why). */
export const TFJS_CONFORMANCE_EXCEPTIONS: Readonly<
  Record<TfjsEngine, { skip: readonly IdReason[]; expectedFailures: readonly IdReason[] }>
> = Object.freeze({
  cpu: { skip: [], expectedFailures: [] },
  wasm: { skip: [], expectedFailures: [] },
  // Measured in headless Chromium 156 on SwiftShader WebGL 2 (examples/browser's end-to-end test;
  // Node has no WebGL): every case passes with the webgl corrections of ENGINE_FIXES.
  webgl: { skip: [], expectedFailures: [] },
  tensorflow: { skip: [], expectedFailures: [] },
});

/**
 * The target of one engine. Its `create` first sets the engine's conformance flags on tfjs (for
 * webgl, `WEBGL_CPU_FORWARD` off, so that the shaders compute even the small tensors; tfjs's
 * default sends those to its cpu kernels), then creates the backend.
 */
export function tfjsConformanceTarget(engine: TfjsEngine): ConformanceTarget {
  const { skip, expectedFailures } = TFJS_CONFORMANCE_EXCEPTIONS[engine];
  return {
    name: `tfjs-${engine}`,
    create: async () => {
      if (CONFORMANCE_FLAGS[engine] !== undefined) {
        const { tf } = await loadEngine(engine, ALL_ENGINES.importers); // registers the engine's flags
        applyConformanceFlags(tf.env(), engine);
      }
      return createTfjsBackend({ engine });
    },
    dtypes: ['float32'],
    ...(skip.length > 0 ? { skip } : {}),
    ...(expectedFailures.length > 0 ? { expectedFailures } : {}),
  };
}

/**
 * The targets: `tfjs-cpu` and `tfjs-wasm`, plus `tfjs-tensorflow` when @tensorflow/tfjs-node is
 * installed and loads (it is an optional peer whose install downloads libtensorflow). `tfjs-webgl`
 * needs a browser (Node has no WebGL): `tfjsConformanceTarget('webgl')` gives it to a page.
 */
export async function conformanceTargets(): Promise<ConformanceTarget[]> {
  const targets = [tfjsConformanceTarget('cpu'), tfjsConformanceTarget('wasm')];
  if (await isTfjsEngineAvailable('tensorflow')) targets.push(tfjsConformanceTarget('tensorflow'));
  return targets;
}
