/** Every test file: tfjs-cpu and tfjs-wasm compute synchronously, so give vitest's worker an event-loop turn between tests. */
import { yieldBetweenTests } from '@spectrans/conformance/vitest';

yieldBetweenTests();
