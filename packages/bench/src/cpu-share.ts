/**
 * How much CPU other processes took while a run was timed: the machine's busy CPU time
 * (/proc/stat, every CPU) less this process's own (all its threads), per wall-clock time. A
 * 2-thread run needs both cores of a 2-core machine; a round in which another process held one is
 * a measurement of that process, not of thread scaling.
 */
import { readFileSync } from 'node:fs';

/** A point in time: machine busy CPU time and this process's CPU time, both in ms. */
export interface CpuSnapshot {
  readonly wallMs: number;
  readonly busyMs: number;
  readonly ownMs: number;
}

/** Clock ticks per second of /proc/stat (USER_HZ; 100 on every Linux architecture Node runs on). */
const USER_HZ = 100;

let procStat: boolean | undefined;

/** Busy CPU time of the whole machine (every field of the `cpu` line but idle and iowait), ms; undefined off Linux. */
function machineBusyMs(): number | undefined {
  if (procStat === false) return undefined;
  try {
    const line = readFileSync('/proc/stat', 'utf8').slice(0, 256).split('\n')[0]!;
    // cpu user nice system idle iowait irq softirq steal (guest time is already in user).
    const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
    procStat = f.length === 8 && f.every(Number.isFinite);
    if (!procStat) return undefined;
    return ((f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + f[7]!) * 1000) / USER_HZ;
  } catch {
    procStat = false;
    return undefined;
  }
}

/** Now, or undefined where the machine's CPU time cannot be read. */
export function cpuSnapshot(): CpuSnapshot | undefined {
  const busyMs = machineBusyMs();
  if (busyMs === undefined) return undefined;
  const u = process.cpuUsage();
  return { wallMs: performance.now(), busyMs, ownMs: (u.user + u.system) / 1000 };
}

/**
 * Cores' worth of CPU that other processes (and the hypervisor's steal) used between two
 * snapshots: 0 on an otherwise idle machine, about 1 when another process kept one core busy.
 * /proc/stat counts in 10 ms ticks, so over a 50 ms run it is good to about ±0.2.
 */
export function foreignCores(before: CpuSnapshot, after: CpuSnapshot): number {
  const wall = after.wallMs - before.wallMs;
  if (wall <= 0) return 0;
  return (after.busyMs - before.busyMs - (after.ownMs - before.ownMs)) / wall;
}

/** Cores' worth of CPU this process (all its threads) used between two snapshots. */
export function ownCores(before: CpuSnapshot, after: CpuSnapshot): number {
  const wall = after.wallMs - before.wallMs;
  return wall > 0 ? (after.ownMs - before.ownMs) / wall : 0;
}

/** Above this many foreign cores during either run of a 1-thread/all-threads round, the round is not clean. */
export const BUSY_FOREIGN_CORES = 0.3;

/** Shortest median run (ms) whose rounds are told clean or busy: /proc/stat counts 10 ms ticks. */
export const MIN_CLEAN_RUN_MS = 30;

/** Fewest clean rounds a thread-scaling ratio is judged on. */
export const MIN_CLEAN_ROUNDS = 8;

/**
 * Indices of the rounds in which other processes stayed below {@link BUSY_FOREIGN_CORES} during
 * both runs (`a[i]`, `b[i]`: foreign cores of each side's i-th run); undefined when either side
 * has no such readings.
 */
export function cleanRounds(a: readonly number[] | undefined, b: readonly number[] | undefined): number[] | undefined {
  if (!a || !b) return undefined;
  const k = Math.min(a.length, b.length);
  return Array.from({ length: k }, (_, i) => i).filter((i) => a[i]! < BUSY_FOREIGN_CORES && b[i]! < BUSY_FOREIGN_CORES);
}
