/**
 * The kernel explorer page (index.html): pick a kernel, the number of features D and a backend, and
 * see the exact Gram matrix beside its random-feature estimate, the error against D, exact softmax
 * attention beside FAVOR+, and the time per backend. Settings come from the controls or the URL
 * (`?kernel=sorf&D=512&backend=wasm&dataset=sine&sigma=1&seed=1&causal=1&reps=5`); the outcome is
 * published on `window.__explorer` for the end-to-end test.
 */
import type { Backend } from '@spectrans/core';
import { PAGE_BACKENDS, targetFor, type PageBackend } from '../backends.js';
import { compareAttention, compareGram, errorCurve, timeBackendWork, type CurvePoint, type Timing } from './compute.js';
import { attentionInputs, DATASETS, points, type DatasetId } from './data.js';
import { logLogSlope, type ErrorStats } from './exact.js';
import { absDifference, drawHeatmap, ERROR_COLOURS, quantileRange, valueRange } from './heatmap.js';
import { KERNELS, kernelChoice } from './kernels.js';
import { drawErrorCurve, drawTimeBars } from './plots.js';

/** The numbers of features one can pick; the error curve runs over all of them. */
const FEATURE_COUNTS = [8, 16, 32, 64, 128, 256, 512, 1024, 2048] as const;
/** Amplitudes of the attention inputs one can pick (see {@link attentionInputs}). */
const AMPLITUDES = [0.5, 1, 1.5] as const;
/** Draws averaged per point of the error curve. */
const CURVE_SEEDS = 4;

/** One backend's row of the timing table. */
export interface BackendTiming {
  readonly backend: PageBackend;
  /** φ(X)φ(X)ᵀ for the page's points (map creation, products, readback). */
  readonly gram?: Timing;
  /** linearAttention on FAVOR+ features with V = I (readback included). */
  readonly favor?: Timing;
  /** softmaxAttention with V = I (readback included). */
  readonly softmax?: Timing;
  /** Why there is no time (the backend did not start or failed). */
  readonly error?: string;
}

/** What the explorer publishes for automation. */
export interface ExplorerOutcome {
  status: 'idle' | 'running' | 'done' | 'error';
  /** The settings of the last completed render. */
  settings?: Settings;
  gram?: ErrorStats;
  attention?: ErrorStats;
  /** softmaxAttention on the backend against float64: the backend's rounding, for scale. */
  attentionRounding?: ErrorStats;
  curve?: CurvePoint[];
  slope?: number;
  timings?: BackendTiming[];
  /** Renders completed since the page loaded. */
  renders: number;
  error?: string;
}

declare global {
  interface Window {
    __explorer: ExplorerOutcome;
  }
}

/** Everything a render depends on. */
interface Settings {
  kernel: string;
  dataset: DatasetId;
  numFeatures: number;
  sigma: number;
  seed: number;
  backend: PageBackend;
  causal: boolean;
  /** Amplitude of the attention inputs' position codes: larger is sharper attention, and harder for FAVOR+. */
  amplitude: number;
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);
const timingReps = Math.max(1, Number(params.get('reps') ?? 5) || 5);
const outcome: ExplorerOutcome = (window.__explorer = { status: 'idle', renders: 0 });

function fillSelect(select: HTMLSelectElement, options: readonly { value: string; label: string }[]): void {
  for (const o of options) select.add(new Option(o.label, o.value));
}

const controls = {
  kernel: $<HTMLSelectElement>('kernel'),
  dataset: $<HTMLSelectElement>('dataset'),
  features: $<HTMLSelectElement>('features'),
  sigma: $<HTMLInputElement>('sigma'),
  seed: $<HTMLInputElement>('seed'),
  backend: $<HTMLSelectElement>('backend'),
  causal: $<HTMLInputElement>('causal'),
  amplitude: $<HTMLSelectElement>('amplitude'),
};
fillSelect(
  controls.kernel,
  KERNELS.map((k) => ({ value: k.id, label: k.label })),
);
fillSelect(
  controls.dataset,
  DATASETS.map((d) => ({ value: d.id, label: d.label })),
);
fillSelect(
  controls.features,
  FEATURE_COUNTS.map((D) => ({ value: String(D), label: String(D) })),
);
fillSelect(
  controls.amplitude,
  AMPLITUDES.map((a) => ({ value: String(a), label: String(a) })),
);
fillSelect(
  controls.backend,
  PAGE_BACKENDS.map((b) => ({ value: b, label: b })),
);

function setFromUrl(): void {
  const pick = (select: HTMLSelectElement, value: string | null): void => {
    if (value !== null && [...select.options].some((o) => o.value === value)) select.value = value;
  };
  pick(controls.kernel, params.get('kernel'));
  pick(controls.dataset, params.get('dataset'));
  pick(controls.features, params.get('D') ?? '256');
  pick(controls.backend, params.get('backend') ?? 'js');
  pick(controls.amplitude, params.get('amplitude') ?? '1');
  controls.sigma.value = params.get('sigma') ?? controls.sigma.value;
  controls.seed.value = params.get('seed') ?? controls.seed.value;
  controls.causal.checked = params.get('causal') === '1';
}

function readSettings(): Settings {
  const sigma = Number(controls.sigma.value);
  const seed = Number(controls.seed.value);
  if (!(sigma > 0 && Number.isFinite(sigma)))
    throw new Error(`σ must be a positive number, got ${controls.sigma.value}`);
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new Error(`seed must be a non-negative integer, got ${controls.seed.value}`);
  return {
    kernel: controls.kernel.value,
    dataset: controls.dataset.value as DatasetId,
    numFeatures: Number(controls.features.value),
    sigma,
    seed,
    backend: controls.backend.value as PageBackend,
    causal: controls.causal.checked,
    amplitude: Number(controls.amplitude.value),
  };
}

/** Started backends, one per id, kept for the page's lifetime (WebGL contexts are not free). */
const backends = new Map<PageBackend, Promise<Backend>>();
function backendFor(id: PageBackend): Promise<Backend> {
  let b = backends.get(id);
  if (!b) {
    b = Promise.resolve(targetFor(id).create());
    backends.set(id, b);
    b.catch(() => backends.delete(id)); // a failed start may be retried by the next render
  }
  return b;
}

function fmt(v: number): string {
  return v === 0 ? '0' : Math.abs(v) >= 0.01 ? String(+v.toPrecision(3)) : v.toExponential(2);
}

function describeError(e: unknown): string {
  return e instanceof Error
    ? `${e.message}${e.cause instanceof Error ? ` (cause: ${e.cause.message})` : ''}`
    : String(e);
}

/** Each render and timing run waits for the previous one: backends are shared, runs never interleave. */
let queue: Promise<void> = Promise.resolve();
let generation = 0;
function enqueue(job: () => Promise<void>): void {
  queue = queue.then(job, job);
}

async function render(s: Settings, current: number): Promise<void> {
  const stale = (): boolean => current !== generation;
  const choice = kernelChoice(s.kernel);
  outcome.status = 'running';
  $('status').textContent = `computing on ${s.backend} ...`;
  const backend = await backendFor(s.backend);
  const pts = points(s.dataset);
  const gramSettings = { choice, points: pts, numFeatures: s.numFeatures, sigma: s.sigma, seed: s.seed };

  const usesSigma = ['gaussian', 'laplacian'].includes(choice.exact(s.sigma).kind);
  const gram = await compareGram(backend, gramSettings);
  if (stale()) return;
  const range = valueRange(gram.exact, gram.approx);
  drawHeatmap($('gram-exact'), gram.exact, { title: 'exact K (float64)', range });
  drawHeatmap($('gram-approx'), gram.approx, { title: `φ(X)φ(X)ᵀ, D = ${s.numFeatures}`, range });
  drawHeatmap($('gram-error'), absDifference(gram.approx, gram.exact), {
    title: '|φφᵀ − K|',
    colours: ERROR_COLOURS,
  });
  $('gram-stats').textContent =
    `${choice.label}, ${pts.length} points${usesSigma ? `, σ = ${s.sigma}` : ''}, seed ${s.seed}, on ${s.backend}: ` +
    `max |K̂ − K| = ${fmt(gram.error.max)}, mean |K̂ − K| = ${fmt(gram.error.mean)} (largest |K| = ${fmt(gram.error.scale)})`;
  outcome.gram = gram.error;

  const inputs = attentionInputs(48, 16, 11, s.amplitude);
  const attention = await compareAttention(backend, {
    inputs,
    numFeatures: s.numFeatures,
    seed: s.seed,
    causal: s.causal,
  });
  if (stale()) return;
  // The colour scale ends at the 99th percentile of the exact weights: the first causal row is all
  // 1 and would otherwise leave every other weight in the bottom colour.
  const weights = quantileRange(attention.exact, 0.99);
  const clipped = valueRange(attention.exact, attention.favor)[1] > weights[1];
  drawHeatmap($('attn-exact'), attention.exact, { title: 'softmax(QKᵀ/√d)', range: weights, clipped });
  drawHeatmap($('attn-favor'), attention.favor, {
    title: `FAVOR+, D = ${s.numFeatures}`,
    range: weights,
    clipped,
  });
  drawHeatmap($('attn-error'), absDifference(attention.favor, attention.exact), {
    title: '|FAVOR+ − softmax|',
    colours: ERROR_COLOURS,
  });
  $('attn-stats').textContent =
    `${inputs.q.length} tokens of width ${inputs.q[0]!.length}, amplitude ${s.amplitude}${s.causal ? ', causal' : ''}: ` +
    `max error ${fmt(attention.error.max)}, mean error ${fmt(attention.error.mean)} ` +
    `(softmaxAttention on ${s.backend} against float64: max ${fmt(attention.exactError.max)})`;
  outcome.attention = attention.error;
  outcome.attentionRounding = attention.exactError;

  $('curve-stats').textContent = `computing ${FEATURE_COUNTS.length} values of D × ${CURVE_SEEDS} seeds ...`;
  const curve = await errorCurve(backend, gramSettings, FEATURE_COUNTS, CURVE_SEEDS, stale);
  if (stale()) return;
  const slope = logLogSlope(
    curve.map((p) => p.numFeatures),
    curve.map((p) => p.meanError),
  );
  drawErrorCurve($('curve'), curve, slope);
  $('curve-stats').textContent =
    `${choice.label} on ${s.backend}, each point the average of ${CURVE_SEEDS} seeds: the mean error falls with ` +
    `slope ${slope.toFixed(2)} on log-log axes (Monte Carlo: −0.5).`;
  outcome.curve = curve;
  outcome.slope = slope;
  outcome.settings = s;
}

async function timeAll(s: Settings): Promise<void> {
  outcome.status = 'running';
  const choice = kernelChoice(s.kernel);
  const rows: BackendTiming[] = [];
  const table = $('timing-table');
  table.textContent = '';
  for (const id of PAGE_BACKENDS) {
    $('status').textContent = `timing ${id} ...`;
    try {
      const backend = await backendFor(id);
      const t = await timeBackendWork(
        backend,
        { choice, points: points(s.dataset), numFeatures: s.numFeatures, sigma: s.sigma, seed: s.seed },
        {
          inputs: attentionInputs(48, 16, 11, s.amplitude),
          numFeatures: s.numFeatures,
          seed: s.seed,
          causal: s.causal,
        },
        timingReps,
      );
      rows.push({ backend: id, ...t });
    } catch (e) {
      rows.push({ backend: id, error: describeError(e) });
    }
  }
  const ms = (t?: Timing): string => (t ? `${t.medianMs.toFixed(2)} ms` : '–');
  const row = (cells: readonly string[], header = false): HTMLTableRowElement => {
    const tr = document.createElement('tr');
    for (const text of cells) tr.appendChild(document.createElement(header ? 'th' : 'td')).textContent = text;
    return tr;
  };
  table.replaceChildren(
    row(['backend', 'Gram φφᵀ', 'FAVOR+ attention', 'softmax attention'], true),
    ...rows.map((r) => {
      if (!r.error) return row([r.backend, ms(r.gram), ms(r.favor), ms(r.softmax)]);
      const tr = row([r.backend, r.error]);
      Object.assign(tr.lastElementChild as HTMLTableCellElement, { colSpan: 3, className: 'fail' });
      return tr;
    }),
  );
  drawTimeBars(
    $('timing'),
    rows.map((r) =>
      r.gram && r.favor
        ? { label: r.backend, ms: r.gram.medianMs + r.favor.medianMs }
        : { label: r.backend, note: 'unavailable' },
    ),
    s.backend,
  );
  $('timing-stats').textContent =
    `Median of ${timingReps} runs after one warm-up, readback included: ${kernelChoice(s.kernel).id}, D = ${s.numFeatures}, ` +
    `${points(s.dataset).length} points; attention over ${attentionInputs().q.length} tokens. Bars: Gram + FAVOR+.`;
  outcome.timings = rows;
}

function schedule(withTiming: boolean): void {
  const current = ++generation;
  let s: Settings;
  try {
    s = readSettings();
  } catch (e) {
    outcome.status = 'error';
    outcome.error = describeError(e);
    $('status').textContent = `error: ${outcome.error}`;
    return;
  }
  const query = new URLSearchParams({
    kernel: s.kernel,
    dataset: s.dataset,
    D: String(s.numFeatures),
    sigma: String(s.sigma),
    seed: String(s.seed),
    backend: s.backend,
    ...(s.causal ? { causal: '1' } : {}),
    amplitude: String(s.amplitude),
    ...(params.has('reps') ? { reps: String(timingReps) } : {}),
  });
  history.replaceState(null, '', `?${query}`);
  enqueue(async () => {
    if (current !== generation) return; // superseded before it started
    const started = performance.now();
    try {
      await render(s, current);
      if (withTiming && current === generation) await timeAll(s);
      if (current !== generation) return;
      outcome.renders++;
      outcome.status = 'done';
      delete outcome.error;
      $('status').textContent = `done in ${((performance.now() - started) / 1000).toFixed(1)} s`;
    } catch (e) {
      outcome.status = 'error';
      outcome.error = describeError(e);
      $('status').textContent = `error: ${outcome.error}`;
    }
  });
}

setFromUrl();
for (const c of Object.values(controls)) c.addEventListener('change', () => schedule(false));
$('time').addEventListener('click', () => schedule(true));
schedule(params.get('timing') !== '0');
