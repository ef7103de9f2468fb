/** backend-js passes the whole suite, float32 and float64, through the package entry's runConformance. */
import { createJsBackend } from '@spectrans/backend-js';
import { runConformance } from '../src/index.js';

runConformance({ name: 'js', create: () => createJsBackend() });
