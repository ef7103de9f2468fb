/**
 * The optional PyTorch side-by-side (torch/workloads.py): every workload's torch equivalent, run only
 * when a Python with torch is found, with the BLAS library torch actually calls.
 */
import { execFile } from 'node:child_process';
import os from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR } from './backends.js';
import type { BenchConfig } from './config.js';
import type { TorchBlas, TorchResult } from './types.js';

/**
 * The environment of the torch child: this process's, without the OpenBLAS overrides that change
 * which kernels OpenBLAS picks (OPENBLAS_CORETYPE) or how it blocks for the cache
 * (OPENBLAS_L2_SIZE): the anchor is torch as a user runs it, with OpenBLAS's own CPU detection.
 */
export function torchEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, PYTHONDONTWRITEBYTECODE: '1' };
  delete out['OPENBLAS_CORETYPE'];
  delete out['OPENBLAS_L2_SIZE'];
  return out;
}

function run(
  cmd: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { cwd: os.tmpdir(), timeout: timeoutMs, maxBuffer: 64 * 2 ** 20, env: torchEnv() },
      (err, stdout, stderr) => {
        resolve({ ok: !err, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/**
 * The first Python that imports torch: $SPECTRANS_BENCH_PYTHON, python3, /usr/bin/python3 (Debian's
 * python3-torch). Runs from the temp directory: from this package, `import torch` would find the
 * torch/ folder of scripts as a namespace package.
 */
export async function findTorchPython(): Promise<string | undefined> {
  const candidates = [process.env['SPECTRANS_BENCH_PYTHON'], 'python3', '/usr/bin/python3', 'python'].filter(
    (c): c is string => !!c,
  );
  for (const c of [...new Set(candidates)]) {
    if ((await run(c, ['-c', 'import torch; torch.zeros(1)'], 60000)).ok) return c;
  }
  return undefined;
}

/** How to switch Debian's libblas.so.3 to OpenBLAS (pthread), said wherever the reference BLAS is found. */
export const OPENBLAS_FIX =
  'apt-get install -y libopenblas0-pthread && update-alternatives --set libblas.so.3-x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3';

/** One line naming the BLAS torch ran on: "OpenBLAS 0.3.21 (pthread, core Zen), …/libopenblasp-r0.3.21.so". */
export function blasText(b: TorchBlas): string {
  const detail = [b.variant, b.core ? `core ${b.core}` : undefined].filter(Boolean).join(', ');
  return `${b.name}${b.version ? ` ${b.version}` : ''}${detail ? ` (${detail})` : ''}${b.library ? `, ${b.library}` : ''}`;
}

/**
 * Why torch's numbers cannot anchor the targets, or undefined when they can: its BLAS is netlib's
 * reference implementation (an order of magnitude slower than what users run) or cannot be told.
 */
export function torchAnchorProblem(t: TorchResult | undefined): string | undefined {
  if (!t?.available) return undefined;
  if (t.blas.reference === true)
    return `torch runs on ${t.blas.name} (${t.blas.library ?? '?'}), not an optimised BLAS: its numbers do not say what Python users get. Fix: ${OPENBLAS_FIX}`;
  if (t.blas.reference === undefined)
    return `the BLAS torch calls could not be identified (${t.blas.name}); its numbers anchor nothing`;
  return undefined;
}

type Timing = { median: number; q1: number; q3: number; n: number; samples?: number[] };

/** Runs torch/workloads.py with the run's sizes; never throws (a missing torch is a reason, not an error). */
export async function runTorch(config: BenchConfig): Promise<TorchResult> {
  const python = await findTorchPython();
  if (!python)
    return {
      available: false,
      reason:
        'no Python with torch found (optional: apt-get install python3-torch libopenblas0-pthread, or set SPECTRANS_BENCH_PYTHON)',
    };
  const { w1, w2, w3, w4 } = config;
  const spec = {
    matmul: config.matmulSizes,
    w1,
    w2,
    w3: { batch: w3.batch, n: w3.n, d: w3.d, large: w3.large },
    w4: { ns: w4.ns, causalNs: w4.causalNs, d: w4.d, D: w4.D },
    budget: config.quick ? 0.02 : 0.4,
    minReps: config.quick ? 3 : 5,
    // Cases of seconds per run (W4 at n = 64k) stop after two timed runs once this is spent.
    capSeconds: config.quick ? 0.5 : 3,
  };
  const r = await run(python, [join(BENCH_DIR, 'torch', 'workloads.py'), JSON.stringify(spec)], 480000);
  if (!r.ok)
    return {
      available: false,
      reason: `torch/workloads.py failed: ${r.stderr.trim().split('\n').slice(-1)[0] ?? 'no output'}`,
    };
  try {
    const j = JSON.parse(r.stdout.trim().split('\n').slice(-1)[0]!) as {
      version: string;
      threads: number;
      threadCounts: number[];
      threadsUsed: Record<string, { torch: number; blas: number | null }>;
      blas: TorchBlas & { reference: boolean | null };
      cases: Record<string, Record<string, Timing>>;
    };
    const { reference, ...blas } = j.blas;
    return {
      available: true,
      python,
      version: j.version,
      threads: j.threads,
      threadCounts: j.threadCounts,
      threadsUsed: Object.fromEntries(
        Object.entries(j.threadsUsed).map(([k, v]) => [
          k,
          { torch: v.torch, ...(v.blas !== null ? { blas: v.blas } : {}) },
        ]),
      ),
      blas: { ...blas, ...(reference !== null ? { reference } : {}) },
      cases: j.cases,
    };
  } catch (e) {
    return { available: false, reason: `torch/workloads.py printed no JSON: ${String(e)}` };
  }
}

/**
 * A torch result as read from a latest.json of any version: earlier runs stored the BLAS as torch's
 * build flag (a string, 'generic' on Debian, which says nothing about the library that ran).
 */
export function normalizeTorch(t: TorchResult | undefined): TorchResult | undefined {
  if (!t?.available) return t;
  const old = t as unknown as { blas?: unknown; threadCounts?: number[]; threadsUsed?: unknown };
  const blas: TorchBlas =
    typeof old.blas === 'object' && old.blas !== null
      ? (old.blas as TorchBlas)
      : {
          name: `unknown (build flag BLAS_INFO=${typeof old.blas === 'string' ? old.blas : '?'}; the library was not recorded)`,
        };
  const threadCounts =
    old.threadCounts ??
    [...new Set(Object.values(t.cases).flatMap((per) => Object.keys(per).map(Number)))].sort((a, b) => a - b);
  return {
    ...t,
    blas,
    threadCounts,
    threadsUsed: (old.threadsUsed as Record<string, { torch: number; blas?: number }> | undefined) ?? {},
  };
}
