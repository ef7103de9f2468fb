/**
 * The performance targets, as data: each names the cases it judges, what they are compared with
 * (torch, another backend of the same run, or the subject's own 1-thread run) and the limit. Every
 * backend marked `targets` in the backends table gets a row per target, so a new backend's rows
 * appear when its line is added there.
 */
import { backendSpec, oneThreadId, TARGET_BACKENDS } from './backends.js';
import { BUSY_FOREIGN_CORES, cleanRounds, MIN_CLEAN_ROUNDS, MIN_CLEAN_RUN_MS } from './cpu-share.js';
import { inProcess, okOutcome, torchBest, w4ScalingPair, type Ok } from './lookup.js';
import {
  holmVerdicts,
  NOISE_LEVEL,
  pairedRatio,
  slowerTest,
  summarize,
  type NoiseVerdict,
  type SlowerTest,
} from './stats.js';
import { torchAnchorProblem } from './torch.js';
import type { BenchResults, CaseResult, TargetResult } from './types.js';

/** What a target compares the subject with. */
export type Anchor =
  /** torch's faster of 1 thread and all cores, on the same case id. */
  | { readonly kind: 'torch' }
  /** Another backend of the same run. */
  | { readonly kind: 'backend'; readonly id: string }
  /** The subject created with `threads: 1` (matmul only; backends with a `threads` option). */
  | { readonly kind: 'one-thread' };

/** One performance target. */
export interface PerfTarget {
  readonly id: string;
  readonly title: string;
  /** The cases judged (of this run); the worst decides. */
  readonly cases: (all: readonly CaseResult[]) => readonly CaseResult[];
  readonly anchor: Anchor;
  /**
   * 'time': subject time ÷ anchor time, at most `limit`. 'speed': anchor time ÷ subject time
   * (the subject's speed, or GFLOP/s, relative to the anchor's), at least `limit`.
   */
  readonly measure: 'time' | 'speed';
  readonly limit: number;
  readonly goal: string;
  /**
   * Judge each case by its runs, not its ratio alone: a case over the limit by less than the
   * run-to-run spread (one-sided tests of the target's cases as one family at {@link NOISE_LEVEL},
   * see holmVerdicts) is reported within noise, not missed. For "not slower than" targets, where
   * the same work on both sides is the normal case and its ratio scatters around 1.
   */
  readonly noise?: boolean;
}

/** The largest matmul of the run (1024 in a full run). */
const largestMatmul = (all: readonly CaseResult[]): CaseResult[] => {
  const mm = all.filter((c) => c.workload === 'matmul');
  const n = Math.max(...mm.map((c) => Number(c.params['n'])));
  return mm.filter((c) => Number(c.params['n']) === n);
};

/** W4 cases of `variant` at 4k and 16k (the two largest n of a quick run). */
const w4At =
  (variant: string) =>
  (all: readonly CaseResult[]): CaseResult[] => {
    const pair = w4ScalingPair([
      ...new Set(
        all.filter((c) => c.workload === 'W4' && c.params['variant'] === 'linear').map((c) => Number(c.params['n'])),
      ),
    ]);
    return all.filter(
      (c) => c.workload === 'W4' && c.params['variant'] === variant && (!pair || pair.includes(Number(c.params['n']))),
    );
  };

/** Issue 13's targets (backend-wasm), measured side by side in one run. */
export const PERF_TARGETS: readonly PerfTarget[] = [
  {
    id: 'matmul-vs-xnnpack',
    title: 'matmul 1024 float32 vs tfjs-wasm (XNNPACK)',
    cases: largestMatmul,
    anchor: { kind: 'backend', id: 'tfjs-wasm' },
    measure: 'speed',
    limit: 1.5,
    goal: '≥ 1.5x the speed of tfjs-wasm',
  },
  {
    id: 'matmul-vs-torch',
    title: 'matmul 1024 float32 vs torch',
    cases: largestMatmul,
    anchor: { kind: 'torch' },
    measure: 'speed',
    limit: 0.15,
    goal: '≥ 15% of the GFLOP/s of torch',
  },
  {
    id: 'matmul-threads',
    title: 'matmul 1024: all threads vs 1 thread',
    cases: largestMatmul,
    anchor: { kind: 'one-thread' },
    measure: 'speed',
    limit: 1.7,
    goal: '≥ 1.7x its own 1-thread speed (2 threads)',
  },
  {
    id: 'w1-vs-torch',
    title: 'W1 feature maps (every map) vs torch',
    cases: (all) => all.filter((c) => c.workload === 'W1'),
    anchor: { kind: 'torch' },
    measure: 'time',
    limit: 2.5,
    goal: '≤ 2.5x the time of torch',
  },
  {
    id: 'w2-vs-torch',
    title: 'W2 kernelApproximation vs torch',
    cases: (all) => all.filter((c) => c.workload === 'W2'),
    anchor: { kind: 'torch' },
    measure: 'time',
    limit: 3,
    goal: '≤ 3x the time of torch',
  },
  {
    id: 'w3-vs-torch',
    title: 'W3 exact Gaussian and Laplacian, n = m = 2000, vs torch',
    cases: (all) =>
      all.filter((c) => c.workload === 'W3' && c.params['approach'] === 'cdist' && !c.id.endsWith('batched')),
    anchor: { kind: 'torch' },
    measure: 'time',
    limit: 3,
    goal: '≤ 3x the time of torch',
  },
  {
    id: 'w4-linear-vs-torch',
    title: 'W4 FAVOR+ linear attention, n = 4096 and 16384, vs torch',
    cases: w4At('linear'),
    anchor: { kind: 'torch' },
    measure: 'time',
    limit: 1.5,
    goal: '≤ 1.5x the time of torch',
  },
  {
    id: 'w4-causal-vs-torch',
    title: 'W4 causal linear attention, n = 4096, vs torch',
    cases: (all) => all.filter((c) => c.workload === 'W4' && c.params['variant'] === 'causal'),
    anchor: { kind: 'torch' },
    measure: 'time',
    limit: 3,
    goal: '≤ 3x the time of torch',
  },
  {
    id: 'not-slower-than-js',
    title: 'every workload vs backend-js',
    // The naive W3 baseline is the reference's approach, not a spectrans workload.
    cases: (all) => all.filter((c) => c.workload !== 'matmul' && c.params['approach'] !== 'naive'),
    anchor: { kind: 'backend', id: 'js' },
    measure: 'time',
    limit: 1,
    goal: 'no workload slower than on backend-js',
    noise: true,
  },
];

const x = (v: number): string => (v >= 10 ? `${v.toFixed(1)}x` : v >= 0.1 ? `${v.toFixed(2)}x` : `${v.toFixed(3)}x`);
const ms = (v: number): string =>
  v >= 100 ? `${v.toFixed(0)} ms` : v >= 10 ? `${v.toFixed(1)} ms` : `${v.toFixed(2)} ms`;

/** The anchor's time on a case, with a label, or why there is none. */
function anchorOf(
  r: Pick<BenchResults, 'torch'>,
  t: PerfTarget,
  subject: string,
  c: CaseResult,
): { ms: number; label: string; o?: Ok } | string {
  if (t.anchor.kind === 'torch') {
    const b = torchBest(r, c.id);
    return b
      ? { ms: b.ms, label: `torch ${ms(b.ms)} (${b.threads} thread${b.threads === '1' ? '' : 's'})` }
      : 'no torch time';
  }
  const id = anchorId(t, subject);
  const o = okOutcome(c, id);
  return o ? { ms: o.summary.median, label: `${id} ${ms(o.summary.median)}`, o } : `${id} not measured`;
}

/** One row: the subject against one target. */
function judge(r: Pick<BenchResults, 'cases' | 'torch' | 'backends'>, t: PerfTarget, subject: string): TargetResult {
  const row = { id: `${t.id}/${subject}`, title: t.title, subject, goal: t.goal };
  const status = r.backends.find((b) => b.id === subject);
  if (!status?.available)
    return {
      ...row,
      achieved: 'n/a',
      pass: undefined,
      detail: status ? `${subject} did not run: ${status.reason ?? '?'}` : `${subject} was not part of this run`,
    };
  if (t.anchor.kind === 'one-thread' && !backendSpec(subject).threads)
    return {
      ...row,
      achieved: 'n/a',
      pass: undefined,
      detail: `${subject} has no threads option (it computes on one thread)`,
    };
  const cases = t.cases(r.cases);
  const ratios: {
    v: number;
    c: CaseResult;
    text: string;
    test?: SlowerTest;
    runs?: string;
    noise?: NoiseVerdict;
    busy?: string;
  }[] = [];
  const parts: string[] = [];
  const withinNoise: string[] = [];
  const missing: string[] = [];
  for (const c of cases) {
    const own = okOutcome(c, subject);
    const anchor = anchorOf(r, t, subject, c);
    // A backend anchor that did not run a case (skipped as too slow, or failed) leaves nothing to beat.
    if (typeof anchor === 'string' && t.anchor.kind === 'backend') continue;
    if (!own || typeof anchor === 'string') {
      missing.push(`${c.id}: ${!own ? `${subject} ${c.outcomes[subject]?.status ?? 'not measured'}` : anchor}`);
      continue;
    }
    // time ratio subject/anchor; paired per round where both ran interleaved in this process.
    const paired = anchor.o && inProcess(c) ? pairedRatio(own.samples, anchor.o.samples) : undefined;
    // Thread scaling: only rounds in which no other process held CPU measure it (cpu-share.ts).
    const scaling = t.anchor.kind === 'one-thread' && paired?.paired ? threadRounds(own, anchor.o!) : undefined;
    const chosen = scaling?.clean ?? paired;
    const timeRatio = chosen?.ratio ?? own.summary.median / anchor.ms;
    const v = t.measure === 'time' ? timeRatio : 1 / timeRatio;
    const over = t.measure === 'time' ? v > t.limit : v < t.limit;
    // Over the limit: is that beyond the spread of the runs? (time: subject vs limit × anchor; speed: anchor vs subject × limit.)
    // Paired per round where both ran interleaved in this process (drift cancels), else unpaired.
    const byRound = paired !== undefined;
    const test =
      t.noise && over && anchor.o
        ? t.measure === 'time'
          ? slowerTest(own.samples, anchor.o.samples, t.limit, byRound)
          : slowerTest(anchor.o.samples, own.samples, 1 / t.limit, byRound)
        : undefined;
    const iqr = (q: { q1: number; q3: number }): string =>
      `IQR ${x(t.measure === 'time' ? q.q1 : 1 / q.q3)}–${x(t.measure === 'time' ? q.q3 : 1 / q.q1)}`;
    const spread = scaling
      ? ` (${scaling.text(iqr, (q) => x(t.measure === 'time' ? q.ratio : 1 / q.ratio))})`
      : paired?.paired && t.anchor.kind === 'one-thread'
        ? ` (${iqr(paired)} over ${Math.min(own.samples.length, anchor.o!.samples.length)} paired rounds)`
        : '';
    ratios.push({
      v,
      c,
      text: `${c.id}: ${subject} ${ms(own.summary.median)} vs ${anchor.label} = ${x(v)}${spread}`,
      ...(test
        ? { test, runs: `${subject} ${runs(own.samples)} vs ${anchorId(t, subject)} ${runs(anchor.o!.samples)}` }
        : {}),
      ...(scaling?.busy ? { busy: scaling.busy } : {}),
    });
  }
  // The tested cases as one family: with ~40 cases of the same work, one would be "slower" at
  // p <= 0.05 by chance in most runs.
  const verdicts = holmVerdicts(
    ratios.map((q) => q.test),
    ratios.length,
  );
  for (const [i, q] of ratios.entries()) {
    parts.push(q.text);
    const noise = verdicts[i];
    if (noise === undefined) continue;
    q.noise = noise;
    const text = `${q.c.id}: ${x(q.v)}, ${noiseText(noise)}: ${q.runs!}`;
    if (noise.kind === 'within-noise') withinNoise.push(text);
    else parts.push(`(${text})`);
  }
  const problem = t.anchor.kind === 'torch' ? torchAnchorProblem(r.torch) : undefined;
  const torchMissing =
    t.anchor.kind === 'torch' && !r.torch?.available
      ? r.torch
        ? `torch did not run: ${r.torch.reason}`
        : 'torch side-by-side not run'
      : undefined;
  if (!ratios.length)
    return {
      ...row,
      achieved: 'n/a',
      pass: undefined,
      detail: torchMissing ?? (missing.length ? missing.join('; ') : 'no case of this target was measured'),
    };
  const worse = (a: { v: number }, b: { v: number }): boolean => (t.measure === 'time' ? b.v > a.v : b.v < a.v);
  const worstOf = <T extends { v: number }>(list: readonly T[]): T | undefined =>
    list.reduce<T | undefined>((a, b) => (!a || worse(a, b) ? b : a), undefined);
  const worst = worstOf(ratios)!;
  // Cases within noise do not miss the target; the worst of the others decides.
  const judged = ratios.filter((q) => q.noise?.kind !== 'within-noise');
  const decisive = worstOf(judged);
  const ok = !decisive || (t.measure === 'time' ? decisive.v <= t.limit : decisive.v >= t.limit);
  const achieved = `${x(worst.v)}${ratios.length > 1 ? ` (worst: ${worst.c.id})` : ''}${worst.noise?.kind === 'within-noise' ? ', within noise' : ''}${!ok && decisive !== worst ? `; ${x(decisive!.v)} beyond noise (${decisive!.c.id})` : ''}`;
  const detail = [
    withinNoise.length
      ? `Within noise (over the limit by less than the runs scatter: one-sided tests, Holm's bound for the ${ratios.length} cases at ${NOISE_LEVEL}; not a miss): ${withinNoise.join('; ')}`
      : '',
    parts.join('; '),
    missing.length ? `not measured: ${missing.join('; ')}` : '',
    problem ? `NOT JUDGED: ${problem}` : '',
  ]
    .filter(Boolean)
    .join('. ');
  if (problem) return { ...row, achieved: `${achieved}, not judged`, pass: undefined, detail };
  const busy = ratios.find((q) => q.busy);
  if (busy)
    return {
      ...row,
      achieved: `${achieved}, not judged (machine busy)`,
      pass: undefined,
      detail: `NOT JUDGED: ${busy.busy}. ${detail}`,
    };
  if (ok) return { ...row, achieved, pass: missing.length === 0 ? true : undefined, detail };
  const factor = t.measure === 'time' ? decisive!.v / t.limit : t.limit / decisive!.v;
  return {
    ...row,
    achieved,
    pass: false,
    missedBy: `${x(factor)} ${t.measure === 'time' ? 'too slow' : 'short'}: needs ${x(factor)} ${t.measure === 'time' ? 'less time' : 'more speed'} on ${decisive!.c.id}${decisive!.noise?.kind === 'too-few' ? ` (too few runs to tell from noise: ${decisive!.c.id} ${ratioRuns(decisive!.c, subject, t)})` : ''}`,
    detail,
  };
}

/**
 * The paired 1-thread/all-threads rounds of a case: the per-round ratio over the clean rounds (no
 * other process held CPU during either run), where there are enough of them; otherwise why the
 * case cannot be judged. Undefined where the runs carry no CPU readings (off Linux, older results).
 */
function threadRounds(
  own: Ok,
  one: Ok,
):
  | {
      clean?: ReturnType<typeof pairedRatio>;
      busy?: string;
      text: (iqr: (q: { q1: number; q3: number }) => string, r: (q: { ratio: number }) => string) => string;
    }
  | undefined {
  // /proc/stat counts 10 ms ticks: runs much shorter than that cannot be told clean or busy.
  if (own.summary.median < MIN_CLEAN_RUN_MS) return undefined;
  const clean = cleanRounds(own.foreignCores, one.foreignCores);
  if (!clean) return undefined;
  const k = Math.min(own.samples.length, one.samples.length);
  const all = pairedRatio(own.samples.slice(0, k), one.samples.slice(0, k));
  const busyRounds = k - clean.length;
  const others = `other processes held ≥ ${BUSY_FOREIGN_CORES} cores during ${busyRounds} of ${k} rounds`;
  if (clean.length < MIN_CLEAN_ROUNDS)
    return {
      busy: `${others}, which leaves ${clean.length} clean rounds (${MIN_CLEAN_ROUNDS} needed): a 2-thread run on a 2-core machine measures the other processes then`,
      text: (iqr, r) => `all ${k} rounds: ${r(all)}, ${iqr(all)}; ${others}`,
    };
  const c = pairedRatio(
    clean.map((i) => own.samples[i]!),
    clean.map((i) => one.samples[i]!),
  );
  // How many cores the all-threads runs kept busy: below 2 on 2 threads, the threads waited.
  const used = own.ownCores ? summarize(clean.map((i) => own.ownCores![i]!)).median : undefined;
  return {
    clean: c,
    text: (iqr, r) =>
      `${iqr(c)} over ${clean.length} clean rounds, with no other process on the CPU${used === undefined ? '' : ` (the all-threads runs kept a median ${used.toFixed(2)} cores busy)`}; clean runs: all threads ${runs(clean.map((i) => own.samples[i]!))}, 1 thread ${runs(clean.map((i) => one.samples[i]!))}; ${others}${busyRounds ? `, all ${k} rounds: ${r(all)}` : ''}`,
  };
}

/** The verdict in words. */
function noiseText(v: NoiseVerdict): string {
  if (v.kind === 'too-few')
    return `too few runs to tell from noise (the smallest p they allow is ${v.minP.toFixed(2)})`;
  const test = v.test === 'signed-rank' ? 'paired by round, signed-rank' : 'Mann–Whitney';
  return `${v.kind === 'slower' ? 'beyond noise' : 'within noise'} (${test} p = ${v.p < 0.001 ? v.p.toExponential(1) : v.p.toFixed(3)})`;
}

/** Median and range of a series of runs, e.g. "2.31 s [2.12–2.90 s], 5 runs". */
function runs(samples: readonly number[]): string {
  const s = summarize(samples);
  const unit = s.max >= 1000 ? 's' : 'ms';
  const f = (v: number): string => (unit === 's' ? (v / 1000).toFixed(2) : v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2));
  return `${f(s.median)} ${unit} [${f(s.min)}–${f(s.max)} ${unit}], ${s.n} run${s.n === 1 ? '' : 's'}`;
}

/** The id of a backend (or 1-thread) anchor. */
function anchorId(t: PerfTarget, subject: string): string {
  return t.anchor.kind === 'backend' ? t.anchor.id : oneThreadId(subject);
}

/** Run counts of the subject and its anchor on a case, e.g. "1 run vs 3". */
function ratioRuns(c: CaseResult, subject: string, t: PerfTarget): string {
  const a = anchorId(t, subject);
  return `${okOutcome(c, subject)?.samples.length ?? 0} run(s) of ${subject} vs ${okOutcome(c, a)?.samples.length ?? 0} of ${a}`;
}

/** Every target for every backend marked `targets` (in table order), then the next target. */
export function computePerfTargets(
  r: Pick<BenchResults, 'cases' | 'torch' | 'backends'>,
  targets: readonly PerfTarget[] = PERF_TARGETS,
  subjects: readonly string[] = TARGET_BACKENDS,
): TargetResult[] {
  // A backend is not judged against itself (backend-js in 'every workload vs backend-js').
  return targets.flatMap((t) =>
    subjects.filter((s) => !(t.anchor.kind === 'backend' && t.anchor.id === s)).map((s) => judge(r, t, s)),
  );
}
