/**
 * The page: pick a backend, run the conformance corpus on it, show the matrix and the Gram-error
 * curve. `?backend=<id>&auto=1[&filter=<prefix>][&steps=<n>]` runs without a click; the outcome is
 * published on `window.__spectrans` for the end-to-end test.
 */
import { runTarget, type CaseResult, type TargetReport } from '@spectrans/conformance';
import { buildMatrix, totals } from '@spectrans/conformance/report';
import { gramErrorCurve, type GramErrorPoint } from './gram-error.js';
import { PAGE_BACKENDS, targetFor, type PageBackend } from './backends.js';

/** What the page publishes for automation. */
export interface PageOutcome {
  status: 'idle' | 'running' | 'done' | 'error';
  backend?: string;
  /** The backend's own name (e.g. 'tfjs-webgl', 'gpujs-webgl2'). */
  backendName?: string;
  /** Threads the backend runs (backend-wasm's worker pool), when it says. */
  threads?: number;
  /** The WebGL renderer string ('SwiftShader' under headless Chromium), when the browser tells. */
  renderer?: string;
  counts?: Record<string, number>;
  failures?: { id: string; message: string }[];
  curve?: GramErrorPoint[];
  ms?: number;
  error?: string;
}

declare global {
  interface Window {
    __spectrans: PageOutcome;
  }
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
window.__spectrans = { status: 'idle' };

function webglRenderer(): string | undefined {
  const gl =
    document.createElement('canvas').getContext('webgl2') ?? document.createElement('canvas').getContext('webgl');
  if (!gl) return undefined;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

function renderMatrix(report: TargetReport): string {
  const m = buildMatrix([report]);
  const rows = m.groups.map((g) => {
    const cell = m.cells.get(g)?.[0];
    if (!cell) return '';
    const c = cell.counts;
    const cls = c.fail > 0 ? 'fail' : 'pass';
    const text = [
      c.pass ? `${c.pass} ok` : '',
      c.fail ? `${c.fail} FAIL` : '',
      c.xfail ? `${c.xfail} xfail` : '',
      c.skip ? `${c.skip} skip` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const err = cell.maxError === undefined ? '' : cell.maxError.toExponential(1);
    return `<tr><td>${escapeHtml(g)}</td><td class="${cls}">${text}</td><td>${cell.path ?? ''}</td><td>${err}</td><td>${cell.ms.toFixed(0)} ms</td></tr>`;
  });
  return `<table><thead><tr><th>group</th><th>${escapeHtml(report.name)}</th><th>path</th><th>max error</th><th>time</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function renderChart(points: readonly GramErrorPoint[]): string {
  const W = 360,
    H = 240,
    L = 50,
    B = 30,
    T = 10,
    R = 10;
  const xs = points.map((p) => Math.log10(p.numFeatures));
  const ys = points.map((p) => Math.log10(Math.max(p.error, 1e-12)));
  const x0 = Math.min(...xs),
    x1 = Math.max(...xs);
  const y0 = Math.floor(Math.min(...ys)),
    y1 = Math.ceil(Math.max(...ys));
  const px = (x: number) => L + ((x - x0) / (x1 - x0 || 1)) * (W - L - R);
  const py = (y: number) => T + ((y1 - y) / (y1 - y0 || 1)) * (H - T - B);
  const line = points.map((_, i) => `${i ? 'L' : 'M'}${px(xs[i]!).toFixed(1)},${py(ys[i]!).toFixed(1)}`).join(' ');
  // 1/√D through the first point.
  const ref = `M${px(x0).toFixed(1)},${py(ys[0]!).toFixed(1)} L${px(x1).toFixed(1)},${py(ys[0]! - 0.5 * (x1 - x0)).toFixed(1)}`;
  const dots = points
    .map(
      (p, i) =>
        `<circle cx="${px(xs[i]!).toFixed(1)}" cy="${py(ys[i]!).toFixed(1)}" r="3"><title>D=${p.numFeatures}: ${p.error.toExponential(2)}</title></circle>`,
    )
    .join('');
  const xt = points
    .map((p, i) => `<text x="${px(xs[i]!).toFixed(1)}" y="${H - 10}" text-anchor="middle">${p.numFeatures}</text>`)
    .join('');
  const yt = Array.from({ length: y1 - y0 + 1 }, (_, k) => y0 + k)
    .map((y) => `<text x="${L - 6}" y="${py(y) + 4}" text-anchor="end">1e${y}</text>`)
    .join('');
  return `<svg id="gram-chart" width="${W}" height="${H}" font-size="11" xmlns="http://www.w3.org/2000/svg">
    <path d="M${L},${T} V${H - B} H${W - R}" fill="none" stroke="#888"/>
    <path d="${ref}" fill="none" stroke="#bbb" stroke-dasharray="4 3"/>
    <path d="${line}" fill="none" stroke="#2563eb" stroke-width="2"/>${dots}${xt}${yt}
    <text x="${W - R}" y="${T + 12}" text-anchor="end" fill="#666">max |K̂ − K| vs D (dashed: 1/√D)</text>
  </svg>`;
}

async function run(id: PageBackend, filter: string): Promise<void> {
  const out: PageOutcome = (window.__spectrans = { status: 'running', backend: id });
  $('status').textContent = `running the conformance corpus on ${id} ...`;
  $('matrix').innerHTML = '';
  $('chart').innerHTML = '';
  $('failures').textContent = '';
  const renderer = webglRenderer();
  if (renderer !== undefined) out.renderer = renderer;
  $('device').textContent = `WebGL renderer: ${renderer ?? 'none'}`;
  const started = performance.now();
  try {
    const target = targetFor(id);
    const report = await runTarget(target, { longRunSteps, ...(filter ? { filter } : {}) });
    if (report.status === 'unavailable')
      throw new Error(`${target.name} could not start: ${report.reason ?? 'unknown reason'}`);
    out.backendName = report.backend?.name ?? target.name;
    const t = totals([report]);
    out.counts = { ...t.counts };
    out.failures = report.results
      .filter((r: CaseResult) => r.status === 'fail')
      .map((r) => ({ id: r.id, message: r.message ?? '' }));
    $('matrix').innerHTML = renderMatrix(report);
    $('failures').textContent = out.failures.map((f) => `${f.id}\n${f.message}`).join('\n\n');
    $('status').textContent =
      `conformance on ${out.backendName}: ${t.counts.pass} passed, ${t.counts.fail} failed, ${t.counts.xfail} expected failures, ${t.counts.skip} skipped; computing the Gram error curve ...`;
    const backend = await target.create();
    const threads = (backend as { threads?: unknown }).threads;
    if (typeof threads === 'number') out.threads = threads;
    try {
      out.curve = await gramErrorCurve(backend);
    } finally {
      await backend.destroy?.();
    }
    $('chart').innerHTML = renderChart(out.curve);
    out.ms = performance.now() - started;
    $('status').textContent =
      `${out.backendName}: ${t.counts.pass} passed, ${t.counts.fail} failed, ${t.counts.xfail} expected failures, ${t.counts.skip} skipped (${(out.ms / 1000).toFixed(1)} s)`;
    out.status = 'done';
  } catch (e) {
    out.status = 'error';
    out.error =
      e instanceof Error ? `${e.message}${e.cause instanceof Error ? ` (cause: ${e.cause.message})` : ''}` : String(e);
    $('status').textContent = `error: ${out.error}`;
  }
}

const params = new URLSearchParams(location.search);
// Steps of the long training run: 500 by default here (tfjs-webgl on a software renderer pays
// ~80 ms a step); `&steps=10000` runs the full length that `pnpm conformance` runs in Node.
const longRunSteps = Number(params.get('steps') ?? 500);
const select = $<HTMLSelectElement>('backend');
const filterInput = $<HTMLInputElement>('filter');
const fromUrl = params.get('backend');
if (fromUrl && (PAGE_BACKENDS as readonly string[]).includes(fromUrl)) select.value = fromUrl;
filterInput.value = params.get('filter') ?? '';
$('run').addEventListener('click', () => void run(select.value as PageBackend, filterInput.value.trim()));
if (params.get('auto') === '1') void run(select.value as PageBackend, filterInput.value.trim());
