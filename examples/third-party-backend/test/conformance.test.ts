import { runConformance } from '@spectrans/conformance';
import { createCountingBackend } from '../src/index.js';

// The whole suite (every op and every kernel) against a backend written with public entry points only.
runConformance({ name: 'counting', create: () => createCountingBackend() });
