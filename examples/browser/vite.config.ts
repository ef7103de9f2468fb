import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      // @spectrans/conformance imports vitest only when it runs inside vitest (never in this page).
      external: ['vitest'],
    },
  },
  optimizeDeps: { exclude: ['vitest'] },
});
