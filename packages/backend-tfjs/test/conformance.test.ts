/**
 * The cross-backend conformance suite on both engines that install from npm (and on tfjs-node when
 * it is installed), with the skips and expected failures of conformance-targets.ts.
 */
import { runConformance } from '@spectrans/conformance/vitest';
import { conformanceTargets } from '../src/conformance-targets.js';

for (const target of await conformanceTargets()) runConformance(target);
