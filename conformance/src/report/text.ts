/**
 * The plain-text report: the targets, the matrix (fitted to a terminal's width), a legend, the
 * summary line and the failures; `details` adds every group of every target with its counts.
 */
import { formatError } from '../failure.js';
import type { TargetReport } from '../runner.js';
import { buildMatrix, totals, type MatrixCell } from './aggregate.js';
import { followsFrom, followsNote } from './follows.js';

/** Options of {@link formatText}. */
export interface TextOptions {
  /** Columns every line of the matrix, legend and listings fits in (default 100). */
  readonly width?: number;
  /** Also list every group of every target: counts, path, error, time. */
  readonly details?: boolean;
  /** Lines of each failure message shown (default 8). */
  readonly maxFailureLines?: number;
}

const DEFAULT_WIDTH = 100;
const GAP = '  ';

/**
 * An error as a fraction of its tolerance: `0.12` (12% of what the check allows), `<0.01`, `0`,
 * `3.5e+4` for failures far outside, `inf` for a non-finite result.
 */
export function formatFraction(f: number): string {
  if (f === 0) return '0';
  if (!Number.isFinite(f)) return 'inf';
  if (f < 0.01) return '<0.01';
  if (f < 10) return f.toFixed(2);
  return f.toExponential(1).replace('e+', 'e');
}

/** One cell in full: `12 ok  1 FAIL  2 skip  fallback  0.12 of tol  max 2.40e-7  3ms`. */
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
  if (cell.toleranceFraction !== undefined) parts.push(`${formatFraction(cell.toleranceFraction)} of tol`);
  if (cell.maxError !== undefined && cell.maxError > 0) parts.push(`max ${formatError(cell.maxError)}`);
  parts.push(`${Math.round(cell.ms)}ms`);
  return parts.join('  ');
}

/**
 * One cell of the matrix, at most 7 characters: `FAIL 3`, `xfail 2`, the worst error as a
 * fraction of its tolerance (`0.12`) or `ok` when nothing was measured, `skip`, `-` for no case;
 * `*` marks a host fallback of an optional op.
 */
export function compactCell(cell: MatrixCell | undefined): string {
  if (!cell) return '-';
  const c = cell.counts;
  if (c.fail) return `FAIL ${c.fail}`;
  if (c.xfail) return `xfail ${c.xfail}`;
  if (!c.pass) return 'skip';
  const fallback = cell.path === 'fallback' || cell.path === 'mixed' ? '*' : '';
  return `${cell.toleranceFraction !== undefined ? formatFraction(cell.toleranceFraction) : 'ok'}${fallback}`;
}

const LEGEND =
  'Cells: the worst error as a fraction of its tolerance (1 = the limit; 0.12 uses 12% of it); ' +
  'ok: passed, no error measured; FAIL n / xfail n: failing / expected-failing cases; skip: all skipped; ' +
  '-: no case; n/a: target unavailable; *: core ran its host fallback of an optional op.';

function width(s: string): number {
  return [...s].length;
}

function pad(s: string, n: number): string {
  return s + ' '.repeat(Math.max(0, n - width(s)));
}

function truncate(s: string, n: number): string {
  const one = s.replace(/\s*\n\s*/g, ' ');
  return width(one) <= n ? one : `${[...one].slice(0, Math.max(0, n - 1)).join('')}…`;
}

/** Word-wraps `text` to `columns`, continuation lines indented by `indent`; overlong words are cut. */
function wrap(text: string, columns: number, indent = ''): string[] {
  const lead = /^ */.exec(text)![0];
  const words = text.slice(lead.length).split(/ +/);
  const lines: string[] = [];
  let line = lead + (words.shift() ?? '');
  for (const word of words) {
    if (width(line) + 1 + width(word) <= columns) line += ` ${word}`;
    else {
      lines.push(line);
      line = indent + word;
    }
  }
  lines.push(line);
  return lines.flatMap((l) => {
    const out: string[] = [];
    let rest = [...l];
    while (rest.length > columns) {
      out.push(rest.slice(0, columns).join(''));
      rest = [...indent, ...rest.slice(columns)];
    }
    out.push(rest.join(''));
    return out;
  });
}

/** The summary line, e.g. `conformance: 1118 cases on 2 targets (1 unavailable): 1100 pass, 2 fail, 10 skip, 6 xfail in 2.3s`. */
export function summaryLine(targets: readonly TargetReport[]): string {
  const t = totals(targets);
  const unavailable = t.unavailable ? ` (${t.unavailable} unavailable)` : '';
  return `conformance: ${t.cases} cases on ${t.targets} target(s)${unavailable}: ${t.counts.pass} pass, ${t.counts.fail} fail, ${t.counts.skip} skip, ${t.counts.xfail} xfail in ${(t.ms / 1000).toFixed(1)}s`;
}

/** The dtypes a target's backend declares with their precision: `float32 ieee, float64 reduced`. */
export function describeDTypes(t: TargetReport): string {
  const d = t.backend?.capabilities.dtypes;
  if (!d) return '';
  return Object.entries(d)
    .filter(([, p]) => p !== undefined)
    .map(([k, p]) => `${k} ${p}`)
    .join(', ');
}

/**
 * The matrix as lines of at most `columns` characters: full target names as headers when they fit,
 * else `[1]`, `[2]`… (named in the target list above it), and blocks of columns when even those do
 * not fit.
 */
function matrixLines(targets: readonly TargetReport[], columns: number): string[] {
  const m = buildMatrix(targets);
  const cells = m.groups.map((g) =>
    (m.cells.get(g) ?? []).map((c, i) => (targets[i]!.status === 'ok' ? compactCell(c) : 'n/a')),
  );
  const cellWidth = targets.map((_, i) => Math.max(1, ...cells.map((row) => width(row[i]!))));
  const groupWidth = Math.min(
    Math.max(5, ...m.groups.map(width)),
    Math.max(12, columns - GAP.length - Math.max(...cellWidth, 3)),
  );
  const fits = (headers: readonly string[]): boolean =>
    groupWidth + headers.reduce((sum, h, i) => sum + GAP.length + Math.max(width(h), cellWidth[i]!), 0) <= columns;
  const names = targets.map((t) => t.name);
  const headers = fits(names) ? names : targets.map((_, i) => `[${i + 1}]`);
  const colWidth = headers.map((h, i) => Math.max(width(h), cellWidth[i]!));
  // Blocks of consecutive target columns, each within the width next to the group column.
  const blocks: number[][] = [];
  let used = groupWidth;
  for (let i = 0; i < targets.length; i++) {
    const w = GAP.length + colWidth[i]!;
    if (blocks.length === 0 || used + w > columns) {
      blocks.push([]);
      used = groupWidth;
    }
    blocks.at(-1)!.push(i);
    used += w;
  }
  const out: string[] = [];
  for (const block of blocks) {
    if (out.length > 0) out.push('');
    const line = (first: string, row: readonly string[]): string =>
      [pad(truncate(first, groupWidth), groupWidth), ...block.map((i) => pad(row[i]!, colWidth[i]!))]
        .join(GAP)
        .trimEnd();
    out.push(line('group', headers));
    out.push(
      line(
        '-'.repeat(groupWidth),
        colWidth.map((w) => '-'.repeat(w)),
      ),
    );
    m.groups.forEach((g, r) => out.push(line(g, cells[r]!)));
  }
  return out;
}

/** Every group of one target in full (`--details`). */
function detailLines(t: TargetReport, columns: number): string[] {
  if (t.status !== 'ok') return [];
  const m = buildMatrix([t]);
  const groupWidth = Math.min(Math.max(...m.groups.map(width), 5), 40);
  const out = [`${t.name}: every group`];
  for (const g of m.groups) {
    const text = cellText(m.cells.get(g)?.[0]);
    const first = `  ${pad(g, groupWidth)}  `;
    if (width(first) + width(text) <= columns) out.push(`${first}${text}`);
    else out.push(`  ${g}`, ...wrap(`      ${text}`, columns, '      '));
  }
  return out;
}

/**
 * The readable report: the targets (backend, declared dtypes and precision, time), the matrix
 * (rows: op/kernel groups; columns: targets) within `width` columns, a legend, the summary line and
 * the failures of every target, each kernel or attention failure that follows from a failing op
 * saying so.
 *
 * @example
 * ```ts
 * console.log(formatText([await runTarget({ name: 'js', create: () => createJsBackend() })]));
 * ```
 */
export function formatText(targets: readonly TargetReport[], options: TextOptions = {}): string {
  const columns = options.width ?? DEFAULT_WIDTH;
  const out: string[] = ['Targets:'];
  targets.forEach((t, i) => {
    const what =
      t.status === 'ok'
        ? `${t.backend?.name ?? t.name}: ${describeDTypes(t)}; ${t.results.length} cases in ${(t.ms / 1000).toFixed(2)}s`
        : `unavailable: ${t.reason ?? ''}`;
    out.push(truncate(`  [${i + 1}] ${t.name}  ${what}`, columns));
  });
  out.push(
    '',
    ...matrixLines(targets, columns),
    '',
    ...wrap(LEGEND, columns),
    '',
    ...wrap(summaryLine(targets), columns, '  '),
  );
  if (options.details) for (const t of targets) out.push('', ...detailLines(t, columns));
  const maxLines = options.maxFailureLines ?? 8;
  for (const t of targets) {
    if (t.status === 'unavailable') out.push('', ...wrap(`${t.name}: unavailable: ${t.reason ?? ''}`, columns, '  '));
    const failures = t.results.filter((r) => r.status === 'fail');
    if (failures.length === 0) continue;
    const follows = followsFrom(t);
    out.push('', `${t.name}: ${failures.length} failure(s)`);
    for (const f of failures) {
      out.push(...wrap(`  FAIL ${f.id}`, columns, '      '));
      const ops = follows.get(f.id);
      if (ops) out.push(...wrap(`      (${followsNote(ops)})`, columns, '       '));
      const lines = (f.message ?? '').split('\n');
      out.push(...lines.slice(0, maxLines).flatMap((l) => wrap(`      ${l}`, columns, '        ')));
      if (lines.length > maxLines) out.push(`      … ${lines.length - maxLines} more line(s)`);
    }
  }
  return out.join('\n');
}
