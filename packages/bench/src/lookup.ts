/** Reading one run's results: a backend's successful outcome on a case, torch's best time on a case. */
import type { Outcome } from './harness.js';
import type { BenchResults, CaseResult } from './types.js';

/** A successful outcome. */
export type Ok = Extract<Outcome, { status: 'ok' }>;

/** The outcome of `backend` on case `c` when it ran, else undefined. */
export function okOutcome(c: CaseResult | undefined, backend: string): Ok | undefined {
  const o = c?.outcomes[backend];
  return o?.status === 'ok' ? o : undefined;
}

/** Best (lowest) torch median over the thread counts it ran with. */
export function torchBest(r: Pick<BenchResults, 'torch'>, id: string): { ms: number; threads: string } | undefined {
  if (!r.torch?.available) return undefined;
  const per = r.torch.cases[id];
  if (!per) return undefined;
  let best: { ms: number; threads: string } | undefined;
  for (const [threads, s] of Object.entries(per)) if (!best || s.median < best.ms) best = { ms: s.median, threads };
  return best;
}

/** Whether a case ran in the bench process (backends interleaved round by round, so per-round ratios pair up). */
export function inProcess(c: CaseResult): boolean {
  return c.workload !== 'W4' && !(c.workload === 'W3' && !c.id.endsWith('batched'));
}

/** The two sequence lengths the W4 targets compare: 4k and 16k, or the two largest of a quick run. */
export function w4ScalingPair(ns: readonly number[]): [number, number] | undefined {
  if (ns.includes(4096) && ns.includes(16384)) return [4096, 16384];
  const sorted = [...ns].sort((a, b) => a - b);
  return sorted.length >= 2 ? [sorted[sorted.length - 2]!, sorted[sorted.length - 1]!] : undefined;
}
