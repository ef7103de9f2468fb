/** Canvas charts: the log-log error curve with its 1/√D line, and bars of time per backend. */
import type { CurvePoint } from './compute.js';

const FONT = '11px system-ui, sans-serif';

function context(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D {
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2-D canvas context');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.font = FONT;
  return ctx;
}

/**
 * c with c/√D closest to the points in log space (the least-squares fit of slope −1/2): the reference
 * line passes through the data instead of through an arbitrary first point.
 */
export function sqrtReferenceConstant(points: readonly { numFeatures: number; error: number }[]): number {
  const logs = points.map((p) => Math.log(p.error) + 0.5 * Math.log(p.numFeatures));
  return Math.exp(logs.reduce((s, v) => s + v, 0) / logs.length);
}

/** Draws max and mean |K̂ − K| against D on log-log axes, with the fitted c/√D reference (dashed). */
export function drawErrorCurve(canvas: HTMLCanvasElement, curve: readonly CurvePoint[], slope: number): void {
  const W = 460;
  const H = 290;
  const L = 56;
  const R = 14;
  const T = 30;
  const B = 40;
  const ctx = context(canvas, W, H);
  const dims = curve.map((p) => p.numFeatures);
  const values = curve.flatMap((p) => [p.maxError, p.meanError]).filter((v) => v > 0 && Number.isFinite(v));
  const c = sqrtReferenceConstant(curve.map((p) => ({ numFeatures: p.numFeatures, error: p.meanError })));
  const ref = (D: number): number => c / Math.sqrt(D);
  const x0 = Math.log10(Math.min(...dims));
  const x1 = Math.log10(Math.max(...dims));
  const y0 = Math.floor(Math.log10(Math.min(...values, ref(Math.max(...dims)))));
  const y1 = Math.ceil(Math.log10(Math.max(...values, ref(Math.min(...dims)))));
  const px = (D: number): number => L + ((Math.log10(D) - x0) / (x1 - x0 || 1)) * (W - L - R);
  const py = (v: number): number => T + ((y1 - Math.log10(v)) / (y1 - y0 || 1)) * (H - T - B);

  // Grid and ticks: every decade of error, every D of the curve.
  ctx.strokeStyle = '#eee';
  ctx.fillStyle = '#444';
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (let e = y0; e <= y1; e++) {
    const y = py(10 ** e);
    ctx.beginPath();
    ctx.moveTo(L, y);
    ctx.lineTo(W - R, y);
    ctx.stroke();
    ctx.fillText(`1e${e}`, L - 6, y);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const D of dims) {
    ctx.beginPath();
    ctx.moveTo(px(D), T);
    ctx.lineTo(px(D), H - B);
    ctx.stroke();
    ctx.fillText(String(D), px(D), H - B + 5);
  }
  ctx.fillText('D (number of random features)', (L + W - R) / 2, H - 16);
  ctx.strokeStyle = '#888';
  ctx.strokeRect(L + 0.5, T + 0.5, W - L - R - 1, H - T - B - 1);

  const series = (pick: (p: CurvePoint) => number, colour: string, dashed: boolean): void => {
    ctx.strokeStyle = colour;
    ctx.fillStyle = colour;
    ctx.lineWidth = 2;
    ctx.setLineDash(dashed ? [5, 4] : []);
    ctx.beginPath();
    curve.forEach((p, i) => (i ? ctx.lineTo : ctx.moveTo).call(ctx, px(p.numFeatures), py(pick(p))));
    ctx.stroke();
    ctx.setLineDash([]);
    if (!dashed)
      for (const p of curve) {
        ctx.beginPath();
        ctx.arc(px(p.numFeatures), py(pick(p)), 3, 0, 2 * Math.PI);
        ctx.fill();
      }
    ctx.lineWidth = 1;
  };
  series((p) => ref(p.numFeatures), '#999', true);
  series((p) => p.maxError, '#d9480f', false);
  series((p) => p.meanError, '#1c7ed6', false);

  // Legend.
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  const legend: [string, string, boolean][] = [
    ['#d9480f', 'max |K̂ − K|', false],
    ['#1c7ed6', `mean |K̂ − K| (slope ${slope.toFixed(2)})`, false],
    ['#999', 'c/√D', true],
  ];
  let lx = L;
  for (const [colour, text, dashed] of legend) {
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2;
    ctx.setLineDash(dashed ? [5, 4] : []);
    ctx.beginPath();
    ctx.moveTo(lx, 12);
    ctx.lineTo(lx + 18, 12);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = '#222';
    ctx.fillText(text, lx + 22, 12);
    lx += 30 + ctx.measureText(text).width;
  }
  ctx.lineWidth = 1;
}

/** One bar: a label and a time, or a reason it has none. */
export interface Bar {
  readonly label: string;
  readonly ms?: number;
  readonly note?: string;
}

/** Horizontal bars of milliseconds per backend (linear scale from 0). */
export function drawTimeBars(canvas: HTMLCanvasElement, bars: readonly Bar[], highlight?: string): void {
  const rowH = 26;
  const L = 110;
  const W = 460;
  const H = 16 + rowH * bars.length;
  const ctx = context(canvas, W, H);
  const top = Math.max(1e-9, ...bars.map((b) => b.ms ?? 0));
  const scale = (W - L - 90) / top;
  ctx.textBaseline = 'middle';
  bars.forEach((b, i) => {
    const y = 8 + i * rowH;
    ctx.fillStyle = '#222';
    ctx.textAlign = 'right';
    ctx.fillText(b.label, L - 8, y + rowH / 2);
    ctx.textAlign = 'left';
    if (b.ms === undefined) {
      ctx.fillStyle = '#a00';
      ctx.fillText(b.note ?? 'no time', L, y + rowH / 2);
      return;
    }
    ctx.fillStyle = b.label === highlight ? '#1c7ed6' : '#74c0fc';
    ctx.fillRect(L, y + 4, Math.max(2, b.ms * scale), rowH - 8);
    ctx.fillStyle = '#222';
    ctx.fillText(
      `${b.ms < 10 ? b.ms.toFixed(2) : b.ms.toFixed(1)} ms`,
      L + Math.max(2, b.ms * scale) + 6,
      y + rowH / 2,
    );
  });
}
