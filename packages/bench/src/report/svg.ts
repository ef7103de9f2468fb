/** Hand-written SVG charts (no chart library): line charts with log axes and grouped bar charts. */

export interface Point {
  readonly x: number;
  readonly y: number;
  /** Spread shown as a whisker (lines) or a band (`band`), e.g. quartiles or min..max. */
  readonly lo?: number;
  readonly hi?: number;
}

export interface LineSeries {
  readonly name: string;
  readonly color: string;
  readonly points: readonly Point[];
  /** SVG dash pattern, e.g. '6 4'. */
  readonly dash?: string;
  /** Draw lo..hi as a shaded band instead of whiskers. */
  readonly band?: boolean;
  /** Draw point markers (default true). */
  readonly markers?: boolean;
}

export interface LineChartSpec {
  readonly title: string;
  readonly subtitle?: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly logX?: boolean;
  readonly logY?: boolean;
  readonly series: readonly LineSeries[];
  /** Explicit x ticks (e.g. the measured sizes). */
  readonly xTicks?: readonly number[];
  readonly formatX?: (v: number) => string;
  readonly formatY?: (v: number) => string;
  readonly width?: number;
  readonly height?: number;
  /** Room for the legend on the right (px, default 250). */
  readonly legendWidth?: number;
  /** Small print at the bottom right (e.g. the machine). */
  readonly footer?: string;
}

export interface BarSeries {
  readonly name: string;
  readonly color: string;
  readonly values: readonly (number | undefined)[];
  readonly lo?: readonly (number | undefined)[];
  readonly hi?: readonly (number | undefined)[];
}

export interface BarChartSpec {
  readonly title: string;
  readonly subtitle?: string;
  readonly yLabel: string;
  readonly logY?: boolean;
  readonly groups: readonly string[];
  readonly series: readonly BarSeries[];
  readonly formatY?: (v: number) => string;
  /** Label each bar with its value. */
  readonly valueLabels?: boolean;
  readonly width?: number;
  readonly height?: number;
  /** Small print at the bottom right (e.g. the machine). */
  readonly footer?: string;
}

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Compact number: 1.2k, 3.4M, 0.012, 45.6. */
export function compact(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e9) return `${trim(v / 1e9)}G`;
  if (a >= 1e6) return `${trim(v / 1e6)}M`;
  if (a >= 1e4) return `${trim(v / 1e3)}k`;
  if (a >= 1) return trim(v);
  return String(Number(v.toPrecision(2)));
}

function trim(v: number): string {
  const text = Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

interface Scale {
  map(v: number): number;
  ticks: number[];
  minorTicks: number[];
}

function linearScale(lo: number, hi: number, a: number, b: number): Scale {
  if (!(hi > lo)) hi = lo + 1;
  const raw = (hi - lo) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const start = Math.floor(lo / step) * step;
  const end = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let t = start; t <= end + step / 2; t += step) ticks.push(Math.round(t / step) * step);
  return { map: (v) => a + ((v - start) / (end - start)) * (b - a), ticks, minorTicks: [] };
}

function logScale(lo: number, hi: number, a: number, b: number): Scale {
  const l0 = Math.floor(Math.log10(lo) + 1e-9);
  let l1 = Math.ceil(Math.log10(hi) - 1e-9);
  if (l1 <= l0) l1 = l0 + 1;
  const ticks: number[] = [];
  const minorTicks: number[] = [];
  const few = l1 - l0 <= 2;
  for (let e = l0; e <= l1; e++) {
    ticks.push(10 ** e);
    if (e < l1) {
      for (let m = 2; m <= 9; m++) {
        if (few && (m === 2 || m === 5)) ticks.push(m * 10 ** e);
        else minorTicks.push(m * 10 ** e);
      }
    }
  }
  return {
    map: (v) => a + ((Math.log10(v) - l0) / (l1 - l0)) * (b - a),
    ticks: ticks.sort((x, y) => x - y),
    minorTicks,
  };
}

/** A log scale over exactly [lo, hi] (for explicit ticks such as measured sizes). */
function exactLogScale(lo: number, hi: number, a: number, b: number): Scale {
  const l0 = Math.log10(lo);
  const l1 = Math.log10(hi);
  return { map: (v) => a + ((Math.log10(v) - l0) / (l1 - l0)) * (b - a), ticks: [], minorTicks: [] };
}

function frame(
  width: number,
  height: number,
  title: string,
  subtitle: string | undefined,
  body: string,
  footer?: string,
): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="24" font-size="16" font-weight="600" fill="#111">${escapeXml(title)}</text>`,
    subtitle ? `<text x="16" y="42" font-size="12" fill="#555">${escapeXml(subtitle)}</text>` : '',
    body,
    footer
      ? `<text x="${width - 10}" y="${height - 6}" text-anchor="end" font-size="10" fill="#888">${escapeXml(footer)}</text>`
      : '',
    '</svg>',
  ].join('\n');
}

function legend(
  x: number,
  y: number,
  items: readonly { name: string; color: string; dash?: string; box?: boolean }[],
): string {
  return items
    .map((it, i) => {
      const yy = y + i * 18;
      const mark = it.box
        ? `<rect x="${x}" y="${yy - 9}" width="14" height="10" fill="${it.color}"/>`
        : `<line x1="${x}" y1="${yy - 4}" x2="${x + 18}" y2="${yy - 4}" stroke="${it.color}" stroke-width="2.5"${it.dash ? ` stroke-dasharray="${it.dash}"` : ''}/>`;
      return `${mark}<text x="${x + 24}" y="${yy}" fill="#222">${escapeXml(it.name)}</text>`;
    })
    .join('\n');
}

const fmt = (v: number): string => compact(v);

/** A line chart; points with non-positive values are dropped on log axes. */
export function lineChart(spec: LineChartSpec): string {
  const width = spec.width ?? 820;
  const height = spec.height ?? 470;
  const m = { left: 78, right: spec.legendWidth ?? 250, top: spec.subtitle ? 60 : 44, bottom: 56 };
  const x0 = m.left;
  const x1 = width - m.right;
  const y0 = height - m.bottom;
  const y1 = m.top;
  const ok = (p: Point): boolean =>
    Number.isFinite(p.x) && Number.isFinite(p.y) && (!spec.logX || p.x > 0) && (!spec.logY || p.y > 0);
  const series = spec.series.map((s) => ({ ...s, points: s.points.filter(ok) })).filter((s) => s.points.length > 0);
  const xs = series.flatMap((s) => s.points.map((p) => p.x)).concat(spec.xTicks ?? []);
  const ys = series
    .flatMap((s) => s.points.flatMap((p) => [p.y, p.lo ?? p.y, p.hi ?? p.y]))
    .filter((v) => Number.isFinite(v) && (!spec.logY || v > 0));
  if (xs.length === 0 || ys.length === 0) return frame(width, 120, spec.title, 'no data', '');
  const xScale = spec.logX
    ? spec.xTicks?.length
      ? exactLogScale(Math.min(...xs) / 1.3, Math.max(...xs) * 1.3, x0, x1)
      : logScale(Math.min(...xs), Math.max(...xs), x0, x1)
    : linearScale(Math.min(0, ...xs), Math.max(...xs), x0, x1);
  const yScale = spec.logY
    ? logScale(Math.min(...ys), Math.max(...ys), y0, y1)
    : linearScale(Math.min(0, ...ys), Math.max(...ys) * 1.05, y0, y1);
  const xTicks = spec.xTicks ?? xScale.ticks;
  const fx = spec.formatX ?? fmt;
  const fy = spec.formatY ?? fmt;
  const parts: string[] = [];
  const clampY = (v: number): number => Math.min(y0, Math.max(y1, v));
  for (const t of yScale.minorTicks)
    parts.push(
      `<line x1="${x0}" x2="${x1}" y1="${yScale.map(t).toFixed(1)}" y2="${yScale.map(t).toFixed(1)}" stroke="#f2f2f2"/>`,
    );
  for (const t of yScale.ticks) {
    const y = yScale.map(t).toFixed(1);
    parts.push(
      `<line x1="${x0}" x2="${x1}" y1="${y}" y2="${y}" stroke="#e2e2e2"/><text x="${x0 - 6}" y="${y}" dy="4" text-anchor="end" fill="#444">${escapeXml(fy(t))}</text>`,
    );
  }
  for (const t of xTicks) {
    const x = xScale.map(t).toFixed(1);
    parts.push(
      `<line x1="${x}" x2="${x}" y1="${y1}" y2="${y0}" stroke="#eeeeee"/><text x="${x}" y="${y0 + 16}" text-anchor="middle" fill="#444">${escapeXml(fx(t))}</text>`,
    );
  }
  parts.push(`<rect x="${x0}" y="${y1}" width="${x1 - x0}" height="${y0 - y1}" fill="none" stroke="#999"/>`);
  parts.push(
    `<text x="${(x0 + x1) / 2}" y="${height - 14}" text-anchor="middle" fill="#222">${escapeXml(spec.xLabel)}${spec.logX ? ' (log)' : ''}</text>`,
  );
  parts.push(
    `<text transform="translate(18 ${(y0 + y1) / 2}) rotate(-90)" text-anchor="middle" fill="#222">${escapeXml(spec.yLabel)}${spec.logY ? ' (log)' : ''}</text>`,
  );
  for (const s of series) {
    const pts = s.points.map((p) => ({ x: xScale.map(p.x), y: clampY(yScale.map(p.y)), lo: p.lo, hi: p.hi }));
    if (s.band) {
      const withBand = s.points.filter((p) => p.lo !== undefined && p.hi !== undefined && (!spec.logY || p.lo > 0));
      if (withBand.length > 1) {
        const upper = withBand.map((p) => `${xScale.map(p.x).toFixed(1)},${clampY(yScale.map(p.hi!)).toFixed(1)}`);
        const lower = withBand
          .map((p) => `${xScale.map(p.x).toFixed(1)},${clampY(yScale.map(p.lo!)).toFixed(1)}`)
          .reverse();
        parts.push(
          `<polygon points="${[...upper, ...lower].join(' ')}" fill="${s.color}" fill-opacity="0.15" stroke="none"/>`,
        );
      }
    } else {
      for (const p of s.points) {
        if (p.lo === undefined || p.hi === undefined || (spec.logY && p.lo <= 0)) continue;
        const x = xScale.map(p.x).toFixed(1);
        parts.push(
          `<line x1="${x}" x2="${x}" y1="${clampY(yScale.map(p.lo)).toFixed(1)}" y2="${clampY(yScale.map(p.hi)).toFixed(1)}" stroke="${s.color}" stroke-width="1.2"/>`,
        );
      }
    }
    if (pts.length > 1)
      parts.push(
        `<polyline points="${pts.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ')}" fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`,
      );
    if (s.markers !== false)
      for (const p of pts)
        parts.push(`<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="3" fill="${s.color}"/>`);
  }
  parts.push(
    legend(
      x1 + 16,
      y1 + 12,
      series.map((s) => ({ name: s.name, color: s.color, ...(s.dash ? { dash: s.dash } : {}) })),
    ),
  );
  return frame(width, height, spec.title, spec.subtitle, parts.join('\n'), spec.footer);
}

/** A grouped bar chart with optional whiskers (lo..hi) and a log value axis. */
export function barChart(spec: BarChartSpec): string {
  const width = spec.width ?? 820;
  const height = spec.height ?? 440;
  const m = { left: 78, right: 230, top: spec.subtitle ? 60 : 44, bottom: 64 };
  const x0 = m.left;
  const x1 = width - m.right;
  const y0 = height - m.bottom;
  const y1 = m.top;
  const vals = spec.series
    .flatMap((s) => [...s.values, ...(s.hi ?? [])])
    .filter((v): v is number => v !== undefined && Number.isFinite(v) && (!spec.logY || v > 0));
  if (vals.length === 0) return frame(width, 120, spec.title, 'no data', '');
  const scale = spec.logY
    ? logScale(Math.min(...vals), Math.max(...vals), y0, y1)
    : linearScale(0, Math.max(...vals) * 1.08, y0, y1);
  const fy = spec.formatY ?? fmt;
  const parts: string[] = [];
  for (const t of scale.minorTicks)
    parts.push(
      `<line x1="${x0}" x2="${x1}" y1="${scale.map(t).toFixed(1)}" y2="${scale.map(t).toFixed(1)}" stroke="#f2f2f2"/>`,
    );
  for (const t of scale.ticks) {
    const y = scale.map(t).toFixed(1);
    parts.push(
      `<line x1="${x0}" x2="${x1}" y1="${y}" y2="${y}" stroke="#e2e2e2"/><text x="${x0 - 6}" y="${y}" dy="4" text-anchor="end" fill="#444">${escapeXml(fy(t))}</text>`,
    );
  }
  const groupW = (x1 - x0) / spec.groups.length;
  const nSeries = spec.series.length;
  const barW = Math.max(3, Math.min(34, (groupW * 0.8) / nSeries));
  const base = y0;
  spec.groups.forEach((g, gi) => {
    const gx = x0 + gi * groupW + (groupW - barW * nSeries) / 2;
    const cx = (x0 + (gi + 0.5) * groupW).toFixed(1);
    const lines = g.split('\n');
    parts.push(
      `<text x="${cx}" y="${y0 + 18}" text-anchor="middle" fill="#222"${lines.length > 1 ? ' font-size="11"' : ''}>${lines.map((l, li) => `<tspan x="${cx}" dy="${li === 0 ? 0 : 13}">${escapeXml(l)}</tspan>`).join('')}</text>`,
    );
    spec.series.forEach((s, si) => {
      const v = s.values[gi];
      const bx = gx + si * barW;
      if (v === undefined || !Number.isFinite(v) || (spec.logY && v <= 0)) {
        parts.push(
          `<text x="${(bx + barW / 2).toFixed(1)}" y="${base - 4}" text-anchor="middle" font-size="10" fill="#999">–</text>`,
        );
        return;
      }
      const top = Math.max(y1, scale.map(v));
      parts.push(
        `<rect x="${bx.toFixed(1)}" y="${top.toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${Math.max(0.5, base - top).toFixed(1)}" fill="${s.color}"><title>${escapeXml(`${s.name} · ${g}: ${fy(v)}`)}</title></rect>`,
      );
      const lo = s.lo?.[gi];
      const hi = s.hi?.[gi];
      if (lo !== undefined && hi !== undefined && (!spec.logY || lo > 0)) {
        const cx = (bx + (barW - 1) / 2).toFixed(1);
        parts.push(
          `<line x1="${cx}" x2="${cx}" y1="${Math.max(y1, scale.map(hi)).toFixed(1)}" y2="${Math.min(y0, scale.map(lo)).toFixed(1)}" stroke="#222" stroke-width="1"/>`,
        );
      }
      if (spec.valueLabels)
        parts.push(
          `<text x="${(bx + barW / 2).toFixed(1)}" y="${(top - 4).toFixed(1)}" text-anchor="middle" font-size="9" fill="#333">${escapeXml(fy(v))}</text>`,
        );
    });
  });
  parts.push(`<rect x="${x0}" y="${y1}" width="${x1 - x0}" height="${y0 - y1}" fill="none" stroke="#999"/>`);
  parts.push(
    `<text transform="translate(18 ${(y0 + y1) / 2}) rotate(-90)" text-anchor="middle" fill="#222">${escapeXml(spec.yLabel)}${spec.logY ? ' (log)' : ''}</text>`,
  );
  parts.push(
    legend(
      x1 + 16,
      y1 + 12,
      spec.series.map((s) => ({ name: s.name, color: s.color, box: true })),
    ),
  );
  return frame(width, height, spec.title, spec.subtitle, parts.join('\n'), spec.footer);
}
