/** A description of the machine a run happened on, for the top of the report. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** What the report says about the machine. */
export interface MachineInfo {
  readonly cpu: string;
  /** Logical CPUs the OS reports. */
  readonly cores: number;
  /** CPU quota of this process's cgroup, when one is set (e.g. '2 CPUs'), else undefined. */
  readonly cpuQuota?: string;
  readonly ramGiB: number;
  readonly node: string;
  readonly v8: string;
  readonly os: string;
  readonly arch: string;
  /** ISO date and time at the start of the run. */
  readonly date: string;
  /** 1, 5 and 15 minute load averages at the start (a shared machine is rarely idle). */
  readonly loadAverage: readonly number[];
  /** Commit of the checkout, with '+dirty' when the tree has changes. */
  readonly commit?: string;
  /** CPU flags worth knowing for SIMD (avx2, avx512f, fma). */
  readonly simd: string;
}

function gitCommit(): string | undefined {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const dirty =
      execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim() !== '';
    return dirty ? `${head}+dirty` : head;
  } catch {
    return undefined;
  }
}

function cgroupQuota(): string | undefined {
  try {
    const [quota, period] = readFileSync('/sys/fs/cgroup/cpu.max', 'utf8').trim().split(/\s+/);
    if (!quota || quota === 'max' || !period) return undefined;
    return `${(Number(quota) / Number(period)).toFixed(2)} CPUs`;
  } catch {
    return undefined;
  }
}

function simdFlags(): string {
  try {
    const flags = /^flags\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.split(/\s+/) ?? [];
    return ['sse4_2', 'avx', 'avx2', 'fma', 'avx512f'].filter((f) => flags.includes(f)).join(' ') || 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Describes this machine now. */
export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  const quota = cgroupQuota();
  return {
    cpu: (cpus[0]?.model ?? 'unknown').replace(/\s+/g, ' ').trim(),
    cores: cpus.length,
    ...(quota ? { cpuQuota: quota } : {}),
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    v8: process.versions.v8,
    os: `${os.type()} ${os.release()}`,
    arch: process.arch,
    date: new Date().toISOString(),
    loadAverage: os.loadavg().map((v) => Math.round(v * 100) / 100),
    ...(gitCommit() ? { commit: gitCommit()! } : {}),
    simd: simdFlags(),
  };
}
