/** The optional PyTorch side-by-side (torch/w1.py): run only when a Python with torch is found. */
import { execFile } from 'node:child_process';
import os from 'node:os';
import { join } from 'node:path';
import { BENCH_DIR } from './backends.js';
import type { BenchConfig } from './config.js';
import type { TorchResult } from './types.js';

function run(cmd: string, args: readonly string[], timeoutMs: number): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: os.tmpdir(), timeout: timeoutMs, maxBuffer: 16 * 2 ** 20, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } }, (err, stdout, stderr) => {
      resolve({ ok: !err, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

/**
 * The first Python that imports torch: $SPECTRANS_BENCH_PYTHON, python3, /usr/bin/python3 (Debian's
 * python3-torch). Runs from the temp directory: from this package, `import torch` would find the
 * torch/ folder of scripts as a namespace package.
 */
export async function findTorchPython(): Promise<string | undefined> {
  const candidates = [process.env['SPECTRANS_BENCH_PYTHON'], 'python3', '/usr/bin/python3', 'python'].filter((c): c is string => !!c);
  for (const c of [...new Set(candidates)]) {
    if ((await run(c, ['-c', 'import torch; torch.zeros(1)'], 60000)).ok) return c;
  }
  return undefined;
}

export async function runTorch(config: BenchConfig): Promise<TorchResult> {
  const python = await findTorchPython();
  if (!python) return { available: false, reason: 'no Python with torch found (optional: apt-get install python3-torch, or set SPECTRANS_BENCH_PYTHON)' };
  const { batch, n, d, D } = config.w1;
  const args = [
    join(BENCH_DIR, 'torch', 'w1.py'),
    '--batch', String(batch), '--n', String(n), '--d', String(d), '--D', String(D),
    '--matmul', config.matmulSizes.join(','),
    '--budget', config.quick ? '0.05' : '0.4',
  ];
  const r = await run(python, args, 300000);
  if (!r.ok) return { available: false, reason: `torch/w1.py failed: ${r.stderr.trim().split('\n').slice(-1)[0] ?? 'no output'}` };
  try {
    const j = JSON.parse(r.stdout.trim().split('\n').slice(-1)[0]!) as { version: string; threads: number; blas?: string; cases: Record<string, Record<string, { median: number; q1: number; q3: number; n: number }>> };
    return { available: true, python, version: j.version, threads: j.threads, ...(j.blas ? { blas: j.blas } : {}), cases: j.cases };
  } catch (e) {
    return { available: false, reason: `torch/w1.py printed no JSON: ${String(e)}` };
  }
}
