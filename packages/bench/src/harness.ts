/**
 * Timing: warm up, then repeat, interleaving the backends round by round so that the drift of a
 * shared, noisy machine hits every backend alike; stop each backend on a time budget.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import vm from 'node:vm';
import v8 from 'node:v8';
import type { Backend } from '@spectrans/core';
import type { TfLike } from './backends.js';
import { cleanRounds, cpuSnapshot, foreignCores, ownCores } from './cpu-share.js';
import { summarize, type Summary } from './stats.js';

v8.setFlagsFromString('--expose-gc');
const gcFunction = vm.runInNewContext('gc') as (() => void) | undefined;

/** Full garbage collection (exposed at run time; no --expose-gc needed). */
export function gc(): void {
  gcFunction?.();
}

/** Resident set size now, in bytes. */
export function rss(): number {
  return process.memoryUsage.rss();
}

/**
 * High-water mark of this process's resident set, in bytes: VmHWM of /proc/self/status (which
 * `resetPeakRss` resets), else getrusage's maxRSS (never reset, and on Linux it also keeps the mark
 * recorded whenever a thread exited, so it cannot serve after a reset).
 */
export function maxRss(): number {
  try {
    const kb = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    /* not Linux */
  }
  return process.resourceUsage().maxRSS * 1024;
}

let canResetPeak: boolean | undefined;

/**
 * Resets the kernel's high-water mark of this process's RSS to the current RSS (Linux:
 * `echo 5 > /proc/self/clear_refs`), so `maxRss()` afterwards is the peak of what follows.
 * Returns false where that is not possible (then `maxRss()` is the peak since the process started).
 */
export function resetPeakRss(): boolean {
  if (canResetPeak === false) return false;
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    canResetPeak = true;
  } catch {
    canResetPeak = false;
  }
  return canResetPeak;
}

/** How many times to run, and for how long. */
export interface RepeatPolicy {
  /** Untimed runs per backend before timing. */
  readonly warmup: number;
  /** Timed runs at least (unless one run exceeds half the cap). */
  readonly minReps: number;
  /** Timed runs at most. */
  readonly maxReps: number;
  /** Stop after this much timed work per backend once minReps are done (ms). */
  readonly budgetMs: number;
  /** Never start a run that would take this backend past this much timed work (ms), beyond the first. */
  readonly capMs: number;
  /**
   * A warm-up run this long or longer (ms) counts as a timed run: the code is warm by then (the
   * workloads compile on smaller inputs first), and repeating a multi-second run is what the time
   * budget cannot afford. Default capMs / 2.
   */
  readonly warmupAsSampleMs?: number;
  /** Per-backend minimum numbers of timed runs (e.g. more for the reference backend). */
  readonly minRepsFor?: Readonly<Record<string, number>>;
  /**
   * A full GC before every timed run, short ones included (by default runs under 10 ms skip it):
   * for host-heavy cases whose few milliseconds would otherwise take the pauses of garbage that
   * earlier workloads left.
   */
  readonly gcEveryRun?: boolean;
  /**
   * Paired entries (see {@link Entry.pairedWith}) go on with rounds until `rounds` of them are
   * clean (no other process held CPU during either run, see cpu-share.ts), at most `maxRounds`.
   */
  readonly cleanPairs?: { readonly rounds: number; readonly maxRounds: number };
}

/** Something the timed function returns that must be freed after the clock stops. */
export interface Disposable {
  dispose(): void;
}

/** One backend's timed function, prepared (inputs uploaded, kernels built) outside the clock. */
export interface Prepared {
  /** Runs the workload once, to a result on the host (read back), and returns what to free. */
  run(): Promise<Disposable | Disposable[] | void>;
  /** Frees the inputs and kernels. */
  dispose(): void;
}

/** What the report shows for one backend on one case. */
export type Outcome =
  | ({ readonly status: 'ok' } & Measurement)
  | { readonly status: 'error'; readonly error: string }
  | { readonly status: 'skipped'; readonly note: string };

export interface Measurement {
  /** Timed runs, in milliseconds, in round order. */
  readonly samples: readonly number[];
  /** Per timed run: cores' worth of CPU other processes used meanwhile (Linux; see cpu-share.ts). */
  readonly foreignCores?: readonly number[];
  /** Per timed run: cores' worth of CPU this process used (about 2 for a 2-thread run that scaled). */
  readonly ownCores?: readonly number[];
  readonly summary: Summary;
  /** The first warm-up run (includes compilation / first-use costs), ms. */
  readonly firstRunMs?: number;
  /**
   * Largest rise of the process's RSS during a run above its RSS just before the run, MiB: the
   * kernel's high-water mark, reset before each run (or, where it cannot be reset, RSS after the run).
   */
  readonly peakGrowthMiB?: number;
  /** Largest peak RSS of the process during a run, MiB. */
  readonly peakRssMiB?: number;
  /** RSS just before the run that had the largest growth (runtime, backend, inputs), MiB. */
  readonly baselineRssMiB?: number;
  /** Whether the peak is the reset high-water mark (true) or a sample after the run (false). */
  readonly peakIsHighWater?: boolean;
  /** Bytes the backend reports live for the result (its memory() accounting). */
  readonly resultBytes?: number;
  /** tfjs's own accounting: tf.profile(...).peakBytes of one extra run. */
  readonly tfjsPeakBytes?: number;
  readonly note?: string;
}

/** One backend's entry in an interleaved measurement. */
export interface Entry {
  readonly id: string;
  readonly backend?: Backend;
  readonly tf?: TfLike;
  readonly prepare: () => Prepared | Promise<Prepared>;
  /**
   * The id of another entry this one is compared with run by run (a 1-thread variant and its
   * backend): it runs right after that entry in every round (right before it in reversed rounds),
   * and both get the same GC and settling before each run, so each round's pair of runs sees the
   * same machine.
   */
  readonly pairedWith?: string;
}

function errorText(e: unknown): string {
  const text = e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
  return text.split('\n')[0]!.slice(0, 300);
}

function release(out: Disposable | Disposable[] | void): void {
  if (!out) return;
  for (const d of Array.isArray(out) ? out : [out]) d.dispose();
}

const MiB = 2 ** 20;

interface State {
  entry: Entry;
  prepared?: Prepared;
  samples: number[];
  foreign: number[];
  own: number[];
  lastForeign?: number;
  lastOwn?: number;
  spent: number;
  growth: number;
  peak: number;
  baseline: number;
  highWater: boolean;
  lastMs?: number;
  resultBytes?: number;
  firstRunMs?: number;
  note?: string;
  error?: string;
  done: boolean;
  /** The state of the entry this one is paired with (both ways), if any. */
  partner?: State;
}

async function timedRun(s: State, gcEveryRun = false): Promise<number> {
  // A full GC costs milliseconds: skip it before runs that are that short themselves (a pair
  // decides together: both sides of a ratio get the same treatment), unless the policy asks for it.
  // Then let its concurrent sweeping finish, or it takes a core from a multi-threaded run.
  const short = (q: State | undefined): boolean => q?.lastMs !== undefined && q.lastMs < 10;
  if (gcEveryRun || !short(s) || (s.partner && !short(s.partner))) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const memBefore = s.entry.backend?.memory?.().bytes;
  const highWater = resetPeakRss();
  const rssBefore = rss();
  const cpuBefore = cpuSnapshot();
  const t0 = performance.now();
  const out = await s.prepared!.run();
  const dt = performance.now() - t0;
  const cpuAfter = cpuSnapshot();
  // Two decimals: /proc/stat's 10 ms ticks make more digits noise (and latest.json long).
  const cores = (f: typeof ownCores): number | undefined =>
    cpuBefore && cpuAfter ? Math.round(f(cpuBefore, cpuAfter) * 100) / 100 : undefined;
  s.lastForeign = cores(foreignCores);
  s.lastOwn = cores(ownCores);
  const peak = highWater ? Math.max(maxRss(), rss()) : rss();
  s.highWater = highWater;
  if (peak - rssBefore >= s.growth) {
    s.growth = peak - rssBefore;
    s.baseline = rssBefore;
  }
  s.peak = Math.max(s.peak, peak);
  const memAfter = s.entry.backend?.memory?.().bytes;
  if (memBefore !== undefined && memAfter !== undefined)
    s.resultBytes = Math.max(s.resultBytes ?? 0, memAfter - memBefore);
  release(out);
  s.lastMs = dt;
  return dt;
}

/** Keeps a timed run (with what other processes used meanwhile, where known). */
function record(s: State, dt: number): void {
  s.samples.push(dt);
  s.spent += dt;
  if (s.lastForeign !== undefined && s.foreign.length === s.samples.length - 1) s.foreign.push(s.lastForeign);
  if (s.lastOwn !== undefined && s.own.length === s.samples.length - 1) s.own.push(s.lastOwn);
}

function finished(s: State, p: RepeatPolicy): boolean {
  const k = s.samples.length;
  const forced = p.minRepsFor?.[s.entry.id];
  if (forced !== undefined && k < forced) return false; // a per-backend minimum beats the cap
  if (p.cleanPairs && s.partner && s.partner.error === undefined && k < p.cleanPairs.maxRounds) {
    const clean = cleanRounds(s.foreign, s.partner.foreign);
    if (clean && clean.length < p.cleanPairs.rounds) return false;
  }
  const minReps = forced ?? p.minReps;
  if (k >= Math.max(p.maxReps, minReps)) return true;
  const typical = summarize(s.samples).median;
  if (k >= 1 && s.spent + typical > p.capMs) return true;
  return k >= minReps && s.spent >= p.budgetMs;
}

/** `entries` with each paired entry moved to just after its partner (order otherwise kept). */
export function pairOrder(entries: readonly Entry[]): Entry[] {
  const ids = new Set(entries.map((e) => e.id));
  const follows = (e: Entry): boolean => e.pairedWith !== undefined && ids.has(e.pairedWith);
  const out: Entry[] = [];
  const place = (e: Entry): void => {
    out.push(e);
    for (const f of entries) if (follows(f) && f.pairedWith === e.id && !out.includes(f)) place(f);
  };
  for (const e of entries) if (!follows(e) && !out.includes(e)) place(e);
  // A cycle of pairings has no head: keep those entries in their given order.
  for (const e of entries) if (!out.includes(e)) out.push(e);
  return out;
}

/**
 * Measures one case on several backends: prepares each, warms each up, then runs rounds in which
 * every backend that still needs samples runs once. Errors are caught per backend.
 */
export async function measureInterleaved(
  entries: readonly Entry[],
  policy: RepeatPolicy,
): Promise<Map<string, Outcome>> {
  const states: State[] = pairOrder(entries).map((entry) => ({
    entry,
    samples: [],
    foreign: [],
    own: [],
    spent: 0,
    growth: 0,
    peak: 0,
    baseline: 0,
    highWater: false,
    done: false,
  }));
  for (const s of states) {
    const partner = states.find((q) => q.entry.id === s.entry.pairedWith);
    if (partner) {
      s.partner = partner;
      partner.partner = s;
    }
  }
  for (const s of states) {
    try {
      s.prepared = await s.entry.prepare();
      for (let w = 0; w < policy.warmup && !s.done; w++) {
        const dt = await timedRun(s, policy.gcEveryRun);
        s.firstRunMs ??= dt;
        if (dt >= (policy.warmupAsSampleMs ?? policy.capMs / 2)) {
          // A long run: count it (the code was warm already), then repeat only within the cap.
          record(s, dt);
          s.done = finished(s, policy);
          if (s.done && s.samples.length === 1)
            s.note = `one run only: it took ${(dt / 1000).toFixed(1)} s, and repeats stop at ${(policy.capMs / 1000).toFixed(0)} s of timed work per case and backend`;
          break;
        }
      }
    } catch (e) {
      s.error = errorText(e);
      s.done = true;
    }
  }
  // Odd rounds run the backends in reverse order, so no backend always pays for the garbage or
  // the warm caches the one before it left (a case with few runs would otherwise be biased).
  const reversed = [...states].reverse();
  for (let round = 0; states.some((s) => !s.done); round++) {
    for (const s of round % 2 === 0 ? states : reversed) {
      if (s.done) continue;
      try {
        record(s, await timedRun(s, policy.gcEveryRun));
        s.done = finished(s, policy);
      } catch (e) {
        s.error = errorText(e);
        s.done = true;
      }
    }
  }
  const out = new Map<string, Outcome>();
  for (const s of states) {
    let tfjsPeakBytes: number | undefined;
    if (!s.error && s.prepared && s.entry.tf) {
      try {
        const info = await s.entry.tf.profile(async () => {
          release(await s.prepared!.run());
        });
        tfjsPeakBytes = info.peakBytes;
      } catch {
        /* tfjs accounting is extra information only */
      }
    }
    try {
      s.prepared?.dispose();
    } catch (e) {
      s.error ??= `dispose: ${errorText(e)}`;
    }
    if (s.error && s.samples.length === 0) {
      out.set(s.entry.id, { status: 'error', error: s.error });
      continue;
    }
    out.set(s.entry.id, {
      status: 'ok',
      samples: s.samples,
      ...(s.foreign.length === s.samples.length && s.samples.length > 0 ? { foreignCores: s.foreign } : {}),
      ...(s.own.length === s.samples.length && s.samples.length > 0 ? { ownCores: s.own } : {}),
      summary: summarize(s.samples),
      ...(s.firstRunMs !== undefined ? { firstRunMs: s.firstRunMs } : {}),
      peakGrowthMiB: s.growth / MiB,
      peakRssMiB: s.peak / MiB,
      baselineRssMiB: s.baseline / MiB,
      peakIsHighWater: s.highWater,
      ...(s.resultBytes !== undefined ? { resultBytes: s.resultBytes } : {}),
      ...(tfjsPeakBytes !== undefined ? { tfjsPeakBytes } : {}),
      ...(s.note || s.error
        ? { note: [s.note, s.error ? `later run failed: ${s.error}` : undefined].filter(Boolean).join('; ') }
        : {}),
    });
  }
  return out;
}
