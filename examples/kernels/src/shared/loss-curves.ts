/**
 * The loss-curve SVG every training example writes: log10(value) against step, one polyline per
 * series, a grid line per decade, a legend, and optional dashed horizontal reference levels.
 * Self-contained (no fonts or scripts to fetch), so any browser or `rsvg-convert` shows it.
 */

/** One curve: its legend label, its value at every step, and a CSS colour. */
export type Series = readonly [label: string, values: readonly number[], color: string];

/** A dashed horizontal line across the plot, labelled at its right end (e.g. a baseline's loss). */
export interface ReferenceLevel {
  label: string;
  value: number;
  color: string;
}

/** Axis texts and extras of {@link lossCurves}; the defaults are the Gram-fitting example's. */
export interface LossCurveOptions {
  /** Title above the plot (default none). */
  title?: string;
  /** Text under the x axis (default 'Adam step'). */
  xLabel?: string;
  /** Text along the y axis (default 'mean squared Gram error (log scale)'). */
  yLabel?: string;
  /** Dashed horizontal levels drawn with the curves (default none). */
  references?: readonly ReferenceLevel[];
}

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A small self-contained SVG document: log10(value) against step, one polyline per series, with a legend. */
export function lossCurves(series: readonly Series[], options: LossCurveOptions = {}): string {
  const [w, h, pad] = [640, 360, 48];
  const references = options.references ?? [];
  const log = (v: number): number => Math.log10(Math.max(v, 1e-300));
  const logs = series.map(([, values]) => values.map(log));
  const all = [...logs.flat(), ...references.map((r) => log(r.value))];
  const lo = Math.floor(Math.min(...all));
  const top = Math.max(...all);
  const entries = [
    ...series.map(([label, , color]) => ({ label, color, dash: '' })),
    ...references.map(({ label, color }) => ({ label, color, dash: ' stroke-dasharray="6 4"' })),
  ];
  const legendBottom = pad - 12 + 16 * entries.length + 8;
  // Whole decades, with room above the highest value for the legend.
  let hi = Math.ceil(top);
  const steps = Math.max(...series.map(([, l]) => l.length)) - 1;
  const px = (i: number): number => pad + (i / Math.max(steps, 1)) * (w - 2 * pad);
  const py = (v: number): number => h - pad - ((v - lo) / Math.max(hi - lo, 1)) * (h - 2 * pad);
  while (py(top) < legendBottom + 4) hi++;
  const ticks = Array.from({ length: hi - lo + 1 }, (_, k) => lo + k)
    .map(
      (v) =>
        `<line x1="${pad}" x2="${w - pad}" y1="${py(v)}" y2="${py(v)}" stroke="#ddd"/><text x="${pad - 6}" y="${py(v) + 4}" text-anchor="end" font-size="11">1e${v}</text>`,
    )
    .join('');
  // Step numbers under the x axis: 0, the quarters (rounded) and the last step.
  const stepTicks = [...new Set([0, 1, 2, 3, 4].map((q) => Math.round((q * steps) / 4)))]
    .map(
      (i) =>
        `<line x1="${px(i)}" x2="${px(i)}" y1="${h - pad}" y2="${h - pad + 4}" stroke="#333"/><text x="${px(i)}" y="${h - pad + 16}" text-anchor="middle" font-size="11">${i}</text>`,
    )
    .join('');
  const levels = references
    .map(({ value, color }) => {
      const y = py(log(value)).toFixed(1);
      return `<line x1="${pad}" x2="${w - pad}" y1="${y}" y2="${y}" stroke="${color}" stroke-width="1.5" stroke-dasharray="6 4"/>`;
    })
    .join('');
  const lines = series
    .map(
      (_, s) =>
        `<polyline fill="none" stroke="${series[s]![2]}" stroke-width="2" points="${logs[s]!.map((v, i) => `${px(i).toFixed(1)},${py(v).toFixed(1)}`).join(' ')}"/>`,
    )
    .join('');
  // Legend in a white box at the top right: a sample of each line (dashed for references), then its label.
  const boxWidth = 36 + 6.6 * Math.max(...entries.map((e) => e.label.length));
  const [x0, y0] = [w - pad - boxWidth, pad - 12];
  const legend =
    `<rect x="${x0.toFixed(1)}" y="${y0}" width="${boxWidth.toFixed(1)}" height="${16 * entries.length + 8}" fill="white" fill-opacity="0.9" stroke="#ccc"/>` +
    entries
      .map(({ label, color, dash }, k) => {
        const y = y0 + 16 * k + 15;
        return `<line x1="${(x0 + 6).toFixed(1)}" x2="${(x0 + 26).toFixed(1)}" y1="${y - 4}" y2="${y - 4}" stroke="${color}" stroke-width="2"${dash}/><text x="${(x0 + 30).toFixed(1)}" y="${y}" font-size="12" fill="${color}">${escape(label)}</text>`;
      })
      .join('');
  const title =
    options.title === undefined
      ? ''
      : `<text x="${w / 2}" y="20" text-anchor="middle" font-size="14">${escape(options.title)}</text>`;
  const xLabel = escape(options.xLabel ?? 'Adam step');
  const yLabel = escape(options.yLabel ?? 'mean squared Gram error (log scale)');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif">` +
    `<rect width="${w}" height="${h}" fill="white"/>${title}${ticks}` +
    `<line x1="${pad}" x2="${w - pad}" y1="${h - pad}" y2="${h - pad}" stroke="#333"/>${stepTicks}<text x="${w / 2}" y="${h - 10}" text-anchor="middle" font-size="12">${xLabel}</text>` +
    `<text x="14" y="${h / 2}" transform="rotate(-90 14 ${h / 2})" text-anchor="middle" font-size="12">${yLabel}</text>` +
    `${levels}${lines}${legend}</svg>\n`
  );
}
