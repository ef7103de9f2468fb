/**
 * End to end: build the pages with Vite, serve them, and drive Debian's Chromium (headless, WebGL by
 * SwiftShader: real shaders in a real browser, on the CPU). The kernel explorer must render every
 * canvas (none blank), time every backend and log no console error, through the URL and through its
 * controls; screenshots go to e2e-output/. The conformance page, for every backend, must run the
 * corpus without a failure and draw the Gram-error chart, whose error must shrink with D. Skips,
 * saying so, where /usr/bin/chromium is absent (CI installs it: .ci/run).
 *
 * SPECTRANS_E2E_FILTER=<id prefix> runs part of the corpus (for quick local checks); vitest's
 * `-t explorer` runs the explorer's test alone.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { PreviewServer } from 'vite';
import type { PageOutcome } from '../src/main.js';
import type { ExplorerOutcome } from '../src/explorer/main.js';

const CHROMIUM = process.env['SPECTRANS_CHROMIUM'] ?? '/usr/bin/chromium';
const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const haveChromium = existsSync(CHROMIUM);
const filter = process.env['SPECTRANS_E2E_FILTER'] ?? '';
// Steps of the long training run (the page's default is 500); each step may take up to ~0.1 s.
const steps = process.env['SPECTRANS_E2E_STEPS'] ?? '';
// tfjs-webgl's corpus takes about 460 s on SwiftShader on a 2-core machine: room for a slower one.
const pageTimeout = 840_000 + (steps ? 100 * Number(steps) : 0);
// Screenshots of the explorer (gitignored): CI may keep them as artifacts.
const shots = join(root, 'e2e-output');
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
        await page.goto(`${url}conformance.html?${query}`);
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

  /** Per canvas: its id, size, the number of distinct colours and the variance of its luminance. */
  async function canvasPixels(
    page: Page,
  ): Promise<{ id: string; w: number; h: number; colours: number; variance: number }[]> {
    return page.evaluate(() =>
      [...document.querySelectorAll('canvas')].map((c) => {
        const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
        const colours = new Set<number>();
        let sum = 0;
        let sq = 0;
        for (let i = 0; i < data.length; i += 4) {
          colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
          const y = 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
          sum += y;
          sq += y * y;
        }
        const n = data.length / 4;
        return { id: c.id, w: c.width, h: c.height, colours: colours.size, variance: n ? sq / n - (sum / n) ** 2 : 0 };
      }),
    );
  }

  /** Waits until the explorer has finished `renders` renders (or failed) and returns its outcome. */
  async function explorerDone(page: Page, renders: number): Promise<ExplorerOutcome> {
    await page.waitForFunction(
      (n) =>
        window.__explorer?.status === 'error' ||
        (window.__explorer?.status === 'done' && window.__explorer.renders >= n),
      renders,
      { timeout: 240_000, polling: 250 },
    );
    return (await page.evaluate(() => window.__explorer)) as ExplorerOutcome;
  }

  async function expectCanvasesDrawn(page: Page): Promise<void> {
    const canvases = await canvasPixels(page);
    expect(canvases.map((c) => c.id).sort()).toEqual(
      ['attn-error', 'attn-exact', 'attn-favor', 'curve', 'gram-approx', 'gram-error', 'gram-exact', 'timing'].sort(),
    );
    for (const c of canvases) {
      // A heatmap or chart has many colours; a blank (or one-colour) canvas has 1 and no variance.
      expect(c.colours, `${c.id} (${c.w}×${c.h}) has ${c.colours} colours`).toBeGreaterThan(8);
      expect(c.variance, `${c.id}: luminance variance`).toBeGreaterThan(10);
    }
  }

  it('explorer: every panel renders on every backend, with no console error', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${m.text()} (${m.location().url})`);
    });
    mkdirSync(shots, { recursive: true });
    const started = Date.now();
    try {
      // Defaults (Gaussian RFF, D = 256, backend-js), plus timing every backend (3 runs each).
      await page.goto(`${url}?reps=3`);
      let out = await explorerDone(page, 1);
      expect(out.error, out.error).toBeUndefined();
      expect(out.settings).toMatchObject({ kernel: 'gaussian-rff', numFeatures: 256, backend: 'js' });
      // D = 256 features: the Gram estimate is within a few 1/√D of the kernel.
      expect(out.gram!.max).toBeLessThan(0.4);
      expect(out.gram!.mean).toBeLessThan(0.1);
      expect(out.curve).toHaveLength(9);
      expect(out.slope!).toBeGreaterThan(-0.75);
      expect(out.slope!).toBeLessThan(-0.3);
      expect(out.attentionRounding!.max).toBeLessThan(1e-5);
      expect(out.attention!.max).toBeLessThan(0.5);
      expect(out.timings!.map((t) => t.backend)).toEqual(['wasm', 'js', 'tfjs-webgl', 'gpujs-webgl2']);
      for (const t of out.timings!) {
        expect(t.error, `${t.backend}: ${t.error}`).toBeUndefined();
        expect(t.gram!.medianMs).toBeGreaterThan(0);
        expect(t.favor!.medianMs).toBeGreaterThan(0);
      }
      await expectCanvasesDrawn(page);
      await page.screenshot({ path: join(shots, 'explorer-gaussian-js.png'), fullPage: true });
      // The Gram row and the error curve, for the README (docs/explorer.png is a copy).
      const top = (await page.locator('#gram-exact').boundingBox())!;
      const bottom = (await page.locator('#curve-stats').boundingBox())!;
      await page.screenshot({
        path: join(shots, 'explorer-readme.png'),
        fullPage: true, // the clip is in page coordinates, past the viewport's bottom
        clip: { x: 0, y: top.y - 34, width: 1240, height: bottom.y + bottom.height - top.y + 42 },
      });
      console.log(
        `explorer (js, ${await page.textContent('#status')}): gram ${JSON.stringify(out.gram)}, slope ${out.slope?.toFixed(3)}, attention ${JSON.stringify(out.attention)}; ` +
          `timings ${out.timings!.map((t) => `${t.backend} ${t.gram?.medianMs.toFixed(1)}+${t.favor?.medianMs.toFixed(1)} ms`).join(', ')}`,
      );

      // Through the controls: FAVOR+ features on backend-wasm over the sine curve, then SORF on gpu.js with causal attention.
      const steps: [string, string, string, boolean, number][] = [
        ['favor-softmax', 'wasm', 'sine', false, 1],
        ['sorf', 'gpujs-webgl2', 'clusters', true, 0.5],
      ];
      for (const [kernel, backend, dataset, causal, amplitude] of steps) {
        const before = out.renders;
        await page.selectOption('#kernel', kernel);
        await page.selectOption('#backend', backend);
        await page.selectOption('#dataset', dataset);
        await page.selectOption('#amplitude', String(amplitude));
        await page.setChecked('#causal', causal);
        out = await explorerDone(page, before + 1);
        expect(out.error, out.error).toBeUndefined();
        expect(out.settings).toMatchObject({ kernel, backend, dataset, causal, amplitude });
        expect(out.gram!.mean / out.gram!.scale).toBeLessThan(0.1);
        expect(out.slope!).toBeGreaterThan(-0.75);
        expect(out.slope!).toBeLessThan(-0.3);
        expect(out.attention!.max).toBeLessThan(0.5);
        await expectCanvasesDrawn(page);
        await page.screenshot({ path: join(shots, `explorer-${kernel}-${backend}.png`), fullPage: true });
        console.log(
          `explorer (${kernel}, ${backend}, ${await page.textContent('#status')}): gram ${JSON.stringify(out.gram)}, slope ${out.slope?.toFixed(3)}`,
        );
      }
      expect(errors).toEqual([]);
    } finally {
      console.log(`explorer e2e: ${((Date.now() - started) / 1000).toFixed(1)} s`);
      await page.close();
    }
  }, 600_000);
});
