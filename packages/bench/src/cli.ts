/**
 * `pnpm bench`: measures every workload on every backend that runs here and writes
 * results/latest.md, results/latest.json and SVG charts. `--quick` runs small sizes in under a
 * minute (CI runs only that). Re-executes itself under `xvfb-run -a` when there is no X display,
 * so gpu.js's headlessgl mode can run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  BACKEND_IDS,
  BENCH_DIR,
  destroyBackend,
  glRenderer,
  loadBackend,
  type BackendId,
  type LoadedBackend,
} from './backends.js';
import { FULL, QUICK, scaleConfig, type BenchConfig } from './config.js';
import { describeMachine } from './machine.js';
import { updateReadme } from './readme.js';
import { renderCharts } from './report/charts.js';
import { renderMarkdown } from './report/markdown.js';
import { computeTargets } from './targets.js';
import { blasText, normalizeTorch, runTorch, torchAnchorProblem } from './torch.js';
import type { AccuracyResult, BackendStatus, BenchResults, CaseResult, TorchResult } from './types.js';
import { runAccuracy } from './workloads/accuracy.js';
import { runW4 } from './workloads/attention.js';
import { formatMs, type Ctx } from './workloads/common.js';
import { runW3 } from './workloads/exact.js';
import { runW1, runW2 } from './workloads/features.js';
import { runMatmul } from './workloads/matmul.js';
import { runW5 } from './workloads/setup.js';
import { runW6 } from './workloads/spectral.js';
import { runW7 } from './workloads/gradients.js';

const WORKLOADS = ['matmul', 'w1', 'torch', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'accuracy'] as const;
type WorkloadName = (typeof WORKLOADS)[number];

/**
 * Planned start of each workload, in seconds from the start (measured on a busy 2-core machine),
 * leaving a margin under the 10-minute limit of the full run and the 1-minute limit of --quick.
 */
const FULL_PLAN: Record<WorkloadName, number> = {
  matmul: 2,
  w1: 50,
  torch: 100,
  w2: 170,
  w3: 180,
  w4: 285,
  w5: 500,
  w6: 545,
  w7: 560,
  accuracy: 590,
};
const QUICK_PLAN: Record<WorkloadName, number> = {
  matmul: 1,
  w1: 3,
  torch: 6,
  w2: 6,
  w3: 7,
  w4: 17,
  w5: 30,
  w6: 32,
  w7: 34,
  accuracy: 37,
};

const USAGE = `usage: pnpm bench [--quick] [--out DIR] [--from-json FILE] [--only ${WORKLOADS.join(',')}] [--backends ${BACKEND_IDS.join(',')}] [--torch | --no-torch] [--no-xvfb]

  --quick      small sizes, few runs (under a minute; what CI runs); writes to ${join(os.tmpdir(), 'spectrans-bench-quick')} unless --out
  --out DIR    where to write latest.md, latest.json and *.svg (default: packages/bench/results)
  --only LIST  run only these workloads
  --backends   run only these backends
  --torch      run the PyTorch side-by-side also in a quick run; --no-torch skips it in a full run
  --no-xvfb    do not re-execute under xvfb-run when DISPLAY is unset
  --from-json FILE  measure nothing: rewrite latest.md and the charts in --out from a latest.json`;

/** Parsed command line of `pnpm bench`. */
export interface Args {
  quick: boolean;
  fromJson?: string;
  out?: string;
  only?: WorkloadName[];
  backends?: BackendId[];
  torch?: boolean;
  xvfb: boolean;
  help: boolean;
}

/**
 * Parses the bench's argv (without node and the script).
 * @throws Error naming the flag for unknown arguments or bad lists.
 */
export function parseArgs(argv: readonly string[]): Args {
  const args: Args = { quick: false, xvfb: true, help: false };
  const list = <T extends string>(v: string | undefined, allowed: readonly T[], flag: string): T[] => {
    const items = (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = items.filter((i) => !allowed.includes(i as T));
    if (!items.length || bad.length)
      throw new Error(
        `${flag} takes a comma-separated list of ${allowed.join(', ')}${bad.length ? `; unknown: ${bad.join(', ')}` : ''}`,
      );
    return items as T[];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    // `pnpm --filter @spectrans/bench bench -- --only w4` hands the script a literal `--`.
    if (a === '--') continue;
    if (a === '--quick') args.quick = true;
    else if (a === '--out') args.out = argv[++i];
    else if (a === '--only') args.only = list(argv[++i], WORKLOADS, '--only');
    else if (a === '--backends') args.backends = list(argv[++i], BACKEND_IDS, '--backends');
    else if (a === '--torch') args.torch = true;
    else if (a === '--no-torch') args.torch = false;
    else if (a === '--no-xvfb') args.xvfb = false;
    else if (a === '--from-json') args.fromJson = argv[++i];
    else if (a === '--help' || a === '-h') args.help = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (args.out === '') throw new Error('--out needs a directory');
  return args;
}

function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Re-runs this command under `xvfb-run -a` (once) when headlessgl is wanted and there is no display. */
async function maybeReexecUnderXvfb(args: Args): Promise<number | undefined> {
  const wantsGl = !args.backends || args.backends.includes('gpujs-headlessgl');
  if (
    !args.xvfb ||
    !wantsGl ||
    process.env['DISPLAY'] ||
    process.env['SPECTRANS_BENCH_XVFB'] ||
    process.platform !== 'linux' ||
    !hasCommand('xvfb-run')
  )
    return undefined;
  // xvfb-run fails before running anything when the X server cannot start (no xauth, ...): then run here.
  if (spawnSync('xvfb-run', ['-a', 'true'], { stdio: 'ignore', timeout: 30000 }).status !== 0) {
    process.stderr.write('bench: xvfb-run is installed but cannot start an X server; running without a display\n');
    return undefined;
  }
  process.stderr.write('bench: no DISPLAY; re-running under xvfb-run -a (for gpu.js headlessgl)\n');
  return new Promise((resolveCode) => {
    const child = spawn(
      'xvfb-run',
      [
        '-a',
        '-s',
        '-screen 0 1280x1024x24',
        process.execPath,
        ...process.execArgv,
        process.argv[1]!,
        ...process.argv.slice(2),
      ],
      {
        stdio: 'inherit',
        env: { ...process.env, SPECTRANS_BENCH_XVFB: '1' },
      },
    );
    child.on('error', () => resolveCode(undefined));
    child.on('close', (code) => resolveCode(code ?? 1));
  });
}

/** Writes latest.json, latest.md and the charts (removing charts of an earlier run that this one lacks). */
async function writeReport(outDir: string, results: BenchResults): Promise<number> {
  const charts = renderCharts(results);
  await mkdir(outDir, { recursive: true });
  for (const f of await readdir(outDir)) if (f.endsWith('.svg') && !(f in charts)) await rm(join(outDir, f));
  for (const [name, svg] of Object.entries(charts)) await writeFile(join(outDir, name), svg);
  await writeFile(join(outDir, 'latest.json'), `${JSON.stringify(results, null, 1)}\n`);
  await writeFile(join(outDir, 'latest.md'), renderMarkdown(results, Object.keys(charts)));
  return Object.keys(charts).length;
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.fromJson) {
    const loaded = JSON.parse(await readFile(resolve(args.fromJson), 'utf8')) as BenchResults;
    const { targets: _old, torch: oldTorch, ...rest } = loaded;
    const torch = normalizeTorch(oldTorch);
    const partial = { ...rest, ...(torch ? { torch } : {}) };
    const results: BenchResults = { ...partial, targets: computeTargets(partial) };
    const outDir = resolve(args.out ?? dirname(resolve(args.fromJson)));
    await writeReport(outDir, results);
    process.stderr.write(`bench: rewrote ${join(outDir, 'latest.md')} and the charts from ${args.fromJson}\n`);
    return 0;
  }
  const reexec = await maybeReexecUnderXvfb(args);
  if (reexec !== undefined) return reexec;

  const config: BenchConfig = args.quick ? QUICK : FULL;
  const defaultOut = join(BENCH_DIR, 'results');
  const outDir = resolve(args.out ?? (args.quick ? join(os.tmpdir(), 'spectrans-bench-quick') : defaultOut));
  const t0 = performance.now();
  const log = (line: string): void => {
    process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
  };
  const machine = describeMachine();
  log(
    `spectrans bench (${config.quick ? 'quick' : 'full'}) on ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; DISPLAY=${process.env['DISPLAY'] ?? '(unset)'}`,
  );

  const statuses: BackendStatus[] = [];
  const loaded: LoadedBackend[] = [];
  for (const id of args.backends ?? BACKEND_IDS) {
    const o = await loadBackend(id);
    if (o.ok) {
      loaded.push(o.loaded);
      statuses.push({
        id,
        available: true,
        ran: o.loaded.ran,
        ...(o.loaded.threads !== undefined ? { threads: o.loaded.threads } : {}),
        startMs: o.loaded.startMs,
      });
      log(`backend ${id}: ${o.loaded.ran} (started in ${o.loaded.startMs.toFixed(0)} ms)`);
    } else {
      statuses.push({ id, available: false, reason: o.reason });
      log(`backend ${id}: unavailable: ${o.reason}`);
    }
  }
  const renderer = loaded.some((b) => b.id === 'gpujs-headlessgl') ? await glRenderer() : undefined;
  const wanted = (w: WorkloadName): boolean => !args.only || args.only.includes(w);
  // Planned start of each step (s) in a full run; a step that starts late gets smaller budgets.
  const plan = args.quick ? QUICK_PLAN : FULL_PLAN;
  const plannedTotal = plan.accuracy + (args.quick ? 5 : 20);
  let skippedPlan = 0;
  const cases: CaseResult[] = [];
  const notes: string[] = [];
  const problems: string[] = [];
  let torch: TorchResult | undefined;
  let accuracy: AccuracyResult | undefined;
  let ctx: Ctx = { config, backends: loaded, log };
  const step = async (name: WorkloadName, f: () => Promise<void>): Promise<void> => {
    const next = WORKLOADS[WORKLOADS.indexOf(name) + 1];
    if (!wanted(name)) {
      skippedPlan += (next ? plan[next] : plannedTotal) - plan[name];
      return;
    }
    const elapsed = (performance.now() - t0) / 1000;
    const late = elapsed - (plan[name] - skippedPlan);
    const remainingPlanned = plannedTotal - plan[name];
    const f0 = late > 15 ? Math.max(0.5, (remainingPlanned - late) / remainingPlanned) : 1;
    ctx = { config: scaleConfig(config, f0), backends: loaded, log };
    if (f0 < 1) {
      const msg = `${name} started ${late.toFixed(0)} s behind schedule: its time budgets and caps were scaled by ${f0.toFixed(2)}`;
      notes.push(msg);
      log(msg);
    }
    log(`${name}...`);
    try {
      await f();
    } catch (e) {
      const msg = `${name} stopped: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
      notes.push(msg.split('\n')[0]!);
      problems.push(msg.split('\n')[0]!);
      log(msg);
    }
  };

  await step('matmul', async () => void cases.push(...(await runMatmul(ctx))));
  await step('w1', async () => void cases.push(...(await runW1(ctx))));
  if (args.torch ?? !config.quick) {
    await step('torch', async () => {
      torch = await runTorch(config);
      if (!torch.available) log(`  torch: ${torch.reason}`);
      else {
        log(`  torch ${torch.version} on ${blasText(torch.blas)}; threads ${torch.threadCounts.join(', ')}`);
        const problem = torchAnchorProblem(torch);
        if (problem) {
          notes.push(`PyTorch anchor not valid: ${problem}`);
          log(`  WARNING: ${problem}`);
        }
        log(
          `  torch: ${Object.entries(torch.cases)
            .map(([k, v]) => `${k} ${formatMs(Math.min(...Object.values(v).map((s) => s.median)))}`)
            .join(', ')}`,
        );
      }
    });
  }
  await step('w2', async () => void cases.push(...(await runW2(ctx))));
  await step('w3', async () => void cases.push(...(await runW3(ctx))));
  await step('w4', async () => void cases.push(...(await runW4(ctx))));
  await step('w5', async () => void cases.push(...(await runW5(ctx))));
  await step('w6', async () => void cases.push(...(await runW6(ctx))));
  await step('w7', async () => void cases.push(...(await runW7(ctx))));
  await step('accuracy', async () => {
    accuracy = await runAccuracy(ctx);
  });
  for (const b of loaded) await destroyBackend(b);

  const partial: Omit<BenchResults, 'targets'> = {
    schema: 1,
    quick: config.quick,
    startedAt: machine.date,
    durationS: (performance.now() - t0) / 1000,
    machine: {
      ...machine,
      ...(renderer ? { glRenderer: renderer } : {}),
      ...(process.env['DISPLAY']
        ? { display: `${process.env['DISPLAY']}${process.env['SPECTRANS_BENCH_XVFB'] ? ' (Xvfb via xvfb-run)' : ''}` }
        : {}),
    },
    backends: statuses,
    cases,
    ...(accuracy ? { accuracy } : {}),
    ...(torch ? { torch } : {}),
    notes,
  };
  const results: BenchResults = { ...partial, targets: computeTargets(partial) };
  const charts = await writeReport(outDir, results);
  if (!config.quick && outDir === resolve(defaultOut) && !args.only && !args.backends)
    await updateReadme(join(BENCH_DIR, 'README.md'), results);
  log(`wrote ${join(outDir, 'latest.md')}, latest.json and ${charts} charts`);
  for (const t of results.targets)
    log(`target ${t.id}: ${t.achieved} (goal ${t.goal}) ${t.pass === undefined ? 'n/a' : t.pass ? 'met' : 'NOT met'}`);

  // The harness is broken (not a backend finding) when the reference backend cannot run or fails a case.
  const js = statuses.find((s) => s.id === 'js');
  const jsErrors = cases.filter((c) => c.outcomes['js']?.status === 'error').map((c) => c.id);
  if ((js && !js.available) || jsErrors.length || problems.length) {
    log(
      `harness problems: ${[js && !js.available ? 'js backend unavailable' : '', jsErrors.length ? `js failed ${jsErrors.join(', ')}` : '', ...problems].filter(Boolean).join('; ')}`,
    );
    return 1;
  }
  return 0;
}

// Imported by its tests for parseArgs: run only as the script (`tsx src/cli.ts`, re-run under xvfb-run).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exit(await main());
}
