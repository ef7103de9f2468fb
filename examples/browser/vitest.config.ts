import { defineConfig } from 'vitest/config';

// The end-to-end test builds the page, serves it and drives Chromium through every backend: SwiftShader
// compiles every WebGL shader on the CPU, so it needs minutes, not vitest's default 5 s.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 300_000,
  },
});
