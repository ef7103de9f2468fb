/**
 * The `spectrans-conformance` command: runs the corpus over every target and prints the matrix.
 * `pnpm conformance` at the repository root runs it over every built-in backend's target module.
 * @packageDocumentation
 */
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { USAGE, parseArgs, type CliArgs } from './cli-args.js';
import { anyFailed } from './report/aggregate.js';
import { formatHtml } from './report/html.js';
import { formatJson } from './report/json.js';
import { formatText } from './report/text.js';
import { runTarget, type TargetReport } from './runner.js';
import { resolveTargets } from './targets.js';
import { DEFAULT_SEED } from './types.js';

/**
 * Runs the command and returns its exit code (1 when a case failed, or with --strict a target was unavailable).
 *
 * @example
 * ```ts
 * process.exitCode = await main(['--filter', 'ops/matmul', '--json', 'out.json']);
 * ```
 */
export async function main(
  argv: readonly string[],
  io: { log: (s: string) => void; error: (s: string) => void } = console,
): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    io.error(`spectrans-conformance: ${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    io.log(USAGE);
    return 0;
  }
  const seed = args.seed ?? DEFAULT_SEED;
  const filter = args.filters.length > 0 ? args.filters : undefined;
  const reports: TargetReport[] = [];
  for (const target of await resolveTargets(args.modules)) {
    if ('unavailable' in target) {
      reports.push({ name: target.name, status: 'unavailable', reason: target.unavailable, results: [], ms: 0 });
      io.error(`${target.name}: unavailable: ${target.unavailable}`);
      continue;
    }
    const report = await runTarget(target, {
      seed,
      ...(filter ? { filter } : {}),
      ...(args.longRunSteps !== undefined ? { longRunSteps: args.longRunSteps } : {}),
    });
    reports.push(report);
    io.error(
      report.status === 'ok'
        ? `${target.name}: ${report.results.length} cases in ${(report.ms / 1000).toFixed(2)}s`
        : `${target.name}: unavailable: ${report.reason ?? ''}`,
    );
  }
  io.log(formatText(reports));
  if (args.json) {
    await writeFile(args.json, formatJson({ targets: reports, seed, ...(filter ? { filter: filter.join(',') } : {}) }));
    io.error(`wrote ${args.json}`);
  }
  if (args.html) {
    await writeFile(args.html, formatHtml(reports));
    io.error(`wrote ${args.html}`);
  }
  const unavailable = reports.some((r) => r.status === 'unavailable');
  return anyFailed(reports) || (args.strict && unavailable) ? 1 : 0;
}

/** Run when executed as a script (`tsx src/cli.ts`) or through the package's bin launcher. */
const script = process.argv[1];
const invokedDirectly =
  script !== undefined &&
  (import.meta.url === pathToFileURL(script).href || /^spectrans-conformance(\.js)?$/.test(basename(script)));
if (invokedDirectly) {
  process.exitCode = await main(process.argv.slice(2));
}
