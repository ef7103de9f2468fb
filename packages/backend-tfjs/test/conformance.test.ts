/**
 * The cross-backend conformance suite on both engines that install from npm (and on tfjs-node when
 * it is installed), with the skips and expected failures of conformance-targets.ts. The long
 * training run takes 1,000 steps here (tfjs pays ~5 ms a step in op dispatch); `pnpm conformance`
 * runs the full 10,000.
 */
import { runConformance } from '@spectrans/conformance/vitest';
import { conformanceTargets } from '../src/conformance-targets.js';

for (const target of await conformanceTargets()) runConformance({ ...target, longRunSteps: 1000 });
