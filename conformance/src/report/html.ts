/**
 * The self-contained HTML report: a legend, the matrix as a colour-coded table whose header (each
 * target's backend and declared precision) stays in view, then the failures.
 */
import type { TargetReport } from '../runner.js';
import { buildMatrix, type MatrixCell } from './aggregate.js';
import { followsFrom, followsNote } from './follows.js';
import { cellText, compactCell, describeDTypes, formatFraction, summaryLine } from './text.js';

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
table{border-collapse:separate;border-spacing:0}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f3f3f3}thead th{position:sticky;top:0;z-index:2;background:#f3f3f3}tbody th{position:sticky;left:0;z-index:1}
td.pass{background:#e6f4ea}td.fail{background:#fce8e6;font-weight:600}td.xfail{background:#fef7e0}
td.skip,td.none{background:#f1f3f4;color:#777}td.unavailable{background:#eee;color:#555;font-style:italic}
.legend{display:flex;flex-wrap:wrap;gap:.4em 1.2em;margin:.8em 0;padding:0;list-style:none}.legend span{display:inline-block;padding:0 .4em;border:1px solid #ccc}
.note{color:#8a4b00;font-style:italic}pre{white-space:pre-wrap;background:#f8f8f8;padding:.5em;border:1px solid #ddd}summary{cursor:pointer}`;

const LEGEND = `<ul class="legend">
<li><span style="background:#e6f4ea">0.12</span> passed; the worst error is 0.12 of its tolerance (1 = the limit)</li>
<li><span style="background:#e6f4ea">ok</span> passed, no error measured (exact or structural checks)</li>
<li><span style="background:#fce8e6">FAIL n</span> n cases failed (details below)</li>
<li><span style="background:#fef7e0">xfail n</span> expected failures</li>
<li><span style="background:#f1f3f4">skip</span> every case skipped; <span style="background:#f1f3f4">-</span> no case</li>
<li><span>*</span> core ran its host fallback of an optional op</li>
<li>hover a cell for counts, path, absolute error and time</li>
</ul>`;

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
        `<th>${esc(t.name)}<br><small>${
          t.status === 'ok'
            ? `${esc(t.backend?.name ?? '')}<br>${esc(describeDTypes(t))}`
            : `unavailable: ${esc(t.reason ?? '')}`
        }</small></th>`,
    )
    .join('');
  const rows = m.groups
    .map((g) => {
      const cells = (m.cells.get(g) ?? [])
        .map((c, i) => {
          if (targets[i]!.status !== 'ok') return '<td class="unavailable">unavailable</td>';
          const tip = c ? ` title="${esc(cellText(c))}"` : '';
          return `<td class="${cellClass(c)}"${tip}>${esc(compactCell(c))}</td>`;
        })
        .join('');
      return `<tr><th>${esc(g)}</th>${cells}</tr>`;
    })
    .join('\n');
  const failures = targets
    .flatMap((t) => {
      const follows = followsFrom(t);
      return t.results
        .filter((r) => r.status === 'fail')
        .map((r) => {
          const ops = follows.get(r.id);
          const note = ops ? ` <span class="note">(${esc(followsNote(ops))})</span>` : '';
          const fraction =
            r.toleranceFraction !== undefined
              ? ` <small>${esc(formatFraction(r.toleranceFraction))} of tol</small>`
              : '';
          return `<details><summary><b>${esc(t.name)}</b> ${esc(r.id)}${fraction}${note}</summary><pre>${esc(r.message ?? '')}</pre></details>`;
        });
    })
    .join('\n');
  const generated = (options.generated ?? new Date()).toISOString();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head>
<body><h1>${esc(title)}</h1>
<p>${esc(summaryLine(targets))} <small>(generated ${esc(generated)})</small></p>
${LEGEND}
<table><thead><tr><th>group</th>${head}</tr></thead><tbody>
${rows}
</tbody></table>
${failures ? `<h2>Failures</h2>\n${failures}` : '<p>No failures.</p>'}
</body></html>
`;
}
