/** The cross-backend conformance suite on one thread and on two (a worker pool over shared memory). */
import { runConformance } from '@spectrans/conformance/vitest';
import { conformanceTargets } from '../src/conformance-targets.js';

for (const target of conformanceTargets()) runConformance(target);
