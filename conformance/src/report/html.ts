/** The self-contained HTML report: the matrix as a colour-coded table, then the failures. */
import { formatError } from '../failure.js';
import type { TargetReport } from '../runner.js';
import { buildMatrix, type MatrixCell } from './aggregate.js';
import { cellText, summaryLine } from './text.js';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function cellClass(cell: MatrixCell | undefined): string {
  if (!cell) return 'none';
  if (cell.counts.fail) return 'fail';
  if (cell.counts.xfail) return 'xfail';
  if (cell.counts.pass) return 'pass';
  return 'skip';
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.pass{background:#e6f4ea}td.fail{background:#fce8e6;font-weight:600}td.xfail{background:#fef7e0}
td.skip,td.none{background:#f1f3f4;color:#777}td.unavailable{background:#eee;color:#555;font-style:italic}
pre{white-space:pre-wrap;background:#f8f8f8;padding:.5em;border:1px solid #ddd}summary{cursor:pointer}`;

/**
 * A complete HTML document of the report (no external resources).
 *
 * @example
 * ```ts
 * await writeFile('conformance.html', formatHtml(reports));
 * ```
 */
export function formatHtml(
  targets: readonly TargetReport[],
  options: { title?: string; generated?: Date } = {},
): string {
  const m = buildMatrix(targets);
  const title = options.title ?? 'spectrans conformance';
  const head = targets
    .map(
      (t) =>
        `<th>${esc(t.name)}<br><small>${t.status === 'ok' ? esc(t.backend?.name ?? '') : `unavailable: ${esc(t.reason ?? '')}`}</small></th>`,
    )
    .join('');
  const rows = m.groups
    .map((g) => {
      const cells = (m.cells.get(g) ?? [])
        .map((c, i) => {
          if (targets[i]!.status !== 'ok') return '<td class="unavailable">unavailable</td>';
          const tip = c?.maxError !== undefined ? ` title="max error ${formatError(c.maxError)}"` : '';
          return `<td class="${cellClass(c)}"${tip}>${esc(cellText(c))}</td>`;
        })
        .join('');
      return `<tr><th>${esc(g)}</th>${cells}</tr>`;
    })
    .join('\n');
  const failures = targets
    .flatMap((t) =>
      t.results
        .filter((r) => r.status === 'fail')
        .map(
          (r) =>
            `<details><summary><b>${esc(t.name)}</b> ${esc(r.id)}</summary><pre>${esc(r.message ?? '')}</pre></details>`,
        ),
    )
    .join('\n');
  const generated = (options.generated ?? new Date()).toISOString();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head>
<body><h1>${esc(title)}</h1>
<p>${esc(summaryLine(targets))} <small>(generated ${esc(generated)})</small></p>
<table><thead><tr><th>group</th>${head}</tr></thead><tbody>
${rows}
</tbody></table>
${failures ? `<h2>Failures</h2>\n${failures}` : '<p>No failures.</p>'}
</body></html>
`;
}
