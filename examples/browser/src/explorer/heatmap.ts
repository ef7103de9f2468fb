/** Matrices as canvas heatmaps with a colour bar. */
import type { Matrix } from './exact.js';

/** A colour map: anchor colours spread evenly over [0, 1], interpolated linearly. */
export type ColourMap = readonly (readonly [number, number, number])[];

/** Perceptually ordered dark blue → green → yellow (the viridis anchors), for values. */
export const VALUE_COLOURS: ColourMap = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/** Black → purple → orange → pale yellow (the inferno anchors), for errors. */
export const ERROR_COLOURS: ColourMap = [
  [0, 0, 4],
  [66, 10, 104],
  [147, 38, 103],
  [221, 81, 58],
  [252, 165, 10],
  [252, 255, 164],
];

/** The colour of t ∈ [0, 1] (clamped; NaN maps to 0). */
export function colourAt(map: ColourMap, t: number): [number, number, number] {
  const u = Number.isNaN(t) ? 0 : Math.min(1, Math.max(0, t)) * (map.length - 1);
  const i = Math.min(map.length - 2, Math.floor(u));
  const f = u - i;
  const a = map[i]!;
  const b = map[i + 1]!;
  return [0, 1, 2].map((c) => Math.round(a[c]! + f * (b[c]! - a[c]!))) as [number, number, number];
}

/** How to draw one heatmap. */
export interface HeatmapOptions {
  readonly title: string;
  /** The values mapped to the ends of the colour bar (default: the matrix's own range). */
  readonly range?: readonly [number, number];
  /** Values above the range exist and are drawn in the top colour: the top tick reads "≥ x". */
  readonly clipped?: boolean;
  readonly colours?: ColourMap;
  /** Side of the square map in CSS pixels (default 192). */
  readonly size?: number;
}

/** The smallest and largest finite value of some matrices. */
export function valueRange(...ms: readonly Matrix[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const m of ms)
    for (const v of m.values)
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/**
 * [0, the q-quantile of the values]: a colour range for weights where a few large ones (a causal
 * first row is all 1) would leave the rest of the map in one colour.
 */
export function quantileRange(m: Matrix, q: number): [number, number] {
  const sorted = [...m.values].filter(Number.isFinite).sort((a, b) => a - b);
  const top = sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 1;
  return [0, top > 0 ? top : 1];
}

/** |a − b| elementwise, as a matrix. */
export function absDifference(a: Matrix, b: Matrix): Matrix {
  return { rows: a.rows, cols: a.cols, values: a.values.map((v, i) => Math.abs(v - b.values[i]!)) };
}

function tick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 0.01 && a < 1000 ? String(+v.toPrecision(3)) : v.toExponential(1);
}

/** Draws `m` on `canvas` (resized to fit): title on top, the map, a colour bar with 5 ticks on the right. */
export function drawHeatmap(canvas: HTMLCanvasElement, m: Matrix, options: HeatmapOptions): void {
  const size = options.size ?? 192;
  const colours = options.colours ?? VALUE_COLOURS;
  const [lo, hi] = options.range ?? valueRange(m);
  const top = 22;
  const bar = 14;
  canvas.width = size + 16 + bar + 56;
  canvas.height = size + top + 8;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2-D canvas context');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);

  const cells = new ImageData(m.cols, m.rows);
  const span = hi - lo || 1;
  for (let i = 0; i < m.values.length; i++) {
    const [r, g, b] = colourAt(colours, (m.values[i]! - lo) / span);
    cells.data.set([r, g, b, 255], 4 * i);
  }
  const cellCanvas = document.createElement('canvas');
  cellCanvas.width = m.cols;
  cellCanvas.height = m.rows;
  cellCanvas.getContext('2d')!.putImageData(cells, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(cellCanvas, 0, top, size, size);

  ctx.fillStyle = '#222';
  ctx.font = '12px system-ui, sans-serif';
  ctx.textBaseline = 'alphabetic';
  ctx.fillText(options.title, 0, 15);

  // The colour bar: high values on top.
  const x0 = size + 16;
  for (let y = 0; y < size; y++) {
    const [r, g, b] = colourAt(colours, 1 - y / (size - 1));
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fillRect(x0, top + y, bar, 1);
  }
  ctx.strokeStyle = '#888';
  ctx.strokeRect(x0 - 0.5, top - 0.5, bar + 1, size + 1);
  ctx.fillStyle = '#222';
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  for (let t = 0; t <= 4; t++) {
    const y = top + ((4 - t) / 4) * (size - 1);
    ctx.fillRect(x0 + bar, y, 3, 1);
    const label = tick(lo + (t / 4) * (hi - lo));
    ctx.fillText(t === 4 && options.clipped ? `≥ ${label}` : label, x0 + bar + 5, y);
  }
}
