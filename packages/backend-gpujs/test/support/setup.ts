/** Every test file: gpu.js computes synchronously, so give vitest's worker an event-loop turn between tests. */
import { yieldBetweenTests } from '@spectrans/conformance/vitest';

yieldBetweenTests();
