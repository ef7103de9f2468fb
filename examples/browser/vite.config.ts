import { execFileSync } from 'node:child_process';
import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/** Where @spectrans/backend-wasm keeps its compiled kernels (built here when missing or stale). */
function wasmDist(): string {
  const root = dirname(createRequire(import.meta.url).resolve('@spectrans/backend-wasm/package.json'));
  execFileSync(process.execPath, [join(root, 'scripts', 'build-wasm.mjs'), '--if-missing'], { stdio: 'inherit' });
  return join(root, 'dist');
}

const here = dirname(fileURLToPath(import.meta.url));

const WASM_FILES = ['spectrans-simd.wasm', 'spectrans-simd-threads.wasm'];

/** Serves (dev) and emits (build) backend-wasm's kernels under `wasm/`, the page's `wasmBaseUrl`. */
function wasmKernels(): Plugin {
  return {
    name: 'spectrans-wasm-kernels',
    configureServer(server) {
      const dist = wasmDist();
      server.middlewares.use((req, res, next) => {
        const file = WASM_FILES.find((f) => req.url?.endsWith(`/wasm/${f}`));
        if (!file) return next();
        res.setHeader('Content-Type', 'application/wasm');
        createReadStream(join(dist, file)).pipe(res);
      });
    },
    generateBundle() {
      const dist = wasmDist();
      for (const file of WASM_FILES)
        this.emitFile({ type: 'asset', fileName: `wasm/${file}`, source: readFileSync(join(dist, file)) });
    },
  };
}

// Cross-origin isolation, so SharedArrayBuffer exists and backend-wasm runs its worker pool.
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  plugins: [wasmKernels()],
  server: { headers: isolation },
  preview: { headers: isolation },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      // Two pages: the kernel explorer (index.html) and the conformance runner.
      input: { explorer: resolve(here, 'index.html'), conformance: resolve(here, 'conformance.html') },
      // @spectrans/conformance imports vitest only when it runs inside vitest (never in this page).
      external: ['vitest'],
    },
  },
  optimizeDeps: { exclude: ['vitest'] },
});
