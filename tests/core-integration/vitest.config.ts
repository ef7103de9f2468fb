import { defineConfig } from 'vitest/config';

// The spectral kernels' float64 checks decompose matrices on the host: slow on a loaded machine.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
