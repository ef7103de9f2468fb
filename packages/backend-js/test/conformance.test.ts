/**
 * The cross-backend conformance suite against this backend. The oracle is itself a js backend in
 * float64, so this mainly checks the float32 paths against float64, the contract's edge cases and
 * the bookkeeping (leaks, dtypes, errors raised before the backend is called).
 */
import { runConformance } from '@spectrans/conformance/vitest';
import { createJsBackend } from '../src/index.js';

runConformance({ name: 'js', create: () => createJsBackend() });
