/**
 * Workloads that need a clean peak RSS run in a child process of their own (same Node, same tsx
 * loader, --expose-gc), which prints one result line for the parent.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { BackendId } from './backends.js';
import { BENCH_DIR } from './backends.js';
import type { Measurement, RepeatPolicy } from './harness.js';

export const RESULT_MARKER = '@@spectrans-bench-result@@ ';

/** W3 at n = m = large: exact kernels by pairwise distances, or the naive (n, m, d) difference tensor. */
export interface W3ChildSpec {
  readonly kind: 'w3';
  readonly backend: BackendId;
  readonly approaches: readonly ('cdist' | 'naive')[];
  readonly kernels: readonly ('gaussian' | 'laplacian')[];
  readonly n: number;
  readonly d: number;
  readonly policy: RepeatPolicy;
}

/** W4 at each n: softmax features + linear attention, exact softmax attention, or causal linear attention. */
export interface W4ChildSpec {
  readonly kind: 'w4';
  readonly backend: BackendId;
  readonly variants: readonly W4Variant[];
  readonly ns: readonly number[];
  /** The n at which the causal variant runs (default: every n of `ns`). */
  readonly causalNs?: readonly number[];
  readonly d: number;
  readonly D: number;
  readonly policy: RepeatPolicy;
}

/** W4 variants: 'linear' (features and non-causal linear attention), 'exact' (softmax attention), 'causal' (causal linear attention). */
export type W4Variant = 'linear' | 'exact' | 'causal';

export type ChildSpec = W3ChildSpec | W4ChildSpec;

/** One measured key of a child (e.g. 'gaussian/cdist', 'features', 'linear', 'exact') at one size. */
export interface ChildKeyResult {
  readonly key: string;
  readonly n: number;
  readonly measurement?: Measurement;
  readonly error?: string;
}

export type ChildReply =
  | { readonly ok: true; readonly ran: string; readonly results: readonly ChildKeyResult[] }
  | { readonly ok: false; readonly reason: string };

/** Runs a child and returns its reply; a crash, a timeout or a missing result line becomes `ok: false`. */
export function runChild(spec: ChildSpec, timeoutMs: number): Promise<ChildReply> {
  const script = join(BENCH_DIR, 'src', 'child.ts');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, '--expose-gc', script, JSON.stringify(spec)], {
      cwd: BENCH_DIR,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER));
      if (line) {
        try {
          resolve(JSON.parse(line.slice(RESULT_MARKER.length)) as ChildReply);
          return;
        } catch {
          /* fall through */
        }
      }
      const lastErr = stderr
        .trim()
        .split('\n')
        .filter((l) => l.trim() && !l.includes('npm warn'))
        .slice(-2)
        .join(' / ')
        .slice(0, 300);
      const why = timedOut
        ? `timed out after ${(timeoutMs / 1000).toFixed(0)} s (killed)`
        : signal === 'SIGKILL'
          ? 'killed (SIGKILL: out of memory?)'
          : `child exited with ${signal ?? `code ${code}`}`;
      resolve({ ok: false, reason: `${why}${lastErr ? `: ${lastErr}` : ''}` });
    });
  });
}
