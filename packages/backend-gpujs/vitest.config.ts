import { defineConfig } from 'vitest/config';

// GL kernels compile on first use (tens of milliseconds each on Mesa's llvmpipe), so tests that
// touch many shapes need more than vitest's default 5 s.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
