import { defineConfig } from 'vitest/config';

// The conformance suite and the 10,000-call leak loops take minutes on tfjs-wasm on a loaded
// machine, hence the long timeouts.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
