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
import { buildCorpus } from './corpus.js';
import { passesFilter } from './ids.js';
import { DTYPES } from '@spectrans/core';

/** Where the command writes: the report to `log`, progress and errors to `error`. */
type Io = { log: (s: string) => void; error: (s: string) => void };

/** The case ids a filter could select: every case of the corpus for both dtypes. */
function filterMatchesSomething(filters: readonly string[], longRunSteps: number | undefined): boolean {
  const ids = buildCorpus(DTYPES, longRunSteps !== undefined ? { longRunSteps } : {}).map((c) => c.id);
  return ids.some((id) => passesFilter(id, filters));
}

/** The first segments of the corpus' ids, for the message of a filter that selects nothing. */
const ID_ROOTS = 'storage/, ops/, linalg/, random/, errors/, kernels/, attention/, gradients/';

/**
 * Runs the command and returns its exit code: 1 when a case failed, when no case ran (every target
 * unavailable or every case skipped) or, with --strict, when a target was unavailable; 2 on a usage
 * error, a target module that cannot be loaded or a --filter that matches no case id.
 *
 * @example
 * ```ts
 * process.exitCode = await main(['--filter', 'ops/matmul', '--json', 'out.json']);
 * ```
 */
export async function main(argv: readonly string[], io: Io = console): Promise<number> {
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
  if (filter && !filterMatchesSomething(filter, args.longRunSteps)) {
    io.error(
      `spectrans-conformance: ERR_NO_MATCHING_CASES: --filter ${filter.join(', ')} matches no case id ` +
        `(ids start with ${ID_ROOTS} e.g. ops/matmul/plain/float32; see the README's Ids)`,
    );
    return 2;
  }
  const { targets, errors } = await resolveTargets(args.modules);
  if (errors.length > 0) {
    for (const e of errors) io.error(`spectrans-conformance: ${e.code}: ${e.message}`);
    io.error(`spectrans-conformance: ${errors.length} target module(s) could not be loaded; nothing was run`);
    return 2;
  }
  const reports: TargetReport[] = [];
  for (const target of targets) {
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
  io.log(formatText(reports, { details: args.details, ...(args.width !== undefined ? { width: args.width } : {}) }));
  if (args.json) {
    await writeFile(args.json, formatJson({ targets: reports, seed, ...(filter ? { filter: filter.join(',') } : {}) }));
    io.error(`wrote ${args.json}`);
  }
  if (args.html) {
    await writeFile(args.html, formatHtml(reports));
    io.error(`wrote ${args.html}`);
  }
  const nothing = nothingRan(reports);
  if (nothing) io.error(`spectrans-conformance: ERR_NOTHING_RAN: ${nothing}`);
  const unavailable = reports.some((r) => r.status === 'unavailable');
  return anyFailed(reports) || nothing || (args.strict && unavailable) ? 1 : 0;
}

/** Why no case was checked (every target unavailable, or every selected case skipped), or undefined. */
function nothingRan(reports: readonly TargetReport[]): string | undefined {
  if (reports.some((r) => r.results.some((c) => c.status !== 'skip'))) return undefined;
  if (reports.every((r) => r.status === 'unavailable'))
    return `no case ran: every target was unavailable (${reports.map((r) => r.name).join(', ')})`;
  return 'no case ran: every selected case was skipped on every target (--json records the reason of each skip)';
}

/** Run when executed as a script (`tsx src/cli.ts`) or through the package's bin launcher. */
const script = process.argv[1];
const invokedDirectly =
  script !== undefined &&
  (import.meta.url === pathToFileURL(script).href || /^spectrans-conformance(\.js)?$/.test(basename(script)));
if (invokedDirectly) {
  process.exitCode = await main(process.argv.slice(2));
}
