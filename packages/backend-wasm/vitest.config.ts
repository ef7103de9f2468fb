import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Compiles the .wasm files into dist/ first when they are missing or older than csrc/.
    globalSetup: ['./test/global-setup.ts'],
  },
});
