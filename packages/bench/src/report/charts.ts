/** The SVG charts of a run, by file name. */
import type { Outcome } from '../harness.js';
import type { BenchResults, CaseResult } from '../types.js';
import { TFJS_DIRECT } from '../workloads/matmul.js';
import { okOutcome, torchBest } from '../targets.js';
import { barChart, compact, lineChart, type BarSeries, type LineSeries } from './svg.js';

export const COLORS: Record<string, string> = {
  js: '#1f77b4',
  'tfjs-cpu': '#ff7f0e',
  'tfjs-wasm': '#d62728',
  'gpujs-headlessgl': '#2ca02c',
  'gpujs-webasm': '#9467bd',
  'gpujs-cpu': '#8c564b',
  [TFJS_DIRECT]: '#e7a5c9',
  torch: '#7f7f7f',
};

const color = (id: string): string => COLORS[id] ?? '#17becf';

function ms(o: Outcome | undefined): { v?: number; lo?: number; hi?: number } {
  return o?.status === 'ok' ? { v: o.summary.median, lo: o.summary.q1, hi: o.summary.q3 } : {};
}

function columns(r: BenchResults, cases: readonly CaseResult[]): string[] {
  const ids = r.backends.filter((b) => b.available).map((b) => b.id);
  for (const c of cases) for (const k of Object.keys(c.outcomes)) if (!ids.includes(k)) ids.push(k);
  return ids;
}

function timeBars(
  r: BenchResults,
  cases: readonly CaseResult[],
  groupLabel: (c: CaseResult) => string,
  title: string,
  subtitle: string,
  withTorch: boolean,
  footer: string,
  width?: number,
): string {
  const series: BarSeries[] = columns(r, cases).map((id) => {
    const cells = cases.map((c) => ms(c.outcomes[id]));
    return {
      name: id,
      color: color(id),
      values: cells.map((c) => c.v),
      lo: cells.map((c) => c.lo),
      hi: cells.map((c) => c.hi),
    };
  });
  if (withTorch && r.torch?.available) {
    const best = cases.map((c) => torchBest(r, c.id));
    series.push({ name: `PyTorch CPU (best threads)`, color: COLORS['torch']!, values: best.map((b) => b?.ms) });
  }
  return barChart({
    title,
    subtitle,
    footer,
    ...(width ? { width } : {}),
    yLabel: 'time per run, ms (median, whiskers q1–q3)',
    logY: true,
    groups: cases.map(groupLabel),
    series,
    formatY: compact,
  });
}

export function renderCharts(r: BenchResults): Record<string, string> {
  const charts: Record<string, string> = {};
  const cpu = `${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node}, ${r.machine.date.slice(0, 10)}${r.quick ? ' (quick run)' : ''}`;

  const mm = r.cases.filter((c) => c.workload === 'matmul');
  if (mm.length) {
    const ids = columns(r, mm);
    const series: BarSeries[] = ids.map((id) => {
      const cells = mm.map((c) => {
        const o = okOutcome(c, id);
        return o && c.flops
          ? { v: c.flops / o.summary.median / 1e6, lo: c.flops / o.summary.q3 / 1e6, hi: c.flops / o.summary.q1 / 1e6 }
          : {};
      });
      return {
        name: id,
        color: color(id),
        values: cells.map((c) => c.v),
        lo: cells.map((c) => c.lo),
        hi: cells.map((c) => c.hi),
      };
    });
    if (r.torch?.available)
      series.push({
        name: 'PyTorch CPU (best threads)',
        color: COLORS['torch']!,
        values: mm.map((c) => {
          const b = torchBest(r, c.id);
          return b && c.flops ? c.flops / b.ms / 1e6 : undefined;
        }),
      });
    charts['matmul.svg'] = barChart({
      title: 'Matmul throughput (float32, square)',
      subtitle: 'time to the product on the host; higher is better',
      footer: cpu,
      yLabel: 'GFLOP/s (median, whiskers q1–q3)',
      groups: mm.map((c) => `${c.params['n']}×${c.params['n']}`),
      series,
      valueLabels: true,
      formatY: (v) => (v >= 10 ? v.toFixed(0) : v.toFixed(1)),
    });
  }

  const w1 = r.cases.filter((c) => c.workload === 'W1' || c.workload === 'W2');
  if (w1.length)
    charts['w1-w2.svg'] = timeBars(
      r,
      w1,
      (c) =>
        c.id
          .replace(/^w1\//, '')
          .replace(/^w2\/gaussian$/, 'W2 approx')
          .replace('gaussian-', 'g-'),
      'W1 feature maps (forward) and W2 kernelApproximation',
      `x (${w1[0]!.params['batch']}, ${w1[0]!.params['n']}, ${w1[0]!.params['d']}), D = ${w1[0]!.params['D']}; g- = Gaussian RFF variants; log scale`,
      true,
      cpu,
    );

  const w3 = r.cases.filter((c) => c.workload === 'W3');
  if (w3.length) {
    charts['w3.svg'] = timeBars(
      r,
      w3,
      (c) =>
        `${c.params['kernel']} ${c.params['approach']}\n${c.id.endsWith('batched') ? `(${c.params['batch']}, ${c.params['n']}, ${c.params['d']})` : `n = m = ${c.params['n']}`}`,
      'W3 exact kernels: pairwise distances (compute) vs the naive (n, m, d) difference tensor',
      'missing bars: the backend refused the naive tensor, or it was skipped (see the report)',
      false,
      cpu,
      1180,
    );
    const large = w3.filter((c) => !c.id.endsWith('batched'));
    const ids = columns(r, large);
    const series: BarSeries[] = ids.map((id) => ({
      name: id,
      color: color(id),
      values: large.map((c) => {
        const o = okOutcome(c, id);
        return o?.peakGrowthMiB !== undefined ? Math.max(1, o.peakGrowthMiB) : undefined;
      }),
    }));
    if (large.length)
      charts['w3-memory.svg'] = barChart({
        title: 'W3 peak memory: rise of the child’s RSS during a run',
        footer: cpu,
        subtitle: `n = m = ${large[0]!.params['n']}, d = ${large[0]!.params['d']}; one (n, m, d) float32 tensor is ${((Number(large[0]!.params['n']) ** 2 * Number(large[0]!.params['d']) * 4) / 2 ** 20).toFixed(0)} MiB; tfjs-wasm's heap never shrinks (it rises once)`,
        yLabel: 'peak RSS − RSS before the run, MiB',
        logY: true,
        groups: large.map((c) => `${c.params['kernel']} ${c.params['approach']}`),
        series,
        valueLabels: true,
        formatY: compact,
      });
  }

  const w4 = r.cases.filter((c) => c.workload === 'W4');
  if (w4.length) {
    const ns = [...new Set(w4.map((c) => Number(c.params['n'])))].sort((a, b) => a - b);
    const time: LineSeries[] = [];
    const mem: LineSeries[] = [];
    const dashes: Record<string, string | undefined> = { features: '2 3', linear: undefined, exact: '7 4' };
    for (const id of columns(r, w4)) {
      for (const key of ['features', 'linear', 'exact']) {
        const pts = ns.flatMap((n) => {
          const o = okOutcome(
            w4.find((c) => c.id === `w4/${key}/n=${n}`),
            id,
          );
          return o ? [{ n, o }] : [];
        });
        if (!pts.length) continue;
        const d = dashes[key];
        time.push({
          name: `${id} ${key}`,
          color: color(id),
          ...(d ? { dash: d } : {}),
          points: pts.map(({ n, o }) => ({ x: n, y: o.summary.median, lo: o.summary.q1, hi: o.summary.q3 })),
        });
        if (key !== 'features') {
          mem.push({
            name: `${id} ${key}`,
            color: color(id),
            ...(d ? { dash: d } : {}),
            points: pts.flatMap(({ n, o }) =>
              o.peakGrowthMiB !== undefined ? [{ x: n, y: Math.max(1, o.peakGrowthMiB) }] : [],
            ),
          });
        }
      }
    }
    const fmtN = (v: number): string => (v >= 1024 ? `${v / 1024}k` : String(v));
    charts['w4-time.svg'] = lineChart({
      title: 'W4 attention: time vs sequence length n',
      footer: cpu,
      subtitle: `d = ${w4[0]!.params['d']}, D = ${w4[0]!.params['D']}; solid: linear attention, dotted: features φ(Q), dashed: exact softmax`,
      xLabel: 'n',
      yLabel: 'time per run, ms',
      logX: true,
      logY: true,
      xTicks: ns,
      formatX: fmtN,
      series: time,
      height: 520,
    });
    charts['w4-memory.svg'] = lineChart({
      title: 'W4 attention: peak memory vs n',
      footer: cpu,
      subtitle: `rise of the child's RSS during a run above the RSS before it; solid linear attention, dashed exact`,
      xLabel: 'n',
      yLabel: 'peak RSS rise, MiB',
      logX: true,
      logY: true,
      xTicks: ns,
      formatX: fmtN,
      series: mem,
      height: 520,
    });
  }

  if (r.accuracy) {
    const palette: Record<string, string> = {
      'gaussian-iid': '#1f77b4',
      'gaussian-orf': '#2ca02c',
      'gaussian-sorf': '#9467bd',
      'laplacian-iid': '#d62728',
    };
    const series: LineSeries[] = r.accuracy.series.map((s) => ({
      name: `${s.label} (slope ${r.accuracy!.slopes[s.id]!.toFixed(2)})`,
      color: palette[s.id] ?? '#17becf',
      band: true,
      points: s.points.map((p) => ({ x: p.D, y: p.mean, lo: p.min, hi: p.max })),
    }));
    const iid = r.accuracy.series.find((s) => s.id === 'gaussian-iid');
    const first = iid?.points[0];
    if (first) {
      const c = first.mean * Math.sqrt(first.D);
      series.push({
        name: 'c / √D reference',
        color: '#333333',
        dash: '5 4',
        markers: false,
        points: r.accuracy.series[0]!.points.map((p) => ({ x: p.D, y: c / Math.sqrt(p.D) })),
      });
    }
    charts['accuracy.svg'] = lineChart({
      title: 'Gram approximation error vs number of features D',
      footer: cpu,
      subtitle: `relative Frobenius error, mean of ${r.accuracy.seeds} seeds (band: min–max); n = ${r.accuracy.n}, d = ${r.accuracy.d}, float64`,
      xLabel: 'D',
      yLabel: '‖ΦΦᵀ − K‖_F / ‖K‖_F',
      logX: true,
      logY: true,
      xTicks: r.accuracy.series[0]?.points.map((p) => p.D) ?? [],
      series,
      width: 900,
      legendWidth: 320,
    });
  }
  return charts;
}
