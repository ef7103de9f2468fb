/** The plain-text report: the matrix, a summary line and the failures. */
import { formatError } from '../failure.js';
import type { TargetReport } from '../runner.js';
import { buildMatrix, totals, type MatrixCell } from './aggregate.js';

/** One cell as text: `12 ok 1 FAIL 2 skip  fallback  max 2.4e-7  3ms`. */
export function cellText(cell: MatrixCell | undefined): string {
  if (!cell) return '-';
  const c = cell.counts;
  const parts = [
    c.pass ? `${c.pass} ok` : '',
    c.fail ? `${c.fail} FAIL` : '',
    c.xfail ? `${c.xfail} xfail` : '',
    c.skip ? `${c.skip} skip` : '',
  ].filter(Boolean);
  if (cell.path) parts.push(cell.path);
  if (cell.maxError !== undefined && cell.maxError > 0) parts.push(`max ${formatError(cell.maxError)}`);
  parts.push(`${Math.round(cell.ms)}ms`);
  return parts.join('  ');
}

function pad(s: string, n: number): string {
  return s + ' '.repeat(Math.max(0, n - [...s].length));
}

function truncate(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length <= n ? one : `${one.slice(0, n - 1)}…`;
}

/** The summary line, e.g. `conformance: 1118 cases on 2 targets (1 unavailable): 1100 pass, 2 fail, 10 skip, 6 xfail in 2.3s`. */
export function summaryLine(targets: readonly TargetReport[]): string {
  const t = totals(targets);
  const unavailable = t.unavailable ? ` (${t.unavailable} unavailable)` : '';
  return `conformance: ${t.cases} cases on ${t.targets} target(s)${unavailable}: ${t.counts.pass} pass, ${t.counts.fail} fail, ${t.counts.skip} skip, ${t.counts.xfail} xfail in ${(t.ms / 1000).toFixed(1)}s`;
}

/**
 * The readable report: rows are op/kernel groups, columns targets, then the summary line and the
 * failures (id and message) of every target.
 *
 * @example
 * ```ts
 * console.log(formatText([await runTarget({ name: 'js', create: () => createJsBackend() })]));
 * ```
 */
export function formatText(targets: readonly TargetReport[], options: { maxFailureLines?: number } = {}): string {
  const m = buildMatrix(targets);
  const header = ['group', ...targets.map((t) => t.name)];
  const status = [
    'status',
    ...targets.map((t) =>
      t.status === 'ok'
        ? `${t.backend?.name ?? t.name}: ${describeDTypes(t)}, ${(t.ms / 1000).toFixed(2)}s`
        : `unavailable: ${truncate(t.reason ?? '', 40)}`,
    ),
  ];
  const rows = m.groups.map((g) => [
    g,
    ...(m.cells.get(g) ?? []).map((c, i) => (targets[i]!.status === 'ok' ? cellText(c) : 'unavailable')),
  ]);
  const all = [header, status, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => [...(r[i] ?? '')].length)));
  const line = (r: readonly string[]): string =>
    r
      .map((s, i) => pad(s, widths[i]!))
      .join(' | ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
  const out = [line(header), line(status), rule, ...rows.map(line), '', summaryLine(targets)];
  const maxLines = options.maxFailureLines ?? 8;
  for (const t of targets) {
    if (t.status === 'unavailable') out.push(`\n${t.name}: unavailable: ${t.reason ?? ''}`);
    const failures = t.results.filter((r) => r.status === 'fail');
    if (failures.length === 0) continue;
    out.push(`\n${t.name}: ${failures.length} failure(s)`);
    for (const f of failures) {
      out.push(`  FAIL ${f.id}`);
      const lines = (f.message ?? '').split('\n');
      out.push(...lines.slice(0, maxLines).map((l) => `      ${l}`));
      if (lines.length > maxLines) out.push(`      … ${lines.length - maxLines} more line(s)`);
    }
  }
  return out.join('\n');
}

function describeDTypes(t: TargetReport): string {
  const d = t.backend?.capabilities.dtypes;
  if (!d) return '';
  return Object.entries(d)
    .filter(([, p]) => p !== undefined)
    .map(([k, p]) => `${k} ${p}`)
    .join(', ');
}
