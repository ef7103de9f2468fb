/** Argument parsing of the `spectrans-conformance` command. */

/** Parsed command line. */
export interface CliArgs {
  readonly modules: readonly string[];
  readonly json?: string;
  readonly html?: string;
  readonly filters: readonly string[];
  readonly seed?: number;
  /** Steps of the long training run (default 10,000). */
  readonly longRunSteps?: number;
  /** Exit 1 also when a target is unavailable. */
  readonly strict: boolean;
  /** Also list every group of every target with counts, error, path and time. */
  readonly details: boolean;
  /** Width of the text report in columns (default {@link DEFAULT_WIDTH}). */
  readonly width?: number;
  readonly help: boolean;
}

/** Columns of the text report unless `--width` says otherwise: fits a terminal. */
export const DEFAULT_WIDTH = 100;

/** Usage text. */
export const USAGE = `Usage: spectrans-conformance [target modules...] [--json FILE] [--html FILE] [--filter PREFIX]...
         [--details] [--width N] [--seed N] [--long-run-steps N] [--strict]

Runs the spectrans conformance corpus over backends and prints a matrix (rows: op/kernel groups,
columns: backends). A target module is a path or package specifier exporting \`conformanceTargets\`:
an array of { name, create, skip?, expectedFailures?, dtypes? } or a function returning (a promise
of) one, e.g. @spectrans/backend-tfjs/conformance-targets; package specifiers resolve from the
working directory. Files: .js, .mjs, .cjs; .ts, .mts, .cts when tsx is installed (npm install -D tsx).
Without modules: the js backend alone (@spectrans/conformance/js-targets). A leading \`--\` (what
\`pnpm <script> -- --flag\` passes on) is ignored.

  --json FILE      write every result as JSON
  --html FILE      write a self-contained HTML table
  --filter PREFIX  only case ids starting with PREFIX (repeatable), e.g. ops/matmul
  --details        also list every group of every target: counts, error, native/fallback, time
  --width N        columns of the text report (default ${DEFAULT_WIDTH}; at least 60)
  --seed N         base seed (default 20240601); each case derives its own from its id
  --long-run-steps N
                   steps of gradients/training/long-run-leaks (default 10000; even, >= 200)
  --strict         also exit 1 when a target is unavailable
Exit code: 1 if any case failed or no case ran (every target unavailable or every case skipped),
2 on a usage error (an unknown flag, a target module that cannot be loaded, a --filter matching no
case), else 0.`;

/**
 * Parses argv (without node and the script).
 * @throws Error with a usage message for unknown flags or missing values.
 */
export function parseArgs(argv: readonly string[]): CliArgs {
  const modules: string[] = [];
  const filters: string[] = [];
  let json: string | undefined;
  let html: string | undefined;
  let seed: number | undefined;
  let longRunSteps: number | undefined;
  let strict = false;
  let details = false;
  let width: number | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    // `pnpm conformance -- --json FILE` forwards the `--` itself: it separates nothing here.
    if (arg === '--') continue;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--json':
        json = value();
        break;
      case '--html':
        html = value();
        break;
      case '--filter':
        filters.push(value());
        break;
      case '--seed': {
        const v = Number(value());
        if (!Number.isSafeInteger(v) || v < 0) throw new Error(`--seed must be a non-negative integer`);
        seed = v;
        break;
      }
      case '--long-run-steps': {
        const v = Number(value());
        if (!Number.isSafeInteger(v) || v < 200 || v % 2 !== 0)
          throw new Error(`--long-run-steps must be an even integer of at least 200`);
        longRunSteps = v;
        break;
      }
      case '--strict':
        strict = true;
        break;
      case '--details':
        details = true;
        break;
      case '--width': {
        const v = Number(value());
        if (!Number.isSafeInteger(v) || v < 60) throw new Error(`--width must be an integer of at least 60`);
        width = v;
        break;
      }
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        if (flag.startsWith('-')) throw new Error(`unknown option ${flag}`);
        modules.push(arg);
    }
  }
  return {
    modules,
    filters,
    strict,
    details,
    help,
    ...(width !== undefined ? { width } : {}),
    ...(json !== undefined ? { json } : {}),
    ...(html !== undefined ? { html } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(longRunSteps !== undefined ? { longRunSteps } : {}),
  };
}
