/** Keeps the "achieved ratios" block of the package README in step with the latest full run. */
import { readFile, writeFile } from 'node:fs/promises';
import { format, resolveConfig } from 'prettier';
import { blasText } from './torch.js';
import type { BenchResults } from './types.js';

export const START = '<!-- bench:targets:start (written by `pnpm bench`; do not edit by hand) -->';
export const END = '<!-- bench:targets:end -->';

export function targetsBlock(r: BenchResults): string {
  const m = r.machine;
  const lines = [
    START,
    `Latest full run: ${m.date.slice(0, 10)}, ${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB, Node ${m.node}${m.commit ? `, commit ${m.commit}` : ''}; backends that ran: ${
      r.backends
        .filter((b) => b.available)
        .map((b) => b.id)
        .join(', ') || 'none'
    }${
      r.backends.some((b) => !b.available)
        ? `; unavailable: ${r.backends
            .filter((b) => !b.available)
            .map((b) => b.id)
            .join(', ')}`
        : ''
    }.`,
    '',
    ...(r.torch?.available
      ? [
          `PyTorch anchor: torch ${r.torch.version} on ${blasText(r.torch.blas)}${r.torch.blas.reference ? ' (REFERENCE BLAS: torch targets not judged)' : ''}.`,
          '',
        ]
      : []),
    '| target | backend | goal | achieved | met | missed by |',
    '|---|---|---|---|---|---|',
    ...r.targets.map(
      (t) =>
        `| ${t.title} | ${t.subject ?? 'all'} | ${t.goal} | ${t.achieved} | ${t.pass === undefined ? 'n/a' : t.pass ? 'yes' : 'no'} | ${t.missedBy ?? ''} |`,
    ),
    '',
    'Details (every case, with the numbers behind each ratio) are in [results/latest.md](results/latest.md).',
    END,
  ];
  return lines.join('\n');
}

/**
 * Rewrites the block between the markers (appends it when the markers are missing), formatted as
 * the repository's Prettier check expects.
 */
export async function updateReadme(path: string, r: BenchResults): Promise<void> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return;
  }
  const block = targetsBlock(r);
  const i = text.indexOf(START);
  const j = text.indexOf(END);
  const next =
    i >= 0 && j > i ? `${text.slice(0, i)}${block}${text.slice(j + END.length)}` : `${text.trimEnd()}\n\n${block}\n`;
  await writeFile(path, await format(next, { ...(await resolveConfig(path)), filepath: path }));
}
