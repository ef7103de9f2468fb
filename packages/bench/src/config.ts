/** Sizes and repetition policies of the full run and of the quick (CI) run. */
import type { RepeatPolicy } from './harness.js';

export interface BenchConfig {
  readonly quick: boolean;
  /** Ordinary cases (tens to hundreds of ms). */
  readonly policy: RepeatPolicy;
  /** Cases that take seconds per run on some backends. */
  readonly heavyPolicy: RepeatPolicy;
  /** W3 at n = m = large, in child processes (the naive baseline allocates gigabytes per run). */
  readonly w3LargePolicy: RepeatPolicy;
  readonly matmulSizes: readonly number[];
  /** W1: x (batch, n, d), D features. */
  readonly w1: { readonly batch: number; readonly n: number; readonly d: number; readonly D: number };
  /** W2: x (batch, n, d), y (batch, m, d), D features. */
  readonly w2: {
    readonly batch: number;
    readonly n: number;
    readonly m: number;
    readonly d: number;
    readonly D: number;
  };
  /** W3: batched x, y (batch, n, d); then single n = m = large (in child processes). */
  /**
   * W3: batched x, y (batch, n, d) in this process; then n = m = large in child processes. A large
   * case whose run, projected from the batched case, exceeds the single-run cap is skipped.
   */
  readonly w3: {
    readonly batch: number;
    readonly n: number;
    readonly d: number;
    readonly large: number;
    readonly childPerApproach: boolean;
  };
  /**
   * W4: sequence lengths (and those of causal linear attention), d, D; per-run cap in the children; one child per (backend, variant, n)
   * in the full run, one per backend (every variant and n) in the quick run.
   */
  readonly w4: {
    readonly ns: readonly number[];
    readonly causalNs: readonly number[];
    readonly d: number;
    readonly D: number;
    readonly policy: RepeatPolicy;
    readonly oneChildPerN: boolean;
  };
  /** Largest projected time of one run (ms) before a size is skipped (W3 large, W4), per backend. */
  readonly singleRunCapMs: number;
  /** The reference backend's larger single-run cap (it gets the full sweeps). */
  readonly referenceSingleRunCapMs: number;
  /** W5: policy of the large orthogonal setup (seconds of host QR per run, the same on every backend). */
  readonly w5Policy: RepeatPolicy;
  /**
   * Timed runs, at least, of each backend the performance targets judge (subjects and backend
   * anchors) on a case whose ratio is expected near a limit (W5's large orthogonal setup and W6's
   * randomized SVD: mostly the same host linear algebra on every backend), so that the noise rule
   * of the targets has runs to judge: its tests share one family level (Holm), so the first needs
   * p <= 0.05 / (number of cases, about 40), which 11 paired rounds can reach (2^-11) and 5 cannot.
   */
  readonly noiseMinRuns: number;
  /**
   * Rounds, at least, of each matmul size on a backend with a `threads` option and its 1-thread
   * variant, run back to back (the thread-scaling target is the median of the per-round ratios).
   */
  readonly threadPairRounds: number;
  /**
   * Then more rounds of that pair at the heavy sizes (1024), until this many are clean (no other
   * process held CPU during either run), at most `maxRounds`: thread scaling is judged on the
   * clean ones.
   */
  readonly threadCleanRounds?: { readonly rounds: number; readonly maxRounds: number };
  /** W5: (d, D) pairs of orthogonal-block and SORF setup. */
  readonly w5: readonly (readonly [number, number])[];
  /** W6: points (n, d), rank. */
  readonly w6: { readonly n: number; readonly d: number; readonly rank: number };
  /** Accuracy: D values, seeds, points (n, d). */
  readonly accuracy: { readonly Ds: readonly number[]; readonly seeds: number; readonly n: number; readonly d: number };
}

/** The backend that gets the full sweeps and the most runs where time is short. */
export const REFERENCE_BACKEND = 'js';

export const FULL: BenchConfig = {
  quick: false,
  policy: { warmup: 1, minReps: 4, maxReps: 12, budgetMs: 400, capMs: 4000, warmupAsSampleMs: 2000 },
  heavyPolicy: { warmup: 1, minReps: 3, maxReps: 5, budgetMs: 1500, capMs: 8000, warmupAsSampleMs: 2000 },
  w3LargePolicy: {
    warmup: 1,
    minReps: 2,
    maxReps: 4,
    budgetMs: 1500,
    capMs: 6000,
    warmupAsSampleMs: 3000,
    minRepsFor: { [REFERENCE_BACKEND]: 3 },
  },
  singleRunCapMs: 5000,
  referenceSingleRunCapMs: 40000,
  // Short setups (SORF diagonals, 0.5 ms; d = 64 QR blocks, 10 ms) get 5 warm-up runs and up to
  // 25 timed ones: with none and 3, their medians were runs of host code still being compiled,
  // by the JIT. A seconds-long QR setup's first warm-up counts as its first run, and the budget
  // stops it there (or at the judged backends' minimum).
  w5Policy: {
    warmup: 5,
    minReps: 1,
    maxReps: 25,
    budgetMs: 1000,
    capMs: 8000,
    warmupAsSampleMs: 1000,
    minRepsFor: { [REFERENCE_BACKEND]: 3 },
    // The same host work on every backend: without a GC before each run, the pauses of earlier
    // workloads' garbage fell into runs at random (8 ms runs took 30 to 36 ms on either backend).
    gcEveryRun: true,
  },
  noiseMinRuns: 11,
  threadPairRounds: 25,
  threadCleanRounds: { rounds: 15, maxRounds: 60 },
  matmulSizes: [256, 512, 1024],
  w1: { batch: 32, n: 100, d: 64, D: 256 },
  w2: { batch: 32, n: 100, m: 50, d: 64, D: 256 },
  w3: { batch: 32, n: 100, d: 64, large: 2000, childPerApproach: true },
  w4: {
    ns: [1024, 4096, 16384, 65536],
    causalNs: [4096],
    d: 64,
    D: 256,
    // Up to 15 runs where runs are short: 3 to 5 runs of 20 ms left the median to chance when another
    // process took a core for part of the case (the 4096-token runs of one full run: 21 to 42 ms).
    policy: { warmup: 1, minReps: 5, maxReps: 15, budgetMs: 1500, capMs: 8000, warmupAsSampleMs: 1500 },
    oneChildPerN: true,
  },
  w5: [
    [64, 256],
    [512, 4096],
  ],
  w6: { n: 1000, d: 64, rank: 16 },
  accuracy: { Ds: [64, 128, 256, 512, 1024, 2048, 4096], seeds: 10, n: 128, d: 64 },
};

export const QUICK: BenchConfig = {
  quick: true,
  policy: { warmup: 1, minReps: 3, maxReps: 3, budgetMs: 30, capMs: 1000 },
  heavyPolicy: { warmup: 1, minReps: 3, maxReps: 3, budgetMs: 60, capMs: 1500 },
  w3LargePolicy: { warmup: 1, minReps: 2, maxReps: 2, budgetMs: 0, capMs: 1500 },
  singleRunCapMs: 1000,
  referenceSingleRunCapMs: 2000,
  w5Policy: { warmup: 0, minReps: 2, maxReps: 2, budgetMs: 0, capMs: 1000 },
  noiseMinRuns: 3,
  threadPairRounds: 5,
  matmulSizes: [64, 128],
  w1: { batch: 2, n: 32, d: 32, D: 64 },
  w2: { batch: 2, n: 32, m: 16, d: 32, D: 64 },
  w3: { batch: 2, n: 40, d: 32, large: 200, childPerApproach: false },
  w4: {
    ns: [128, 512],
    causalNs: [512],
    d: 32,
    D: 64,
    policy: { warmup: 1, minReps: 3, maxReps: 3, budgetMs: 30, capMs: 1500 },
    oneChildPerN: false,
  },
  w5: [
    [16, 64],
    [32, 128],
  ],
  w6: { n: 100, d: 16, rank: 4 },
  accuracy: { Ds: [16, 64, 256], seeds: 3, n: 48, d: 16 },
};

/**
 * `policy` with at least `runs` timed runs for each of `ids` (kept where the policy asks for more).
 * A per-backend minimum beats the time cap, so it is for cases whose runs are known to fit.
 */
export function withMinRuns(policy: RepeatPolicy, ids: readonly string[], runs: number): RepeatPolicy {
  const minRepsFor: Record<string, number> = { ...policy.minRepsFor };
  for (const id of ids) minRepsFor[id] = Math.max(minRepsFor[id] ?? policy.minReps, runs);
  return { ...policy, minRepsFor };
}

/** The single-run cap of a backend. */
export function singleRunCap(config: BenchConfig, backend: string): number {
  return backend === REFERENCE_BACKEND ? config.referenceSingleRunCapMs : config.singleRunCapMs;
}

/**
 * The config with time budgets, caps and maximum run counts multiplied by `f` (< 1 when the run is
 * behind schedule), so the whole run keeps to its time limit on a slower or busier machine. Minimum
 * run counts stay; the smaller caps drop the sizes whose projected run is too long.
 */
export function scaleConfig(config: BenchConfig, f: number): BenchConfig {
  if (f >= 1) return config;
  const p = (q: RepeatPolicy): RepeatPolicy => ({
    ...q,
    budgetMs: q.budgetMs * f,
    capMs: q.capMs * f,
    maxReps: Math.max(q.minReps, Math.round(q.maxReps * f)),
    ...(q.warmupAsSampleMs !== undefined ? { warmupAsSampleMs: q.warmupAsSampleMs * f } : {}),
  });
  return {
    ...config,
    policy: p(config.policy),
    heavyPolicy: p(config.heavyPolicy),
    w3LargePolicy: p(config.w3LargePolicy),
    w4: { ...config.w4, policy: p(config.w4.policy) },
    w5Policy: p(config.w5Policy),
    singleRunCapMs: config.singleRunCapMs * f,
    referenceSingleRunCapMs: config.referenceSingleRunCapMs * f,
  };
}
