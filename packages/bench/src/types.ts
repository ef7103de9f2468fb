/** The shape of a run's results (results/latest.json). */
import type { Outcome } from './harness.js';
import type { MachineInfo } from './machine.js';

export type Workload = 'matmul' | 'W1' | 'W2' | 'W3' | 'W4' | 'W5' | 'W6' | 'W7';

/** One workload case measured on every backend. */
export interface CaseResult {
  readonly workload: Workload;
  /** Stable id, e.g. 'w1/gaussian' or 'w4/linear/n=4096'. */
  readonly id: string;
  readonly label: string;
  /** Sizes and options, e.g. { n: 4096, d: 64, D: 256 }. */
  readonly params: Readonly<Record<string, number | string | boolean>>;
  /** Floating-point operations of one run, where meaningful (GFLOP/s = flops / time). */
  readonly flops?: number;
  /** Outcome per backend id (and reference entries such as 'tfjs-core-cpu (direct)'). */
  readonly outcomes: Readonly<Record<string, Outcome>>;
}

export interface BackendStatus {
  readonly id: string;
  readonly available: boolean;
  /** The engine/mode that actually ran a probe op. */
  readonly ran?: string;
  readonly reason?: string;
  readonly startMs?: number;
}

/** Relative Frobenius error of the Gram approximation for one map at one D, over seeds. */
export interface AccuracyPoint {
  readonly D: number;
  readonly errors: readonly number[];
  readonly mean: number;
  readonly std: number;
  readonly min: number;
  readonly max: number;
}

export interface AccuracySeries {
  readonly id: string;
  readonly label: string;
  readonly kernel: 'gaussian' | 'laplacian';
  readonly points: readonly AccuracyPoint[];
}

export interface AccuracyResult {
  readonly backend: string;
  readonly dtype: string;
  readonly n: number;
  readonly d: number;
  readonly seeds: number;
  readonly sigma: Readonly<Record<string, number>>;
  readonly series: readonly AccuracySeries[];
  /** Least-squares slope of log(mean error) against log(D), per series (−0.5 for 1/√D). */
  readonly slopes: Readonly<Record<string, number>>;
}

/** PyTorch side-by-side (optional). */
export type TorchResult =
  | { readonly available: false; readonly reason: string }
  | {
      readonly available: true;
      readonly python: string;
      readonly version: string;
      readonly threads: number;
      readonly blas?: string;
      /** Case id (same ids as W1/matmul) -> per thread count -> milliseconds samples summary. */
      readonly cases: Readonly<Record<string, Readonly<Record<string, { median: number; q1: number; q3: number; n: number }>>>>;
    };

export interface TargetResult {
  readonly id: string;
  readonly title: string;
  readonly goal: string;
  /** e.g. '4.6x' */
  readonly achieved: string;
  readonly pass: boolean | undefined;
  readonly detail: string;
}

export interface BenchResults {
  readonly schema: 1;
  readonly quick: boolean;
  readonly startedAt: string;
  readonly durationS: number;
  readonly machine: MachineInfo & { readonly glRenderer?: string; readonly display?: string };
  readonly backends: readonly BackendStatus[];
  readonly cases: readonly CaseResult[];
  readonly accuracy?: AccuracyResult;
  readonly torch?: TorchResult;
  readonly targets: readonly TargetResult[];
  readonly notes: readonly string[];
}
