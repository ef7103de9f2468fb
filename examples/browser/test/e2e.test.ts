/**
 * End to end: build the page with Vite, serve it, and drive Debian's Chromium (headless, WebGL by
 * SwiftShader: real shaders in a real browser, on the CPU) through every backend of the page. Each
 * must run the conformance corpus without a failure and draw the Gram-error chart, whose error
 * must shrink with D. Skips, saying so, where /usr/bin/chromium is absent (CI installs it: .ci/run).
 *
 * SPECTRANS_E2E_FILTER=<id prefix> runs part of the corpus (for quick local checks).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import type { PreviewServer } from 'vite';
import type { PageOutcome } from '../src/main.js';

const CHROMIUM = process.env['SPECTRANS_CHROMIUM'] ?? '/usr/bin/chromium';
const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const haveChromium = existsSync(CHROMIUM);
const filter = process.env['SPECTRANS_E2E_FILTER'] ?? '';
// Steps of the long training run (the page's default is 500); each step may take up to ~0.1 s.
const steps = process.env['SPECTRANS_E2E_STEPS'] ?? '';
const pageTimeout = 540_000 + (steps ? 100 * Number(steps) : 0);
if (!haveChromium) {
  console.warn(
    `examples/browser e2e: SKIPPED: no Chromium at ${CHROMIUM} (Debian: apt-get install chromium; .ci/run installs it)`,
  );
}

describe.skipIf(!haveChromium)('the browser page under headless Chromium', () => {
  let server: PreviewServer;
  let browser: BrowserContext;
  let profile: string;
  let url: string;

  beforeAll(async () => {
    const { build, preview } = await import('vite');
    await build({ root, logLevel: 'warn', build: { outDir: 'dist-e2e', emptyOutDir: true } });
    server = await preview({
      root,
      logLevel: 'warn',
      build: { outDir: 'dist-e2e' },
      preview: { port: 0, host: '127.0.0.1', strictPort: false },
    });
    url = server.resolvedUrls?.local[0] ?? '';
    expect(url).toMatch(/^http:/);
    profile = mkdtempSync(join(tmpdir(), 'spectrans-chromium-'));
    const { chromium } = await import('playwright-core');
    // A fresh profile (--user-data-dir) per run: playwright passes it for a persistent context.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
        // WebGL without a GPU: ANGLE on SwiftShader (Chromium no longer falls back to it silently).
        '--use-angle=swiftshader',
        '--enable-unsafe-swiftshader',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((res) => (server ? server.httpServer.close(() => res()) : res()));
    if (profile) rmSync(profile, { recursive: true, force: true });
    rmSync(join(root, 'dist-e2e'), { recursive: true, force: true });
  });

  it.each([
    ['wasm', 'wasm'],
    ['js', 'js'],
    ['tfjs-webgl', 'tfjs-webgl'],
    ['gpujs-webgl2', 'gpujs-webgl2'],
  ])(
    '%s: the conformance matrix passes and the Gram error shrinks with D',
    async (id, backendName) => {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      try {
        const query = new URLSearchParams({
          backend: id,
          auto: '1',
          ...(filter ? { filter } : {}),
          ...(steps ? { steps } : {}),
        });
        await page.goto(`${url}?${query}`);
        await page.waitForFunction(() => ['done', 'error'].includes(window.__spectrans?.status), undefined, {
          timeout: pageTimeout,
          polling: 1000,
        });
        const out = (await page.evaluate(() => window.__spectrans)) as PageOutcome;
        const summary = `${id}: ${JSON.stringify(out.counts)} in ${((out.ms ?? 0) / 1000).toFixed(1)} s; renderer ${out.renderer ?? 'none'}${out.threads ? `; ${out.threads} threads` : ''}; curve ${JSON.stringify(out.curve?.map((p) => [p.numFeatures, +p.error.toExponential(2)]))}`;
        console.log(summary);
        expect(out.error, out.error).toBeUndefined();
        expect(out.status).toBe('done');
        expect(out.backendName).toBe(backendName);
        if (id !== 'js' && id !== 'wasm') expect(out.renderer ?? '').toMatch(/SwiftShader/i); // real WebGL, in software
        // The page is cross-origin isolated, so backend-wasm runs its worker pool (2 cores here, or more).
        if (id === 'wasm') expect(out.threads ?? 0).toBeGreaterThanOrEqual(Math.min(2, availableParallelism()));
        expect(out.failures ?? [], (out.failures ?? []).map((f) => `${f.id}\n${f.message}`).join('\n\n')).toEqual([]);
        expect(out.counts?.['pass'] ?? 0).toBeGreaterThan(0);
        const curve = out.curve ?? [];
        expect(curve.length).toBe(4);
        expect(curve[3]!.error).toBeLessThan(curve[0]!.error / 2); // D × 64: about 1/8 expected
        expect(await page.locator('#gram-chart path').count()).toBeGreaterThan(2);
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    },
    pageTimeout + 60_000,
  );
});
