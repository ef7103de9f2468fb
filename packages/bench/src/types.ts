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
  /** Compute threads it used, where known. */
  readonly threads?: number;
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

/** The BLAS library torch called, as read from the torch process's memory maps. */
export interface TorchBlas {
  /** 'OpenBLAS', 'Intel MKL', 'BLIS', 'ATLAS', 'reference BLAS (netlib)' or 'unknown (…)'. */
  readonly name: string;
  readonly version?: string;
  /** OpenBLAS threading variant: 'pthread', 'openmp' or 'serial' (Debian's libopenblas0-*). */
  readonly variant?: string;
  /** The mapped library file. */
  readonly library?: string;
  /** openblas_get_config(), e.g. 'OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64'. */
  readonly config?: string;
  /** The kernel set OpenBLAS chose for this CPU (openblas_get_corename()). */
  readonly core?: string;
  /** OpenBLAS's own thread count before the bench set it. */
  readonly defaultThreads?: number;
  /** torch's build flag (BLAS_INFO), which on Debian says 'generic' whatever runs. */
  readonly buildInfo?: string;
  /** True for netlib's reference BLAS (refused as an anchor), false for an optimised one, absent when unknown. */
  readonly reference?: boolean;
  /** Every BLAS/LAPACK-like library mapped into the process. */
  readonly mapped?: readonly string[];
}

/** PyTorch side-by-side (optional). */
export type TorchResult =
  | { readonly available: false; readonly reason: string }
  | {
      readonly available: true;
      readonly python: string;
      readonly version: string;
      /** torch.get_num_threads() before the bench set it. */
      readonly threads: number;
      /** The thread counts every case was timed with (1 and all cores). */
      readonly threadCounts: readonly number[];
      /** Per thread count: what torch and the BLAS library reported after setting it. */
      readonly threadsUsed: Readonly<Record<string, { readonly torch: number; readonly blas?: number }>>;
      readonly blas: TorchBlas;
      /** Case id (the same ids as the TypeScript cases) -> per thread count -> milliseconds summary (and samples). */
      readonly cases: Readonly<
        Record<
          string,
          Readonly<Record<string, { median: number; q1: number; q3: number; n: number; samples?: readonly number[] }>>
        >
      >;
    };

export interface TargetResult {
  readonly id: string;
  readonly title: string;
  /** The backend judged (performance targets of the backends table), absent for run-wide targets. */
  readonly subject?: string;
  readonly goal: string;
  /** e.g. '4.6x' */
  readonly achieved: string;
  readonly pass: boolean | undefined;
  /** Where missed: by how much, e.g. 'needs 4.5x less time'. */
  readonly missedBy?: string;
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
